"""The .aeviz file: round trips exactly, and every malformed file is refused with
one sentence naming the field, leaving nothing half-loaded."""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.model import default_model

GOOD = {
    "format": "aeviz", "version": 1, "name": "Article example",
    "layers": [{"size": 5}, {"size": 2, "activation": "tanh"},
               {"size": 5, "activation": "softmax"}],
    "weights": [[[1, -1]] * 5, [[1, -1, 1, -1, 1]] * 2],
    "biases": [[0, 0], [0, 0, 0, 0, 0]],
    "training": {"loss": "cross_entropy", "learning_rate": 0.5, "optimizer": "sgd",
                 "momentum": 0.0, "batch_size": 0, "shuffle": True, "weight_decay": 0.0,
                 "sparsity": {"penalty": "none", "weight": 0.0, "target": 0.05},
                 "noise": {"kind": "none", "level": 0.0}, "seed": 0},
    "dataset": {"kind": "one_hot", "size": 5},
}


def mutate(path: str, value):
    """GOOD with the field at ``path`` (dotted, with [i]) set to value (DELETE removes)."""
    doc = copy.deepcopy(GOOD)
    parts = path.replace("[", ".").replace("]", "").split(".")
    target = doc
    for p in parts[:-1]:
        target = target[int(p)] if p.isdigit() else target[p]
    last = parts[-1]
    key = int(last) if last.isdigit() else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return doc


DELETE = object()

BAD = [
    # (path, value, words the message must contain)
    ("format", "other", "format"),
    ("format", DELETE, "format: is missing"),
    ("version", 3, "newer aeviz"),
    ("version", "1", "version: must be a whole number"),
    ("version", True, "version"),
    ("layers", [{"size": 5}], "layers"),
    ("layers", [{"size": 5}] + [{"size": 3, "activation": "tanh"}] * 10, "layers"),
    ("layers[1].size", 0, "layers[1].size"),
    ("layers[2].size", 4, "output layer must have as many units as its input"),
    ("layers[1].size", 1025, "layers[1].size"),
    ("layers[1].size", 2.5, "layers[1].size: must be a whole number"),
    ("layers[1].size", "2", "layers[1].size"),
    ("layers[1].activation", "softmax", "layers[1].activation"),
    ("layers[2].activation", "swish", "layers[2].activation"),
    ("layers[1]", [2], "layers[1]: must be an object"),
    ("weights", [[[1, -1]] * 5], "weights: must hold 2"),
    ("weights[0]", [[1, -1]] * 4, "weights[0]: must have 5 rows"),
    ("weights[0][2]", [1, -1, 1], "weights[0][2]"),
    ("weights[0][2]", [1, "x"], "weights[0][2][1]: must be a number"),
    ("weights[0][2]", [1, None], "weights[0][2][1]"),
    ("weights[0][2]", [1, True], "weights[0][2][1]"),
    ("weights[0][2]", [1, 10 ** 400], "weights[0]"),
    ("biases[1]", [0, 0], "biases[1]"),
    ("training", [], "training: must be an object"),
    ("training.loss", "hinge", "training.loss"),
    ("training.learning_rate", -1, "training.learning_rate"),
    ("training.learning_rate", "fast", "training.learning_rate"),
    ("training.optimizer", "rmsprop", "training.optimizer"),
    ("training.momentum", 1.0, "training.momentum"),
    ("training.batch_size", -1, "training.batch_size"),
    ("training.batch_size", 1.5, "training.batch_size"),
    ("training.shuffle", "yes", "training.shuffle"),
    ("training.sparsity.penalty", "l2", "training.sparsity.penalty"),
    ("training.sparsity.target", 0.0, "training.sparsity.target"),
    ("training.sparsity.target", 1.0, "training.sparsity.target"),
    ("training.noise.kind", "blur", "training.noise.kind"),
    ("training.noise", {"kind": "masking", "level": 1.5}, "training.noise.level"),
    ("training.noise", {"kind": "masking", "level": -0.1}, "training.noise.level"),
    ("training.seed", -3, "training.seed"),
    ("training.loss", "cross_entropy", None),          # placeholder, replaced below
    ("dataset.kind", "images", "dataset.kind"),
    ("dataset.size", 4, "dataset.size"),
    ("dataset", {"kind": "patterns", "rows": []}, "dataset.rows: is empty"),
    ("dataset", {"kind": "patterns", "rows": [[1, 0, 0]]}, "dataset.rows"),
    ("dataset", {"kind": "patterns", "rows": [[1, 0, 0, 0, 0], [1, 0]]}, "dataset.rows[1]"),
    ("dataset", {"kind": "patterns"}, "dataset.rows: is missing"),
    ("dataset", {"kind": "patterns", "rows": [[1, 0, 0, 0, 0]], "image": [2, 2]},
     "dataset.image"),
    ("dataset", {"kind": "patterns", "rows": [[1, 0, 0, 0, 0]], "image": [5, True]},
     "dataset.image"),
]
BAD = [b for b in BAD if b[2] is not None]


