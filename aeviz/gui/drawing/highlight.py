"""A brief outline drawn over a widget a guided step names ("look here")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QWidget

from aeviz.gui.window import colors
from aeviz.gui.runtime.deferred import zero_timer

FLASH_MS = 2500


def make_transient(overlay: QWidget, target: QWidget, place) -> tuple[QTimer, QTimer]:
    """Make ``overlay`` (a child of ``target``) a passing mark over it: clicks go
    through to the widget below, it takes no focus, it starts hidden.  Returns
    (the single-shot timer that hides it, a zero-timer that calls ``place``: start
    it from an event filter on ``target``'s resize, never placing inside it);
    the caller installs that event filter."""
    overlay.setAttribute(Qt.WA_TransparentForMouseEvents, True)
    overlay.setFocusPolicy(Qt.NoFocus)
    hide = QTimer(overlay)
    hide.setSingleShot(True)
    hide.timeout.connect(overlay.hide)
    target.installEventFilter(overlay)
    overlay.hide()
    return hide, zero_timer(overlay, place)


class Flash(QWidget):
    """A transparent child of ``target`` that paints a thick accent frame over it
    for ``FLASH_MS`` (mouse clicks go through to the widget below)."""

    def __init__(self, target: QWidget, key: str = "") -> None:
        super().__init__(target)
        self.setObjectName(key)
        self.area: QRect | None = None          # a part of the target (a table row), or all
        self._timer, self._place_later = make_transient(self, target, self._place)

    def _place(self) -> None:
        self.setGeometry(self.area if self.area is not None else self.parentWidget().rect())

    def flash(self, ms: int = FLASH_MS, area: QRect | None = None) -> None:
        self.area = area
        self._place()
        self.raise_()
        self.show()
        self._timer.start(ms)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize:      # placed a moment later, never inside the resize
            self._place_later.start()
        return False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(colors.ACCENT, 5))
        painter.drawRect(self.rect().adjusted(2, 2, -3, -3))


def flash(target: QWidget, ms: int = FLASH_MS, area: QRect | None = None,
          key: str = "") -> Flash:
    """Outline ``target`` (or the ``area`` of it) for ``ms`` milliseconds; one
    Flash per widget and ``key``, reused."""
    overlay = next((c for c in target.children() if isinstance(c, Flash)
                    and c.objectName() == key), None) or Flash(target, key)
    overlay.flash(ms, area)
    return overlay


def flash_row(table, row: int, ms: int = FLASH_MS) -> Flash:
    """Outline one row of a table view (scrolled into view); ``row`` is the
    model's row (a pattern), mapped to the view's by a table that filters."""
    table = getattr(table, "table", table)           # a panel around its table
    if hasattr(table, "row_of"):
        row = table.row_of(row)
    table.scrollTo(table.model().index(row, 0))
    first = table.visualRect(table.model().index(row, 0))
    last = table.visualRect(table.model().index(row, table.model().columnCount() - 1))
    return flash(table.viewport(), ms, first.united(last).adjusted(0, -2, 0, 2), f"row {row}")
