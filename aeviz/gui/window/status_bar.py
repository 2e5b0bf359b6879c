"""The window's status bar: a message wider than the room it has (beside the
stuck offer's button, at 1024 px) ends in "…" and is whole in the tooltip, instead
of being cut mid-word.  ``currentMessage()`` gives the whole message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar, QWidget

MARGIN_PX = 16           # the status bar's own margins and the gap before its widgets


class StatusBar(QStatusBar):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._message = ("", "")            # (whole, shown)

    def room(self) -> int:
        """Pixels the message may use: the bar less the widgets shown on it."""
        widgets = sum(w.width() for w in self.findChildren(QWidget)
                      if w.parent() is self and w.isVisible())
        return max(self.width() - widgets - MARGIN_PX, 40)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        shown = self.fontMetrics().elidedText(text, Qt.ElideRight, self.room())
        self._message = (text, shown)
        self.setToolTip(text if shown != text else "")
        super().showMessage(shown, timeout)

    def currentMessage(self) -> str:  # noqa: N802 - Qt's name
        shown = super().currentMessage()
        whole, elided = self._message
        return whole if shown and shown == elided else shown
