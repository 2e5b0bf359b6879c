"""Live plots (pyqtgraph): the loss curve, the code space with the decoder's map,
and output bars.  Every plot item is created once and updated with setData /
setImage / setOpts; only a structure change resets them."""

from __future__ import annotations

from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aeviz.core import codespace
from aeviz.gui.document import Document
from aeviz.gui.throttle import Throttled
from aeviz.gui.training import TrainingController

# antialiased curves cost ~3x the paint time and the paint holds the GIL the trainer needs
pg.setConfigOptions(antialias=False, background="w", foreground="k")

# Okabe & Ito's colour-blind-safe qualitative palette
CATEGORY = np.array([(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66),
                     (0, 114, 178), (213, 94, 0), (204, 121, 167), (120, 120, 120)])
LOSS_PENS = {"objective": ("k", "total objective J"), "loss": ((230, 97, 1), "reconstruction L"),
             "penalty": ((33, 102, 172), "penalty Ω")}
TRAIL = 150                 # code positions kept per pattern
MAX_LABELLED = 16           # more patterns than this: no labels, one grey trail item
PLOT_INTERVAL_MS = 150      # plots redraw at most ~7 times a second (the diagram: every frame)


def plain_axes(plot: pg.PlotWidget) -> None:
    """Numbers as they are: no "(x0.001)" SI rescaling of the axes."""
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)


def category_colors(n: int) -> np.ndarray:
    """n distinguishable colours (cycling the palette, lighter on each round)."""
    reps = np.arange(n) // len(CATEGORY)
    base = CATEGORY[np.arange(n) % len(CATEGORY)]
    return base + (255 - base) * np.minimum(reps, 3)[:, None] * 0.25


class LossPanel(QWidget):
    """Total objective, reconstruction loss and penalty against epochs."""

    def __init__(self, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Loss curve")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "loss")
        plain_axes(self.plot)

        self.curves = {}
        for name, (color, label) in LOSS_PENS.items():
            self.curves[name] = self.plot.plot([], [], pen=pg.mkPen(color, width=2.5))
            self.curves[name].setClipToView(True)
        self._legend_for: bool | None = None
        self.log = QCheckBox("log scale")
        self.log.setAccessibleName("Log scale")
        self.log.toggled.connect(self._on_log_toggled)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.log)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        controller.trained.connect(self.throttled)
        self.refresh()

    def _set_legend(self, has_penalty: bool) -> None:
        """With no penalty the objective is the loss: one line, one legend entry."""
        if self._legend_for == has_penalty:
            return
        self._legend_for = has_penalty
        self.legend.clear()
        names = ("objective", "loss", "penalty") if has_penalty else ("loss",)
        for name in names:
            label = LOSS_PENS[name][1] if has_penalty else "loss L (no penalty: J = L)"
            self.legend.addItem(self.curves[name], label)

    def refresh(self) -> None:
        d = self.controller.lesson.history.thinned()
        has_penalty = bool(d["penalty"].size and d["penalty"].max() > 0)
        self._set_legend(has_penalty)
        for name, curve in self.curves.items():
            y = d[name]
            if self.log.isChecked():
                y = np.maximum(y, 1e-12)
            visible = name != "penalty" or has_penalty
            curve.setVisible(visible)
            if name == "objective" and not has_penalty:
                curve.setData([], [])                   # identical to the loss: not drawn twice
            else:
                curve.setData(d["epoch"], y)

    def _on_log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self.refresh()


