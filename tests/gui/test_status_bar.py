"""The status bar says a long message whole or, wider than its room, cut with
"…" and whole in the tooltip (the stuck report beside its button was cut
mid-word at 1024 px)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStatusBar

from .conftest import open_lesson

STUCK = ("Not solved: a reconstructed pattern was lost again 56 times and every pattern "
         "was reconstructed 13 times, each time for fewer than 100 epochs in a row, then "
         "lost again: the steps are too large. Lower the learning rate and start again.")


def test_a_message_wider_than_its_room_ends_in_an_ellipsis_and_is_whole_in_the_tooltip(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.resize(1024, 768)
    button = w.training_ui.stuck_button
    button.setText("Learning rate 0.002, fresh weights")
    button.setVisible(True)
    QApplication.processEvents()
    bar = w.statusBar()
    w.show_refusal(STUCK)
    shown = QStatusBar.currentMessage(bar)          # what Qt paints
    assert shown != STUCK and shown.endswith("…")
    assert STUCK.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.room()
    assert bar.room() <= bar.width() - button.width()
    assert bar.toolTip() == STUCK and bar.currentMessage() == STUCK
    w.show_refusal("Saved.")                         # a short one: whole, no tooltip
    assert QStatusBar.currentMessage(bar) == "Saved." == bar.currentMessage()
    assert bar.toolTip() == ""
    bar.clearMessage()
    assert bar.currentMessage() == ""
