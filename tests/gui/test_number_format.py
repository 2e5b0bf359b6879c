"""Issue 22 items 13, 14 in the window: the Generate panel and Decode here use the
one number format; an overflowing σ reads "inf" with a note, and no NumPy
RuntimeWarning is raised while the window computes."""

from __future__ import annotations

import warnings

import numpy as np

from aeviz.core.numbers import NONFINITE_NOTE
from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active


def _window(qtbot, model) -> MainWindow:
    w = MainWindow(model=model)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    show_active(qtbot, w)
    return w


def test_an_overflowing_sigma_reads_inf_with_a_note_and_warns_nothing(qtbot):
    model = load_preset("vae-digits")
    model.network.logvar_block[-1] = 1500.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        w = _window(qtbot, model)
        panel = w.generate_panel
        panel._sync_vae()
        w.generate._draw_vae()
    text = panel.vae_note.text()
    assert "KL to N(0, I): inf per pattern" in text and "mean σ inf" in text
    assert NONFINITE_NOTE[1:] in text
    assert not any(len(e.xData if e.xData is not None else []) for e in w.generate.ellipses)


def test_decode_here_shows_huge_codes_in_scientific_notation(qtbot):
    w = _window(qtbot, load_preset("generate-digits"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        w.generate.decode(np.array([1e52, -3.0]))
    caption = w.diagram.overlay.caption
    assert "(1.00e+52, -3.00)" in caption, caption
    readout = w.generate_panel.readout.text()
    assert "h = (1.00e+52, -3.00)" in readout and len(readout) < 200, readout


def test_the_values_panel_explains_an_infinite_loss(qtbot):
    """MSE of outputs near 1e200: (y - x)^2 overflows, the Loss reads "inf" with a note."""
    from aeviz.core.config import TrainingConfig
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    from aeviz.core.engine.network import Network
    net = Network.create([3, 2, 3], ["tanh", "linear"], rng=np.random.default_rng(0))
    net.biases[-1][...] = 1e200
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        w = _window(qtbot, Model(net, TrainingConfig().with_(loss="mse"), Dataset.one_hot(3)))
    assert w.values.loss.text() == "inf"
    assert NONFINITE_NOTE in w.values.loss.toolTip()
    assert w.values.error.toolTip() == w.values.loss.toolTip()
