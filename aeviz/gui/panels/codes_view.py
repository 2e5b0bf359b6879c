"""The Codes tab: the codes of all patterns as a heat map (with its colour bar),
each code unit's mean activity (against rho when the KL penalty is on), the
active units per pattern, and for linear networks the angle between the code
space and the PCA subspace.  ``whole_ticks`` and ``MIN_CHART_HEIGHT`` are shared
with the other lesson tabs (:mod:`aeviz.gui.panels.noise_view`)."""

from __future__ import annotations

from math import ceil

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetrics, QLinearGradient, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aeviz.core.measures import analysis
from aeviz.gui.window import colors
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.plots import PLOT_INTERVAL_MS, new_plot, plain_axes
from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.runtime.throttle import Throttled


MIN_CHART_HEIGHT = 140     # the Denoising chart after Compare; the Codes charts: their plots' own minimum
MAX_TICKS = 20             # more patterns or units than this: every k-th is ticked
MAJOR_TICKS = 5            # the labels always shown; the others only where they fit


def whole_ticks(n: int, room: float = 2 * MAJOR_TICKS) -> list[list[tuple[int, str]]]:
    """Ticks 1…n at whole numbers as two levels for pyqtgraph: if ``room`` (how
    many labels fit along the axis, evenly spaced; 10 by default) allows, all are
    labelled; else a few major ones, every k-th with k such that at most
    MAJOR_TICKS of them and none closer than the room allows, then up to
    MAX_TICKS in all, which the axis labels only where they fit (pyqtgraph draws
    the major ones always: 60 patterns in a small chart overlapped)."""
    if n <= room:                                           # few: every one, always
        return [[(i, str(i)) for i in range(1, n + 1)], []]
    step = max(1, -(-n // MAX_TICKS))                       # the finest step
    steps = max(1, -(-n // (MAJOR_TICKS * step)), ceil(n / (max(room, 1.0) * step)))
    major_step = step * steps                               # a multiple of it
    ticks = range(1, n + 1, step)
    return [[(i, str(i)) for i in ticks if (i - 1) % major_step == 0],
            [(i, str(i)) for i in ticks if (i - 1) % major_step != 0]]


def label_room(axis: pg.AxisItem, n: int) -> float:
    """How many of the labels "1" … "n" fit along ``axis`` evenly spaced: its
    length in pixels over one label's height and a pixel (or its widest label's
    width and two); the default room (10) before the axis has a length."""
    metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
    vertical = axis.orientation in ("left", "right")
    length = axis.geometry().height() if vertical else axis.geometry().width()
    size = metrics.height() + 1 if vertical else metrics.horizontalAdvance(str(n)) + 2
    if length < 1:
        return 2.0 * MAJOR_TICKS
    return length / size


LISTED = 16        # patterns whose active units are listed one by one; more: counted


def active_text(active: np.ndarray) -> str:
    """The active units (|h| > 0.5) of each pattern: "per pattern: 1: 2, 2: 1, …"
    for up to LISTED patterns; more (1,797 digits) as how many patterns have how
    many, most units first: "2 in 1,790 patterns, 1 in 7" (a list of the first 16
    said little and took three lines of a narrow tab)."""
    head = "Active units (|h| > 0.5) per pattern: "
    if len(active) <= LISTED:
        return head + ", ".join(f"{p + 1}: {n}" for p, n in enumerate(active)) + "."
    counts = np.bincount(np.asarray(active, dtype=int))
    parts = [f"{k} in {int(c):,}" for k, c in sorted(enumerate(counts), reverse=True) if c]
    return head + parts[0] + " patterns" + "".join(", " + part for part in parts[1:]) + "."


class ColourBar(QLabel):
    """The heat map's key: the app's one colour scale from −s (blue) through 0
    (white) to +s (orange); s = 1 unless the values reach further
    (:func:`aeviz.gui.window.colors.scale_for`)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.scale = 1.0
        self.setAccessibleName("Colour bar")
        self._fit_width()

    @property
    def RANGE(self) -> tuple[float, float]:      # noqa: N802 (the key's ends)
        return (-self.scale, self.scale)

    def set_scale(self, scale: float) -> None:
        if scale != self.scale:
            self.scale = scale
            self._fit_width()
            self.update()

    @staticmethod
    def end_text(value: float) -> str:
        return f"{value:+g}".replace("-", "−") if value else "0"

    def _fit_width(self) -> None:
        """As wide as the bar and its widest end label (presenter text, ±1.5); at
        least as tall as its three labels with a bar of a line between each."""
        metrics = self.fontMetrics()
        self.setFixedWidth(max(44, 25 + max(metrics.horizontalAdvance(self.end_text(v))
                                                for v in self.RANGE)))
        self.setMinimumHeight(5 * metrics.height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_width()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height(), self.height() - metrics.height()
        gradient = QLinearGradient(0, top, 0, bottom)
        for t in np.linspace(0, 1, 9):
            gradient.setColorAt(t, colors.color(self.scale * (1 - 2 * t), self.scale))
        painter.fillRect(QRectF(4, top, 14, bottom - top), QBrush(gradient))
        painter.setPen(self.palette().windowText().color())
        painter.drawRect(QRectF(4, top, 14, bottom - top))
        for value, y in ((self.RANGE[1], top), (0.0, (top + bottom) / 2), (self.RANGE[0], bottom)):
            painter.drawText(QPointF(21, y + metrics.ascent() / 2 - 1), self.end_text(value))
        painter.end()


class CodesView(QWidget):
    """Pattern x code unit heat map, mean activity per unit (against rho when the
    KL penalty is on), active units per pattern, and for linear nets the angle
    between the code space and the PCA subspace."""

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 5, 5)      # clear of the guide's 5 px outline
        self.summary = QLabel()
        self.summary.setAccessibleName("Code summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        self.heat = new_plot(title="codes h")
        self.heat.setAccessibleName("Code heat map")
        self.heat.invertY(True)
        self.heat.setLabel("left", "pattern")
        self.heat.setLabel("bottom", "code unit")
        self.image = pg.ImageItem()
        self.heat.addItem(self.image)
        self.bars = new_plot(title="mean activity")
        self.bars.setAccessibleName("Code activity")
        plain_axes(self.bars)
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.7, brush=(230, 97, 1))
        self.bars.addItem(self.bar_item)
        self.target = pg.InfiniteLine(angle=0, pen=pg.mkPen((33, 102, 172), width=2,
                                                          style=pg.QtCore.Qt.DashLine))
        self.bars.addItem(self.target)
        self.colour_bar = ColourBar()
        row.addWidget(self.heat, 1)
        row.addWidget(self.colour_bar)
        row.addWidget(self.bars, 1)
        layout.addLayout(row, 1)
        self.angles: list[tuple[int, float]] = []
        self._shape: tuple[int, int] | None = None             # (patterns, code units)
        self._ticked: dict[str, list] = {}                      # the ticks each axis has
        self.hidden = False                     # predict, then reveal: the codes are "?"
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        # a plot's minimum follows its axes' widths (measured while painting) and text size
        # (from a zero timer the view owns: the axes also move while the window is
        # torn down, and a call from that signal found the PlotItem deleted)
        self.fitted = zero_timer(self, self._fit_plots)
        for plot in (self.heat, self.bars):
            item = plot.getPlotItem()
            for part in (item.getAxis("left"), item.getAxis("bottom"), item.titleLabel):
                part.geometryChanged.connect(self.fitted.start)
        doc.values_changed.connect(self.throttled)
        doc.structure_changed.connect(self.angles.clear)
        self.refresh()

    def _fit_plots(self) -> None:
        """Each plot's widget at least as large as the plot it holds: pyqtgraph
        lays a plot out at its minimum (axes, title) however small the widget, and
        the part beyond the widget was cut off ("mean activity" in a 336 px dock).
        The charts have no fixed minimum height: in a 1024×768 window the dock
        holds the summary and ~90 px of chart, and a larger minimum pushed the
        colour bar's "−1" and the heat map's unit numbers below the dock."""
        for plot in (self.heat, self.bars):
            least = plot.getPlotItem().effectiveSizeHint(Qt.MinimumSize)
            plot.setMinimumSize(ceil(least.width()), ceil(least.height()))
        if self._shape is None:
            return
        patterns, units = self._shape              # as many numbers as fit without overlap
        for name, axis, n in (("rows", self.heat.getAxis("left"), patterns),
                              ("units", self.heat.getAxis("bottom"), units),
                              ("bars", self.bars.getAxis("bottom"), units)):
            ticks = whole_ticks(n, label_room(axis, n))
            if self._ticked.get(name) != ticks:
                self._ticked[name] = ticks
                axis.setTicks(ticks)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the codes are the answer (the Patterns table's
        code column is "?" too)."""
        self.hidden = hide
        self.image.setVisible(not hide)
        self.bar_item.setVisible(not hide)
        self.refresh()

    def refresh(self) -> None:
        if self.hidden:
            self.summary.setText("The codes are hidden (?): predict, then reveal them (R).")
            return
        if not self.isVisible() and self.image.image is not None:
            return
        net, x = self.doc.lesson.network, self.doc.lesson.data()
        a = analysis.code_activity(net, x)
        scale = colors.scale_for(a.codes)                     # a linear code: no saturation
        self.colour_bar.set_scale(scale)
        rgb = colors.rgb(a.codes.T, scale).astype(np.uint8)    # (units, patterns, 3)
        self.image.setImage(rgb, levels=(0, 255))
        self.image.setRect(0.5, 0.5, a.codes.shape[1], a.codes.shape[0])
        if self._shape != a.codes.shape:       # one tick per pattern, per unit, as many as fit
            self._shape = a.codes.shape
            self.fitted.start()                # (the axes' own moves start it too)
        units = np.arange(1, len(a.mean) + 1)
        self.bar_item.setOpts(x=units, height=a.mean)
        sp = self.doc.lesson.model.training.sparsity
        self.target.setVisible(sp.penalty == "kl")
        self.target.setValue(sp.target)
        self.bars.setYRange(0, max(1.0, float(a.mean.max()) * 1.1) if a.mapped else
                            max(1e-3, float(a.mean.max()) * 1.1))
        scale = "mean m(h) in (0, 1)" if a.mapped else "mean |h|"
        text = (f"Bars: {scale} per code unit"
                + (f"; dashed: the KL target ρ = {sp.target:g}" if sp.penalty == "kl" else "")
                + ". " + active_text(a.active))
        if analysis.is_linear(net) and net.code_layer < net.depth:
            angle = analysis.principal_angle(net, x)
            if not self.angles or self.angles[-1][0] != self.doc.lesson.epoch:
                self.angles.append((self.doc.lesson.epoch, angle))
            first = self.angles[0]
            text += (f" Largest angle between the code space and the PCA plane: {angle:.2f}° "
                     f"(epoch {first[0]}: {first[1]:.2f}°).")
        self.summary.setText(text)
