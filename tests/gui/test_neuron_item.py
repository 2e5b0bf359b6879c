"""A neuron shows its value's colour and text, and its bias badge, exactly as the
number format says, however the value moves (only what changed is set again)."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from aeviz.gui.drawing.diagram_items import NeuronItem, fmt, minus, output_formatter
from aeviz.gui.window import colors


def _neuron(qapp) -> NeuronItem:
    return NeuronItem(1, 0, QPointF(0, 0), 24.0, view=None)


def _shows(n: NeuronItem, value: float, text=fmt) -> None:
    assert n.brush().color() == colors.color(value)
    assert n.label.text() == minus(text(value))
    assert n.label.brush().color() == colors.text_on(colors.color(value))


def test_a_neuron_shows_each_value_it_is_given_colour_text_and_ink(qapp):
    n = _neuron(qapp)
    for v in (0.0, 0.4001, 0.4002, -0.97, -0.9701, 0.999, 0.5, 0.5):
        n.set_value(v, 0.25)
        _shows(n, v)
    n.set_value(0.9996, 0.25, text=output_formatter("tanh"))       # a new format, same bias
    _shows(n, 0.9996, output_formatter("tanh"))
    assert n.label.text() == ">0.999"
    n.set_blank()
    assert n.label.text() == "?"
    n.set_value(0.9996, 0.25, text=output_formatter("tanh"))       # as before the blank
    _shows(n, 0.9996, output_formatter("tanh"))


def test_a_tiny_neuron_shows_each_colour_and_no_text(qapp):
    """A neuron too small for its value (the digits' 64-unit layers) shows the
    colour of every value it is given, and no text (none is inked for it)."""
    n = NeuronItem(1, 0, QPointF(0, 0), 4.0, view=None)
    assert not n.shows_text and not n.label.isVisible()
    for v in (0.0, 0.4001, -0.97, 0.999, 0.5, -0.2):
        n.set_value(v, 0.25)
        assert n.brush().color() == colors.color(v)
        assert n.label.text() == "" and not n.label.isVisible()


def test_a_bias_badge_follows_its_bias_and_name(qapp):
    n = _neuron(qapp)
    n.set_value(0.1, 0.25)
    assert n.bias_label.text() == "b +0.25"
    n.set_value(0.1, -0.5)                              # the value stays, the bias moves
    assert n.bias_label.text() == "b \u22120.50"
    assert n.bias_badge.brush().color() == colors.color(-0.5)
    assert n.bias_label.brush().color() == colors.text_on(colors.color(-0.5))
    n.set_value(0.1, -0.5, bias_name="\u0394b")           # a step-through's name
    assert n.bias_label.text() == "\u0394b \u22120.500"


def test_a_neurons_colour_is_the_colour_scales_for_arrays_and_for_one_value():
    """colors.rgb_of (one value, per neuron) and colors.rgb (arrays: the Codes and
    Images views) give the same 8-bit colour for every value, saturating at ±1."""
    import numpy as np

    from aeviz.gui.window import colors
    values = np.r_[np.linspace(-1.5, 1.5, 3001), 0.0, -0.0, np.nan]
    arrays = colors.rgb(values).astype(np.uint8)
    for v, expected in zip(values.tolist(), arrays.tolist()):
        if v == v:                                    # NaN: the array path is undefined
            assert colors.rgb_of(v) == tuple(expected), v
    assert colors.rgb_of(float("nan")) == colors.rgb_of(0.0)
