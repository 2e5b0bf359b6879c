"""A guided step's live numbers follow a run while it trains (issue 23: "Epoch 2,
loss 1.2432" stayed on screen at epoch 124)."""

from __future__ import annotations

import re

from aeviz.core.presets import load_preset
from aeviz.gui.main_window import MainWindow

from .conftest import WAIT, show_active


def shown_epoch(w) -> int:
    m = re.search(r"Epoch (\d+), loss", w.guide_panel.text.text())
    assert m, w.guide_panel.text.text()
    return int(m.group(1))


def test_the_steps_numbers_follow_training_while_it_runs(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    show_active(qtbot, w)
    assert shown_epoch(w) == 0
    w.controller.play()
    seen = set()

    def moved() -> bool:
        seen.add(shown_epoch(w))
        return len(seen - {0}) >= 3 and w.controller.running   # several updates mid-run
    qtbot.waitUntil(moved, timeout=WAIT)
    w.controller.pause()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    qtbot.waitUntil(lambda: shown_epoch(w) == w.doc.epoch, timeout=WAIT)   # and the last
