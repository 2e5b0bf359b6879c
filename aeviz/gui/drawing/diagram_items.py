"""The drawn neurons of the network diagram (one item each, with its value and
bias badge) and the number formats every view shares; the connections are
:mod:`aeviz.gui.drawing.edges`."""

from __future__ import annotations

import functools

from functools import lru_cache
from typing import Protocol

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from aeviz.core.engine.activations import output_text
from aeviz.core.numbers import number
from aeviz.gui.window import colors



class NeuronHost(Protocol):
    """What a neuron asks of the view that drew it (the view implements this)."""

    def neuron_tooltip(self, layer: int, unit: int) -> str: ...
    def neuron_clicked(self, layer: int, unit: int) -> None: ...
    def neuron_double_click(self, layer: int, unit: int) -> None: ...
    def show_neuron_menu(self, layer: int, unit: int, screen_pos) -> None: ...

WIDEST_VALUE = "-0.000"    # a neuron is sized so this fits inside it (signs stay inside)
MIN_LABEL_PX = 12.0        # a neuron's value is never smaller than this on screen (× text scale)
MIN_BADGE_PX = 10.0        # nor a bias badge's text


@lru_cache(maxsize=256)
def _font(px: int, bold: bool) -> tuple[QFont, QFontMetricsF]:
    """The labels' font at ``px`` pixels and its metrics, made once per size: every
    neuron of a diagram shares them (a new size is a new font engine, ~0.1 ms)."""
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font, QFontMetricsF(font)


@lru_cache(maxsize=4096)
def _advance(px: int, bold: bool, text: str) -> float:
    return _font(px, bold)[1].horizontalAdvance(text)


def fmt(v: float) -> str:
    """Three decimals, scientific from 10⁶ on, "inf"/"nan" when not finite: the one
    number format of aeviz (:func:`aeviz.core.numbers.number`)."""
    return number(v)


def minus(text: str) -> str:
    """A number as the diagram draws it: the minus sign − (U+2212), not the hyphen,
    so that a sign reads as one on a projector and at 50 % ("−0.402")."""
    return text.replace("-", "\u2212")


@functools.lru_cache(maxsize=None)
def output_formatter(activation: str):
    """fmt_output for one activation, one function object per activation (views
    compare formatters to skip unchanged cells)."""
    return functools.partial(fmt_output, activation=activation)


def fmt_output(v: float, activation: str = "softmax") -> str:
    """An output near 0 or 1 never looks exactly one-hot: "<0.001", ">0.999"
    (see :func:`aeviz.core.engine.activations.output_text`)."""
    return output_text(v, activation)


