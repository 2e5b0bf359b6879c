"""Live plots (pyqtgraph): the loss curve, and what every plot shares (the output
bars are :mod:`aeviz.gui.panels.output_bars`, the code space
:mod:`aeviz.gui.panels.code_space`).  Every plot item is created once and updated with setData /
setImage / setOpts; only a structure change resets them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from aeviz.core.model import penalty_name
from aeviz.gui.panels.plot_legend import LegendAbove
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled
from aeviz.gui.runtime.training import TrainingController

# antialiased curves cost ~3x the paint time and the paint holds the GIL the trainer needs
pg.setConfigOptions(antialias=False, background="w", foreground="k")

# Okabe & Ito's colour-blind-safe qualitative palette (black as a mid grey: the points
# have black rims), then a maroon and a navy, so that ten patterns (the digits) get
# ten colours; every pair differs by ΔE*ab ≥ 26 (tests/gui/test_code_space_names.py)
CATEGORY = np.array([(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66),
                     (0, 114, 178), (213, 94, 0), (204, 121, 167), (120, 120, 120),
                     (120, 20, 40), (40, 40, 120)])
LOSS_PENS = {"objective": ("k", "total objective J"), "loss": ((230, 97, 1), "reconstruction L"),
             "penalty": ((33, 102, 172), "penalty")}
PLOT_INTERVAL_MS = 150      # plots redraw at most ~7 times a second (the diagram: every frame)
MIN_PLOT_HEIGHT = 110       # a plot is never squashed to a strip


DEFAULT_PT = 9.0            # the plots' text before any zoom
TITLE_EXTRA_PT = 2.0        # a plot's title is this much larger than its ticks
LEGEND_MAX_PT = 14.0        # legends stop growing here (they sit inside their plot)
# how much of an axis tick labels may fill (pyqtgraph's (ticks drawn, fraction) rule,
# default up to 80/60/40/20 %): sparser, so large presenter text never crowds
TEXT_FILL = [(0, 0.8), (2, 0.5), (4, 0.3), (6, 0.15)]
_TEXT_PT: list[float | None] = [None]    # the plots' text size (presenter, Ctrl+=); None: default


def new_plot(**options) -> pg.PlotWidget:
    """A plot without pyqtgraph's right-click menu: its export offers an SVG writer that
    fails with current PySide6 (File > Export is aeviz's own), and building the menu
    costs a fifth of the plot.  The "A" button still appears to restore the view.
    A plot built later (a tab, the study) takes the current text size."""
    plot = pg.PlotWidget(enableMenu=False, **options)
    for side in ("left", "bottom"):
        plot.getAxis(side).setStyle(textFillLimits=TEXT_FILL)
    if _TEXT_PT[0] is not None:
        scale_plot(plot, _TEXT_PT[0])
    return plot


def set_plot_text(points: float) -> None:
    """The text size of plots built from now on (see :func:`scale_plot`)."""
    _TEXT_PT[0] = points


def plot_text_points() -> float:
    """The plots' text size now, in points (9 pt until presenter mode or Ctrl+=)."""
    return _TEXT_PT[0] if _TEXT_PT[0] is not None else DEFAULT_PT


def label_row_px(points: float) -> int:
    """The height of a row of names under pictures, for text of ``points`` pt."""
    font = QFont()
    font.setPointSizeF(points)
    return QFontMetrics(font).height() + 2


def scale_plot(plot, points: float) -> None:
    """Ticks, axis labels and legend of ``plot`` in ``points`` pt (presenter mode and
    Ctrl+= grow them; Ctrl+− and Ctrl+0 bring them back); in a layout of pictures
    (the Images tab) the names under them, and their rows' height."""
    if isinstance(plot, pg.GraphicsLayoutWidget):
        grid = plot.ci.layout
        for label, cells in plot.ci.items.items():
            if isinstance(label, pg.LabelItem):
                label.setText(label.text, size=f"{points:.1f}pt")
                for row, _col in cells:
                    grid.setRowFixedHeight(row, label_row_px(points))
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else None
    if item is None:
        return
    font = QFont()
    font.setPointSizeF(points)
    size = f"{points:.1f}pt"
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setStyle(tickFont=font)
        axis.labelStyle = dict(axis.labelStyle, **{"font-size": size})
        if axis.labelText:
            axis._updateLabel()
    title = item.titleLabel
    if title.isVisible() and title.text:           # a plot's title: 2 pt above its ticks
        item.setTitle(title.text, size=f"{points + TITLE_EXTRA_PT:g}pt")
    # every legend: the plot's own, and one on its view (the code space's digit colours)
    legends = {id(i): i for i in [item.legend] + item.vb.childItems()
               if isinstance(i, pg.LegendItem)}
    for legend in legends.values():        # a legend wider than its plot would be cut off
        size = f"{min(points, LEGEND_MAX_PT):.1f}pt"
        legend.setLabelTextSize(size)
        for _sample, label in legend.items:
            label.setText(label.text, size=size)
        legend.updateSize()
    fit_legend_above(plot)


def legend_above(plot: pg.PlotWidget, kind: type[LegendAbove] = LegendAbove,
                 **options) -> LegendAbove:
    """The plot's legend (``plot.getPlotItem().legend``), above its view (``kind``:
    :class:`~aeviz.gui.panels.plot_legend.DotLegendAbove` for coloured dots)."""
    item = plot.getPlotItem()
    legend = kind(offset=None, frame=False, verSpacing=-6, horSpacing=12, **options)
    legend.setParentItem(item)
    legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, 1))
    item.legend = legend
    item.vb.sigResized.connect(legend.fit)
    return legend


