"""A one-line readout whose text changes on every frame of a run (an epoch, a loss)
without making its panel lay itself out again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QLabel

QWIDGETSIZE_MAX = (1 << 24) - 1              # Qt's largest widget size


class SteadyLabel(QLabel):
    """``QLabel.setText`` asks the parent's layout to run again (``updateGeometry``),
    and while training that was ~40 times a second for the Values and Training
    panels: every row re-measured (wrapped captions included) and repainted.
    This label has a fixed size, the size of the widest text it has shown at its
    font, and Qt skips the layout for a widget of fixed size: a new text that
    fits changes only the label's own pixels.  A wider text or a new font fits
    the size again (one layout).

    Whether a one-line text fits is told by its advance (~2 µs), not by the
    label's size hint: a selectable label lays its text out in a text document
    for that (~80 µs a readout, four of them a frame while training)."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(text, parent)
        self._widest = 0
        self._widest_advance = -1          # the widest one-line text measured, its advance
        self._fit()

    def setText(self, text: str) -> None:          # noqa: N802 (Qt's name)
        if text == self.text():
            return
        super().setText(text)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:      # presenter mode, Ctrl+=/−, a readout's size
            self._widest, self._widest_advance = 0, -1
            # a QLabel's size hint is never below its minimum size: free it first, or
            # a smaller font would keep the size of the biggest one (presenter mode off)
            self.setMinimumSize(0, 0)
            self.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
            self._fit()

    def _fit(self) -> None:
        text = self.text()
        advance = self.fontMetrics().horizontalAdvance(text) if "\n" not in text else None
        if advance is not None and advance <= self._widest_advance:
            return                     # no wider than a text measured at this size: it fits
        hint = self.sizeHint()                     # the text's own size at this font
        if advance is not None:
            self._widest_advance = max(self._widest_advance, advance)
        self._widest = max(hint.width(), self._widest)
        size = QSize(self._widest, hint.height())
        if self.minimumSize() != size or self.maximumSize() != size:
            self.setFixedSize(size)
