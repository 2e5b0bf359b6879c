"""The code space: each pattern's code as a labelled point with its trail, over
the decoder's map of the plane (see :func:`aeviz.core.codespace.map_kind`).
Codes of more than 2 units are drawn on their two principal components."""

from __future__ import annotations

from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from aeviz.core import codespace, labels
from aeviz.gui.document import Document
from aeviz.gui.plots import (MIN_PLOT_HEIGHT, PLOT_INTERVAL_MS, category_colors, new_plot,
                             plain_axes)
from aeviz.gui.throttle import Throttled
from aeviz.gui.training import TrainingController

TRAIL = 150                 # code positions kept per pattern
MAX_LABELLED = 16           # more patterns than this: no labels, one grey trail item
POINT_PX = 16               # the points' size on screen
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
        self.points = pg.ScatterPlotItem(size=POINT_PX, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.points)
        # the fed pattern's code, ringed (the panel differs for inputs that share a code)
        self.fed_ring = pg.ScatterPlotItem(size=30, brush=None,
                                           pen=pg.mkPen((94, 60, 153), width=3.5))
        self.fed_ring.setZValue(11)
        self.plot.addItem(self.fed_ring)
        self.label_groups: list[list[int]] = []
        self.placements: list = []                 # where the labels sit (screen pixels)
        self._leaders: pg.PlotCurveItem | None = None   # lines to labels pushed away
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
        if self._leaders is not None:
            self._leaders.setVisible(not hide)

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
            font.setPointSizeF(12 * getattr(self, "text_scale", 1.0))
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
        pictures, shows = view.kind == "nearest", view.kind is not None   # once per version
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
        """Codes equal at 3 decimals share one label ("1,5"); any others, however
        near, get their own, placed beside their points without overlap, with a
        leader line when pushed away (:func:`aeviz.core.labels.place_labels`)."""
        if not self.labels:
            return
        net = self.doc.network
        codes = net.code(self.doc.data()) if len(self.labels) == len(xy) else xy
        self.label_groups = labels.same_code_groups(codes)
        box = self.plot.getViewBox()
        (vx0, vx1), (vy0, vy1) = box.viewRange()
        if not (box.width() > 10 and box.height() > 10):      # not shown yet: a nominal box
            x0, x1, y0, y1 = extent
            (vx0, vx1), (vy0, vy1) = (x0, x1), (y0, y1)
        bw, bh = (box.width(), box.height()) if box.width() > 10 else (300.0, 300.0)
        scale = np.array([bw / max(vx1 - vx0, 1e-12), bh / max(vy1 - vy0, 1e-12)])
        origin = np.array([vx0, vy0])
        px = (xy - origin) * scale
        texts = [",".join(str(p + 1) for p in group) for group in self.label_groups]
        metrics = QFontMetricsF(self.labels[0].textItem.font())
        sizes = [(metrics.horizontalAdvance(t) + 4, metrics.height()) for t in texts]
        placed = labels.place_labels(px[[g[0] for g in self.label_groups]], sizes, px,
                                     radius=POINT_PX / 2)
        leaders = []
        for group, text, where in zip(self.label_groups, texts, placed):
            label = self.labels[group[0]]
            self._set_label(label, text)
            label.setAnchor((0.5, 0.5))
            label.setPos(*(np.array(where.center) / scale + origin))
            for p in group[1:]:
                self._set_label(self.labels[p], "")
                self.labels[p].setPos(*xy[p])
            if where.leader:                   # from the point to the label's nearest edge
                left, bottom, right, top = where.rect()
                a = np.array(where.anchor)
                edge = np.array([min(max(a[0], left), right), min(max(a[1], bottom), top)])
                leaders += [a / scale + origin, edge / scale + origin]
        self.placements = placed
        if self._leaders is None:
            self._leaders = pg.PlotCurveItem(pen=pg.mkPen((60, 60, 60), width=1),
                                             connect="pairs")
            self._leaders.setZValue(11)
            self.plot.addItem(self._leaders)
        pts = np.array(leaders).reshape(-1, 2)
        self._leaders.setData(pts[:, 0], pts[:, 1])
        self._leaders.setVisible(not self.hidden)

    def set_text_scale(self, scale: float) -> None:
        """The labels' size follows presenter mode and Ctrl+=/−."""
        self.text_scale = scale
        for label in self.labels:
            font = label.textItem.font()
            font.setPointSizeF(12 * scale)
            label.setFont(font)
        if self._placed is not None:
            self._place_labels(*self._placed)

    @staticmethod
    def _set_label(label: pg.TextItem, text: str) -> None:
        if label.textItem.toPlainText() != text:         # a new text re-lays it out
            label.setText(text)

    def label_texts(self) -> list[str]:
        """What the labels say, in pattern order ("" for a pattern labelled with others)."""
        return [label.textItem.toPlainText() for label in self.labels]
