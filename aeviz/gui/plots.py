"""Live plots (pyqtgraph): the loss curve, the code space with the decoder's map,
and output bars.  Every plot item is created once and updated with setData /
setImage / setOpts; only a structure change resets them."""

from __future__ import annotations

from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

from aeviz.core import codespace
from aeviz.core.model import penalty_name
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


def new_plot(**options) -> pg.PlotWidget:
    """A plot without pyqtgraph's right-click menu: its export offers an SVG writer that
    fails with current PySide6 (File > Export is aeviz's own), and building the menu
    costs a fifth of the plot.  The "A" button still appears to restore the view."""
    return pg.PlotWidget(enableMenu=False, **options)


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
        self.plot = new_plot()
        self.plot.setAccessibleName("Loss curve")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "loss")
        plain_axes(self.plot)

        self.curves = {}
        for name, (color, label) in LOSS_PENS.items():
            self.curves[name] = self.plot.plot([], [], pen=pg.mkPen(color, width=2.5))
            self.curves[name].setClipToView(True)
        self._legend_for: tuple[bool, str] | None = None
        self._rows = 0                          # history rows drawn last time
        # the epoch on screen after a rewind, marked on the curve
        self.marker = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen((94, 60, 153), width=2, style=Qt.DashLine))
        self.marker.setVisible(False)
        self.plot.addItem(self.marker, ignoreBounds=True)
        self.log = QCheckBox("log scale")
        self.log.setAccessibleName("Log scale")
        self.log.toggled.connect(self._on_log_toggled)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.log)
        layout.addLayout(row)
        self.plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        layout.addWidget(self.plot, 1)
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        controller.trained.connect(self.throttled)
        controller.doc.epoch_changed.connect(self._show_marker)
        controller.doc.settings_changed.connect(self.throttled)
        controller.running_changed.connect(lambda _running: self._show_marker())
        self.refresh()

    def _show_marker(self) -> None:
        """A dashed line at the epoch shown by the rewind timeline (none otherwise)."""
        c = self.controller
        previewing = c.lesson.live and not c.running
        self.marker.setVisible(previewing)
        if previewing:
            self.marker.setValue(c.lesson.epoch)

    def _set_legend(self, has_penalty: bool) -> None:
        """With no penalty the objective is the loss: one line, one legend entry.
        The penalty is named as the Values panel names it (Ω, β·KL or both)."""
        doc = self.controller.doc
        key = (has_penalty, penalty_name(doc.network, doc.model.training))
        if self._legend_for == key:
            return
        self._legend_for = key
        self.legend.clear()
        names = ("objective", "loss", "penalty") if has_penalty else ("loss",)
        for name in names:
            label = LOSS_PENS[name][1] if has_penalty else "loss L (no penalty: J = L)"
            if name == "penalty":
                label = f"penalty {key[1]}"
            self.legend.addItem(self.curves[name], label)

    def refresh(self) -> None:
        d = self.controller.lesson.history.thinned()
        # the lesson's settings say whether there is a penalty, before any training too
        has_penalty = bool(d["penalty"].size and d["penalty"].max() > 0) or \
            self.controller.doc.evaluation().penalty > 0
        self._set_legend(has_penalty)
        rows = len(self.controller.lesson.history)
        if rows < self._rows or rows == 0:      # a new lesson, a reset: forget the old axes
            self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.05)
            self.plot.enableAutoRange()
        self._rows = rows
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


MIN_PLOT_HEIGHT = 110  # the code space is never squashed to a strip
MAP_RESOLUTION = 128  # cells per side of the decoder's map (smooth boundaries)
class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit (the full text is ``full_text``
    and the tooltip): a note that never takes room from its plot."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)

    def setText(self, text: str) -> None:          # noqa: N802 (Qt's name)
        self.full_text = text
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self.full_text, Qt.ElideRight, max(self.width(), 40))
        if shown != super().text():
            super().setText(shown)


LABEL_PX = 30        # points closer than this on screen share a label
NEAR = 0.06          # points closer than this share of the plot's width share a label


