"""Predict, then reveal (Ctrl+P, R): whatever shows the fed pattern's code, its
output or its error, or a measure of the current weights' outputs (the loss, the
recovery rate), is hidden until R, in every panel that would show it. The loss
curve keeps the history of training (earlier weights, which the class watched
train: what it predicts from, not the answer), but not its point for the weights
now, which is the Values panel's hidden loss."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtWidgets import QDockWidget

from .conftest import open_lesson


def _tab(w, title: str):
    index = [w.data_tabs.tabText(i) for i in range(w.data_tabs.count())].index(title)
    w.data_tabs.setCurrentIndex(index)
    return w.tabs.page(title)


def _curve(w) -> tuple[np.ndarray, np.ndarray]:
    w.loss_plot.refresh()
    x, y = w.loss_plot.curves["loss"].getData()
    return np.asarray(x, float), np.asarray(y, float)


def test_the_loss_curve_keeps_its_history_but_not_its_point_for_the_weights_now(qtbot):
    """A weight edited by hand while a prediction is open: the Values panel's loss
    is "?", yet the loss curve drew the new loss as its last point (the curve ends
    "where the Values panel is")."""
    w = open_lesson(qtbot, "train-5-2-5")
    w.controller.run_now(lambda session: session.advance(30), "Train", True)
    history, _ = _curve(w)
    w.registry["predict"].trigger()
    w.doc.lesson.set_weight(0, 0, 0, 3.0)                  # the class predicts the effect
    loss = w.doc.lesson.evaluation().loss
    assert w.values.loss.text() == "?"
    x, y = _curve(w)
    assert len(x) == len(history) - 1                     # the history, every row of it
    np.testing.assert_array_equal(x, history[:-1])
    assert x.max() < w.doc.lesson.epoch and not np.isclose(y, loss).any()
    w.registry["reveal"].trigger()
    x, y = _curve(w)
    assert x[-1] == w.doc.lesson.epoch and np.isclose(y[-1], loss)


def test_the_denoising_tab_keeps_a_prediction_hidden(qtbot):
    """The Denoising tab drew the fed pattern's output for a corrupted copy, y =
    g(f(x')), and the rate at which the network recovers noisy inputs, while the
    diagram and the Values panel showed "?"."""
    w = open_lesson(qtbot, "denoising-bars")
    view = _tab(w, "Denoising")
    w.registry["predict"].trigger()
    y_bars = view.items["output y = g(f(x′))"][0]
    view.refresh()
    assert not y_bars.isVisible()
    assert view.items["clean x"][0].isVisible() and view.items["corrupted x′"][0].isVisible()
    assert not re.search(r"\d %", view.status.text()), view.status.text()
    assert "?" in view.status.text()
    w.registry["reveal"].trigger()
    assert y_bars.isVisible()
    want = w.doc.lesson.network.output(view.x_noisy[None, :])[0]
    np.testing.assert_allclose(y_bars.opts["height"], want)
    assert re.search(r"from \d+ % of noisy inputs", view.status.text())
    w.feed_pattern(3)                                     # a new input: hidden again
    assert not y_bars.isVisible()


def test_explain_and_the_neurons_hover_keep_a_prediction_hidden(qtbot):
    """F1 (Explain, on stage too) wrote the fed pattern's loss with each output
    in it ("L = −(1·log 0.276)") and its d(x, y); hovering an output neuron gave
    its value. Both say the numbers are hidden until R."""
    w = open_lesson(qtbot, "forward-pass")
    w.feed_pattern(2)
    w.registry["predict"].trigger()
    w.show_explain()
    assert w.findChild(QDockWidget, "Explain").isVisible()
    y = w.doc.lesson.forward()[1][-1][0]
    d = float(np.linalg.norm(w.doc.lesson.x - y))
    w.explain.refresh()
    text = w.explain.toPlainText()
    assert "Cross-entropy: L = −Σ x log y" in text and "hidden until R" in text
    assert f"{d:.3f}" not in text and not any(f"{v:.3f}" in text for v in y)
    net = w.doc.lesson.network
    for k in (1, net.depth):
        tip = w.diagram.neuron_tooltip(k, 0)
        assert "hidden until R" in tip and not re.search(r"= -?\d", tip), tip
    assert "= 1.000" in w.diagram.neuron_tooltip(0, 2)    # the input is no answer
    w.diagram.select(("edge", 1, 0, 0))                   # code h1 → y1: a is h1
    w.explain.refresh()
    h1 = w.doc.lesson.forward()[1][1][0, 0]
    assert f"{h1:.3f}" not in w.explain.toPlainText()
    w.registry["reveal"].trigger()
    w.diagram.select(None)
    w.explain.refresh()
    assert f"{d:.3f}" in w.explain.toPlainText()
    assert "hidden until R" not in w.diagram.neuron_tooltip(net.depth, 0)
