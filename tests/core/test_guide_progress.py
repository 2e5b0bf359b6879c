"""Remembered guide progress against the lesson's state now (#23): a state task's
"done" counts when the state is the one it was done in or its condition holds;
a choice (an answer) always counts."""

from __future__ import annotations

from aeviz.core.files import fileformat as ff
from aeviz.core.guides.guide_progress import restored_done, state_mark
from aeviz.core.lessons.lesson import Lesson

from .test_guide import lesson_doc

STEPS = [
    {"text": "Read."},
    {"text": "A question.", "task": {"kind": "choice", "options": ["a", "b"], "answer": 1}},
    {"text": "Train.", "task": {"kind": "epochs", "at_least": 300}},
    {"text": "Later.", "task": {"kind": "epochs", "at_least": 5}},
]


def lesson() -> Lesson:
    return Lesson(ff.from_dict(lesson_doc(STEPS)))


def test_fresh_weights_keep_answers_but_not_training_tasks():
    fresh = lesson()
    steps = fresh.model.guide
    trained = lesson()
    trained.run(lambda s: s.advance(400), "Train", count=True)
    assert steps[2].task.check(trained).done and not steps[2].task.check(fresh).done
    marks = {"2": state_mark(trained), "3": state_mark(trained)}
    assert restored_done(steps, [1, 2, 3], marks, fresh) == {1}
    # the very state it was done in (a kept copy reopened): every record counts
    assert restored_done(steps, [1, 2, 3], marks, trained) == {1, 2, 3}
    # no mark (older settings) but the condition holds now: done
    assert restored_done(steps, [2, 3], {}, trained) == {2, 3}
    # nonsense from the settings file is ignored
    assert restored_done(steps, [0, 9, -1, "x"], {}, fresh) == set()


def test_the_mark_follows_weights_epoch_and_settings():
    a, b = lesson(), lesson()
    assert state_mark(a) == state_mark(b)
    b.set_weight(0, 0, 0, 0.123)
    assert state_mark(a) != state_mark(b)
    c = lesson()
    c.set_setting("learning_rate", 0.01)
    assert state_mark(a) != state_mark(c)