class CodeSpacePanel(QWidget):
    """Each pattern's code as a labelled point with its trail, over the decoder's
    argmax map of the plane."""

    def __init__(self, doc: Document, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.hidden = False                 # predict, then reveal
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.note = QLabel()
        self.note.setAccessibleName("Code space note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Code space")
        plain_axes(self.plot)

        layout.addWidget(self.plot, 1)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.trail_items: list[pg.PlotDataItem] = []
        self.labels: list[pg.TextItem] = []
        self.points = pg.ScatterPlotItem(size=16, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.points)
        self.trails: list[deque] = []
        self._last_epoch = None
        # a slightly different period from the loss plot's: the two rarely paint together
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS + 37, self)
        doc.structure_changed.connect(self.rebuild)
        doc.values_changed.connect(self.throttled)
        self._range = None
        self.rebuild()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the codes (points, trails, labels) are hidden."""
        self.hidden = hide
        for item in [self.points] + self.trail_items + self.labels:
            item.setVisible(not hide)

    def rebuild(self) -> None:
        for item in self.trail_items + self.labels:
            self.plot.removeItem(item)
        n = len(self.doc.data())
        colors = category_colors(n)
        if n <= MAX_LABELLED:
            self.trail_items = [self.plot.plot([], [], pen=pg.mkPen(tuple(c), width=2))
                                for c in colors]
        else:           # many patterns: one grey item for all trails, no labels
            self.trail_items = [self.plot.plot([], [], pen=pg.mkPen((150, 150, 150), width=1),
                                               connect="finite")]
        self.labels = []
        for p in range(n if n <= MAX_LABELLED else 0):
            label = pg.TextItem(str(p + 1), color="k", anchor=(-0.3, 1.1))
            font = label.textItem.font()
            font.setPointSize(12)
            font.setBold(True)
            label.setFont(font)
            self.plot.addItem(label)
            self.labels.append(label)
        self._brushes = [pg.mkBrush(*c) for c in colors]
        self.points.setZValue(10)
        self.trails = [deque(maxlen=TRAIL) for _ in range(n)]
        self._last_epoch = None
        self.set_hidden(self.hidden)
        self.refresh()

    def refresh(self) -> None:
        net = self.doc.network
        if net.code_layer == net.depth or len(self.trails) != len(self.doc.data()):
            return
        codes = self.doc.evaluation().codes
        plane = codespace.plane_for(net, codes)
        xy = codespace.project(plane, codes)
        c = codes.shape[1]
        classifies = net.activations[-1] in ("softmax", "sigmoid")
        where = (f"The code has {c} units: shown on the plane of its two principal "
                 "components." if plane.is_pca else "Each pattern's code h.")
        self.note.setText(where + (" The background shows which output the decoder picks "
                                   "(argmax) at each point." if classifies else
                                   " (No argmax map: the output is not softmax or sigmoid.)")
                          + (" 1-unit code: drawn on a line." if c == 1 else ""))
        self.image.setVisible(classifies)
        if classifies:
            grid = codespace.decoder_map(net, plane, codespace.map_resolution(net))
            pale = category_colors(net.sizes[-1]) * 0.45 + 255 * 0.55
            self.image.setImage(pale[grid].astype(np.uint8), levels=(0, 255))
        x0, x1, y0, y1 = plane.extent
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        if self.doc.epoch != self._last_epoch or plane.is_pca:
            if plane.is_pca or self.doc.epoch < (self._last_epoch or 0):
                for t in self.trails:
                    t.clear()
            for t, point in zip(self.trails, xy):
                t.append(point)
            self._last_epoch = self.doc.epoch
        if len(self.trail_items) == len(self.trails):
            for item, t in zip(self.trail_items, self.trails):
                pts = np.array(t).reshape(-1, 2)
                item.setData(pts[:, 0], pts[:, 1])
        else:                                    # all trails in one item, NaN-separated
            pts = np.vstack([np.vstack([np.array(t).reshape(-1, 2), [[np.nan, np.nan]]])
                             for t in self.trails])
            self.trail_items[0].setData(pts[:, 0], pts[:, 1])
        self.points.setData(xy[:, 0], xy[:, 1], brush=self._brushes)
        for label, (x, y) in zip(self.labels, xy):
            label.setPos(x, y)
        if self._range != plane.extent:          # a new range repaints the axes: only if needed
            self._range = plane.extent
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)


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
        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Output bars")
        self.plot.addLegend(offset=(-10, 10))
        self.plot.setYRange(-0.05, 1.05)
        self.plot.setLabel("bottom", "unit")
        layout.addWidget(self.plot)
        self.x_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=(150, 150, 150),
                                      name="input x")
        self.y_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=(230, 97, 1),
                                      name="output y")
        self.plot.addItem(self.x_bars)
        self.plot.addItem(self.y_bars)
        doc.values_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.x_bars.opts["height"] is not None and len(
                self.x_bars.opts["height"]) == len(self.doc.x):
            return                                   # hidden tab: drawn when shown
        x = self.doc.x
        y = self.doc.forward()[1][-1][0]
        units = np.arange(1, len(x) + 1)
        self.x_bars.setOpts(x=units - 0.2, height=x)
        self.y_bars.setOpts(x=units + 0.2, height=y)
        self.plot.setXRange(0.4, len(x) + 0.6, padding=0)
        p = self.doc.pattern_index()
        self.plot.setTitle(f"pattern {p + 1}: x and y" if p is not None else "x and y")
