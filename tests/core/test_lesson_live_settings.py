"""A settings edit while a session trains: the session takes it along
(:mod:`aeviz.core.lessons.lesson_runs`) instead of being stopped, committed and
started again, and the result is bitwise the same as that restart."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.lesson import Lesson

# every setting, each to a value its preset takes (base settings first where needed)
CHANGES = [
    ("learning_rate", 0.1, {}), ("momentum", 0.5, {}), ("weight_decay", 0.001, {}),
    ("batch_size", 2, {}), ("batch_size", 0, {"batch_size": 2}), ("shuffle", False, {"batch_size": 2}),
    ("loss", "mse", {}), ("seed", 7, {}), ("optimizer", "adam", {}),
    ("optimizer", "sgd", {"optimizer": "adam"}), ("momentum", 0.0, {"momentum": 0.9}),
    ("noise.kind", "gaussian", {"noise.kind": "masking", "noise.level": 0.1}),
    ("noise.level", 0.3, {"noise.kind": "masking", "noise.level": 0.1}),
    ("sparsity.penalty", "l1", {}), ("sparsity.weight", 0.01, {"sparsity.penalty": "l1"}),
    ("sparsity.target", 0.1, {"sparsity.penalty": "kl", "sparsity.weight": 0.01}),
]


def lesson_with(base: dict, preset: str = "train-5-2-5") -> Lesson:
    lesson = Lesson(load_preset(preset))
    for name, value in base.items():
        lesson.set_setting(name, value)
    return lesson


def outcome(lesson: Lesson) -> tuple:
    state = lesson.trainer_state()
    return (state["params"], state["epoch"], lesson.history.rows(0), lesson.training,
            state["optimizer"], state["rng"])


def assert_same(a: tuple, b: tuple) -> None:
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1]
    np.testing.assert_array_equal(a[2], b[2])
    assert a[3] == b[3]
    assert repr(a[4]) == repr(b[4]) and repr(a[5]) == repr(b[5])


@pytest.mark.parametrize("preset", ["train-5-2-5", "encoder-4-2-4"])
@pytest.mark.parametrize("name, value, base", CHANGES,
                         ids=[f"{n}={v}" + ("+" if b else "") for n, v, b in CHANGES])
def test_a_setting_taken_along_is_bitwise_a_restart_with_it(preset, name, value, base):
    # taken along: one session, the setting changed while it is open
    live = lesson_with(base, preset)
    session = live.start_session()
    session.advance(37)
    live.set_setting(name, value)
    assert session.config != live.training           # handed over, taken at the next chunk
    session.advance(23)
    assert session.config == live.training
    live.commit(session, "Train")
    # the old way: commit, change, a new session
    restart = lesson_with(base, preset)
    session = restart.start_session()
    session.advance(37)
    restart.commit(session, "Train")
    restart.set_setting(name, value)
    session = restart.start_session()
    session.advance(23)
    restart.commit(session, "Train")
    assert_same(outcome(live), outcome(restart))


def guard_calls(lesson: Lesson) -> list:
    calls: list = []
    lesson.add_guard(lambda may_resume: calls.append(may_resume))
    return calls


def test_the_rate_edit_is_its_own_step_before_the_run_and_undoes_bitwise():
    lesson = Lesson(load_preset("train-5-2-5"))
    opening = outcome(lesson)
    calls = guard_calls(lesson)
    session = lesson.start_session()
    session.advance(20)
    lesson.show_live(session.params.copy(), session.epoch)       # the run, shown
    lesson.set_setting("learning_rate", 0.1)
    assert calls == [] and lesson.live                          # no guard; still shown
    assert lesson.epoch == 20
    session.advance(30)
    lesson.commit(session, "Train 50 epochs")
    after = outcome(lesson)
    assert [lesson.undo_stack.text(i) for i in range(2)] == [
        f"Set learning rate {opening[3].learning_rate:g} → 0.1", "Train 50 epochs"]
    lesson.undo()
    lesson.undo()
    assert_same(outcome(lesson), opening)
    lesson.redo()
    lesson.redo()
    assert_same(outcome(lesson), after)


def test_undo_and_redo_of_the_edit_during_the_run_are_taken_along():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_setting("momentum", 0.5)                         # before the run
    rate = lesson.training.learning_rate
    session = lesson.start_session()
    calls: list = []

    def guard(may_resume: bool) -> None:          # as the window's: the run is committed
        calls.append(may_resume)
        if lesson.runs.open is session:
            lesson.commit(session, f"Train {session.epoch} epochs")
    lesson.add_guard(guard)
    session.advance(10)
    lesson.set_setting("learning_rate", 0.1)
    lesson.undo()                                               # the edit made during the run
    assert calls == [] and lesson.training.learning_rate == rate
    session.advance(5)
    assert session.config.learning_rate == rate and session.epoch == 15
    lesson.redo()
    session.advance(5)
    assert calls == [] and session.config.learning_rate == 0.1
    lesson.undo()
    assert calls == [] and lesson.training.learning_rate == rate
    lesson.undo()           # the momentum step was before the run: the run ends first,
    assert calls == [False]                                     # and is what is undone
    assert lesson.epoch == 0 and lesson.training.momentum == 0.5
    assert lesson.undo_stack.redo_text() == "Train 20 epochs"


def test_a_redo_from_before_the_run_is_not_taken_along():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_setting("learning_rate", 0.1)
    lesson.undo()
    calls = guard_calls(lesson)
    lesson.start_session().advance(3)
    lesson.redo()
    assert calls == [False]


def test_an_edit_during_the_run_never_merges_into_one_before_it():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_setting("batch_size", 2, merge=True)
    session = lesson.start_session()
    lesson.set_setting("batch_size", 3, merge=True)
    lesson.set_setting("batch_size", 4, merge=True)             # merges with the 3
    assert lesson.undo_stack.count() == 2
    session.advance(2)
    lesson.commit(session, "Train 2 epochs")
    assert lesson.undo_stack.count() == 3


@pytest.mark.parametrize("change", [
    lambda l: l.set_weight(0, 0, 0, 0.25),
    lambda l: l.add_neuron(1),
    lambda l: l.reset_weights(),
], ids=["weight", "structure", "reset"])
def test_other_changes_still_end_the_run_and_a_later_commit_is_refused(change):
    lesson = Lesson(load_preset("train-5-2-5"))
    calls = guard_calls(lesson)
    session = lesson.start_session()
    session.advance(5)
    lesson.set_setting("learning_rate", 0.1)
    change(lesson)
    assert calls == [True]
    with pytest.raises(RuntimeError):
        lesson.commit(session, "Train")


def test_the_latest_settings_handed_over_win():
    lesson = Lesson(load_preset("train-5-2-5"))
    session = lesson.start_session()
    session.retune(lesson.training.with_(learning_rate=0.3))
    session.retune(lesson.training.with_(learning_rate=0.2))
    session.advance(1)
    assert session.config.learning_rate == 0.2
    assert session.trainer.optimizer is not None


def test_settings_handed_over_while_another_thread_trains():
    """The worker's case: the session trains on another thread while the lesson
    hands it one setting after another; it takes them between chunks, the last wins."""
    lesson = Lesson(load_preset("train-5-2-5"))
    session = lesson.start_session()
    done, errors, taken = threading.Event(), [], set()

    def train() -> None:
        try:
            while not done.is_set():
                session.advance(3)
                taken.add(session.config.learning_rate)
        except Exception as e:            # noqa: BLE001 - reported below
            errors.append(e)
    worker = threading.Thread(target=train)
    worker.start()
    rates = [round(0.1 * (i % 9 + 1), 1) for i in range(300)]
    for rate in rates:
        lesson.set_setting("learning_rate", rate)
    done.set()
    worker.join()
    session.advance(1)
    assert not errors and session.config.learning_rate == rates[-1] == lesson.training.learning_rate
    assert taken <= set(rates) | {load_preset("train-5-2-5").training.learning_rate}
    lesson.commit(session, "Train")
    assert lesson.undo_stack.count() == len(rates) + 1
