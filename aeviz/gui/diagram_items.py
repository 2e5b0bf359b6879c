"""The drawn parts of the network diagram: all connections as one bulk-drawn
item, and one item per neuron."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsObject, QGraphicsRectItem,
                               QGraphicsSimpleTextItem)

from aeviz.gui import colors



class NeuronHost(Protocol):
    """What a neuron asks of the view that drew it (the view implements this)."""

    def neuron_tooltip(self, layer: int, unit: int) -> str: ...
    def neuron_clicked(self, layer: int, unit: int) -> None: ...
    def neuron_double_click(self, layer: int, unit: int) -> None: ...
    def show_neuron_menu(self, layer: int, unit: int, screen_pos) -> None: ...

SHADE_BUCKETS = 6          # distinct strengths (colour and width) per sign
MAX_WIDTH = 9.0
WIDEST_VALUE = "-0.000"    # a neuron is sized so this fits inside it (signs stay inside)
WIDEST_BIAS = "∂J/∂b -0.000"


def fmt(v: float) -> str:
    """Three decimals; never "nan" or "inf" (a value the maths overflowed shows
    as "> 1e308" or "undefined"), and huge values in exponent form."""
    if v != v:
        return "undefined"
    if abs(v) == float("inf"):
        return "> 1e308" if v > 0 else "< -1e308"
    if abs(v) >= 1e6:
        return f"{v:.3g}"
    return f"{v:.3f}"


def fmt_output(v: float) -> str:
    """An output near 0 or 1 never looks exactly one-hot: "<0.001", ">0.999"."""
    if 0.0 < v < 0.0005:
        return "<0.001"
    if 0.9995 <= v < 1.0:
        return ">0.999"
    return fmt(v)


MAX_DRAWN_EDGES = 20_000     # above this, a summary: the strongest connections only


@dataclass(frozen=True)
class EdgeStyles:
    """Which connections are drawn (indices into the values) and, for each of
    those, its strength bucket (0..SHADE_BUCKETS-1) and sign (-1, 0, 1)."""

    shown: np.ndarray
    bucket: np.ndarray
    sign: np.ndarray


def edge_styles(values: np.ndarray, scale: float | None = None,
                summarised: bool | None = None) -> EdgeStyles:
    """The drawn connections' styles: every connection, or (``summarised``, default
    above MAX_DRAWN_EDGES) the MAX_DRAWN_EDGES strongest, found by one
    ``argpartition``; buckets are computed for the drawn ones only.  NumPy only:
    a big network's run off the GUI thread."""
    if summarised is None:
        summarised = len(values) > MAX_DRAWN_EDGES
    biggest = float(np.abs(values).max()) if values.size else 0.0
    scale = max(1.0, biggest) if scale is None else max(scale, 1e-12)
    if summarised:
        shown = np.argpartition(np.abs(values), len(values) - MAX_DRAWN_EDGES)[-MAX_DRAWN_EDGES:]
        picked = values[shown]
    else:
        shown, picked = np.arange(len(values)), values
    strength = np.clip(np.abs(picked) / scale, 0, 1)
    bucket = np.minimum((strength * SHADE_BUCKETS).astype(int), SHADE_BUCKETS - 1)
    return EdgeStyles(shown, bucket, np.sign(picked).astype(int))


