"""Labels in the file format and CSV, and the shipped handwritten digits (issue 25)."""

import json

import numpy as np
import pytest

from aeviz.core.files import fileformat
from aeviz.core.files.datasets import (Dataset, builtin_dataset, read_csv, read_labelled_csv,
                                 to_csv)
from aeviz.core.files.jsonfields import FileFormatError
from aeviz.core.model import Model
from aeviz.core.engine.network import Network


def _model(dataset: Dataset) -> Model:
    n = dataset.width
    net = Network.create([n, 2, n], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    return Model(net, dataset=dataset)


def _file(**dataset) -> dict:
    d = fileformat.to_dict(_model(Dataset.patterns(np.eye(3))))
    d["dataset"] = {"kind": "patterns", **dataset}
    return d


def test_shipped_digits_are_the_uci_test_set():
    d = builtin_dataset("digits-8x8")
    assert d.rows.shape == (1797, 64) and d.image == (8, 8)
    assert d.rows.min() == 0 and d.rows.max() == 1          # grey / 16
    assert np.bincount(d.labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert d.label_text(0) == "0" and d.label_count() == 10
    # the first picture is a 0: dark centre column between two bright sides
    picture = d.rows[0].reshape(8, 8)
    assert picture[3:5, 3:5].max() == 0 and picture[3:5, 1].min() > 0.2


def test_labels_round_trip_inline():
    rows = np.eye(3)
    data = Dataset.patterns(rows, labels=[2, 0, 1], label_names=["a", "b", "c"])
    back = fileformat.loads(fileformat.dumps(_model(data))).dataset
    assert back == data and back.labels.tolist() == [2, 0, 1]
    assert back.label_text(0) == "c"
    assert fileformat.loads(fileformat.dumps(_model(Dataset.patterns(rows)))).dataset.labels is None


def test_builtin_dataset_is_saved_by_name_and_loads_back():
    model = _model(builtin_dataset("digits-8x8"))
    text = fileformat.dumps(model)
    assert json.loads(text)["dataset"] == {"kind": "patterns", "builtin": "digits-8x8"}
    assert len(text) < 200_000                  # the rows are not inlined
    back = fileformat.loads(text).dataset
    assert back == builtin_dataset("digits-8x8") and back.labels is not None


def test_edited_builtin_rows_are_inlined():
    d = builtin_dataset("digits-8x8")
    rows = d.matrix()
    rows[0, 0] = 0.5
    edited = Dataset.patterns(rows, d.image, d.labels, d.label_names, d.builtin)
    out = json.loads(fileformat.dumps(_model(edited)))["dataset"]
    assert "builtin" not in out and len(out["rows"]) == 1797 and len(out["labels"]) == 1797


@pytest.mark.parametrize("dataset, field, words", [
    ({"rows": [[0, 0, 1]] * 3, "labels": [0, 1]}, "dataset.labels", "2 labels for 3 patterns"),
    ({"rows": [[0, 0, 1]] * 3, "labels": [0, -1, 1]}, "dataset.labels[1]", "whole number"),
    ({"rows": [[0, 0, 1]] * 3, "labels": [0, "x", 1]}, "dataset.labels[1]", "whole number"),
    ({"rows": [[0, 0, 1]] * 3, "labels": [0, 1, 2], "label_names": ["a", "b"]},
     "dataset.label_names", "label 2 has no name"),
    ({"rows": [[0, 0, 1]] * 3, "label_names": ["a"]}, "dataset.label_names",
     "dataset.labels is not"),
    ({"rows": [[0, 0, 1]] * 3, "labels": "012"}, "dataset.labels", "a list"),
    ({"builtin": "mnist"}, "dataset.builtin", "not one of digits-8x8"),
    ({"builtin": "digits-8x8"}, "dataset.builtin", "64 values but the input layer has 3"),
])
def test_bad_labels_are_one_sentence_naming_the_field(dataset, field, words):
    with pytest.raises(FileFormatError) as e:
        fileformat.from_dict(_file(**dataset))
    message = str(e.value)
    assert message.startswith(field + ":") and words in message, message
    assert message.count(". ") == 0


def test_builtin_refuses_inline_rows_beside_it():
    d = _file(builtin="digits-8x8", rows=[[0] * 64])
    with pytest.raises(FileFormatError, match="dataset.rows: cannot be given with"):
        fileformat.from_dict(d)


def test_csv_label_column_numbers_and_texts():
    rows, labels, names = read_labelled_csv("a,label,b\n1,3,0\n0,1,1\n")
    assert rows.tolist() == [[1, 0], [0, 1]] and labels.tolist() == [3, 1] and names is None
    rows, labels, names = read_labelled_csv("x1,x2,label\n1,0,cat\n0,1,dog\n1,1,cat\n")
    assert labels.tolist() == [0, 1, 0] and names == ("cat", "dog")
    # no header: all columns are values, as before
    assert read_csv("1,0\n0,1\n").tolist() == [[1, 0], [0, 1]]
    assert read_labelled_csv("1,0\n0,1\n")[1] is None
    with pytest.raises(ValueError, match="line 3 has no value in the label column"):
        read_labelled_csv("a,b,label\n1,0,1\n1\n")


def test_csv_round_trips_labels():
    d = builtin_dataset("digits-8x8")
    rows, labels, names = read_labelled_csv(to_csv(d.rows[:20], d.labels[:20], d.label_names))
    assert np.allclose(rows, d.rows[:20]) and labels.tolist() == d.labels[:20].tolist()
    assert names is None                # the digits' names are their numbers


def test_a_guide_step_computes_only_the_numbers_it_quotes(monkeypatch):
    """A step is re-rendered on every change while training: quoting {epoch} must
    not count the distinct codes of 1,797 digits (O(P) Python work each time)."""
    from aeviz.core.guides import guide
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.files.presets import load_preset
    lesson = Lesson(load_preset("train-5-2-5"))

    def boom(_lesson):
        raise AssertionError("computed although not quoted")
    monkeypatch.setitem(guide.LIVE, "distinct_codes", boom)
    assert guide.render("Epoch {epoch}, loss {loss}", lesson).startswith("Epoch 0, loss ")


def test_train_json_prints_labels_in_code_order_and_sample_names_labels():
    from aeviz.core.measures.generate import sample_prior

    from .test_cli import aeviz
    out = aeviz("train", "--preset", "digits-8x8", "--epochs", "3", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    d = builtin_dataset("digits-8x8")
    assert len(result["codes"]) == len(result["labels"]) == 1797
    assert result["labels"] == d.labels.tolist() and result["label_names"] == list(d.label_names)
    assert 0 < result["pca_knn_accuracy"] < 1 and 0 < result["code_knn_accuracy"] <= 1
    text = aeviz("train", "--preset", "digits-8x8", "--epochs", "1")
    assert "a vote of the 5 nearest other codes names its label" in text.stdout
    plain = json.loads(aeviz("train", "--preset", "train-5-2-5", "--epochs", "1",
                             "--json").stdout)
    assert "labels" not in plain
    out = aeviz("sample", "--preset", "digits-8x8-vae", "--n", "4", "--seed", "2", "--json")
    result = json.loads(out.stdout)
    from aeviz.core.files.presets import load_preset
    m = load_preset("digits-8x8-vae")
    s = sample_prior(m.network, m.data(), 4, np.random.default_rng(2))
    assert result["nearest_label"] == [str(d.labels[p]) for p in s.nearest]
    text = aeviz("sample", "--preset", "digits-8x8-vae", "--n", "1", "--seed", "2").stdout
    assert f"(label {d.labels[s.nearest[0]]})" in text


def test_sample_nearest_is_exact_in_blocks():
    from aeviz.core.measures.generate import nearest_rows
    rng = np.random.default_rng(0)
    y, data = rng.random((300, 8)), rng.random((50, 8))
    d = np.linalg.norm(y[:, None] - data[None], axis=2)
    k, dist = nearest_rows(y, data, block=7)
    assert k.tolist() == d.argmin(axis=1).tolist()
    np.testing.assert_allclose(dist, d.min(axis=1))


def test_no_nearest_of_thousands_map_for_labelled_or_many_patterns():
    from aeviz.core.measures import codespace
    from aeviz.core.files.presets import load_preset
    m = load_preset("digits-8x8")
    assert codespace.map_kind(m) is None                          # labelled: colours are labels
    unlabelled = Dataset.patterns(m.dataset.rows, m.dataset.image)
    m.dataset = unlabelled
    assert codespace.map_kind(m) is None                          # 1,797 > MAX_NEAREST
    m.dataset = Dataset.patterns(unlabelled.rows[:50], unlabelled.image)
    assert codespace.map_kind(m) == "nearest"                     # small picture sets keep it
