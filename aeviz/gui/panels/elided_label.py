"""A one-line note that ends in "…" when it does not fit, and wraps on stage."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

from aeviz.gui.runtime.deferred import zero_timer


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit (the full text is ``full_text``
    and the tooltip): a note that never takes room from its plot."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.wrapping = False                # on stage: every word, wrapped
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self._elide_later = zero_timer(self, self._elide)

    def setText(self, text: str) -> None:          # noqa: N802 (Qt's name)
        self.full_text = text
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide_later.start()        # a new text a moment later, never inside the resize

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._elide()

    def set_wrapping(self, on: bool) -> None:
        """On stage (presenter mode) every word is shown: the text wraps instead
        of ending in "…"."""
        self.wrapping = on
        self.setWordWrap(on)
        self.setSizePolicy(QSizePolicy.Ignored,
                           QSizePolicy.Preferred if on else QSizePolicy.Fixed)
        self._elide()

    def _elide(self) -> None:
        shown = self.full_text if self.wrapping else self.fontMetrics().elidedText(
            self.full_text, Qt.ElideRight, max(self.width(), 40))
        if shown != super().text():
            super().setText(shown)
