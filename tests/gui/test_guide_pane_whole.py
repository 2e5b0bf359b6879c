"""The guided step's pane shows its answer buttons whole on stage: when a panel
comes on stage the pane gets narrower and its title line ("… · Step 1 of 3 ·
tasks done: 0 of 3") may wrap onto a second line; the pane must then grow by
that line (digits-8x8-vae at 1280x800 with the Code space on stage: its two
answer buttons were cut in half by the diagram below the pane)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from aeviz.gui.window.screenshot import present, show_tab

from .test_presenter import open_lesson


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
@pytest.mark.parametrize("preset", ["digits-8x8-vae", "digits-8x8"])
def test_the_answer_buttons_are_whole_when_a_panel_comes_on_stage(qtbot, preset, size):
    w = open_lesson(qtbot, preset, size)
    present(w, size)
    for _ in range(5):
        QApplication.processEvents()
    show_tab(w, "Code space")
    for _ in range(20):                                   # the stage's rounds of zero-timers
        QApplication.processEvents()
    pane = w.guide_panel
    assert pane.choice_buttons
    need = pane.layout().heightForWidth(pane.width())
    assert pane.height() >= need, (pane.height(), need)
    for button in pane.choice_buttons:
        top = button.mapTo(pane, QPoint(0, 0)).y()
        assert button.isVisible() and top + button.height() <= pane.height(), (
            button.text(), top + button.height(), pane.height())