class EdgesItem(QGraphicsObject):
    """Every connection of the network, drawn and hit-tested in bulk.

    Up to ``MAX_DRAWN_EDGES`` connections all are drawn (their lines built once);
    a bigger network (a 1024-1024-1024 has 2,097,152) is drawn as a summary, the
    ``MAX_DRAWN_EDGES`` strongest (|value|) chosen again on every recolour, so
    opening it or editing a weight stays quick.  Hit-testing and tooltips still
    cover every connection."""

    clicked = Signal(int, int, int)          # block, from unit, to unit

    def __init__(self, p0: np.ndarray, p1: np.ndarray, ids: np.ndarray) -> None:
        super().__init__()
        self.p0, self.p1, self.ids = p0, p1, ids          # (E,2), (E,2), (E,3) block,i,j
        blocks = np.flatnonzero(np.diff(ids[:, 0], prepend=-1)) if len(ids) else np.zeros(0, int)
        self._block_starts = np.append(blocks, len(ids))
        self._block_widths = [int(ids[b:e, 2].max()) + 1
                              for b, e in zip(self._block_starts[:-1], self._block_starts[1:])]
        self.summarised = len(ids) > MAX_DRAWN_EDGES
        self._lines = None if self.summarised else self._make_lines(np.arange(len(ids)))
        self.drawn = 0                                    # connections drawn now
        self._groups: list[tuple[QPen, list[QLineF]]] = []
        self.selected: int | None = None
        self.marked: list[int] = []             # a guided step's connections
        self.width_scale = 1.0                  # presenter mode draws thicker lines
        self.values = np.zeros(len(ids))
        self.weights, self.value_name = self.values, "w"
        self.unit_label = lambda layer, unit: f"unit {unit + 1} of layer {layer}"
        lo, hi = np.minimum(p0, p1).min(axis=0), np.maximum(p0, p1).max(axis=0)
        self._rect = QRectF(lo[0] - 10, lo[1] - 10, hi[0] - lo[0] + 20, hi[1] - lo[1] + 20)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)

    def boundingRect(self) -> QRectF:
        return self._rect

    def _make_lines(self, index: np.ndarray) -> list[QLineF]:
        return [QLineF(a, b, c, d) for a, b, c, d in
                np.hstack([self.p0[index], self.p1[index]]).tolist()]

    def summary(self) -> str:
        """What is drawn when not every connection is ("" when all are)."""
        if not self.summarised:
            return ""
        return (f"Drawn: the {MAX_DRAWN_EDGES:,} strongest of {len(self.ids):,} connections "
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
        shown, bucket, sign = styles.shown, styles.bucket, styles.sign
        n = min(len(values), MAX_DRAWN_EDGES)
        max_width = MAX_WIDTH if n <= 100 else max(1.5, MAX_WIDTH * 10 / np.sqrt(n))
        if self.summarised:
            lines = dict(zip(shown.tolist(), self._make_lines(shown)))
        else:
            lines = self._lines
        self.drawn = len(shown)
        self._groups = []
        for b in range(SHADE_BUCKETS):
            for s in (-1, 1, 0):
                members = shown[(bucket == b) & (sign == s)]
                if not members.size:
                    continue
                level = 0.25 + 0.75 * (b + 1) / SHADE_BUCKETS
                c = colors.color(s * level, 1.0) if s else colors.MUTED
                pen = QPen(c, (0.6 + (max_width - 0.6) * (b + 1) / SHADE_BUCKETS)
                           * self.width_scale)
                pen.setCapStyle(Qt.RoundCap)
                self._groups.append((pen, [lines[i] for i in members.tolist()]))
        self.update()

    def index_of(self, block: int, i: int, j: int) -> int | None:
        """The index of the connection from unit i of layer ``block`` to unit j above
        (None if there is none).  Edges lie block by block, row-major within a block,
        so this is arithmetic, not a search of millions of rows."""
        starts = self._block_starts
        if not 0 <= block < len(starts) - 1:
            return None
        width = self._block_widths[block]
        e = int(starts[block] + i * width + j)
        if not (0 <= j < width and starts[block] <= e < starts[block + 1]):
            return None
        return e

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
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)
        if self.selected is not None:
            pen = QPen(colors.ACCENT, MAX_WIDTH + 3)
            pen.setStyle(Qt.DashLine)
            painter.setPen(pen)
            painter.drawLine(QLineF(*self.p0[self.selected], *self.p1[self.selected]))

    def edge_at(self, pos: QPointF, tolerance: float = 7.0) -> int | None:
        """Index of the edge nearest ``pos`` within ``tolerance`` (scene units)."""
        p = np.array([pos.x(), pos.y()])
        d = self.p1 - self.p0
        t = np.clip(((p - self.p0) * d).sum(1) / np.maximum((d * d).sum(1), 1e-9), 0, 1)
        dist = np.hypot(*(self.p0 + t[:, None] * d - p).T)
        i = int(np.argmin(dist))
        return i if dist[i] <= tolerance else None

    def mousePressEvent(self, event) -> None:
        i = self.edge_at(event.pos())
        if i is None or event.button() != Qt.LeftButton:
            event.ignore()
            return
        self.clicked.emit(*(int(v) for v in self.ids[i]))

    def hoverMoveEvent(self, event) -> None:
        i = self.edge_at(event.pos())
        self.setToolTip("" if i is None else self.tooltip(i))

    def tooltip(self, i: int) -> str:
        """Names what is drawn: the weight, or (step-through) ∂J/∂w or Δw beside it."""
        k, a, b = self.ids[i]
        edge = f"{self.unit_label(k, a)} → {self.unit_label(k + 1, b)}"
        if self.value_name == "w":
            return (f"weight w {edge} = {fmt(self.values[i])}\n"
                    "click to select; F flips, +/− set ±1, wheel nudges")
        return f"{self.value_name} {edge} = {self.values[i]:+.4f}   (w = {fmt(self.weights[i])})"