@pytest.mark.parametrize("path,value,words", BAD, ids=[f"{p}={v!r}"[:50] if v is not DELETE else f"{p} deleted" for p, v, _ in BAD])
def test_malformed_field_is_refused_with_one_sentence(path, value, words):
    with pytest.raises(ff.FileFormatError) as info:
        ff.from_dict(mutate(path, value))
    message = str(info.value)
    assert words in message
    assert "\n" not in message and len(message) < 200


def test_cross_entropy_needs_softmax_or_sigmoid_output():
    doc = mutate("layers[2].activation", "linear")
    with pytest.raises(ff.FileFormatError, match="training: cross-entropy needs"):
        ff.from_dict(doc)


def test_kl_needs_sigmoid_or_tanh_code():
    doc = mutate("layers[1].activation", "relu")
    doc["training"]["sparsity"] = {"penalty": "kl", "weight": 0.1, "target": 0.1}
    with pytest.raises(ff.FileFormatError, match="KL sparsity penalty"):
        ff.from_dict(doc)


@pytest.mark.parametrize("text,words", [
    ("", "not valid JSON"),
    ("{", "not valid JSON"),
    ('{"format": "aeviz", "version": 1, "layers": [{"size": NaN}]}', "NaN"),
    ('{"format": "aeviz", "version": 1, "x": Infinity}', "Infinity"),
    ('{"format": "aeviz", "version": 1, "x": -Infinity}', "-Infinity"),
    ('{"format": "aeviz", "version": 1, "layers": [{"size": 1e400}]}', "too large"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("[1, 2]", "JSON object"),
    ("null", "JSON object"),
])
def test_malformed_text_is_refused(text, words):
    with pytest.raises(ff.FileFormatError, match=None) as info:
        ff.loads(text)
    assert words in str(info.value)


def test_not_utf8_is_refused():
    with pytest.raises(ff.FileFormatError, match="not UTF-8"):
        ff.loads(b"\xff\xfe\x00garbage")


def test_missing_weights_are_drawn_from_the_seed_and_biases_zero():
    doc = copy.deepcopy(GOOD)
    del doc["weights"], doc["biases"]
    a, b = ff.from_dict(doc), ff.from_dict(doc)
    np.testing.assert_array_equal(a.network.params, b.network.params)
    assert np.abs(a.network.weights[0]).max() > 0
    assert all(np.all(bias == 0) for bias in a.network.biases)
    doc["training"]["seed"] = 1
    assert not np.array_equal(ff.from_dict(doc).network.params, a.network.params)


def test_glorot_uniform_range():
    doc = copy.deepcopy(GOOD)
    del doc["weights"]
    doc["layers"] = [{"size": 64}, {"size": 16, "activation": "tanh"},
                     {"size": 64, "activation": "softmax"}]
    doc["biases"] = [[0] * 16, [0] * 64]
    doc["dataset"] = {"kind": "one_hot", "size": 64}
    w = ff.from_dict(doc).network.weights[0]
    r = np.sqrt(6 / 80)
    assert np.abs(w).max() <= r and np.abs(w).max() > 0.9 * r


def test_unknown_keys_are_kept_on_save(tmp_path):
    doc = copy.deepcopy(GOOD)
    doc["teacher_notes"] = {"week": 3}
    doc["training"]["future_option"] = 1          # ignored, not fatal
    model = ff.from_dict(doc)
    path = tmp_path / "a.aeviz"
    ff.save(model, path)
    assert json.loads(path.read_text())["teacher_notes"] == {"week": 3}


def test_round_trip_is_exact(tmp_path):
    model = default_model()
    model.network.params[:] = np.random.default_rng(5).normal(size=model.network.params.size)
    model.network.params[0] = 1 / 3
    path = tmp_path / "m.aeviz"
    ff.save(model, path)
    again = ff.load(path)
    np.testing.assert_array_equal(again.network.params, model.network.params)
    assert again.training == model.training and again.dataset == model.dataset
    assert ff.dumps(again) == path.read_text()


def test_patterns_dataset_round_trip(tmp_path):
    doc = copy.deepcopy(GOOD)
    doc["dataset"] = {"kind": "patterns", "rows": [[1, 0, 1, 0, 1], [0, 1, 0, 1, 0.5]]}
    model = ff.from_dict(doc)
    assert model.data().shape == (2, 5)
    ff.save(model, tmp_path / "p.aeviz")
    np.testing.assert_array_equal(ff.load(tmp_path / "p.aeviz").data(), model.data())


def test_save_is_atomic_and_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "keep.aeviz"
    model = default_model()
    ff.save(model, path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    model.network.params[:] = 0.0
    with pytest.raises(OSError):
        ff.save(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.aeviz"]     # no temp file left


def test_nan_weights_are_never_saved(tmp_path):
    model = default_model()
    model.network.params[3] = np.nan
    with pytest.raises(ValueError, match="not finite"):
        ff.save(model, tmp_path / "x.aeviz")
    assert not (tmp_path / "x.aeviz").exists()


def test_unreadable_paths(tmp_path):
    with pytest.raises(ff.FileFormatError, match="cannot read"):
        ff.load(tmp_path / "missing.aeviz")
    with pytest.raises(ff.FileFormatError, match="folder"):
        ff.load(tmp_path)
