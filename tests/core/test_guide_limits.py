"""A guide the window could not show quickly, or at all, is refused at load
(issue 22, items 8, 11, 12): lengths, format widths, fields strings do not
take, targets with non-ASCII digits or thousands of digits.  Each refusal is
one sentence naming the step and the field, from the loader and so from
``aeviz lesson check``, ``aeviz train`` and ``aeviz FILE`` alike."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.guides.guide import MAX_TRAIN
from aeviz.core.guides.guide_text import (MAX_FORMAT_WIDTH, MAX_LINES, MAX_NAME, MAX_OPTION,
                                   MAX_RENDERED, MAX_TASK_TEXT, MAX_TEXT, render_template)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_guide import ROOT, lesson_doc  # noqa: E402


def refusal(doc: dict) -> str:
    with pytest.raises(ff.FileFormatError) as e:
        ff.from_dict(doc)
    message = str(e.value)
    assert "\n" not in message and len(message) < 400, message      # one sentence
    return message


def task(**fields) -> list[dict]:
    return [{"text": "x", "task": {"kind": "epochs", "at_least": 5, **fields}}]


BAD_TEXTS = [
    ("{loss:d}", "{loss:d}"),                             # a spec strings do not take
    ("{loss!z}", "unknown conversion"),
    ("{loss:{nothere}}", "field inside its format"),
    ("{loss:{loss}}", "field inside its format"),
    ("{x:>200000000}", "width of 200000000"),             # would allocate 200 MB per Next
    ("{x:>" + "1" * 21 + "}", "at most 100"),             # 10**20: Python refuses it
    ("{loss:.5000}", "precision of 5000"),
    ("{loss:\u00b2}", "{loss:\u00b2}"),
    ("{x[0]}", "not a live number"),
    ("{epoch.real}", "not a live number"),
    ("x" * (MAX_TEXT + 1), "at most 2,000"),
    ("\n" * MAX_LINES + "x", "lines; at most"),
    ("{x}" * 31, "at most 30"),
    ("   ", "is empty"),
    ("{", "stray brace"),
]


@pytest.mark.parametrize("text,words", BAD_TEXTS)
def test_a_text_the_window_cannot_show_is_refused_naming_the_step(text, words):
    message = refusal(lesson_doc([{"text": "fine {loss}"}, {"text": text}]))
    assert message.startswith("guide[1].text:") and words in message, message


def test_a_text_is_rendered_against_this_networks_numbers_at_load():
    ok = f"{{x:>{MAX_FORMAT_WIDTH}}} {{h!r:^20}} {{loss:.3}} {{epoch:_<8s}}"
    model = ff.from_dict(lesson_doc([{"text": ok}]))
    assert model.guide[0].text == ok
    # the same text that passes on a 5-unit input is too long with 1024 inputs
    doc = lesson_doc([{"text": "{x} " * 7}])
    doc["layers"][0]["size"] = doc["layers"][-1]["size"] = doc["dataset"]["size"] = 1024
    for key in ("weights", "biases"):
        del doc[key]
    message = refusal(doc)
    assert message.startswith("guide[0].text:") and f"at most {MAX_RENDERED:,}" in message


@pytest.mark.parametrize("field,limit", [("prompt", MAX_TASK_TEXT), ("hint", MAX_TASK_TEXT),
                                         ("reveal", MAX_TASK_TEXT)])
def test_task_texts_have_a_length_limit(field, limit):
    ff.from_dict(lesson_doc(task(**{field: "y" * limit})))
    message = refusal(lesson_doc(task(**{field: "y" * (limit + 1)})))
    assert message.startswith(f"guide[0].task.{field}:") and "at most" in message


def test_choices_names_targets_and_actions_are_bounded():
    options = ["a", "b" * (MAX_OPTION + 1)]
    m = refusal(lesson_doc([{"text": "x", "task": {"kind": "choice", "options": options,
                                                   "answer": 1}}]))
    assert m.startswith("guide[0].task.options[1]:")
    m = refusal(lesson_doc([{"text": "x", "task": {"kind": "choice", "options": ["a"] * 11,
                                                   "answer": 1}}]))
    assert m.startswith("guide[0].task.options:") and "at most 10" in m
    m = refusal(lesson_doc([{"text": "x", "look_at": ["panel:Diagram"] * 21}]))
    assert m.startswith("guide[0].look_at:") and "at most 20" in m
    m = refusal(lesson_doc([{"text": "x"}, {"text": "y", "action": [{"feed": 1}] * 11}]))
    assert m.startswith("guide[1].action:") and "at most 10" in m
    doc = lesson_doc()
    doc["name"] = "n" * (MAX_NAME + 1)
    m = refusal(doc)
    assert m.startswith("name:") and "at most 1,000" in m
    doc["name"] = "n" * MAX_NAME
    assert ff.from_dict(doc).name == doc["name"]


def test_a_train_action_is_bounded():
    ff.from_dict(lesson_doc([{"text": "x"}, {"text": "y", "action": {"train": MAX_TRAIN}}]))
    m = refusal(lesson_doc([{"text": "x"}, {"text": "y", "action": {"train": MAX_TRAIN + 1}}]))
    assert m.startswith("guide[1].action[0].train:") and "to 20000" in m


BAD_TARGETS = [
    "neuron:\u00b2.1", "neuron:code.\u00b2", "row:Patterns.\u00b2", "row:Patterns.\u0663",
    "connection:input.1-code.\u00b2", "connection:\u00b2.1-code.1",
    "neuron:code." + "1" * 5000, "neuron:" + "1" * 5000 + ".1", "row:Patterns." + "9" * 5000,
    "connection:input." + "1" * 4400 + "-code.1",
]


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_targets_take_ascii_digits_only_and_refuse_huge_numbers(target):
    message = refusal(lesson_doc([{"text": "x", "look_at": [target]}]))
    assert message.startswith("guide[0].look_at[0]:"), message


def test_targets_with_ascii_digits_still_load():
    model = ff.from_dict(lesson_doc([{"text": "x", "look_at": [
        "neuron:1.2", "row:Patterns.05", "connection:0.5-1.1"]}]))
    assert [(t.layer, t.unit) for t in model.guide[0].look_at] == [(1, 1), (0, 4), (0, 4)]


def test_render_never_raises_on_a_text_made_in_code():
    assert render_template("{loss:d}", {"loss": "0.5"}) == "{loss:d}"
    assert render_template("{loss}", {"loss": "0.5"}) == "0.5"


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "aeviz", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env)


@pytest.mark.parametrize("steps,field", [
    ([{"text": "{loss:d}"}], "guide[0].text:"),
    ([{"text": "x"}, {"text": "{x:>" + "1" * 21 + "}"}], "guide[1].text:"),
    ([{"text": "x", "look_at": ["neuron:\u00b2.1"]}], "guide[0].look_at[0]:"),
    ([{"text": "x", "look_at": ["row:Patterns." + "1" * 4400]}], "guide[0].look_at[0]:"),
])
def test_lesson_check_and_train_refuse_in_one_sentence_without_a_traceback(tmp_path, steps,
                                                                           field):
    path = tmp_path / "bad.aeviz"
    path.write_text(json.dumps(lesson_doc(steps)))
    window = [(str(path),)] if importlib.util.find_spec("PySide6") else []   # aeviz FILE
    for args in [("lesson", "check", str(path)), ("train", str(path), "--epochs", "1")] + window:

        out = run(*args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aeviz: error: " + field), lines
