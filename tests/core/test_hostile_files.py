"""Hostile .aeviz files (#12 items 6, 14): text that could never be saved and
integers Python refuses to convert are refused on load with one sentence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.model import default_model

ROOT = Path(__file__).resolve().parents[2]


def good_text() -> str:
    return json.dumps(ff.to_dict(default_model()))


@pytest.mark.parametrize("old,new,field", [
    ('"name": "', '"name": "\\ud800', "name"),
    ('"name": "', '"description": "a \\udfff b", "name": "', "description"),
    ('"name": "', '"notes": {"x": ["ok", "\\ud83d"]}, "name": "', "notes.x[1]"),
])
def test_a_lone_surrogate_is_refused_naming_the_field(old, new, field):
    text = good_text().replace(old, new, 1)
    with pytest.raises(ff.FileFormatError, match="surrogate") as info:
        ff.loads(text)
    assert str(info.value).startswith(f"{field}: ")


def test_a_surrogate_pair_is_fine():
    model = ff.loads(good_text().replace('"name": "', '"name": "\\ud83d\\ude00 ', 1))
    assert model.name.startswith("\U0001F600")


@pytest.mark.parametrize("old", ['"seed": 0', '"version": 1', '"size": 5'])
def test_an_integer_of_thousands_of_digits_is_one_sentence(old):
    key = old.split(":")[0]
    text = good_text().replace(old, f"{key}: {'7' * 5000}", 1)
    with pytest.raises(ff.FileFormatError, match="5000 digits"):
        ff.loads(text)


def test_the_cli_refuses_them_in_one_line(tmp_path):
    for n, text in enumerate([good_text().replace('"seed": 0', '"seed": ' + "1" * 4301),
                              good_text().replace('"name": "', '"name": "\\ud800', 1)]):
        path = tmp_path / f"bad{n}.aeviz"
        path.write_text(text)
        for args in (["train", str(path), "--epochs", "1"],
                     ["eval", str(path), "--input", "1,0,0,0,0"]):
            out = subprocess.run([sys.executable, "-m", "aeviz", *args], capture_output=True,
                                 text=True, cwd=ROOT, timeout=120)
            assert out.returncode == 2, out.stderr
            assert len(out.stderr.splitlines()) == 1 and out.stderr.startswith("aeviz: error:")


def test_pattern_values_the_maths_cannot_hold_are_refused_with_the_range():
    """#12 item 18."""
    data = ff.to_dict(default_model())
    data["dataset"] = {"kind": "patterns", "rows": [[1, 0, 0, 0, 0], [0, 0, 1e300, 0, 0]]}
    with pytest.raises(ff.FileFormatError) as info:
        ff.loads(json.dumps(data))
    assert str(info.value).startswith("dataset.rows[1][2]: ")
    assert "-1e+06 to 1e+06" in str(info.value)
    data["dataset"]["rows"][1][2] = 1e6
    assert ff.loads(json.dumps(data)).dataset.rows[1, 2] == 1e6


def test_feeding_a_huge_input_is_refused():
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.lessons.lesson_commands import EditRefused
    lesson = Lesson(default_model())
    with pytest.raises(EditRefused, match="outside the range"):
        lesson.set_input(np.array([1e300, 0, 0, 0, 0]))
