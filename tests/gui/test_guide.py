"""The guided lesson's pane: Back/Next by buttons and Page Up/Down, the step
counter, what a step points at is shown and highlighted, tasks checked live with
a hint after a wrong try, progress kept per lesson and resettable."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from aeviz.core.files import fileformat as ff
from aeviz.gui.drawing.highlight import Flash
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_guide import lesson_doc  # noqa: E402


def open_guided(qtbot, steps=None) -> MainWindow:
    w = MainWindow(model=ff.from_dict(lesson_doc(steps)))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    return w


def flashing(widget) -> bool:
    return any(isinstance(c, Flash) and c.isVisible() for c in widget.children())


def test_a_lesson_without_steps_shows_no_guide(qtbot):
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("encoder-8-3-8"))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    assert not w.guide_panel.isVisible()
    assert not w.registry["guide_next"].isEnabled()
    w.files.open_preset("train-5-2-5")                    # a guided one: the pane appears
    assert w.guide_panel.isVisible() and w.registry["guide_next"].isEnabled()
    assert "Step 1 of 3" in w.guide_panel.counter.text()


def test_next_and_back_by_keys_and_buttons_with_a_counter(qtbot):
    w = open_guided(qtbot)
    p = w.guide_panel
    assert p.isVisible() and "Step 1 of 4" in p.counter.text()
    assert not p.back.isEnabled()
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == 1 and "Step 2 of 4" in p.counter.text()
    qtbot.mouseClick(p.next, Qt.LeftButton)
    assert w.guide.index == 2
    qtbot.keyClick(w, Qt.Key_PageUp)
    assert w.guide.index == 1
    qtbot.mouseClick(p.back, Qt.LeftButton)
    assert w.guide.index == 0 and not p.back.isEnabled()


def test_a_step_points_at_panels_neurons_connections_and_rows(qtbot):
    w = open_guided(qtbot)
    # step 1: the Values dock (raised and outlined) and the code's first neuron
    values = w.findChild(QDockWidget, "Values")
    assert values.isVisible() and flashing(values.widget())
    item = w.diagram.neurons[1][0]
    assert item._highlight and not w.diagram.neurons[1][1]._highlight
    qtbot.keyClick(w, Qt.Key_PageDown)
    # step 2: row 5 of the Patterns table, the connection input 1 -> code 2
    assert w.data_tabs.currentWidget() is w.patterns.panel   # the table and its label filter
    assert any(isinstance(c, Flash) and c.isVisible() and c.objectName() == "row 4"
               for c in w.patterns.viewport().children())
    e = w.diagram.edges
    assert [tuple(e.ids[i]) for i in e.marked] == [(0, 0, 1)]
    assert not w.diagram.neurons[1][0]._highlight        # the old step's marks are gone


def test_a_task_gives_a_hint_after_a_wrong_try_and_says_when_done(qtbot):
    w = open_guided(qtbot)
    p = w.guide_panel
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert "Separate them" in p.prompt.text() and not p.hint.isVisible()
    assert p.next.text().startswith("Skip")
    w.doc.lesson.set_weight(1, 0, 0, 0.3)                        # wrong: a decoder weight
    assert p.hint.isVisible() and "1 and 5" in p.hint.text()
    assert 1 not in w.guide.done and not p.done.isVisible()
    w.diagram.select(("edge", 0, 0, 0))                   # right: flip input 1 -> code 1
    w.diagram.setFocus()
    qtbot.keyClick(w.diagram, Qt.Key_F)
    assert 1 in w.guide.done and p.done.isVisible() and "Done" in p.done.text()
    assert not p.hint.isVisible() and p.next.text().startswith("Next")
    assert "tasks done: 1 of 3" in p.counter.text()


def test_predict_the_winner_by_clicking_an_answer(qtbot):
    w = open_guided(qtbot)
    p = w.guide_panel
    w.guide.go(2, perform=True)
    y = w.doc.lesson.network.forward(w.doc.lesson.data()[2:3])[1][-1][0]
    right = int(y.argmax())
    wrong = (right + 1) % 5
    qtbot.mouseClick(p.choice_buttons[wrong], Qt.LeftButton)
    assert 2 not in w.guide.done and f"Not output {wrong + 1}" in p.hint.text()
    # one pick a visit: the hint names the largest, a second pick would be read off
    assert f"output {right + 1} is the largest" in p.hint.text()
    assert not any(b.isEnabled() for b in p.choice_buttons)
    assert p.next.text().startswith("Next")
    w.guide.choose(right)                                 # (refused: not done)
    assert 2 not in w.guide.done
    w.guide.go(2, perform=True)                           # the step again: a fresh pick
    qtbot.mouseClick(p.choice_buttons[right], Qt.LeftButton)
    assert 2 in w.guide.done and not p.choice_buttons[0].isEnabled()


def test_progress_is_kept_per_lesson_and_can_be_reset(qtbot):
    w = open_guided(qtbot)
    qtbot.keyClick(w, Qt.Key_PageDown)
    w.doc.lesson.set_weight(0, 0, 0, -1.0)
    assert w.guide.done == {1}
    w.close()
    again = open_guided(qtbot)
    # the place is kept; the task is done again only once it holds for these weights
    # (they are the file's fresh ones: see test_guide_progress)
    assert again.guide.index == 1 and again.guide.done == set()
    assert "Step 2 of 4" in again.guide_panel.counter.text()
    again.doc.lesson.set_weight(0, 0, 0, -1.0)
    assert again.guide.done == {1} and again.guide_panel.done.isVisible()
    qtbot.mouseClick(again.guide_panel.restart, Qt.LeftButton)
    assert again.guide.index == 0 and again.guide.done == set()
    third = open_guided(qtbot)
    assert third.guide.index == 0 and third.guide.done == set()


def test_an_action_runs_on_arrival_going_forward_only(qtbot):
    w = open_guided(qtbot)
    w.guide.go(3, perform=True)             # set lr 0.5, train 10 epochs (on the worker)
    qtbot.waitUntil(lambda: not w.controller.running)
    assert w.doc.lesson.epoch == 10
    qtbot.keyClick(w, Qt.Key_PageUp)
    assert w.doc.lesson.epoch == 10


def test_a_prediction_step_hides_the_values_until_answered_and_ends_with_its_step(qtbot):
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("forward-pass"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    for _ in range(3):
        qtbot.keyClick(w, Qt.Key_PageDown)                # step 4: predict the winner
    assert w.classroom.predicting and w.diagram.hidden_layers == {1, 2}
    assert [b.text() for b in w.guide_panel.choice_buttons] == [f"output {j}" for j in range(1, 6)]
    qtbot.mouseClick(w.guide_panel.choice_buttons[2], Qt.LeftButton)     # output 3: right
    assert 3 in w.guide.done and w.classroom.revealed and not w.diagram.hidden_layers
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert not w.classroom.predicting and not w.registry["predict"].isChecked()
    assert [b.text() for b in w.guide_panel.choice_buttons] == ["1", "It depends on the input",
                                                               "5"]
    box = w.guide_panel.choices_box                       # the last step's answers are gone
    qtbot.waitUntil(lambda: len([b for b in box.findChildren(type(w.guide_panel.next))
                                 if b.isVisible()]) == 3)


def test_presenter_mode_enlarges_the_step_and_page_down_still_moves_on(qtbot):
    w = open_guided(qtbot)
    before = w.guide_panel.text.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key_F5)
    assert w.classroom.presenting
    assert w.guide_panel.text.font().pointSizeF() >= before * 1.4
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == 1 and w.guide_panel.isVisible()
    qtbot.keyClick(w, Qt.Key_Escape)
    assert not w.classroom.presenting


def test_a_step_shown_again_unchanged_is_not_laid_out_again_and_a_change_is_shown(qtbot):
    """The guide re-shows its step on every frame of a run (its numbers follow the
    run): the same words and buttons are not measured and laid out again; new
    words are."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("digits-8x8"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    panel = w.guide.panel
    qtbot.waitUntil(panel.isVisible)
    fits = []
    original = panel.fit
    panel.fit = lambda *a: (fits.append(1), original(*a))
    w.guide._show()
    w.guide._show()
    assert fits == []                                      # as it was: nothing laid out
    text = panel.text.text()
    w.doc.lesson.set_weight(0, 0, 0, 0.5)                  # (a change the step may not show)
    panel.show_step(0, 9, 0, 1, "Other words.")
    assert panel.text.text() == "Other words." and fits == [1]
    w.guide._show()                                        # and back to the step's own
    assert panel.text.text() == text and len(fits) == 2


def test_a_training_frame_checks_the_task_and_shows_the_step_once(qtbot):
    """A frame of a run changes the epoch, the loss history and the weights in one
    lesson event; the guide checked its open task and rebuilt the step's text at
    each of the three signals (three checks, two texts a frame on train-5-2-5,
    ~1.5 ms of the GUI thread's ~10).  Now once per event, and the task still
    follows the run: solved, it is ticked."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    assert w.guide.step.task.kind == "reconstructed" and 0 not in w.guide.done
    checks, events = [], []
    check = w.guide._check
    w.guide._check = lambda: (checks.append(w.doc.lesson.epoch), check())[1]
    w.doc.changed.connect(lambda kinds: events.append(kinds))
    w.doc.lesson.notify({"params", "epoch", "history"})      # as a frame does
    assert len(checks) == 1 and events[-1] >= {"values", "epoch", "history"}
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: 0 in w.guide.done, timeout=20_000)   # the 5-2-5: ~2,000 epochs
    w.controller.pause()
    frames = sum("values" in k and "epoch" in k for k in events)
    assert frames >= 3
    assert len(checks) <= len(events) and len(checks) <= frames + 3
