"""Hostile .aeviz files: a seeded generator mutates valid files (types, shapes,
sizes, NaN/Infinity/1e400/-0, deep nesting, huge arrays, truncation, random
bytes) and loads each through the loader the GUI and the CLI use.  Every case
either loads into a valid model or is refused with one sentence.

2,000 cases in the normal run; set AEVIZ_FUZZ_CASES for a longer one."""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.model import default_model
from aeviz.core.files.presets import preset_paths

CASES = int(os.environ.get("AEVIZ_FUZZ_CASES", "2000"))

SEEDS = [json.loads(p.read_text()) for p in preset_paths().values()]
SEEDS.append(ff.to_dict(default_model()))

ODD_VALUES = [None, True, False, 0, -0.0, 1, -1, 2**70, -(2**70), 1.5, 1e308, -1e-320,
              "", "x", "NaN", "tanh", "softmax", "one_hot", [], {}, [[]], [1, 2], {"a": 1},
              [None], 1025, 0.0, 10**400]
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-0", "1e-400",
               "123456789012345678901234567890", "0.0000000000001"]


def paths(doc, prefix=()):
    """Every path (tuple of keys/indices) into a JSON document."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:6]):
            yield from paths(v, prefix + (i,))


def set_path(doc, path, value):
    if not path:
        return value
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return doc


def mutate(rng: np.random.Generator) -> str | bytes:
    doc = copy.deepcopy(SEEDS[rng.integers(len(SEEDS))])
    kind = rng.integers(9)
    all_paths = list(paths(doc))
    path = all_paths[rng.integers(len(all_paths))]
    if kind == 0:                                      # a wrong value anywhere
        doc = set_path(doc, path, copy.deepcopy(ODD_VALUES[rng.integers(len(ODD_VALUES))]))
    elif kind == 1 and path and isinstance(doc, dict):  # delete something
        target = doc
        for p in path[:-1]:
            target = target[p]
        del target[path[-1]]
    elif kind == 2:                                    # deep nesting
        depth = int(rng.integers(50, 5000))
        doc = set_path(doc, path, "@@DEEP@@")
        return json.dumps(doc).replace('"@@DEEP@@"', "[" * depth + "0" + "]" * depth)
    elif kind == 3:                                    # a huge array
        doc = set_path(doc, path, [0.5] * int(rng.integers(1000, 200_000)))
    elif kind == 4:                                    # raw JSON tokens: NaN, 1e400, ...
        token = RAW_NUMBERS[rng.integers(len(RAW_NUMBERS))]
        doc = set_path(doc, path, "@@TOKEN@@")
        return json.dumps(doc).replace('"@@TOKEN@@"', token)
    elif kind == 5:                                    # truncation
        text = json.dumps(doc)
        return text[:rng.integers(len(text))]
    elif kind == 6:                                    # random bytes
        return bytes(rng.integers(0, 256, size=int(rng.integers(0, 400)), dtype=np.uint8))
    elif kind == 7:                                    # flip a number's sign or scale it
        value = doc
        for p in path:
            value = value[p]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            doc = set_path(doc, path, value * float(rng.choice([-1, 0, 1e6, 1e-6, 1e300])))
    else:                                              # resize a list
        value = doc
        for p in path:
            value = value[p]
        if isinstance(value, list) and value:
            if rng.integers(2):
                value.append(copy.deepcopy(value[-1]))
            else:
                value.pop()
    return json.dumps(doc)


def check_valid(model) -> None:
    net = model.network
    assert np.isfinite(net.params).all()
    assert net.sizes[0] == net.sizes[-1] == model.dataset.width
    assert model.data().shape[1] == net.sizes[0] and len(model.data()) > 0
    assert np.isfinite(model.data()).all()


@pytest.mark.parametrize("chunk", range(4))
def test_mutated_files_load_or_are_refused_in_one_sentence(chunk):
    rng = np.random.default_rng(1000 + chunk)
    loaded = refused = 0
    for _ in range(CASES // 4):
        raw = mutate(rng)
        try:
            model = ff.loads(raw)
        except ff.FileFormatError as e:
            message = str(e)
            assert message and "\n" not in message and len(message) < 300, message
            assert "Traceback" not in message
            refused += 1
        else:
            check_valid(model)
            loaded += 1
    assert refused > 0 and loaded > 0          # both outcomes are exercised
