"""The step-through commits through the training session's own step and the
lesson's commit: after the six phases the lesson is exactly what Step one
update makes (weights, clock, optimiser, loss rows, snapshots, streak)."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow


def _state(lesson):
    return (lesson.network.params.copy(), lesson.epoch, lesson.history.rows(0).copy(),
            list(lesson.snapshots.epochs), lesson.streak.to_state(),
            lesson.undo_stack.text(lesson.undo_stack.count() - 1))


@pytest.mark.parametrize("preset, batch, steps", [("train-5-2-5", 0, 3), ("encoder-4-2-4", 1, 9),
                                                  ("vae-digits", 0, 2)])
def test_the_walk_makes_exactly_what_step_one_update_makes(qtbot, preset, batch, steps):
    walked = MainWindow(model=load_preset(preset))
    stepped = MainWindow(model=load_preset(preset))
    for w in (walked, stepped):
        qtbot.addWidget(w)
        if batch:
            w.doc.lesson.set_setting("batch_size", batch)
    for _ in range(steps):
        for _ in range(6):
            walked.phases.next()
        walked.phases.next()                        # back to the normal view
        stepped.controller.step_pattern()
    a, b = _state(walked.doc.lesson), _state(stepped.doc.lesson)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1] and a[3] == b[3] and a[4] == b[4] and a[5] == b[5] == "Step one update"
    np.testing.assert_array_equal(a[2], b[2])
    assert walked.doc.lesson.trainer_state()["pending"] == stepped.doc.lesson.trainer_state()["pending"]


def test_an_edit_between_phases_makes_the_walk_start_again(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    for _ in range(3):
        w.phases.next()
    assert w.phases.trace is not None
    w.doc.lesson.set_setting("learning_rate", 0.5)
    assert w.phases.trace is None and w.diagram.overlay is None
    for _ in range(6):
        w.phases.next()                             # a fresh step at the new rate
    assert w.doc.lesson.epoch == 1 and w.phases.trace.learning_rate == 0.5


@pytest.mark.parametrize("change", ["undo", "step epoch", "weight", "setting"])
def test_a_change_after_the_update_phase_ends_the_walk(qtbot, change):
    """tests/monkey_phase.py: phase 6 shown, then Undo (the update taken back),
    Step epoch, a weight or a setting edited: the diagram still drew the Δw of
    the update and the Training panel explained it ("6 · Update the weights")
    while the weights were others.  Any change after the update ends the walk."""
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    for _ in range(6):
        w.phases.next()
    assert w.phases.phase == 5 and w.diagram.overlay.edge_name == "Δw"
    assert w.training_ui.phase[0].startswith("6 ·")
    lesson = w.doc.lesson
    {"undo": lesson.undo, "step epoch": w.controller.step_epoch,
     "weight": lambda: lesson.set_weight(0, 0, 0, 0.5),
     "setting": lambda: lesson.set_setting("learning_rate", 0.5)}[change]()
    assert w.phases.trace is None and w.diagram.overlay is None
    assert w.training_ui.phase == ("", "")
    w.phases.next()                                  # N: a fresh walk of the lesson as it is
    np.testing.assert_array_equal(w.phases.trace.params_before, lesson.network.params)


def test_a_rewind_preview_during_the_walk_ends_it(qtbot):
    """tests/monkey_phase.py (timeline): the walk at phase 3 and the timeline
    dragged to epoch 0: the diagram kept the walk's overlay and the Training
    panel explained '3 · Decode' with the numbers of epoch 30, while the Values
    panel, the epoch and the weights were epoch 0's.  The preview ends the walk."""
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.show()
    for _ in range(30):
        w.controller.step_epoch()
    for _ in range(3):
        w.phases.next()
    assert w.phases.active and w.training_ui.phase[0].startswith("3 ·")
    w.training.timeline.setValue(0)                  # the timeline dragged to the start
    assert w.doc.lesson.live and w.doc.lesson.epoch == 0
    assert not w.phases.active and w.diagram.overlay is None
    assert w.training_ui.phase == ("", "")
    w.phases.next()                                  # N: a walk of the lesson's own state
    assert not w.doc.lesson.live and w.doc.lesson.epoch == 30
    np.testing.assert_array_equal(w.phases.trace.params_before, w.doc.lesson.network.params)


@pytest.mark.parametrize("batch", [0, 1])
def test_another_pattern_fed_during_the_walk(qtbot, batch):
    """A Patterns row clicked during the walk (phase 3): the diagram kept the
    overlay and the explanation of pattern 1 while the Values panel showed the
    new pattern.  In a full batch the phase is drawn for the new pattern; a
    pattern the step did not train on (online: one pattern) ends the walk."""
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    lesson = w.doc.lesson
    if batch:
        lesson.set_setting("batch_size", batch)
    for _ in range(3):
        w.phases.next()
    trained = [int(p) for p in w.phases.trace.patterns]
    other = next(p for p in (3, 4) if p not in trained[:1])
    lesson.feed_pattern(other)
    y = lesson.forward()[1][-1][0]
    if batch:
        assert not w.phases.active and w.diagram.overlay is None
        assert w.training_ui.phase == ("", "")
    else:
        np.testing.assert_allclose(w.diagram.overlay.neurons[-1], y)
        assert "Output y = [" + ", ".join(f"{v:.3f}" for v in y) in w.training_ui.phase[1]
