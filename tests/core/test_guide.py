"""Guided lessons in the core: the file's ``guide`` list is validated field by
field, round-trips, and every task kind fails on a wrong action and passes on
the right one (checked against the app's own definitions)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.config import Sparsity
from aeviz.core.guides.guide import apply_action, live_values, render
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.model import evaluate, shared_codes
from aeviz.core.files.presets import load_preset

ROOT = Path(__file__).resolve().parents[2]

STEPS = [
    {"text": "Feed pattern 1: the code is {h}.", "look_at": ["panel:Values", "neuron:code.1"]},
    {"text": "Two patterns share a code.", "look_at": ["row:Patterns.5",
                                                      "connection:input.1-code.2"],
     "task": {"kind": "distinct_codes", "patterns": [1, 5], "prompt": "Separate them"}},
    {"text": "Which output wins?", "task": {"kind": "predict_winner", "pattern": 3}},
    {"text": "Train.", "action": [{"set": {"learning_rate": 0.5}}, {"train": 10}],
     "task": {"kind": "reconstructed"}},
]


def lesson_doc(steps=None, version=2) -> dict:
    doc = json.loads(ff.dumps(load_preset("article-example")))
    doc["version"] = version
    doc["guide"] = copy.deepcopy(STEPS if steps is None else steps)
    return doc


def test_a_guide_loads_round_trips_and_needs_version_2():
    model = ff.from_dict(lesson_doc())
    assert len(model.guide) == 4
    step = model.guide[1]
    assert [t.kind for t in step.look_at] == ["row", "connection"]
    assert (step.look_at[1].layer, step.look_at[1].unit, step.look_at[1].to_unit) == (0, 0, 1)
    again = ff.loads(ff.dumps(model))
    assert [s.raw for s in again.guide] == [s.raw for s in model.guide]
    assert json.loads(ff.dumps(model))["version"] == 2
    # a file without steps is still written as version 1: an older aeviz opens it
    assert json.loads(ff.dumps(load_preset("encoder-8-3-8")))["version"] == 1
    with pytest.raises(ff.FileFormatError, match="guide: needs format version 2"):
        ff.from_dict(lesson_doc(version=1))
    doc = lesson_doc()
    doc["version"] = 3
    with pytest.raises(ff.FileFormatError, match="newer aeviz"):
        ff.from_dict(doc)


BAD_STEPS = [
    ([{"text": "x", "look_at": ["panel:Nowhere"]}], "guide[0].look_at[0]", "not a panel"),
    ([{"text": "x", "look_at": ["neuron:code.3"]}], "guide[0].look_at[0]", "units 1 to 2"),
    ([{"text": "x", "look_at": ["connection:input.1-output.1"]}], "guide[0].look_at[0]",
     "neighbouring"),
    ([{"text": "x", "look_at": ["row:Patterns.6"]}], "guide[0].look_at[0]", "rows 1 to 5"),
    ([{"text": "x", "look_at": ["nothing"]}], "guide[0].look_at[0]", "panel:Codes"),
    ([{"text": "x"}, {"look_at": []}], "guide[1].text", "is missing"),
    ([{"text": "{banana}"}], "guide[0].text", "not a live number"),
    ([{"text": "x", "task": {"kind": "distinct_codes", "patterns": [1, 7]}}],
     "guide[0].task.patterns", "patterns 1 to 5"),
    ([{"text": "x", "task": {"kind": "telepathy"}}], "guide[0].task.kind", "not one of"),
    ([{"text": "x", "task": {"kind": "sparse", "below": 2}}], "guide[0].task.below",
     "from 1e-06 to 1"),
    ([{"text": "x", "task": {"kind": "choice", "options": ["a", "b"], "answer": 3}}],
     "guide[0].task.answer", "from 1 to 2"),
    ([{"text": "x", "task": {"kind": "predict_winner", "pattern": 9}}],
     "guide[0].task.pattern", "from 1 to 5"),
    ([{"text": "x", "task": {"kind": "setting", "setting": "noise_kind", "value": "fog"}}],
     "guide[0].task.value", "not one of"),
    ([{"text": "x"}, {"text": "x", "action": {"train": 0}}], "guide[1].action[0].train",
     "from 1 to 20000"),
    ([{"text": "x"}, {"text": "x", "action": {"fly": 1}}], "guide[1].action[0]", "not one of"),
    ([{"text": "x"}, {"text": "x", "action": {"set": {"learning_rate": -1}}}],
     "guide[1].action[0].set.learning_rate", "must be a number"),
    ([{"text": "x", "colour": "red"}], "guide[0]", "not a step field"),
    ([{"text": "x", "task": {"kind": "reconstructed", "with": {"colour": 1}}}],
     "guide[0].task.with", "not one of"),
    ([{"text": "x", "task": {"kind": "reconstructed", "with": {"learning_rate": -1}}}],
     "guide[0].task.with.learning_rate", "must be a number"),
    ([], "guide", "at least one"),
    ([{"text": "x", "action": {"feed": 2}}], "guide[0].action", "the first step cannot act"),
    ([{"text": "x", "look_at": ["panel:Codes", "row:Patterns.2"]}], "guide[0].look_at",
     "Codes and Patterns, which are tabs of one panel"),
    ([{"text": "x", "look_at": ["panel:Values", "panel:Settings"]}], "guide[0].look_at",
     "can show only one"),
]


@pytest.mark.parametrize("steps,field,words", BAD_STEPS)
def test_a_bad_step_is_refused_naming_the_field(steps, field, words):
    with pytest.raises(ff.FileFormatError) as e:
        ff.from_dict(lesson_doc(steps))
    assert str(e.value).startswith(field + ":") and words in str(e.value)


def article_lesson(steps) -> Lesson:
    return Lesson(ff.from_dict(lesson_doc(steps)))


def task_of(lesson: Lesson, i: int = 0):
    return lesson.model.guide[i].task


def test_distinct_codes_wrong_edit_fails_right_edit_passes():
    lesson = article_lesson([{"text": "x", "task": {"kind": "distinct_codes",
                                                    "patterns": [1, 5]}}])
    task = task_of(lesson)
    first = task.check(lesson)
    assert not first.done and "1 and 5" in first.hint
    lesson.set_weight(1, 0, 0, 0.3)            # a decoder weight: codes unchanged
    assert not task.check(lesson).done
    lesson.set_weight(0, 0, 0, -1.0)           # input 1 -> code 1 flipped: own code
    assert task.check(lesson).done
    groups = shared_codes(lesson.evaluation().codes)
    assert not any({0, 4} <= set(g) for g in groups)


def test_twins_broken_needs_an_edit_of_a_twins_weight():
    lesson = article_lesson([{"text": "x", "task": {"kind": "twins_broken",
                                                    "patterns": [1, 5]}}])
    task = task_of(lesson)
    assert not task.check(lesson).done
    lesson.set_weight(0, 1, 0, 0.5)            # input 2's weight: 1 and 5 still twins
    assert not task.check(lesson).done
    lesson.set_weight(1, 0, 4, 0.5)            # output 5's incoming weight
    assert task.check(lesson).done


def test_reconstructed_and_epochs_pass_only_after_training():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.model.guide = ff.from_dict(lesson_doc([
        {"text": "x", "task": {"kind": "reconstructed"}},
        {"text": "y", "task": {"kind": "epochs", "at_least": 100}}])).guide
    rec, ep = task_of(lesson, 0), task_of(lesson, 1)
    assert not rec.check(lesson).done and "reconstructed" in rec.check(lesson).hint
    apply_action({"train": 5}, lesson)
    assert not rec.check(lesson).done and not ep.check(lesson).done
    apply_action({"train": 200}, lesson)
    assert rec.check(lesson).done and ep.check(lesson).done
    assert evaluate(lesson.network, lesson.training, lesson.data()).reconstructed.all()


def test_predict_winner_checks_the_live_forward_pass():
    lesson = article_lesson([{"text": "x", "task": {"kind": "predict_winner", "pattern": 3}}])
    task = task_of(lesson)
    y = lesson.network.forward(lesson.data()[2:3])[1][-1][0]
    right = int(np.argmax(y))
    wrong = (right + 1) % 5 if not np.isclose(y[(right + 1) % 5], y[right]) else (right + 2) % 5
    assert not task.check(lesson, None).done
    assert not task.check(lesson, wrong).done
    assert task.check(lesson, right).done
    assert task.choices(lesson) == tuple(f"output {j}" for j in range(1, 6))


def test_choice_checks_the_answer():
    lesson = article_lesson([{"text": "x", "task": {"kind": "choice", "options": ["yes", "no"],
                                                    "answer": 2, "hint": "Softmax never is."}}])
    task = task_of(lesson)
    wrong = task.check(lesson, 0)
    assert not wrong.done and "Softmax never is." in wrong.hint
    assert task.check(lesson, 1).done


def test_sparse_needs_the_penalty_and_low_activity():
    lesson = Lesson(load_preset("overcomplete-5-8-5"))
    lesson.model.guide = ff.from_dict(lesson_doc(
        [{"text": "x", "task": {"kind": "sparse", "below": 0.2}}])).guide
    task = task_of(lesson)
    apply_action({"train": 800}, lesson)                    # no penalty: not done
    assert not task.check(lesson).done and "off" in task.check(lesson).hint
    apply_action({"reset": True}, lesson)
    lesson.set_training(lesson.training.with_(sparsity=Sparsity("kl", 0.5, 0.1)))
    apply_action({"train": 800}, lesson)
    assert task.check(lesson).done


def test_unstable_fails_at_a_small_rate_and_passes_at_a_large_one():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.model.guide = ff.from_dict(lesson_doc(
        [{"text": "x", "task": {"kind": "unstable"}}])).guide
    task = task_of(lesson)
    apply_action({"train": 100}, lesson)
    assert not task.check(lesson).done
    apply_action({"set": {"learning_rate": 20}}, lesson)
    apply_action({"train": 100}, lesson)
    assert task.check(lesson).done


def test_setting_task_and_live_numbers():
    lesson = article_lesson([{"text": "epoch {epoch}, y = {y}", "task": {
        "kind": "setting", "setting": "learning_rate", "value": 2}}])
    task = task_of(lesson)
    assert not task.check(lesson).done
    apply_action({"set": {"learning_rate": 2}}, lesson)
    assert task.check(lesson).done
    y = lesson.forward()[1][-1][0]
    assert render(lesson.model.guide[0].text, lesson) == (
        "epoch 0, y = [" + ", ".join(f"{v:.3f}" for v in y) + "]")
    assert live_values(lesson)["reconstructed"] == "3 of 5"      # y1 == y5 is a tie


def test_cli_lesson_check_lists_steps_and_refuses_a_bad_step(tmp_path):
    good, bad = tmp_path / "good.aeviz", tmp_path / "bad.aeviz"
    good.write_text(json.dumps(lesson_doc()))
    bad.write_text(json.dumps(lesson_doc([{"text": "x", "look_at": ["panel:Nowhere"]}])))
    run = lambda *a: subprocess.run([sys.executable, "-m", "aeviz", *a], capture_output=True,
                                    text=True, cwd=ROOT, timeout=120)
    out = run("lesson", "check", str(good))
    assert out.returncode == 0, out.stderr
    assert "4 steps, 3 tasks" in out.stdout
    assert "task: distinct_codes — Separate them" in out.stdout
    assert "look at: row:Patterns.5, connection:input.1-code.2" in out.stdout
    out = run("lesson", "check", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip().startswith("aeviz: error: guide[0].look_at[0]:")


def test_an_edit_that_leaves_a_step_pointing_at_nothing_drops_the_guide_and_undo_restores():
    from aeviz.core.files.datasets import Dataset
    lesson = Lesson(load_preset("article-example"))
    steps = lesson.model.guide
    lesson.add_neuron(1)                       # code.1, code.2 still exist: kept
    assert lesson.model.guide and len(lesson.model.guide) == len(steps)
    lesson.undo()
    lesson.remove_neuron(0, 4)                 # pattern 5 and input 5 are gone: dropped
    assert lesson.model.guide == ()
    lesson.undo()
    assert lesson.model.guide == steps
    lesson.set_dataset(Dataset.one_hot(5), "One-hot 5")   # a new dataset: a new lesson
    assert lesson.model.guide == ()
    ff.loads(ff.dumps(lesson.model))           # and what is saved opens again


def test_the_readme_example_lesson_loads_with_its_three_steps():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Write a lesson"):]
    example = section[section.index("```json") + 7:section.index("```", section.index("```json") + 7)]
    model = ff.loads(example)
    assert len(model.guide) == 3
    assert [s.task.kind for s in model.guide if s.task] == ["predict_winner", "distinct_codes"]
    for field in ("panel:NAME", "neuron:LAYER.UNIT", "row:Patterns.N", "{mean_activity}"):
        assert field in section


def test_reconstructed_means_solved_not_a_flicker():
    """#24 item 4: "train until all are reconstructed" is done only when every
    pattern has been reconstructed for 100 epochs in a row."""
    lesson = Lesson(load_preset("stuck-5-2-5"))
    lesson.model.guide = ff.from_dict(lesson_doc([
        {"text": "x", "task": {"kind": "reconstructed"}}])).guide
    from .cases import one_epoch_flicker
    seed, epoch = one_epoch_flicker()
    lesson.set_training(lesson.training.with_(seed=seed))
    lesson.reset_weights()
    apply_action({"train": epoch}, lesson)             # every pattern, this epoch only
    assert lesson.evaluation().reconstructed.all()
    check = task_of(lesson).check(lesson)
    assert not check.done and "1 epoch in a row so far" in check.hint
    apply_action({"train": 1}, lesson)
    assert not task_of(lesson).check(lesson).done


def test_a_hand_edit_ends_the_streak():
    """Solved is about the weights trained: edit one and the 100 epochs start again."""
    lesson = Lesson(load_preset("train-5-2-5"))
    apply_action({"train": 300}, lesson)
    assert lesson.solved
    w = float(lesson.network.weights[0][0, 0])
    lesson.set_weight(0, 0, 0, w + 0.01)
    assert lesson.evaluation().reconstructed.all() and not lesson.solved
    lesson.undo()
    assert lesson.solved
