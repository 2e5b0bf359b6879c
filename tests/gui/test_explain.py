"""The Explain panel follows the selection and states the current numbers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from aeviz.core.measures import explain
from aeviz.core.config import Noise, Sparsity, TrainingConfig
from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import click_edge, click_neuron, show_active


def test_f1_shows_the_loss_with_the_fed_pattern_numbers(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    qtbot.keyClick(w, Qt.Key_F1)
    text = w.explain.toPlainText()
    y = w.doc.lesson.forward()[1][-1][0]
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
    from aeviz.core.engine.losses import reconstruction_loss
    m = load_preset("denoising-bars")
    x = m.data()[:1]
    zs, acts = m.network.forward(x)
    text = explain.loss_text(m.training, m.network, x[0], acts[-1][0])
    value = reconstruction_loss("cross_entropy", "sigmoid", zs[-1], acts[-1], x)
    assert f"L = {value:.3f}" in text
    mse = TrainingConfig(loss="mse")
    assert f"L = {np.mean((acts[-1][0] - x[0]) ** 2):.3f}" in explain.loss_text(mse, m.network, x[0], acts[-1][0])


def test_explain_texts_say_what_the_values_panel_says():
    from aeviz.core.engine.network import Network
    net = Network.create([5, 5, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    role = explain.layer_role(net, 1)
    assert "as large as the input" in role and "(overcomplete)" not in role
    big = Network.create([5, 8, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    assert "larger than the input (overcomplete)" in explain.layer_role(big, 1)
    # more than 4 terms: the sum says it goes on; an all-zero input: no empty "−()"
    x = np.array([1.0, 1, 1, 1, 1, 1]) / 6
    net6 = Network.create([6, 2, 6], ["tanh", "softmax"], rng=np.random.default_rng(0))
    y = net6.output(x[None, :])[0]
    text = explain.loss_text(TrainingConfig(), net6, x, y)
    assert "+ …) = " in text and f"= {-(x * np.log(y)).sum():.3f}" in text
    zero = explain.loss_text(TrainingConfig(), net6, np.zeros(6), y)
    assert "−()" not in zero and "all zero" in zero and "L = 0.000" in zero


def test_the_weight_text_states_the_optimiser_in_use():
    m = load_preset("stuck-8-3-8")
    acts = m.network.forward(m.data()[:1])[1]
    text = explain.weight_text(m.network, 0, 0, 0, acts, m.training)
    assert text.startswith("Weight x1 → h1:") and "v ← μv + ∂J/∂w" in text and "μ = 0.9" in text
    adam = explain.weight_text(m.network, 0, 0, 0, acts, m.training.with_(optimizer="adam"))
    assert "Adam" in adam and "v ←" in adam


def _saturated_model():
    """The article's 5-2-5 with weights into output 1 at ±10⁴: y1 underflows to 0."""
    from aeviz.core.model import default_model
    m = default_model()
    m.network.weights[1][:, 0] = [-1e4, 1e4]
    return m


def test_explain_loss_is_finite_when_the_loss_readout_is(qtbot, recwarn):
    """#12 item 17: the same stable formula as the loss (log-sum-exp), no warnings."""
    from aeviz.core.engine.losses import reconstruction_loss
    w = MainWindow(model=_saturated_model())
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    w.doc.lesson.feed_pattern(0)
    qtbot.keyClick(w, Qt.Key_F1)
    text = w.explain.toPlainText()
    zs, acts = w.doc.lesson.forward()
    value = reconstruction_loss("cross_entropy", "softmax", zs[-1], acts[-1], w.doc.lesson.x[None])
    assert np.isfinite(value) and value > 100
    assert f"= {value:.3f}." in text
    assert "inf" not in text and "nan" not in text
    assert not [r for r in recwarn if issubclass(r.category, RuntimeWarning)]


def test_binary_cross_entropy_text_matches_the_loss_when_saturated():
    from aeviz.core.engine.losses import reconstruction_loss
    from aeviz.core.engine.network import Network
    net = Network.create([3, 2, 3], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    net.weights[1][:] = -1000.0
    x = np.array([1.0, 0.0, 1.0])
    zs, acts = net.forward(x[None])
    value = reconstruction_loss("cross_entropy", "sigmoid", zs[-1], acts[-1], x[None])
    text = explain.loss_text(TrainingConfig(), net, x, acts[-1][0], zs[-1][0])
    assert f"L = {value:.3f}" in text


def test_an_output_that_float64_rounds_to_1_shows_as_more_than_0_999_everywhere(qtbot):
    """#24 item 13: softmax never gives exactly 1, but float64 does; the window
    shows >0.999 in the Values panel, the diagram, the guide's {y} and phase 3."""
    import numpy as np
    from aeviz.core.guides.guide import live_values
    from aeviz.core.measures.phases import begin, explain
    from aeviz.core.files.presets import load_preset
    from aeviz.core.engine.trainer import Trainer
    from aeviz.gui.window.main_window import MainWindow
    m = load_preset("train-5-2-5")
    m.network.params[:] = 0.0
    m.network.weights[0][0] = [1000.0, 1000.0]          # input 1 -> both code units
    m.network.weights[1][:, 0] = [1000.0, 1000.0]       # both code units -> output 1
    y = m.network.forward(m.data()[:1])[1][-1][0]
    assert y[0] == 1.0                                  # rounding: the maths gives < 1
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.doc.lesson.feed_pattern(0)
    w.values.refresh() if hasattr(w.values, "refresh") else None
    qtbot.waitUntil(lambda: w.values.output.cell_text(0) == ">0.999")
    assert w.diagram.neurons[-1][0].label.text() == ">0.999"
    assert live_values(w.doc.lesson)["y"].startswith("[>0.999, <0.001")
    t = Trainer(m.network.copy(), m.training, m.data())
    text = explain(begin(t), "decode", 0, m.network.activations, m.network.code_layer,
                   m.training.loss)[1]
    assert "y = [>0.999" in text
    reveal = load_preset("article-example").guide[0].task.reveal
    assert "1 − 10⁻¹⁷ rounds to exactly 1" in reveal and ">0.999" in reveal
