"""A brief outline drawn over a widget a guided step names ("look here")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QWidget

from aeviz.gui import colors

FLASH_MS = 2500


class Flash(QWidget):
    """A transparent child of ``target`` that paints a thick accent frame over it
    for ``FLASH_MS`` (mouse clicks go through to the widget below)."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setAttribute(Qt.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.NoFocus)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        target.installEventFilter(self)
        self.hide()

    def flash(self, ms: int = FLASH_MS) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self._timer.start(ms)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(colors.ACCENT, 5))
        painter.drawRect(self.rect().adjusted(2, 2, -3, -3))


def flash(target: QWidget, ms: int = FLASH_MS) -> Flash:
    """Outline ``target`` for ``ms`` milliseconds (one Flash per widget, reused)."""
    overlay = next((c for c in target.children() if isinstance(c, Flash)), None) or Flash(target)
    overlay.flash(ms)
    return overlay