class NeuronItem(QGraphicsEllipseItem):
    """One neuron: fill = activation; its value inside; its bias as a badge below.

    ``set_text_px`` sizes the value and the badge text (scene units) and grows the
    neuron into an ellipse wide enough for the widest value, so a sign never sits
    on the outline.  Neurons of a column never overlap; where the badge does not
    fit below its neuron it goes to the right of it."""

    def __init__(self, layer: int, unit: int, center: QPointF, radius: float,
                 view: NeuronHost) -> None:
        super().__init__(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
        self.layer, self.unit, self.center, self.radius, self.view = layer, unit, center, radius, view
        self._selected = self._highlight = False
        self._shown: tuple | None = None            # what set_value last drew
        self.rx = self.ry = radius                 # current half width and height
        self.badge_beside = False                  # the bias badge is right of the neuron
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setPen(QPen(colors.INK, max(1.0, radius / 14)))
        self.label = QGraphicsSimpleTextItem(self)
        self.label.setVisible(radius >= 10)
        self.bias_badge: QGraphicsRectItem | None = None
        self.bias_label: QGraphicsSimpleTextItem | None = None
        if layer > 0 and radius >= 10:
            self.bias_badge = QGraphicsRectItem(self)
            self.bias_badge.setPen(QPen(colors.MUTED, 1))
            self.bias_label = QGraphicsSimpleTextItem(self.bias_badge)
        self.set_text_px(radius * 0.62, radius * 0.5, radius / 0.30)

    def label_px(self) -> float:
        """The value's font size in scene units."""
        return self.label.font().pixelSize()

    def set_text_px(self, value_px: float, badge_px: float, spacing: float) -> None:
        """Size the texts (scene units) and fit the ellipse and the badge around them;
        ``spacing`` is the distance between neighbouring neurons' centres."""
        font = QFont()
        font.setPixelSize(max(6, round(value_px)))
        font.setBold(True)
        self.label.setFont(font)
        metrics = QFontMetricsF(font)
        self.rx = max(self.radius, metrics.horizontalAdvance(WIDEST_VALUE) / 2 + font.pixelSize() * 0.45)
        self.ry = min(max(self.radius, metrics.height() * 0.68),
                      max(spacing * 0.45, metrics.height() * 0.55))
        c = self.center
        self.setRect(c.x() - self.rx, c.y() - self.ry, 2 * self.rx, 2 * self.ry)
        self._update_pen()
        self._center(self.label)
        if self.bias_badge is not None:
            bf = QFont()
            bf.setPixelSize(max(6, round(badge_px)))
            self.bias_label.setFont(bf)
            bm = QFontMetricsF(bf)
            w = max(self.radius * 2.2, bm.horizontalAdvance(self.bias_label.text() or "b +0.00") + 8)
            h = bm.height() + 2
            self.badge_beside = 2 * self.ry + h + 6 > spacing
            if not self.badge_beside:                     # below
                self.bias_badge.setRect(c.x() - w / 2, c.y() + self.ry + 2, w, h)
            else:                                         # no room: to the right
                self.bias_badge.setRect(c.x() + self.rx + 3, c.y() - h / 2, w, h)
            self._center_badge_text()

    def _center(self, text: QGraphicsSimpleTextItem) -> None:
        r = text.boundingRect()
        text.setPos(self.center.x() - r.width() / 2, self.center.y() - r.height() / 2)

    def _center_badge_text(self) -> None:
        br, tr = self.bias_badge.rect(), self.bias_label.boundingRect()
        if tr.width() + 6 > br.width():            # a longer name (∂J/∂b): widen the badge
            if not self.badge_beside:
                br.setX(br.center().x() - tr.width() / 2 - 4)
            br.setWidth(tr.width() + 8)
            self.bias_badge.setRect(br)
        self.bias_label.setPos(br.center().x() - tr.width() / 2,
                               br.center().y() - tr.height() / 2)

    def set_value(self, value: float, bias: float | None, bias_name: str = "b",
                  text=fmt) -> None:
        key = (value, bias, bias_name, text)
        if key == self._shown:                     # unchanged (a big net: most neurons)
            return
        self._shown = key
        self.setBrush(QBrush(colors.color(value)))
        self.label.setText(text(value))
        self.label.setBrush(colors.text_color_for(value))
        self._center(self.label)
        if self.bias_badge is not None and bias is not None:
            self.bias_badge.setBrush(QBrush(colors.color(bias)))
            shown = (f"{round(bias, 2) + 0.0:+.2f}" if bias_name == "b"      # never "-0.00"
                     else f"{bias:+.3f}" if abs(bias) >= 0.001 or bias == 0 else f"{bias:+.0e}")
            self.bias_label.setText(f"{bias_name} {shown}")
            self.bias_label.setBrush(colors.text_color_for(bias))
            self._center_badge_text()

    def set_blank(self, text: str = "?") -> None:
        """No value: an empty circle with a question mark (step-through: not computed
        yet) or another mark (decoding a code by hand: "–", not used)."""
        self._shown = None
        self.setBrush(QBrush(colors.PAPER))
        self.label.setText(text)
        self.label.setBrush(colors.MUTED)
        self._center(self.label)

    def set_highlight(self, on: bool) -> None:
        if on == self._highlight:
            return
        self._highlight = on
        self._update_pen()

    def set_selected_look(self, on: bool) -> None:
        if on == self._selected:
            return
        self._selected = on
        self._update_pen()

    def _update_pen(self) -> None:
        on = self._selected or self._highlight
        pen = QPen(colors.ACCENT if on else colors.INK,
                   max(1.0, self.radius / 14) * (3 if on else 1))
        self.setPen(pen)

    def hoverEnterEvent(self, event) -> None:
        # the formula is built when someone looks, not on every frame of training
        self.setToolTip(self.view.neuron_tooltip(self.layer, self.unit))
        super().hoverEnterEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.view.neuron_clicked(self.layer, self.unit)
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        self.view.neuron_double_click(self.layer, self.unit)

    def contextMenuEvent(self, event) -> None:
        self.view.show_neuron_menu(self.layer, self.unit, event.screenPos())
