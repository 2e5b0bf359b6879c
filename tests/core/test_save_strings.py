"""Saving never rewrites the user's text (#22 item 5): the writer puts each row of
numbers on one line, but a name, description, guide text or unknown key holding
something that looks like a number list is kept byte for byte."""

from __future__ import annotations

import json

from aeviz.core.files import fileformat as ff
from aeviz.core.files.presets import load_preset

LOOKALIKES = ["[ 1, 0 ]", "[\n  1,\n  0\n]", "[  -2.5e3 ,  4 ]", "a [ 1 ] b \"[ 2, 3 ]\" \\[ 4 ]",
              "[ 1, 0 ]\\"]


def test_brackets_in_every_string_field_survive_save_and_load(tmp_path):
    for text in LOOKALIKES:
        model = load_preset("forward-pass")        # a guide with text, prompt, options, reveal
        data = ff.to_dict(model)
        data["name"] = f"name {text}"
        data["description"] = f"description {text}"
        for step in data["guide"]:
            step["text"] = f"step {text}"
            task = step.get("task")
            if task:
                for key in ("prompt", "reveal", "hint"):
                    task[key] = f"{key} {text}"
                if "options" in task:
                    task["options"] = [f"option {i} {text}" for i in range(len(task["options"]))]
        data[f"unknown {text}"] = {f"key {text}": [f"value {text}", 1, [2, 3]]}
        model = ff.from_dict(data)
        path = tmp_path / "brackets.aeviz"
        ff.save(model, path)
        saved = path.read_text(encoding="utf-8")
        for value in (f"name {text}", f"step {text}", f"key {text}", f"option 0 {text}"):
            assert json.dumps(value, ensure_ascii=False) in saved, (text, value)
        again = ff.to_dict(ff.load(path))
        assert again == ff.to_dict(model), text                   # every field, every string
        assert again["name"] == f"name {text}" and again["description"] == f"description {text}"
        assert again[f"unknown {text}"] == {f"key {text}": [f"value {text}", 1, [2, 3]]}
        ff.save(ff.load(path), path)
        assert path.read_text(encoding="utf-8") == saved          # byte-exact the second time


def test_number_rows_are_still_one_line_each():
    text = ff.dumps(load_preset("article-example"))
    weights = json.loads(text)["weights"][0]
    assert "[" + ", ".join(repr(v) for v in weights[0]) + "]" in text


def _old_dumps(model) -> str:
    """The writer before #22 (json.dumps, then number rows joined by a regex):
    right wherever no string looks like a number list."""
    import re
    rows = re.compile(r"\[\s+([-+0-9.eE,\s]+?)\s+\]")
    text = json.dumps(ff.to_dict(model), indent=2, ensure_ascii=False, allow_nan=False)
    return rows.sub(lambda m: "[" + ", ".join(s.strip() for s in m.group(1).split(",")) + "]",
                    text) + "\n"


def test_the_format_is_the_one_files_already_have():
    """Every built-in lesson is written byte for byte as before (so files do not
    change on save for no reason), and reads back equal."""
    from aeviz.core.files.presets import preset_paths
    for name, path in preset_paths().items():
        model = ff.load(path)
        text = ff.dumps(model)
        assert text == _old_dumps(model), name
        assert json.loads(text) == ff.to_dict(model)


def test_json_values_of_every_kind_in_unknown_keys():
    model = load_preset("article-example")
    model.extra = {"empty list": [], "empty object": {}, "mixed": [1, True, None, "a", 2.5],
                   "nested": [[1, 2], [], [[3]]], "big": 10**30, "small": 1e-300,
                   "bools": [True, False], "unicode": "é ∂ \u2028 \x00 \"q\""}
    text = ff.dumps(model)
    assert text == _old_dumps(model)
    assert json.loads(text)["nested"] == [[1, 2], [], [[3]]]
