"""The code space: each pattern's code as a labelled point with its trail, over
the decoder's map of the plane (see :func:`aeviz.core.measures.codespace.map_kind`).
Codes of more than 2 units are drawn on their two principal components."""

from __future__ import annotations

from collections import deque
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from aeviz.core.measures import codespace
from aeviz.core.measures import labels as placing
from aeviz.gui.panels import code_space_dots as dots
from aeviz.gui.panels.code_space_note import note_texts
from aeviz.gui.panels.code_space_labels import CodeLabels
from aeviz.gui.panels.code_space_manifold import Manifold
from aeviz.gui.panels.elided_label import ElidedLabel
from aeviz.gui.panels.plot_legend import DotLegendAbove
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.plots import (MIN_PLOT_HEIGHT, PLOT_INTERVAL_MS, category_colors,
                                    legend_above, new_plot, plain_axes, plot_text_points)
from aeviz.gui.runtime.throttle import Throttled
from aeviz.gui.runtime.training import TrainingController

TRAIL = 150                 # code positions kept per pattern
MAX_LABELLED = 16           # more patterns than this: no labels, one grey trail item
MAX_TRAILS = 64             # more patterns than this: no trails (small dots, by label)
POINT_PX = 16               # the points' size on screen
MAP_RESOLUTION = 128  # cells per side of the decoder's map (smooth boundaries)


ROOM = 0.15     # many growing codes: the range re-fitted with this much of their span
                # to spare on each side


