"""The code space's view (#23): a VAE's σ ellipses lie inside the axes, at the
start of training and after it."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from aeviz.core.files.presets import load_preset
from aeviz.core.measures import codespace
from aeviz.gui.window.main_window import MainWindow
from aeviz.gui.window.screenshot import show_tab

from .conftest import show_active


def ellipses_inside(w) -> bool:
    (x0, x1), (y0, y1) = w.code_space.plot.getViewBox().viewRange()
    drawn = [e for e in w.generate.ellipses if e.xData is not None and len(e.xData)]
    assert drawn
    return all(x0 <= e.xData.min() and e.xData.max() <= x1
               and y0 <= e.yData.min() and e.yData.max() <= y1 for e in drawn)


def test_the_vae_sigma_ellipses_stay_inside_the_axes(qtbot):
    w = MainWindow(model=load_preset("vae-digits"))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    show_active(qtbot, w)
    show_tab(w, "Code space")
    for epochs in (0, 30, 300):
        if epochs:
            w.controller.run_now(lambda s, n=epochs: s.advance(n), "Train", True)
        w.code_space.throttled.flush()
        for _ in range(3):
            QApplication.processEvents()
        assert ellipses_inside(w), epochs


def test_the_plane_reaches_around_each_code():
    net = load_preset("vae-digits").network
    codes = np.array([[0.0, 0.0], [0.5, -0.2]])
    sigma = np.array([[3.0, 0.1], [np.inf, 0.2]])          # an overflowed σ is ignored
    x0, x1, y0, y1 = codespace.plane_for(net, codes, sigma).extent
    assert x0 < -3 and x1 > 3 and y0 < -0.4 and y1 > 0.7
    assert np.isfinite([x0, x1, y0, y1]).all()
