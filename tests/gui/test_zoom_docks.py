"""Ctrl+= grows the panels with their text; Ctrl+− gives them their sizes back
(issue 23: "dock widths do not come back after Ctrl+−")."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT, show_active


def test_panel_sizes_come_back_after_larger_then_smaller_text(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.resize(1200, 760)
    show_active(qtbot, w)
    w.findChild(QDockWidget, "Values").raise_()
    names = ("Values", "Patterns", "Loss", "Code space")
    docks = [w.findChild(QDockWidget, n) for n in names]

    def sizes():
        return [(d.width(), d.height()) for d in docks]

    qtbot.waitUntil(lambda: w.classroom._shown_dock_sizes().keys() >= set(docks), timeout=WAIT)
    before = sizes()
    for _ in range(6):
        w.registry["zoom_in"].trigger()
    qtbot.waitUntil(lambda: sizes() != before, timeout=WAIT)       # the text grew them
    for _ in range(6):
        w.registry["zoom_out"].trigger()
    qtbot.waitUntil(lambda: sizes() == before, timeout=WAIT)
    assert w.classroom.font_scale == 1.0
