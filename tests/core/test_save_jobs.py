"""A save written elsewhere while the lesson goes on (#22 item 9), in the core:
the snapshot is a copy, and only the state it holds becomes the saved one."""

from __future__ import annotations

import numpy as np

from aeviz.core.files import fileformat as ff
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.files.presets import load_preset


def test_the_snapshot_is_a_copy_and_later_edits_stay_unsaved(tmp_path):
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_weight(0, 0, 0, 0.5)
    job = lesson.save_snapshot(tmp_path / "a.aeviz")
    lesson.set_weight(0, 0, 0, 0.75)                       # while the file is written
    lesson.set_setting("learning_rate", 0.1)
    ff.save(job.model, job.path)
    assert lesson.saved(job) and lesson.path == tmp_path / "a.aeviz"
    assert lesson.modified                                 # the edits are not in the file
    saved = ff.load(job.path)
    assert saved.network.weights[0][0, 0] == 0.5 and saved.training.learning_rate == 1.0
    lesson.undo()
    lesson.undo()
    assert not lesson.modified                             # the state the file holds


def test_a_save_of_the_current_state_makes_it_clean(tmp_path):
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_weight(0, 0, 0, 0.5)
    job = lesson.save_snapshot(tmp_path / "a.aeviz")
    assert lesson.modified                                 # not before it is written
    ff.save(job.model, job.path)
    lesson.saved(job)
    assert not lesson.modified


def test_an_edit_cannot_merge_into_the_state_being_saved(tmp_path):
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_weight(0, 0, 0, 0.5, merge=True)
    job = lesson.save_snapshot(tmp_path / "a.aeviz")
    lesson.set_weight(0, 0, 0, 0.6, merge=True)            # a drag goes on meanwhile
    lesson.saved(job)
    assert lesson.modified
    lesson.undo()
    assert lesson.network.weights[0][0, 0] == 0.5 and not lesson.modified


def test_a_saved_state_that_can_no_longer_be_reached_is_never_called_clean(tmp_path):
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_weight(0, 0, 0, 0.5)
    job = lesson.save_snapshot(tmp_path / "a.aeviz")
    lesson.undo()
    lesson.set_weight(0, 0, 0, 0.25)                       # the saved state is gone
    lesson.saved(job)
    assert lesson.modified
    lesson.undo()
    assert lesson.modified and not np.isclose(lesson.network.weights[0][0, 0], 0.5)


def test_a_save_that_ends_after_another_lesson_was_opened_changes_nothing(tmp_path):
    lesson = Lesson(load_preset("train-5-2-5"))
    job = lesson.save_snapshot(tmp_path / "a.aeviz")
    lesson.replace(load_preset("encoder-8-3-8"), None)
    lesson.set_weight(0, 0, 0, 0.5)
    ff.save(job.model, job.path)
    assert not lesson.saved(job)
    assert lesson.path is None and lesson.modified