class CodeSpacePanel(QWidget):
    """Each pattern's code as a labelled point with its trail, over the decoder's
    argmax map of the plane."""

    def __init__(self, doc: Document, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.hidden = False                 # predict, then reveal
        self.doc, self.controller = doc, controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(5, 2, 5, 5)   # tick labels clear of the guide's 5 px outline
        self.note = ElidedLabel()
        self.note.setAccessibleName("Code space note")
        row = QHBoxLayout()
        row.setContentsMargins(1, 0, 0, 0)      # 6 px in: clear of the guide's outline
        row.addWidget(self.note, 1)
        # pictures: the decoded manifold (the decoder's picture at TILES x TILES codes)
        self.pictures_button = QToolButton()
        self.pictures_button.setText("Pictures (M)")
        self.pictures_button.setCheckable(True)
        self.pictures_button.setToolTip("Show the decoded manifold: the picture the decoder "
                                        "draws at a grid of codes over the plane (M toggles "
                                        "it with the coloured dots)")
        self.pictures_button.toggled.connect(self._on_pictures)
        row.addWidget(self.pictures_button)
        layout.addLayout(row)
        self.pictures_key = QShortcut(QKeySequence("M"), self)
        self.pictures_key.setContext(Qt.WindowShortcut)
        self.pictures_key.activated.connect(self.pictures_button.toggle)
        self.plot = new_plot()
        self.plot.setAccessibleName("Code space")
        plain_axes(self.plot)

        self.plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        layout.addWidget(self.plot, 1)
        self._keep_room_for_top_label()
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.decoded = Manifold(self.plot)         # the decoded manifold (pictures)
        # the label colours in a row above the dots, never over one (see DotLegendAbove)
        self.legend = legend_above(self.plot, DotLegendAbove,
                                   labelTextSize=f"{plot_text_points():.1f}pt")
        self.card = dots.HoverCard(self.plot)
        self.many = False                          # many patterns: small dots by label
        self._xy = np.empty((0, 2))                # the dots' plane coordinates drawn last
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        # where the mouse rests on the plot (scene coordinates; None: off it): the card
        # names the dot under it as the dots move (training) and goes when it leaves
        self._mouse = None
        self.plot.viewport().installEventFilter(self)
        self.trail_items: list[pg.PlotCurveItem] = []
        self.code_labels = CodeLabels(self.plot, POINT_PX)
        self.points = pg.ScatterPlotItem(size=POINT_PX, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.points)
        # the fed pattern's code, ringed (the panel differs for inputs that share a code)
        self.fed_ring = pg.ScatterPlotItem(size=30, brush=None,
                                           pen=pg.mkPen((94, 60, 153), width=3.5))
        self.fed_ring.setZValue(11)
        self.plot.addItem(self.fed_ring)
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
        doc.replaced.connect(self.reset_view)
        self._range = None
        doc.lesson.add_derived("code space", partial(codespace.view_of, finest=MAP_RESOLUTION))
        self.rebuild()

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the codes (points, trails, labels) are hidden."""
        changed, self.hidden = hide != self.hidden, hide
        pictures = self.pictures_button.isChecked()   # the manifold replaces the dots
        for item in [self.points] + self.trail_items:
            item.setVisible(not hide and not pictures)
        self.code_labels.set_visible(not hide and not pictures)
        self.fed_ring.setVisible(not hide)
        if hide:
            self.card.clear()
        if changed and self._placed is not None:   # (built: the note says what is hidden)
            self.refresh()

    def rebuild(self) -> None:
        for item in self.trail_items:
            self.plot.removeItem(item)
        dataset = self.doc.lesson.model.dataset
        n = len(dataset)
        self.many = n > MAX_LABELLED
        colors = category_colors(n) if not self.many else None
        if not self.many:
            self.trail_items = [self._trail(pg.mkPen(tuple(c), width=2)) for c in colors]
        elif n <= MAX_TRAILS:      # more patterns: one grey item for all trails, no labels
            self.trail_items = [self._trail(pg.mkPen((150, 150, 150), width=1))]
        else:                      # thousands: no trails, small dots coloured by label
            self.trail_items = []
        labelled = n if n <= MAX_LABELLED else 0       # the digits: "0", not pattern "1"
        self.code_labels.rebuild(labelled, placing.point_names(
            [dataset.label_text(p) for p in range(labelled)]))
        if self.many:
            self._brushes = dots.dot_brushes(dataset)
            self.points.setSize(dots.DOT)
            self.points.setPen(None)
            self.fed_ring.setSize(16)
        else:
            self._brushes = [pg.mkBrush(*c) for c in colors]
            self.points.setSize(16)
            self.points.setPen(pg.mkPen("k", width=1.5))
            self.fed_ring.setSize(30)
        dots.fill_legend(self.legend, dataset)
        self._show_legend()
        self.points.setZValue(10)
        self.trails = [deque(maxlen=TRAIL) for _ in range(n if self.trail_items else 0)]
        self._count = n
        self._placed = None                        # placed for the old patterns: gone
        self._styled = False                       # the next refresh sets every brush
        self.card.clear()
        pictures = dataset.image is not None and net_has_code(self.doc.lesson.network)
        self.pictures_button.setVisible(pictures)
        if not pictures and self.pictures_button.isChecked():
            self.pictures_button.setChecked(False)
        self._last_epoch = None
        self.set_hidden(self.hidden)
        self.refresh()

    def reset_view(self) -> None:
        """A lesson switch: the new lesson's own view, the dots (no lesson opens in
        Pictures mode; its guide says when to press M) over a range fitted anew."""
        if self.pictures_button.isChecked():
            self.pictures_button.setChecked(False)
        self._range = None
        self.card.clear()

    def _show_legend(self) -> None:
        """The label colours' legend: shown with many labelled dots only (a few
        patterns are coloured one each, by their trails' colours, not by label), and
        never over the pictures, whose tiles have no label colour."""
        self.legend.setVisible(self.doc.lesson.model.dataset.labels is not None and self.many
                               and not self.pictures_button.isChecked())
        self.legend.fit()                      # its row above the plot: its height, or none

    def _trail(self, pen) -> pg.PlotCurveItem:
        """A plain curve (a quarter of a PlotDataItem's cost; the code space has no log
        mode to support); NaN rows break it into one trail per pattern."""
        item = pg.PlotCurveItem(pen=pen, connect="finite")
        self.plot.addItem(item)
        return item

    def refresh(self) -> None:
        net = self.doc.lesson.network
        if net.code_layer == net.depth or self._count != len(self.doc.lesson.model.dataset):
            return
        if self.doc.values_pending:     # being computed off the GUI thread: drawn when shown
            return                      # (values_changed), never computed here meanwhile
        view = self.doc.lesson.derived.get("code space")
        plane, xy = view.plane, view.xy
        pictures, shows = view.kind == "nearest", view.kind is not None   # once per version
        names = self.code_labels.names if self.labels else []
        short, full = note_texts(view, net, self.doc.lesson.model.dataset, self.many,
                                 self.pictures_button.isChecked(), names, self.hidden)
        if self.note.toolTip() != full:
            self.note.setText(short + ".")
            self.note.setToolTip(full)
        self.image.setVisible(shows and not self.pictures_button.isChecked())
        self._draw_manifold(plane, xy)
        if shows:
            grid = view.grid
            pale = category_colors(len(self.doc.lesson.data()) if pictures else net.sizes[-1])
            pale = pale * 0.45 + 255 * 0.55
            self.image.setImage(pale[grid].astype(np.uint8), levels=(0, 255))
        x0, x1, y0, y1 = plane.extent
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        if not self.trails:
            pass
        elif self.doc.lesson.epoch != self._last_epoch or plane.is_pca:
            if plane.is_pca or self.doc.lesson.epoch < (self._last_epoch or 0):
                for t in self.trails:
                    t.clear()
            for t, point in zip(self.trails, xy):
                t.append(point)
            self._last_epoch = self.doc.lesson.epoch
        if not self.trail_items:
            pass
        elif len(self.trail_items) == len(self.trails):
            for item, t in zip(self.trail_items, self.trails):
                pts = np.array(t).reshape(-1, 2)
                item.setData(pts[:, 0], pts[:, 1])
        else:                                    # all trails in one item, NaN-separated
            pts = np.vstack([np.vstack([np.array(t).reshape(-1, 2), [[np.nan, np.nan]]])
                             for t in self.trails])
            self.trail_items[0].setData(pts[:, 0], pts[:, 1])
        if not (self.many and self._styled and dots.move_dots(self.points, xy[:, 0], xy[:, 1])):
            self.points.setData(xy[:, 0], xy[:, 1], brush=self._brushes)
            self._styled = self.many               # the brushes stay until a rebuild
        self._xy = xy
        fed = self.doc.lesson.pattern_index()
        if fed is None:
            self.fed_ring.setData([], [])
        else:
            self.fed_ring.setData([xy[fed, 0]], [xy[fed, 1]])
        self._placed = (xy, plane.extent)
        self._place_labels(xy, plane.extent)
        view = self._range_to_show(self._view_rect(plane))
        if view is not None:                    # a new range repaints the axes: only if needed
            self._range = view
            self.plot.setRange(xRange=view[:2], yRange=view[2:],
                               padding=0.005 if self._pictures_shown() else 0.06)
        if self._mouse is not None:             # the dots moved under a resting mouse
            self._on_mouse_moved(self._mouse)

    def _pictures_shown(self) -> bool:
        return self.pictures_button.isChecked() and self.decoded.item.isVisible()

    def _view_rect(self, plane: codespace.Plane) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) to show: the plane's extent, or in Pictures mode the
        box the decoded manifold's grid covers (its pictures fill the plot)."""
        if not self._pictures_shown():
            return plane.extent
        return self.decoded.box


    def _range_to_show(self, extent) -> tuple[float, float, float, float] | None:
        """The box to show now, or None to keep the range shown.  Small lessons,
        and every lesson at rest: any new ``extent``.  Many patterns while
        training runs (the extent follows the codes' min and max, so it moves at
        every frame): only when the codes leave the range shown, which then gets
        ROOM of their span more on each side (growing codes cross it a few times,
        not at every frame), or fill less than half of it (fitted again); fitted
        exactly again when the run stops.  An axis whose range changes re-measures
        and redraws its labels: ~4 ms of a ~7 ms code-space paint while the
        digits train."""
        if (self._range is None or not self.many or self._pictures_shown()
                or not self.controller.running):
            return None if self._range == extent else extent
        x0, x1, y0, y1 = extent
        a0, a1, b0, b1 = self._range
        if (x1 - x0) < 0.5 * (a1 - a0) or (y1 - y0) < 0.5 * (b1 - b0):
            return extent
        if x0 < a0 or x1 > a1 or y0 < b0 or y1 > b1:
            dx, dy = ROOM * (x1 - x0), ROOM * (y1 - y0)
            return x0 - dx, x1 + dx, y0 - dy, y1 + dy
        return None

    # --- many patterns: hover, click, the decoded manifold -----------------------------------
    def _on_pictures(self, on: bool) -> None:
        self.set_hidden(self.hidden)
        self._show_legend()
        self.card.clear()
        self._range = None                         # the grid's range, or the plane's again
        self.refresh()

    def _draw_manifold(self, plane: codespace.Plane, xy: np.ndarray) -> None:
        self.decoded.draw(self.doc.lesson.network, plane, self.doc.lesson.model.dataset.image,
                          self.pictures_button.isChecked(), xy)

    def _plane_point(self, scene_pos) -> tuple[tuple[float, float], tuple[float, float]]:
        box = self.plot.getPlotItem().vb
        p = box.mapSceneToView(scene_pos)
        w, h = box.viewPixelSize()
        return (p.x(), p.y()), (w, h)

    def dot_at(self, viewport_pos) -> int | None:
        """The pattern whose dot is under ``viewport_pos`` (the plot's pixels), when
        many small dots are shown; None otherwise (small lessons: clicks decode)."""
        if not self.many or self.hidden or self.pictures_button.isChecked():
            return None
        point, pixel = self._plane_point(self.plot.mapToScene(viewport_pos.toPoint()))
        return dots.nearest_dot(self._xy, point, pixel)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QEvent.Leave and obj is self.plot.viewport():
            self._mouse = None                     # off the plot: no card over the dots
            self.card.clear()
        return False

    def _on_mouse_moved(self, scene_pos) -> None:
        self._mouse = QPointF(scene_pos)          # (a copy: the event's may be reused)
        if not self.many or self.hidden or self.pictures_button.isChecked():
            self.card.clear()
            return
        point, pixel = self._plane_point(scene_pos)
        p = dots.nearest_dot(self._xy, point, pixel)
        if p is None:
            self.card.clear()
            return
        if p != self.card.pattern:
            at = self.plot.mapFromScene(scene_pos)
            dataset = self.doc.lesson.model.dataset
            row = dataset.rows[p] if dataset.kind != "one_hot" else np.eye(dataset.size)[p]  # no rows
            self.card.show_pattern(p, dataset, row, QPoint(at.x(), at.y()))

    def hovered(self) -> int | None:
        """The pattern whose card is shown (None: none)."""
        return self.card.pattern if self.card.isVisible() else None

    def _on_plot_resized(self, *_args) -> None:
        if self.pictures_button.isChecked():       # as many pictures as now fit
            self.throttled()
        if self._placed is not None:
            self._place_labels(*self._placed)

    def _place_labels(self, xy: np.ndarray, extent) -> None:
        """Codes equal at 3 decimals share one label; others get their own
        (:class:`aeviz.gui.panels.code_space_labels.CodeLabels`)."""
        if self.code_labels.labels and len(xy) == len(self.code_labels.labels):
            codes = self.doc.lesson.network.code(self.doc.lesson.data())
            self.code_labels.place(xy, extent, codes)

    def _keep_room_for_top_label(self) -> None:
        """Half a tick label of room above the view: a tick at its top edge (the
        5-2-5's "1.5" at 1280 x 800) is drawn centred on it, and was cut in half
        by the plot's edge.  Follows the tick font (presenter mode, Ctrl+=)."""
        font = self.plot.getAxis("left").style["tickFont"] or self.plot.font()
        top = int(np.ceil(QFontMetrics(font).height() / 2)) + 1
        grid = self.plot.getPlotItem().layout
        left, old, right, bottom = grid.getContentsMargins()
        if old != top:
            grid.setContentsMargins(left, top, right, bottom)

    def set_text_scale(self, scale: float) -> None:
        """The labels' size follows presenter mode and Ctrl+=/−."""
        self.text_scale = scale
        self._keep_room_for_top_label()
        self.code_labels.set_text_scale(scale)
        if self.decoded.scale != scale:
            self.decoded.scale = scale
            if self.pictures_button.isChecked():      # fewer, larger pictures on stage
                self._range = None
                self.throttled()
        if self._placed is not None:
            self._place_labels(*self._placed)

    # what tests and the stage read: the labels, their groups and places, the manifold
    @property
    def labels(self) -> list[pg.TextItem]:
        return self.code_labels.labels

    @property
    def label_groups(self) -> list[list[int]]:
        return self.code_labels.groups

    @property
    def placements(self) -> list:
        return self.code_labels.placements

    @property
    def manifold(self) -> pg.ImageItem:
        return self.decoded.item

    @property
    def manifold_tiles(self) -> int:
        return self.decoded.tiles

    def label_texts(self) -> list[str]:
        """What the labels say, in pattern order ("" for a pattern labelled with others)."""
        return self.code_labels.texts()


def net_has_code(net) -> bool:
    return net.code_layer < net.depth
