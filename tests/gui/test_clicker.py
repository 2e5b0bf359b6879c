"""A presenter's clicker sends Page Down / Page Up (#23): Page Down never reveals
an unanswered prediction, Back to an open prediction hides the values again, and
the Guide menu hides and shows the pane."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .test_presenter import open_lesson


def predict_step(w) -> int:
    return next(i for i, s in enumerate(w.guide.steps)
                if s.task is not None and s.task.kind == "predict_winner")


def test_page_down_on_an_unanswered_prediction_does_not_reveal(qtbot):
    w = open_lesson(qtbot, "forward-pass")
    k = predict_step(w)
    w.guide.go(k, perform=True)
    assert w.classroom.predicting and not w.classroom.revealed
    assert w.values.hidden
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == k                       # still asking
    assert w.values.hidden and w.diagram.hidden_layers
    assert "Answer" in w.statusBar().currentMessage()
    assert "Answer" in w.guide_panel.hint.text() and w.guide_panel.hint.isVisible()
    w.guide_panel.choice_buttons[0].click()         # answered: now Page Down moves on
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == k + 1


def test_back_to_an_open_prediction_hides_the_values_again(qtbot):
    w = open_lesson(qtbot, "forward-pass")
    k = predict_step(w)
    w.guide.go(k, perform=True)
    w.guide_panel.next.click()                      # the Skip button skips on purpose
    assert w.guide.index == k + 1 and not w.values.hidden
    qtbot.keyClick(w, Qt.Key_PageUp)
    assert w.guide.index == k
    assert w.classroom.predicting and w.values.hidden and w.diagram.hidden_layers
    assert w.doc.lesson.pattern_index() == w.guide.steps[k].task.pattern - 1


def test_the_guide_menu_hides_and_shows_the_pane(qtbot):
    w = open_lesson(qtbot, "forward-pass")
    guide_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Guide")
    item = next(a for a in guide_menu.actions() if a.text() == "Show the guide")
    assert item.isEnabled() and item.isChecked() and w.guide_panel.isVisible()
    before = w.diagram.height()
    item.trigger()
    QApplication.processEvents()
    assert not w.guide_panel.isVisible() and w.diagram.height() > before
    item.trigger()
    assert w.guide_panel.isVisible()


def test_the_steps_live_numbers_follow_a_run(qtbot):
    """"Epoch 300, loss 0.035 …" in a step's text updates while training runs."""
    w = open_lesson(qtbot, "train-5-2-5")
    w.guide.go(0, perform=False)
    w.guide.done.add(0)                               # no open task: the text still follows
    w.guide._show()
    before = w.guide_panel.text.text()
    w.controller.play()
    import re

    def shown_epoch() -> int:
        found = re.search(r"Epoch (\d+)", w.guide_panel.text.text())
        return int(found.group(1)) if found else -1
    start = shown_epoch()
    seen = []
    qtbot.waitUntil(lambda: (seen.append(w.controller.running) or True)
                    and shown_epoch() > start)
    assert seen[-1], "the text moved only after the run ended"
    assert w.guide_panel.text.text() != before
    w.controller.pause()


def test_feeding_a_pattern_is_not_a_wrong_answer(qtbot):
    w = open_lesson(qtbot, "article-example")
    w.guide.go(0, perform=False)
    assert w.guide.step.task.is_choice
    w.feed_pattern(4)
    assert not w.guide_panel.hint.isVisible()
