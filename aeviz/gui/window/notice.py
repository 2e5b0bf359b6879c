"""A short message over a widget for a few seconds: what the status bar says,
where the status bar is off (the stage hides it to give its row to the diagram,
so a refused edit or step was refused in silence there)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from aeviz.gui.runtime.deferred import zero_timer

NOTICE_STYLE = ("background: #fff4d6; color: #3a2a00; border: 2px solid #c9a227; "
                "border-radius: 6px; padding: 6px 10px")
MARGIN = 12                   # px from the top and the sides of the widget


class Notice(QLabel):
    """``Notice(target)``; ``say(text, ms)`` shows ``text`` at the top of
    ``target``, as wide as the text needs (at most the target's width less
    margins, wrapped), for ``ms``; clicks go through to the widget below."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("Notice")
        self.setAccessibleName("Notice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignCenter)
        self.setStyleSheet(NOTICE_STYLE)
        self.setAttribute(Qt.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.NoFocus)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._place_later = zero_timer(self, self._place)
        target.installEventFilter(self)
        self.hide()

    def say(self, text: str, ms: int) -> None:
        self.setText(text)
        self._place()
        self.raise_()
        self.show()
        self._timer.start(ms)

    def _place(self) -> None:
        room = self.parentWidget().rect()
        width = max(120, room.width() - 2 * MARGIN)
        natural = self.fontMetrics().horizontalAdvance(self.text()) + 32
        width = min(width, natural)
        height = self.heightForWidth(width)
        self.setGeometry((room.width() - width) // 2, MARGIN, width,
                         height if height > 0 else self.sizeHint().height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize and self.isVisible():
            self._place_later.start()          # placed a moment later, never inside it
        return False
