"""All the connections of the network diagram as one bulk-drawn item: pens
bucketed by sign and strength, the strongest ``MAX_DRAWN_EDGES`` when a big
network has more (a summary), hit-testing and tooltips for every connection."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from aeviz.core.numbers import number
from aeviz.gui.drawing.edge_styles import MAX_DRAWN_EDGES, SHADE_BUCKETS, EdgeStyles, edge_styles
from aeviz.gui.runtime import line_render
from aeviz.gui.runtime.line_render import LineRenderer, draw_image, target_of
from aeviz.gui.window import colors
from aeviz.gui.drawing.diagram_items import fmt

MAX_WIDTH = 9.0

HOVER_REST_MS = 120          # a summarised diagram looks for the tooltip once the pointer rests
MANY_EDGES = 2_000           # above this, recoloured connections are repainted at most
LINES_WARM_MS = 500         # many connections: the drawing process starts this long after
REPAINT_MS = 100             # every 100 ms (a 64-32-2-32-64 training: 4,224 lines a frame)


def _distance(a: np.ndarray, b: np.ndarray, p: np.ndarray) -> float:
    d = b - a
    t = np.clip(((p - a) @ d) / max(d @ d, 1e-9), 0, 1)
    return float(np.hypot(*(a + t * d - p)))


def _nearest(p0: np.ndarray, p1: np.ndarray, p: np.ndarray, tolerance: float) -> int | None:
    """Index of the segment p0[e]-p1[e] nearest the point p, if within ``tolerance``."""
    d = p1 - p0
    t = np.clip(((p - p0) * d).sum(1) / np.maximum((d * d).sum(1), 1e-9), 0, 1)
    dist = np.hypot(*(p0 + t[:, None] * d - p).T)
    i = int(np.argmin(dist))
    return i if dist[i] <= tolerance else None


class EdgesItem(QGraphicsObject):
    """Every connection of the network, drawn and hit-tested in bulk.

    Up to ``MAX_DRAWN_EDGES`` connections all are drawn (their lines built once);
    a bigger network (a 1024-1024-1024 has 2,097,152) is drawn as a summary, the
    ``MAX_DRAWN_EDGES`` strongest (|value|) chosen again on every recolour, so
    opening it or editing a weight stays quick.  Hit-testing and tooltips still
    cover every connection."""

    clicked = Signal(int, int, int)          # block, from unit, to unit

    def __init__(self, layers: list[np.ndarray]) -> None:
        """``layers``: the centres (n_k, 2) of each layer's neurons.  Connection e of
        block k is from unit i of layer k to unit j of layer k+1, e = start_k +
        i * n_{k+1} + j (row-major per block), so its ends are found by arithmetic
        and a summarised network never materialises millions of rows."""
        super().__init__()
        self.layers = layers
        self.sizes = [len(a) for a in layers]
        counts = [a * b for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        self._starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.count = int(self._starts[-1])
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.summarised = self.count > MAX_DRAWN_EDGES
        self._lines = None if self.summarised else self._make_lines(np.arange(self.count))
        self._line_cache: dict[int, QLineF] = {}      # summarised: the drawn ones' lines
        self.drawn = 0                                    # connections drawn now
        self.selected: int | None = None
        self.marked: list[int] = []             # a guided step's connections
        self.width_scale = 1.0                  # presenter mode draws thicker lines
        self.dashed = False                     # a side path (a VAE's log σ² weights)
        self.values = np.zeros(self.count)
        self.weights, self.value_name = self.values, "w"
        self.unit_label = lambda layer, unit: f"unit {unit + 1} of layer {layer}"
        every = np.vstack(layers)
        lo, hi = every.min(axis=0), every.max(axis=0)
        self._rect = QRectF(lo[0] - 10, lo[1] - 10, hi[0] - lo[0] + 20, hi[1] - lo[1] + 20)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self._hover_at = QPointF()
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_REST_MS)
        self._hover_timer.timeout.connect(lambda: self._show_tooltip_at(self._hover_at))
        self._repaint = QTimer(self)            # many connections: repaints throttled,
        self._repaint.setSingleShot(True)       # always ending on the latest colours
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._on_repaint_due)
        self._repaint_pending = False
        # many connections: recolours are drawn into an image off the GUI thread
        self._renderer = LineRenderer(self._on_rendered)
        if min(self.count, MAX_DRAWN_EDGES) > MANY_EDGES:    # (after the window opens:
            QTimer.singleShot(LINES_WARM_MS, line_render.warm)  # its import takes a core)
        self._version = 0                       # of the colours (a recolour counts up)
        self._target = None                     # the view the lines were last painted for
        self._image = None                      # (image, (version, target)) drawn aside
        self._painted = 0                       # the version of the colours last painted
        self.moved_draws = 0                    # paints that carried an image to a new view
        self.direct_draws = 0                   # paints that drew the lines themselves
        self._asked = None                      # (version, target) of the last image asked for
        self._look = None                       # (styles, max width, width scale) drawn
        self._grouped: list | None = None       # _groups, made when next drawn
        self._grouped_members: list | None = None       # _members, the same
        self._all_coords: np.ndarray | None = None      # (count, 4) once the renderer draws

    def ends(self, index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids (m, 3) as block, i, j; p0 (m, 2); p1 (m, 2)) of connections ``index``."""
        index = np.atleast_1d(np.asarray(index, dtype=np.int64))
        block = np.searchsorted(self._starts, index, side="right") - 1
        ids = np.empty((len(index), 3), dtype=np.int64)
        p0, p1 = np.empty((len(index), 2)), np.empty((len(index), 2))
        for k in range(len(self.sizes) - 1):     # at most 9 blocks (np.unique would
            m = block == k                       # import numpy.ma: ~8 ms of start-up)
            if not m.any():
                continue
            local = index[m] - self._starts[k]
            i, j = np.divmod(local, self.sizes[k + 1])
            ids[m] = np.column_stack([np.full(len(i), k), i, j])
            p0[m], p1[m] = self.layers[k][i], self.layers[k + 1][j]
        return ids, p0, p1

    def _all(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            self._arrays = self.ends(np.arange(self.count))
        return self._arrays

    @property
    def ids(self) -> np.ndarray:
        """(E, 3): block, from unit, to unit of every connection (built on first use)."""
        return self._all()[0]

    @property
    def p0(self) -> np.ndarray:
        return self._all()[1]

    @property
    def p1(self) -> np.ndarray:
        return self._all()[2]

    def boundingRect(self) -> QRectF:
        return self._rect

    def _make_lines(self, index: np.ndarray) -> list[QLineF]:
        _, p0, p1 = self.ends(index)
        return [QLineF(a, b, c, d) for a, b, c, d in np.hstack([p0, p1]).tolist()]

    def summary(self) -> str:
        """What is drawn when not every connection is ("" when all are)."""
        if not self.summarised:
            return ""
        return (f"Drawn: the {MAX_DRAWN_EDGES:,} strongest of {self.count:,} connections "
                "(every one is in the tables and the tooltips)")

    def set_values(self, values: np.ndarray, scale: float | None = None, name: str = "w",
                   weights: np.ndarray | None = None, styles: EdgeStyles | None = None) -> None:
        """Recolour: bucket edges by sign, strength and width, one pen per bucket.
        Weak buckets are drawn first, so strong connections stay visible on top;
        dense networks get thinner lines.  ``styles``: :func:`edge_styles` of
        ``values``, computed beforehand (off the GUI thread for big networks)."""
        self.values = values
        self.value_name, self.weights = name, weights if weights is not None else values
        if styles is None:
            styles = edge_styles(values, scale, self.summarised)
        shown = styles.shown
        n = min(len(values), MAX_DRAWN_EDGES)
        max_width = MAX_WIDTH if n <= 100 else max(1.5, MAX_WIDTH * 10 / np.sqrt(n))
        if self._same_look(styles, max_width):
            return          # every drawn line keeps its pen: nothing to regroup or redraw
        self._look = (styles, max_width, self.width_scale)
        if self.summarised:               # lines kept from the last recolour are reused
            kept = self._line_cache
            new = [e for e in shown.tolist() if e not in kept]
            lines = {e: kept[e] for e in shown.tolist() if e in kept}
            lines.update(zip(new, self._make_lines(np.array(new, dtype=np.int64))))
            self._line_cache = lines
        self.drawn = len(shown)
        self._version += 1
        self._grouped = self._grouped_members = None     # grouped by pen when next drawn
        self._request_update()

    @property
    def _groups(self) -> list[tuple[QPen, list[QLineF]]]:
        """The drawn lines grouped by pen, weak buckets first: made when the lines
        are drawn, not on every recolour (many connections are redrawn at most every
        REPAINT_MS while training recolours them ~40 times a second)."""
        if self._grouped is None:
            # connection index -> its QLineF: every connection's, or a summary's drawn ones
            lines = self._line_cache if self.summarised else self._lines
            self._grouped = [(pen, [lines[i] for i in members.tolist()])
                             for pen, members in self._members]
        return self._grouped

    @property
    def _members(self) -> list[tuple[QPen, np.ndarray]]:
        """The drawn connections (their indices) grouped by pen, weak buckets first."""
        if self._grouped_members is None:
            self._grouped_members = self._group()
        return self._grouped_members

    def _group(self) -> list[tuple[QPen, np.ndarray]]:
        if self._look is None:
            return []
        styles, max_width, _ = self._look
        shown = styles.shown
        key = styles.bucket * 3 + (styles.sign + 1)        # bucket-major, sign −1, 0, +1
        order = np.argsort(key, kind="stable")
        counts = np.bincount(key, minlength=3 * SHADE_BUCKETS)
        ordered = shown[order]
        many = min(len(self.values), MAX_DRAWN_EDGES) > MANY_EDGES
        groups = []
        for b in range(SHADE_BUCKETS):
            for s in (-1, 1, 0):               # drawn in this order within a bucket
                k = b * 3 + s + 1
                if not counts[k]:
                    continue
                first = int(counts[:k].sum())
                level = 0.25 + 0.75 * (b + 1) / SHADE_BUCKETS
                c = colors.color(s * level, 1.0) if s else colors.MUTED
                pen = QPen(c, (0.6 + (max_width - 0.6) * (b + 1) / SHADE_BUCKETS)
                           * self.width_scale)
                # round caps stroke every line as a path (~3x the time of flat ones);
                # at the widths of many connections (<= 1.5) they look the same
                pen.setCapStyle(Qt.FlatCap if many else Qt.RoundCap)
                groups.append((pen, ordered[first:first + int(counts[k])]))
        return groups

    def _coords(self, members: np.ndarray) -> np.ndarray:
        """(k, 4): x1, y1, x2, y2 of connections ``members`` (for the renderer)."""
        if self.summarised:
            _, p0, p1 = self.ends(members)
            return np.hstack([p0, p1])
        if self._all_coords is None:
            self._all_coords = np.hstack([self.p0, self.p1])
        return self._all_coords[members]

    def _same_look(self, styles: EdgeStyles, max_width: float) -> bool:
        """Whether ``styles`` draws exactly what is drawn now: the same connections,
        each in the same strength bucket and sign, at the same widths.  So feeding
        another pattern, a step-through phase or a settings edit (the weights
        unchanged) neither regroups nor redraws the 4,224 lines of the digits.  (While
        the digits train, nearly every frame moves some connection: 266 of 267
        frames in 6 s, so there the saving is the grouping made when drawn.)"""
        if self._look is None:
            return False
        drawn, width, scale = self._look
        return (width == max_width and scale == self.width_scale
                and np.array_equal(drawn.bucket, styles.bucket)
                and np.array_equal(drawn.sign, styles.sign)
                and np.array_equal(drawn.shown, styles.shown))

    def _request_update(self) -> None:
        """Repaint now; with MANY_EDGES, at most every REPAINT_MS (the last colours
        are always drawn: a change within the interval is drawn when it ends)."""
        if self.drawn <= MANY_EDGES:
            self.update()
        elif self._repaint.isActive():
            self._repaint_pending = True
        else:
            self._redraw()
            self._repaint.start()

    def _on_repaint_due(self) -> None:
        if self._repaint_pending:
            self._repaint_pending = False
            self._redraw()
            self._repaint.start()

    def _redraw(self) -> None:
        """Many connections: drawn into an image off the GUI thread for where the
        item was painted last (``_on_rendered`` repaints with it); directly the
        first time, or when the view changed since (resized, zoomed)."""
        if self._target is None:
            self.update()
            return
        groups = [(self._pen(pen), self._coords(members)) for pen, members in self._members]
        self._asked = (self._version, self._target)
        self._renderer.render(groups, self._target, self._asked)

    def _on_rendered(self, image, key) -> None:
        """An image is back: shown unless older than what is on screen.  Not only
        the latest colours' (while training recolours ~30 times a second and an
        image is drawn every REPAINT_MS, the colours have always moved on when it
        is back: every paint then drew the 4,224 lines itself, ~30 ms of the GUI
        thread a frame); the latest colours follow in the next image."""
        if key[0] >= self._painted:
            self._image = (image, key)
            self._painted = key[0]
            self.update()

    def _pen(self, pen: QPen) -> QPen:
        if self.dashed:
            pen = QPen(pen)
            pen.setStyle(Qt.DashLine)
        return pen

    def drawn_indices(self) -> np.ndarray:
        """The connections drawn now (all of a small network; a big one's strongest)."""
        return self._look[0].shown if self._look is not None else np.zeros(0, dtype=np.int64)

    def index_of(self, block: int, i: int, j: int) -> int | None:
        """The index of the connection from unit i of layer ``block`` to unit j above
        (None if there is none): arithmetic, not a search of millions of rows."""
        if not (0 <= block < len(self.sizes) - 1 and 0 <= i < self.sizes[block]
                and 0 <= j < self.sizes[block + 1]):
            return None
        return int(self._starts[block] + i * self.sizes[block + 1] + j)

    def set_marked(self, indices: list[int]) -> None:
        self.marked = list(indices)
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing, self.drawn < 600)
        if self.marked:                       # a wide glow under the connection itself
            glow = QColor(colors.ACCENT)
            glow.setAlpha(170)
            pen = QPen(glow, (MAX_WIDTH + 14) * self.width_scale)
            pen.setCapStyle(Qt.RoundCap)
            painter.setPen(pen)
            painter.drawLines(self._make_lines(np.asarray(self.marked)))
        target = target_of(painter, widget) if self.drawn > MANY_EDGES else None
        drawn_for = self._image[1][1] if self._image is not None else None
        if target is not None and drawn_for == target:
            # drawn aside (see _redraw); a paint for another reason (a neuron on top
            # recoloured) before the latest colours' image is back shows the last one
            draw_image(painter, self._image[0])
        elif target is not None and drawn_for is not None and drawn_for[2] == target[2]:
            # the view was resized or moved since: the last image, carried to where
            # its lines are now, until one drawn for the new view is back (drawing
            # the 4,224 lines here took 5-16 ms of the GUI thread at each resize)
            draw_image(painter, self._image[0], drawn_for[0])
            self.moved_draws += 1
            self._target = target
            if self._asked != (self._version, target):     # (one request per view)
                self._redraw()
        else:
            for pen, lines in self._groups:
                painter.setPen(self._pen(pen))
                painter.drawLines(lines)
            self.direct_draws += 1
            self._target = target
            self._painted = self._version
        if self.selected is not None:
            pen = QPen(colors.ACCENT, MAX_WIDTH + 3)
            pen.setStyle(Qt.DashLine)
            painter.setPen(pen)
            painter.drawLines(self._make_lines(np.array([self.selected])))

    def edge_at(self, pos: QPointF, tolerance: float = 7.0) -> int | None:
        """Index of the edge nearest ``pos`` within ``tolerance`` (scene units); a
        summarised network searches only the layer pairs ``pos`` lies between."""
        p = np.array([pos.x(), pos.y()])
        if not self.summarised:
            return _nearest(self.p0, self.p1, p, tolerance)
        best, best_d = None, tolerance
        for k in range(len(self.sizes) - 1):
            a, b = self.layers[k], self.layers[k + 1]
            if not a[0, 0] - tolerance <= p[0] <= b[0, 0] + tolerance:
                continue
            p0 = np.repeat(a, len(b), axis=0)                 # row-major, as the indices
            p1 = np.tile(b, (len(a), 1))
            e = _nearest(p0, p1, p, best_d)
            if e is not None:
                d = _distance(p0[e], p1[e], p)
                if d <= best_d:
                    best, best_d = int(self._starts[k] + e), d
        return best

    def mousePressEvent(self, event) -> None:
        i = self.edge_at(event.pos())
        if i is None or event.button() != Qt.LeftButton:
            event.ignore()
            return
        self.clicked.emit(*(int(v) for v in self.ends(i)[0][0]))

    def hoverMoveEvent(self, event) -> None:
        if not self.summarised:
            self._show_tooltip_at(event.pos())
            return
        # a big network: searching a million connections on every mouse move would
        # stall the pointer; the tooltip is found once the pointer rests
        self._hover_at = event.pos()
        self.setToolTip("")
        self._hover_timer.start()

    def _show_tooltip_at(self, pos: QPointF) -> None:
        i = self.edge_at(pos)
        self.setToolTip("" if i is None else self.tooltip(i))

    def hoverLeaveEvent(self, event) -> None:
        self._hover_timer.stop()
        super().hoverLeaveEvent(event)

    def tooltip(self, i: int) -> str:
        """Names what is drawn: the weight, or (step-through) ∂J/∂w or Δw beside it."""
        k, a, b = self.ends(i)[0][0]
        edge = f"{self.unit_label(k, a)} → {self.unit_label(k + 1, b)}"
        if self.value_name == "w":
            return (f"weight w {edge} = {fmt(self.values[i])}\n"
                    "click to select; F flips, +/− set ±1, wheel nudges")
        when = " after the update" if self.value_name.startswith("Δw") else ""
        return (f"{self.value_name} {edge} = {number(self.values[i], 4, signed=True)}   "
                f"(w = {fmt(self.weights[i])}{when})")
