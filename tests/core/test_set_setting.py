"""One training setting at a time, in the core (#22 item 4): ``Lesson.set_setting``
writes one field, names the undo step after it, refuses with one sentence, and
undo brings back exactly that field (never other fields' old values)."""

from __future__ import annotations

import pytest

from aeviz.core import config as cfg
from aeviz.core.lessons.lesson import EditRefused, Lesson
from aeviz.core.files.presets import load_preset


def test_each_setting_changes_alone_and_undoes_alone():
    lesson = Lesson(load_preset("vae-digits"))
    t = lesson.training
    lesson.set_setting("learning_rate", 0.02)
    assert lesson.training == t.with_(learning_rate=0.02) and lesson.training.beta == 0.01
    assert lesson.undo_stack.undo_text() == f"Set learning rate {t.learning_rate:g} → 0.02"
    lesson.set_setting("beta", 0.5)
    assert lesson.undo_stack.undo_text() == "Set β 0.01 → 0.5"
    lesson.set_setting("noise.kind", "masking")
    lesson.set_setting("batch_size", 0)
    assert lesson.training.noise.kind == "masking"
    lesson.undo()                                           # the noise kind only
    assert lesson.training == t.with_(learning_rate=0.02, beta=0.5)
    lesson.undo()
    lesson.undo()
    assert lesson.training == t


def test_undoing_one_setting_keeps_a_later_change_of_another():
    """The command stores one field, not a whole config: undoing "Set momentum"
    after an unrelated change made outside the stack cannot bring back old values."""
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_setting("momentum", 0.5)
    lesson.model.training = lesson.training.with_(seed=77)      # e.g. a field set elsewhere
    lesson.undo()
    assert lesson.training.momentum == 0.0 and lesson.training.seed == 77


def test_names_of_values():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_setting("shuffle", not lesson.training.shuffle)
    assert lesson.undo_stack.undo_text() in ("Set shuffle on → off", "Set shuffle off → on")
    lesson.set_setting("batch_size", 2)
    assert lesson.undo_stack.undo_text() == "Set batch size full batch → 2"
    lesson.set_setting("learning_rate", 1)                     # an int from a guide: a float
    assert isinstance(lesson.training.learning_rate, float)


def test_merging_changes_of_one_setting_are_one_step():
    lesson = Lesson(load_preset("train-5-2-5"))
    steps = lesson.undo_stack.index
    lesson.set_setting("batch_size", 3, merge=True)
    lesson.set_setting("batch_size", 32, merge=True)
    assert lesson.undo_stack.index == steps + 1
    assert lesson.undo_stack.undo_text() == "Set batch size full batch → 32"


@pytest.mark.parametrize("name, value, words", [
    ("learning_rate", -1.0, "learning rate must be a number"),
    ("momentum", 1.0, "momentum must be a number in [0, 1)"),
    ("seed", 2.5, "whole number"),
    ("shuffle", 1, "on or off"),
    ("optimizer", "rmsprop", "must be one of sgd, adam"),
    ("nothing", 1, "no setting called"),
    ("noise.level", 2.0, "noise level must be a number in [0, 1]"),
    ("loss", "cross_entropy", "cross-entropy needs a softmax or sigmoid output"),
])
def test_refusals_say_why_and_change_nothing(name, value, words):
    lesson = Lesson(load_preset("linear-pca"))
    lesson.model.training = lesson.training.with_(noise=cfg.Noise("masking", 0.1))
    t = lesson.training
    with pytest.raises(EditRefused, match=None) as e:
        lesson.set_setting(name, value)
    assert words in str(e.value)
    assert lesson.training == t and not lesson.undo_stack.can_undo()
