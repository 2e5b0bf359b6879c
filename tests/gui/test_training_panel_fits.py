"""The Training panel fits its dock at 1024 x 768 in the normal window (the monkey's
screenshots showed its stop rule and Restart cut off at the right, behind a scroll bar)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDockWidget, QScrollArea

from .conftest import open_lesson


def test_the_training_panel_needs_no_sideways_scrolling_at_1024x768(qtbot):
    w = open_lesson(qtbot, "six-steps")
    w.resize(1024, 768)
    dock = w.findChild(QDockWidget, "Training")
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    for _ in range(4):
        QApplication.processEvents()
    area = next(a for a in dock.findChildren(QScrollArea) if a.widget() is not None)
    qtbot.waitUntil(lambda: area.horizontalScrollBar().maximum() == 0)
    assert area.widget().width() <= area.viewport().width()
    assert "100 epochs" in w.training.stop_all.text()              # the rule's window named
    assert "in a row" in w.training.stop_all.toolTip()
    assert "same initial weights" in w.training.restart_button.toolTip()