def fit_legend_above(plot) -> None:
    """Fit ``plot``'s legend if it sits above the view (see :class:`LegendAbove`)."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else None
    if item is not None and isinstance(item.legend, LegendAbove):
        item.legend.fit()


class WholeAxis(pg.AxisItem):
    """An axis of whole numbers (epochs): ticks only at integers, never "epoch 0.2"
    (pyqtgraph's levels finer than 1 are dropped; a range under one epoch ticks
    the integers in it)."""

    def tickValues(self, minVal, maxVal, size):           # noqa: N802 (pyqtgraph's name)
        levels = [(spacing, [v for v in values if float(v).is_integer()])
                  for spacing, values in super().tickValues(minVal, maxVal, size)
                  if spacing >= 1]
        levels = [(spacing, values) for spacing, values in levels if values]
        if not levels:
            lo, hi = int(np.ceil(minVal)), int(np.floor(maxVal))
            levels = [(1.0, [float(v) for v in range(lo, hi + 1)][:10])]
        return levels


def plain_axes(plot: pg.PlotWidget) -> None:
    """Numbers as they are: no "(x0.001)" SI rescaling of the axes."""
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)


def category_colors(n: int) -> np.ndarray:
    """n distinguishable colours (cycling the palette, lighter on each round)."""
    reps = np.arange(n) // len(CATEGORY)
    base = CATEGORY[np.arange(n) % len(CATEGORY)]
    return base + (255 - base) * np.minimum(reps, 3)[:, None] * 0.25


def _penalty_now(doc) -> bool:
    """Whether the lesson's settings add a penalty to the loss (sparsity, weight
    decay, a VAE's KL term), read from the settings: the loss plot never asks for
    the dataset's evaluation, which for 1,797 digits is computed off the GUI thread."""
    t, net = doc.lesson.model.training, doc.lesson.network
    return (t.weight_decay > 0 or net.variational
            or (t.sparsity.active and net.code_layer < net.depth))


ROOM_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def epoch_room(epoch: float) -> float:
    """The loss plot's right end for a curve that ends at ``epoch``: the next of
    1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above it (the curve fills at
    least 80 % of the axis; 0 for an empty curve)."""
    if epoch <= 0:
        return 0.0
    scale = 10.0 ** np.floor(np.log10(epoch))
    return float(scale * next(s for s in ROOM_STEPS if s * scale >= epoch - 1e-9 * scale))


