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


def test_on_stage_larger_then_smaller_text_gives_the_panels_sizes_back(qtbot):
    """Seen in the rehearsal (six-steps step 4, Weights below the diagram): after
    Ctrl+= twice and Ctrl+− twice the Weights tab was lower (2 rows, not 4+).
    After n steps up and n down the stage's parts have their sizes again."""
    from PySide6.QtCore import Qt
    from aeviz.gui.window.screenshot import present, show_tab
    from .test_presenter import open_lesson
    from .test_stage import answer_right, settle
    w = open_lesson(qtbot, "six-steps")
    present(w, (1024, 768))
    w.guide.go(3, perform=True)
    answer_right(w)
    show_tab(w, "Weights")
    settle()

    def sizes():
        return ([(d.objectName(), d.width(), d.height()) for d in w.findChildren(QDockWidget)
                 if d.isVisible()], w.guide_panel.height(), w.diagram.height(),
                w.weights.table.rowHeight(0))
    qtbot.waitUntil(lambda: sizes() == (settle(), sizes())[1])     # laid out
    before = sizes()
    for n in (1, 2):
        for _ in range(n):
            qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
        qtbot.waitUntil(lambda: sizes() != before, timeout=WAIT)
        for _ in range(n):
            qtbot.keyClick(w, Qt.Key_Minus, Qt.ControlModifier)
        qtbot.waitUntil(lambda: sizes() == before, timeout=WAIT)
