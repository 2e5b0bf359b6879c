"""Lesson.prepare_session / change_of / commit_change: a step whose copies are
made on another thread (a big network's Step, aeviz.gui.runtime.steps) is
bitwise Lesson.run's, one undo step, and a settings edit made meanwhile is its
own undo step that the step does not take."""

from __future__ import annotations

import threading

import numpy as np

from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.lesson import Lesson


def on_a_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def prepared_step(lesson: Lesson, step, text: str):
    with lesson.changing(resume=False):
        make = lesson.prepare_session()

    def work():
        session = make()
        event = step(session)
        return session, event, lesson.change_of(session, text)
    return work


def test_a_prepared_step_is_bitwise_the_lesson_s_own_run():
    ran, prepared = Lesson(load_preset("digits-8x8")), Lesson(load_preset("digits-8x8"))
    for step, text in ((lambda s: s.advance(1), "Step one epoch"),
                       (lambda s: s.step(), "Step one update")) * 2:
        ran.run(step, text)
        session, _event, change = on_a_thread(prepared_step(prepared, step, text))
        prepared.adopt_session(session)
        prepared.commit_change(session, change)
    np.testing.assert_array_equal(ran.network.params, prepared.network.params)
    np.testing.assert_array_equal(ran.history.rows(0), prepared.history.rows(0))
    assert ran.epoch == prepared.epoch and ran.snapshots.epochs == prepared.snapshots.epochs
    assert [ran.undo_stack.text(i) for i in range(4)] == \
        [prepared.undo_stack.text(i) for i in range(4)]
    prepared.undo()
    ran.undo()
    np.testing.assert_array_equal(ran.network.params, prepared.network.params)


def test_a_settings_edit_while_the_copy_is_made_is_its_own_undo_step():
    lesson = Lesson(load_preset("train-5-2-5"))
    reference = Lesson(load_preset("train-5-2-5"))
    reference.run(lambda s: s.advance(1), "Step one epoch")
    work = prepared_step(lesson, lambda s: s.advance(1), "Step one epoch")
    lesson.set_setting("learning_rate", 0.5)          # live: taken along, no guard
    session, _event, change = on_a_thread(work)
    lesson.adopt_session(session)
    lesson.commit_change(session, change)
    np.testing.assert_array_equal(lesson.network.params, reference.network.params)
    assert lesson.model.training.learning_rate == 0.5
    assert [lesson.undo_stack.text(i) for i in range(2)][1] == "Step one epoch"