class LossPanel(QWidget):
    """Total objective, reconstruction loss and penalty against epochs."""

    def __init__(self, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.plot = new_plot(axisItems={"bottom": WholeAxis("bottom")})    # whole epochs
        self.plot.setAccessibleName("Loss curve")
        self.legend = legend_above(self.plot)      # above the curve, never over it
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
        # every loss here is >= 0: the linear axis starts at 0, so a drop from 0.49 to
        # 0.33 looks like the third it is (an invisible point at (0, 0) the auto-range
        # includes; hidden in log scale, where 0 has no place)
        # It also reaches to the right to the next step of epoch_room (+25 % or less):
        # the epoch axis then moves at those steps, not at every redraw (an axis whose
        # range changes re-measures and redraws its labels: ~5 of the ~8 ms a redraw
        # costs while the digits train), and the curve ends in the last fifth of
        # the width (before the plot's padding)
        self.zero = pg.PlotCurveItem([0.0, 0.0], [0.0, 0.0], pen=None)
        self.plot.addItem(self.zero)
        self._room = 0.0                        # the epoch the invisible points reach
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
        controller.doc.epoch_changed.connect(self.throttled)      # a step: its point
        controller.doc.history_changed.connect(self.throttled)
        controller.doc.values_changed.connect(self.throttled)     # the point "now", once computed
        self._few = None                        # points drawn as dots (a short history)
        self.hidden = False                     # predict, then reveal: no point for now
        controller.doc.settings_changed.connect(self.throttled)
        controller.doc.structure_changed.connect(self.throttled)   # a VAE on or off: its legend
        controller.running_changed.connect(lambda _running: self._show_marker())
        self.refresh()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the curve keeps the history of training (earlier
        weights, watched as they trained: what a class predicts from), but not its
        point for the weights now, the Values panel's hidden loss."""
        self.hidden = hide
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
        now = (penalty_name(doc.lesson.network, doc.lesson.model.training)
               if _penalty_now(doc) else "(earlier epochs)")   # e.g. a VAE made plain
        sampled = doc.lesson.network.variational       # training decodes z = μ + σ·ε, not μ
        key = (has_penalty, now, sampled)
        if self._legend_for == key:
            return
        self._legend_for = key
        self.legend.clear()
        names = ("objective", "loss", "penalty") if has_penalty else ("loss",)
        for name in names:
            label = LOSS_PENS[name][1] if has_penalty else "loss L (no penalty: J = L)"
            if name == "penalty":                  # named as the Values panel names it
                label = f"{label} {key[1]}"
            if name == "loss" and sampled:         # the Values panel's L is at the mean code
                label = "reconstruction L, with a sampled code"
            self.legend.addItem(self.curves[name], label)
        fit_legend_above(self.plot)

    def _with_now(self, d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The history's row for epoch e holds the loss measured during that
        epoch's update, on the weights after e − 1 updates: it is drawn at e − 1.
        The Values panel shows the weights after e updates; that point is added
        (the Values panel's own numbers), so the curve ends where the Values
        panel is and one step draws one point.  Not while the timeline shows an
        earlier epoch, nor with training noise (the history's loss is then on
        noisy inputs, the Values panel's on clean ones), nor while a prediction
        hides the Values panel's loss."""
        c, doc = self.controller, self.controller.doc
        d = dict(d, epoch=np.maximum(d["epoch"] - 1, 0))
        if c.lesson.live and not c.running or doc.lesson.model.training.noise.active \
                or self.hidden:
            return d
        if doc.values_pending:           # computed off the GUI thread: added once shown
            return d
        epoch = doc.lesson.epoch
        if d["epoch"].size and d["epoch"][-1] >= epoch:
            return d
        ev = doc.lesson.evaluation()
        now = {"epoch": epoch, "loss": ev.loss, "penalty": ev.penalty,
               "objective": ev.loss + ev.penalty}
        return {k: np.r_[v, now[k]] if k in now else v for k, v in d.items()}

    def refresh(self) -> None:
        d = self._with_now(self.controller.lesson.history.thinned())
        # the lesson's settings say whether there is a penalty, before any training too
        has_penalty = bool(d["penalty"].size and d["penalty"].max() > 0) or \
            _penalty_now(self.controller.doc)
        self._set_legend(has_penalty)
        rows = len(self.controller.lesson.history)
        if rows < self._rows or rows == 0:      # a new lesson, a reset: forget the old axes
            self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.05)
            self.plot.enableAutoRange()
        self._rows = rows
        room = epoch_room(float(d["epoch"][-1]) if d["epoch"].size else 0.0)
        if room != self._room:
            self._room = room
            self.zero.setData([0.0, room], [0.0, 0.0])
        for name, curve in self.curves.items():
            y = d[name]
            if self.log.isChecked():
                y = np.maximum(y, 1e-12)
            visible = name != "penalty" or has_penalty
            curve.setVisible(visible)
            if name == "objective" and not has_penalty:
                curve.setData([], [])                   # identical to the loss: not drawn twice
            else:                                       # an overflowed value (inf) is
                ok = np.isfinite(y)                     # not drawn: the Values panel says it
                curve.setData(d["epoch"][ok], y[ok])
        few = len(d["epoch"]) < 30                 # a few steps: each one a dot
        if few != self._few:
            self._few = few
            for name, curve in self.curves.items():
                color = LOSS_PENS[name][0]
                curve.setSymbol("o" if few else None)
                curve.setSymbolSize(7)
                curve.setSymbolBrush(color)
                curve.setSymbolPen(color)

    def _on_log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self.zero.setVisible(not on)
        self.refresh()
