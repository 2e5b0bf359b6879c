"""A short message over a widget for a few seconds: what the status bar says,
where the status bar is off (the stage hides it to give its row to the diagram,
so a refused edit or step was refused in silence there)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from aeviz.gui.drawing.highlight import make_transient

NOTICE_STYLE = ("background: #fff4d6; color: #3a2a00; border: 2px solid #c9a227; "
                "border-radius: 6px; padding: 6px 10px")
MARGIN = 12                   # px from the top and the sides of the widget
MOST_OF_HEIGHT = 0.4          # a long message at a large text size: at most this much
SMALLEST_PT = 9.0             # of the widget's height, in a smaller font down to this


class Notice(QLabel):
    """``Notice(target, stands_for)``; ``say(text, ms)`` shows ``text`` at the
    top of ``target`` in its font, as wide as the text needs (at most the
    target's width less margins, wrapped; a smaller font if it would cover more
    than MOST_OF_HEIGHT of it), for ``ms``, or until ``stands_for`` (the status
    bar it stands in for) is shown again.  Clicks go through to the widget below."""

    def __init__(self, target: QWidget, stands_for: QWidget | None = None) -> None:
        super().__init__(target)
        self.setObjectName("Notice")
        self.setAccessibleName("Notice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignCenter)
        self.setStyleSheet(NOTICE_STYLE)
        self.stands_for = stands_for
        self._timer, self._place_later = make_transient(self, target, self._place)
        if stands_for is not None:
            stands_for.installEventFilter(self)

    def say(self, text: str, ms: int) -> None:
        self.setText(text)
        self._place()
        self.raise_()
        self.show()
        self._timer.start(ms)

    def _place(self) -> None:
        """At the top of the target, in its font (the stage's text size now), or
        smaller where a long message would cover most of it."""
        target = self.parentWidget()
        room = target.rect()
        width = max(120, room.width() - 2 * MARGIN)
        font = QFont(target.font())
        while True:
            self.setFont(font)
            natural = self.fontMetrics().horizontalAdvance(self.text()) + 32
            w = min(width, natural)
            h = self.heightForWidth(w)
            h = h if h > 0 else self.sizeHint().height()
            if h <= MOST_OF_HEIGHT * room.height() or font.pointSizeF() <= SMALLEST_PT:
                break
            font.setPointSizeF(max(SMALLEST_PT, font.pointSizeF() * 0.9))
        self.setGeometry((room.width() - w) // 2, MARGIN, w, h)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.stands_for:
            if event.type() == QEvent.Show:
                self.hide()                    # the status bar says it again
        elif event.type() in (QEvent.Resize, QEvent.FontChange) and self.isVisible():
            self._place_later.start()          # placed a moment later, never inside it
        return False