class CodeSpacePanel(QWidget):
    """Each pattern's code as a labelled point with its trail, over the decoder's
    argmax map of the plane."""

    def __init__(self, doc: Document, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.hidden = False                 # predict, then reveal
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.note = ElidedLabel()
        self.note.setAccessibleName("Code space note")
        layout.addWidget(self.note)
        self.plot = new_plot()
        self.plot.setAccessibleName("Code space")
        plain_axes(self.plot)

        self.plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        layout.addWidget(self.plot, 1)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.trail_items: list[pg.PlotCurveItem] = []
        self.labels: list[pg.TextItem] = []
        self.points = pg.ScatterPlotItem(size=16, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.points)
        # the fed pattern's code, ringed (the panel differs for inputs that share a code)
        self.fed_ring = pg.ScatterPlotItem(size=30, brush=None,
                                           pen=pg.mkPen((94, 60, 153), width=3.5))
        self.fed_ring.setZValue(11)
        self.plot.addItem(self.fed_ring)
        self.label_groups: list[list[int]] = []
        self._placed: tuple | None = None          # (xy, extent) the labels were placed for
        # "near" is measured on screen: a new plot size regroups the labels
        self.plot.getViewBox().sigResized.connect(self._on_plot_resized)
        self.trails: list[deque] = []
        self._last_epoch = None
        # a slightly different period from the loss plot's: the two rarely paint together
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS + 37, self)
        doc.structure_changed.connect(self.rebuild)
        doc.values_changed.connect(self.throttled)
        doc.input_changed.connect(self.throttled)
        self._range = None
        doc.add_derived("code space", lambda d: codespace.view_of(d, MAP_RESOLUTION))
        self.rebuild()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the codes (points, trails, labels) are hidden."""
        self.hidden = hide
        for item in [self.points, self.fed_ring] + self.trail_items + self.labels:
            item.setVisible(not hide)

    def rebuild(self) -> None:
        for item in self.trail_items + self.labels:
            self.plot.removeItem(item)
        n = len(self.doc.data())
        colors = category_colors(n)
        if n <= MAX_LABELLED:
            self.trail_items = [self._trail(pg.mkPen(tuple(c), width=2)) for c in colors]
        else:           # many patterns: one grey item for all trails, no labels
            self.trail_items = [self._trail(pg.mkPen((150, 150, 150), width=1))]
        self.labels = []
        for p in range(n if n <= MAX_LABELLED else 0):
            label = pg.TextItem(str(p + 1), color="k", anchor=(-0.3, 1.1))
            font = label.textItem.font()
            font.setPointSize(12)
            font.setBold(True)
            label.setFont(font)
            label.setZValue(12)                 # above every point: never hidden by one
            self.plot.addItem(label)
            self.labels.append(label)
        self._brushes = [pg.mkBrush(*c) for c in colors]
        self.points.setZValue(10)
        self.trails = [deque(maxlen=TRAIL) for _ in range(n)]
        self._last_epoch = None
        self.set_hidden(self.hidden)
        self.refresh()

    def _trail(self, pen) -> pg.PlotCurveItem:
        """A plain curve (a quarter of a PlotDataItem's cost; the code space has no log
        mode to support); NaN rows break it into one trail per pattern."""
        item = pg.PlotCurveItem(pen=pen, connect="finite")
        self.plot.addItem(item)
        return item

    def refresh(self) -> None:
        net = self.doc.network
        if net.code_layer == net.depth or len(self.trails) != len(self.doc.data()):
            return
        view = self.doc.derived("code space")
        plane, xy = view.plane, view.xy
        c = net.sizes[net.code_layer]
        # one short line (it must not squash the plot in presenter mode); the full
        # statement of what is drawn is the tooltip
        kind = codespace.map_kind(self.doc.model)
        pictures, shows = kind == "nearest", kind is not None
        pick = ("which pattern the decoded output is closest to" if pictures else
                "which output the decoder picks (argmax)")
        if plane.is_pca:
            short = f"{c}-unit code on its 2 principal components"
            full = (f"The code has {c} units: each pattern's code is shown on the plane of "
                    f"their two principal components. The background shows {pick} for codes "
                    "on this plane; a pattern's own output can differ, since its code lies "
                    "off the plane.")
        else:
            short = "Each pattern's code h" + (" (1 unit: on a line)" if c == 1 else "")
            full = f"Each pattern's code h. The background shows {pick} at each point."
        if shows:
            short += ("; colour: the nearest pattern to the decoded output" if pictures else
                      "; colour: the decoder's pick (argmax)") + (" on this plane"
                                                                  if plane.is_pca else "")
        else:
            why = ("the output is not softmax or sigmoid"
                   if net.activations[-1] not in ("softmax", "sigmoid")
                   else "the patterns are not made of 0s and 1s")
            full = full.split(" The background")[0] + f" (No map: {why}.)"
        if self.note.toolTip() != full:
            self.note.setText(short + ".")
            self.note.setToolTip(full)
        self.image.setVisible(shows)
        if shows:
            grid = view.grid
            pale = category_colors(len(self.doc.data()) if pictures else net.sizes[-1])
            pale = pale * 0.45 + 255 * 0.55
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
        fed = self.doc.pattern_index()
        if fed is None:
            self.fed_ring.setData([], [])
        else:
            self.fed_ring.setData([xy[fed, 0]], [xy[fed, 1]])
        self._placed = (xy, plane.extent)
        self._place_labels(xy, plane.extent)
        if self._range != plane.extent:          # a new range repaints the axes: only if needed
            self._range = plane.extent
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.06)


    def _on_plot_resized(self, *_args) -> None:
        if self._placed is not None:
            self._place_labels(*self._placed)

    def _place_labels(self, xy: np.ndarray, extent) -> None:
        """Coincident or near points get one label ("1,5"), never overprinted digits."""
        if not self.labels:
            return
        x0, x1, y0, y1 = extent
        # near: within NEAR of the plot's span, or so close on screen that two
        # labels (about LABEL_PX wide) would overprint each other
        box = self.plot.getViewBox()
        span = np.array([max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)])
        if box.width() > 10 and box.height() > 10:       # shown: measure in pixels
            pixels = xy / span * np.array([box.width(), box.height()])
            self.label_groups = codespace.label_groups(pixels, LABEL_PX)
        else:
            self.label_groups = codespace.label_groups(xy / span, NEAR)
        for group in self.label_groups:
            first = self.labels[group[0]]
            self._set_label(first, ",".join(str(p + 1) for p in group))
            first.setPos(xy[group, 0].max(), xy[group, 1].max())   # beside all its points
            for p in group[1:]:
                self._set_label(self.labels[p], "")
                self.labels[p].setPos(*xy[p])

    @staticmethod
    def _set_label(label: pg.TextItem, text: str) -> None:
        if label.textItem.toPlainText() != text:         # a new text re-lays it out
            label.setText(text)

    def label_texts(self) -> list[str]:
        """What the labels say, in pattern order ("" for a pattern labelled with others)."""
        return [label.textItem.toPlainText() for label in self.labels]


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
        self.plot = new_plot()
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