def _recolour(shape, text: QGraphicsSimpleTextItem | None, value: float, shown) -> tuple:
    """Fill ``shape`` with ``value``'s colour and ink ``text`` to read on it (None:
    no text shown, a tiny neuron), unless that colour (r, g, b) is ``shown``
    already; returns the colour."""
    fill = colors.rgb_of(value)
    if fill != shown:
        c = QColor(*fill)
        shape.setBrush(QBrush(c))
        if text is not None:
            text.setBrush(colors.text_on(c))
    return fill


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
        self._fill = self._bias_fill = None         # the colours and the value's text
        self._text: str | None = None               # on screen now
        self.rx = self.ry = radius                 # current half width and height
        self.badge_beside = False                  # the bias badge is right of the neuron
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setPen(QPen(colors.INK, max(1.0, radius / 14)))
        self.label = QGraphicsSimpleTextItem(self)
        self.shows_text = radius >= 10             # the value inside (tiny neurons: none)
        self.label.setVisible(self.shows_text)
        self._text_key: tuple | None = None          # the sizes set_text_px last applied
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
        ``spacing`` is the distance between neighbouring neurons' centres.  The
        same sizes for the same badge text change nothing and are skipped (a resize
        re-fits every label, several times while a window opens)."""
        key = (max(6, round(value_px)), max(6, round(badge_px)), spacing,
               self.bias_label.text() if self.bias_label is not None else None)
        if key == self._text_key:              # the same sizes: nothing moves
            return
        self._text_key = key
        font, metrics = _font(key[0], True)
        advance, height = _advance(key[0], True, WIDEST_VALUE), metrics.height()
        if self.shows_text:                    # a tiny neuron (a 1024-unit layer) has none
            self.label.setFont(font)
        self.rx = max(self.radius, advance / 2 + key[0] * 0.45)
        self.ry = min(max(self.radius, height * 0.68), max(spacing * 0.45, height * 0.55))
        c = self.center
        self.setRect(c.x() - self.rx, c.y() - self.ry, 2 * self.rx, 2 * self.ry)
        self._update_pen()
        if self.shows_text:
            self._fit_label()
        if self.bias_badge is not None:
            bf, bm = _font(key[1], False)
            self.bias_label.setFont(bf)
            w = max(self.radius * 2.2,
                    _advance(key[1], False, self.bias_label.text() or "b +0.00") + 8)
            h = bm.height() + 2
            self.badge_beside = 2 * self.ry + h + 6 > spacing
            if not self.badge_beside:                     # below
                self.bias_badge.setRect(c.x() - w / 2, c.y() + self.ry + 2, w, h)
            else:                                         # no room: to the right
                self.bias_badge.setRect(c.x() + self.rx + 3, c.y() - h / 2, w, h)
            self._center_badge_text()

    def _fit_label(self) -> None:
        """The value inside its ellipse: a text wider than the widest ordinary value
        (a saturated tanh's "<−0.999") is set a few pixels smaller, then centred."""
        if self._text_key is not None:
            px = self._text_key[0]
            room = 2 * self.rx - px * 0.5
            while px > 6 and _advance(px, True, self.label.text()) > room:
                px -= 1
            if px != self.label.font().pixelSize():
                self.label.setFont(_font(px, True)[0])
        self._center(self.label)

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
        """Show ``value`` inside (its colour and text) and ``bias`` in the badge.
        Only what changed on screen is set again: while a network trains every
        number moves a little, but most neurons' texts and colours stay (an
        input's never do), and a label's text is measured only when it changed."""
        key = (value, bias, bias_name, text)
        old = self._shown
        if key == old:                             # unchanged (a big net: most neurons)
            return
        self._shown = key
        if old is None or old[0] != value or old[3] is not text:
            # (a tiny neuron's text is never shown: no ink worked out for it, ~1/3 of
            # a recolour; the digits recolour ~130 such neurons a training frame)
            self._fill = _recolour(self, self.label if self.shows_text else None, value,
                                   self._fill)
            shown = minus(text(value)) if self.shows_text else ""
            if shown != self._text:
                self._text = shown
                self.label.setText(shown)
                self._fit_label()
        if bias is not None and (old is None or old[1] != bias or old[2] != bias_name):
            self.set_bias(bias, bias_name)

    def set_bias(self, bias: float, bias_name: str = "b") -> None:
        """Show ``bias`` in the badge (its colour and text), if the neuron has one."""
        if self.bias_badge is None:
            return
        self._bias_fill = _recolour(self.bias_badge, self.bias_label, bias, self._bias_fill)
        shown = (number(bias, 2, signed=True) if bias_name == "b"      # never "-0.00"
                 else number(bias, 3, signed=True) if abs(bias) >= 0.001 or bias == 0
                 else f"{bias:+.0e}")
        shown = f"{bias_name} {minus(shown)}"
        if shown != self.bias_label.text():
            self.bias_label.setText(shown)
            self._center_badge_text()

    def set_blank(self, text: str = "?") -> None:
        """No value: an empty circle with a question mark (step-through: not computed
        yet) or another mark (decoding a code by hand: "–", not used)."""
        self._shown = None
        self._fill = None                           # the next value recolours
        self._text = text
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


def size_neuron_texts(neurons: list[list[NeuronItem]], spacings: list[float], scale: float,
                      text_scale: float, layer_gap: float) -> None:
    """Size every neuron's value and badge: at least MIN_LABEL_PX and MIN_BADGE_PX
    on screen (``scale``: screen pixels per scene unit) times ``text_scale``, but
    never so large that neighbours overlap (in a column of ``spacings``, or a
    neuron with its badge into the next layer, ``layer_gap`` away): at extreme
    zoom the view's size is the limit."""
    for items, spacing in zip(neurons, spacings):
        most = min(spacing * 0.55, layer_gap / 6.5)
        for item in items:
            value_px = min(max(item.radius * 0.62, MIN_LABEL_PX / scale) * text_scale,
                           max(most, item.radius * 0.62))
            badge_px = min(max(item.radius * 0.5, MIN_BADGE_PX / scale) * text_scale,
                           max(most * 0.85, item.radius * 0.5))
            item.set_text_px(value_px, badge_px, spacing)
