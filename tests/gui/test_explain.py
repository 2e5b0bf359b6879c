"""The Explain panel follows the selection and states the current numbers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from aeviz.core import explain
from aeviz.core.config import Noise, Sparsity, TrainingConfig
from aeviz.core.presets import load_preset
from aeviz.gui.main_window import MainWindow

from .conftest import click_edge, click_neuron, show_active


def test_f1_shows_the_loss_with_the_fed_pattern_numbers(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    qtbot.keyClick(w, Qt.Key_F1)
    text = w.explain.toPlainText()
    y = w.doc.forward()[1][-1][0]
    assert f"L = −(1·log {y[0]:.3f}) = {-np.log(y[0]):.3f}" in text
    assert "The encoder is every layer from the input up to the code" in text
    assert "Click a neuron or a connection" in text
    click_edge(qtbot, w, 0, 0, 1)
    assert "w = 1.000" in w.explain.toPlainText() and "1.000 · 1.000 = 1.000" in w.explain.toPlainText()
    click_neuron(qtbot, w, 2, 0)
    assert "never exactly a one-hot vector" in w.explain.toPlainText()


def test_texts_follow_the_settings():
    m = load_preset("overcomplete-sparse")
    assert "ρ = 0.1" in explain.regularisation_text(m.training)
    assert "overcomplete" in explain.layer_role(m.network, m.network.code_layer)
    t = TrainingConfig(noise=Noise("masking", 0.3))
    assert "set to 0 with probability 0.3" in explain.regularisation_text(t)
    assert "No penalty" in explain.regularisation_text(TrainingConfig())
    t = TrainingConfig(sparsity=Sparsity("l1", 0.2))
    assert "λ = 0.2" in explain.regularisation_text(t)


def test_loss_texts_match_the_engine():
    from aeviz.core.losses import reconstruction_loss
    m = load_preset("denoising-bars")
    x = m.data()[:1]
    zs, acts = m.network.forward(x)
    text = explain.loss_text(m.training, m.network, x[0], acts[-1][0])
    value = reconstruction_loss("cross_entropy", "sigmoid", zs[-1], acts[-1], x)
    assert f"L = {value:.3f}" in text
    mse = TrainingConfig(loss="mse")
    assert f"L = {np.mean((acts[-1][0] - x[0]) ** 2):.3f}" in explain.loss_text(mse, m.network, x[0], acts[-1][0])
