"""The Outputs tab: the fed pattern's input x and output y as bars, side by side
per unit (created once, updated with setOpts)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from aeviz.gui.panels.plots import (LEGEND_MAX_PT, PLOT_INTERVAL_MS, WholeAxis, legend_above,
                                    new_plot, plot_text_points)
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled


def bar_range(values: np.ndarray) -> tuple[float, float]:
    """The y range of bars of ``values``: 0 … 1 with a margin for values in [0, 1]
    (pixels, probabilities), widened to every value otherwise (the linear-PCA
    points reach −1.5 and 2: their bars were cut at 0 and 1)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    lo, hi = min(0.0, float(v.min(initial=0.0))), max(1.0, float(v.max(initial=1.0)))
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


class OutputBars(QWidget):
    """x and y of the fed pattern, side by side per unit."""

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.plot = new_plot(axisItems={"bottom": WholeAxis("bottom")})   # unit 1, 2, 3
        self.plot.setAccessibleName("Output bars")
        # at the plots' text size now (a tab built on stage): scale_plot ran before it existed
        # above the bars, under the title: never over a bar (64 of them for the digits)
        legend_above(self.plot, labelTextSize=f"{min(plot_text_points(), LEGEND_MAX_PT):.1f}pt")
        self.plot.setYRange(-0.05, 1.05)
        self._y_range: tuple[float, float] | None = None
        self.plot.setLabel("bottom", "unit")
        layout.addWidget(self.plot)
        self.x_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=(150, 150, 150),
                                      name="input x")
        self.y_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=(230, 97, 1),
                                      name="output y")
        self.plot.addItem(self.x_bars)
        self.plot.addItem(self.y_bars)
        self.hidden = False                     # predict, then reveal: no y bars
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)   # a plot: ~7 a second
        doc.values_changed.connect(self.throttled)
        self.refresh()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the output y is the answer; the input x stays."""
        self.hidden = hide
        self.y_bars.setVisible(not hide)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.x_bars.opts["height"] is not None and len(
                self.x_bars.opts["height"]) == len(self.doc.lesson.x):
            return                                   # hidden tab: drawn when shown
        x = self.doc.lesson.x
        y = self.doc.lesson.forward()[1][-1][0]
        units = np.arange(1, len(x) + 1)
        self.x_bars.setOpts(x=units - 0.2, height=x)
        self.y_bars.setOpts(x=units + 0.2, height=y)
        self.y_bars.setVisible(not self.hidden)
        self.plot.setXRange(0.4, len(x) + 0.6, padding=0)
        y_range = bar_range(x if self.hidden else np.r_[x, y])    # (the range would tell)
        if y_range != self._y_range:
            self._y_range = y_range
            self.plot.setYRange(*y_range, padding=0)
        p = self.doc.lesson.pattern_index()
        self.plot.setTitle(f"pattern {p + 1}: x and y" if p is not None else "x and y")
