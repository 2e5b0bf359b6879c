"""The lesson's training clock as its own object: a live display leaves the
committed point bitwise intact, a session's change restores both ways, and the
Lesson's attributes are the clock's."""

from __future__ import annotations

import numpy as np

from aeviz.core.lessons.lesson import Lesson
from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.training_clock import TrainingClock


def _trained(epochs: int = 40) -> Lesson:
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.run(lambda session: session.advance(epochs), "Train", True)
    return lesson


def test_the_lessons_clock_fields_are_the_clocks():
    lesson = _trained()
    assert isinstance(lesson.clock, TrainingClock)
    assert lesson.epoch == lesson.clock.epoch == 40
    assert lesson.history is lesson.clock.history and lesson.snapshots is lesson.clock.snapshots
    lesson.epoch = 7
    assert lesson.clock.epoch == 7


def test_a_live_display_ends_bitwise_on_the_committed_point():
    lesson = _trained()
    clock = lesson.clock
    params, rows = lesson.network.params.copy(), lesson.history.rows(0).copy()
    state = clock.trainer_state()
    kinds = clock.show(np.zeros_like(params), 99, rows_start=10, rows=np.ones((3, 4)))
    assert kinds == {"params", "epoch", "history"} and clock.live
    assert lesson.epoch == 99 and len(lesson.history) == 13
    assert clock.point().state["epoch"] == 40                 # the committed point underneath
    assert clock.end_live() and not clock.live and not clock.end_live()
    np.testing.assert_array_equal(lesson.network.params, params)
    np.testing.assert_array_equal(lesson.history.rows(0), rows)
    assert clock.trainer_state()["epoch"] == state["epoch"] == 40


def test_a_sessions_change_undoes_and_redoes_exactly():
    lesson = _trained()
    session = lesson.start_session()
    session.advance(25)
    before = lesson.clock.point()
    change = lesson.clock.change(before, session, "Train 25 epochs")
    assert change is not None and change.after.state["epoch"] == 65
    assert lesson.clock.change(before, lesson.start_session(), "nothing") is None
    lesson.commit(session, "Train 25 epochs")
    after_params, after_rows = lesson.network.params.copy(), lesson.history.rows(0).copy()
    lesson.undo()
    assert lesson.epoch == 40 and len(lesson.history) == 40
    lesson.redo()
    np.testing.assert_array_equal(lesson.network.params, after_params)
    np.testing.assert_array_equal(lesson.history.rows(0), after_rows)


def test_reset_is_epoch_zero_with_the_given_weights():
    lesson = _trained()
    fresh = lesson.network.fresh(3).params
    command = lesson.clock.reset(fresh, "Reset")
    lesson.do(command)
    assert lesson.epoch == 0 and len(lesson.history) == 0 and lesson.run_state is None
    np.testing.assert_array_equal(lesson.network.params, fresh)
    lesson.undo()
    assert lesson.epoch == 40
