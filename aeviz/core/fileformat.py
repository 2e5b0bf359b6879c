"""The .aeviz file: JSON, validated field by field on load, saved atomically.

Every problem is reported as a :class:`FileFormatError` whose message is one
sentence naming the field (e.g. ``layers[2].activation: 'soft' is not one of
...``); nothing is half-loaded.  The README documents the format.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from aeviz.core.datasets import DATASET_KINDS, MAX_PATTERNS, Dataset, value_problem
from aeviz.core.guide import GuideError, parse_guide, to_list
from aeviz.core.losses import ConfigError, check_compatible
from aeviz.core.model import Model
from aeviz.core.network import (MAX_LAYERS, MAX_UNITS, MIN_LAYERS, MIN_UNITS, Network,
                                NetworkError, check_structure)
from aeviz.core.safeio import (FileTooLarge, NotRegularFile, atomic_write,
                               describe_size, read_regular)

FORMAT, VERSION = "aeviz", 2     # the newest version this aeviz reads
V2 = 2                           # the first version with a variational code or a ``guide``
MAX_FILE_BYTES = 256 * 1024 * 1024
KNOWN_KEYS = {"format", "version", "name", "description", "layers", "weights",
              "biases", "log_variance", "training", "dataset", "guide"}


class FileFormatError(ValueError):
    """A file aeviz refuses; the message is one sentence naming the field."""


# --- reading ----------------------------------------------------------------
def load(path: str | os.PathLike) -> Model:
    """Read and validate an .aeviz file."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile as e:
        raise FileFormatError(f"{path} is {e.strerror.removeprefix('it is ')}") from None
    except FileTooLarge:
        raise FileFormatError(f"{path.name} is larger than {describe_size(MAX_FILE_BYTES)}; "
                              f"aeviz opens files up to {describe_size(MAX_FILE_BYTES)}") from None
    except OSError as e:
        raise FileFormatError(f"cannot read {path}: {e.strerror or e}") from None
    return loads(raw)


def _reject_constant(name: str) -> Any:
    raise FileFormatError(f"the file contains {name}, which is not a valid number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise FileFormatError(f"the number {text[:30]} is too large")
    return value


MAX_INT_DIGITS = 400      # more digits than any float holds; Python refuses > 4300


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise FileFormatError(f"the file holds a whole number of {digits} digits "
                              f"({text[:12]}…), larger than any value aeviz accepts")
    return int(text)


def _check_text(data: Any) -> None:
    """Every string (keys too) must be encodable as UTF-8: a lone surrogate such as
    ``"\ud800"`` could be read but never saved.  The error names the field."""
    stack = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{where}.{key}" if where else str(key)
                if not _encodable(key):
                    raise _fail(where or "the file", "has a key with a lone surrogate "
                                "(\\ud800-\\udfff), which is not text")
                stack.append((item, field))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and not _encodable(value):
            raise _fail(where, "holds a lone surrogate (\\ud800-\\udfff), which is not "
                               "text and could never be saved")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def loads(raw: str | bytes) -> Model:
    """Parse and validate the text of an .aeviz file."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileFormatError("the file is not UTF-8 text, so it is not an .aeviz file") from None
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float,
                          parse_int=_whole_number)
    except RecursionError:
        raise FileFormatError("the file is nested too deeply to be an .aeviz file") from None
    except json.JSONDecodeError as e:
        raise FileFormatError(f"the file is not valid JSON ({e.msg} at line {e.lineno}, "
                              f"column {e.colno})") from None
    _check_text(data)
    return from_dict(data)


def _fail(field: str, problem: str) -> FileFormatError:
    return FileFormatError(f"{field}: {problem}")


def _get(obj: dict, key: str, field: str, kind: type | tuple, default: Any = None,
         required: bool = False) -> Any:
    """obj[key] checked to be of ``kind`` (bool is never an int or float here)."""
    if key not in obj:
        if required:
            raise _fail(field, "is missing")
        return default
    value = obj[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        names = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
                 list: "a list", dict: "an object"}
        want = " or ".join(dict.fromkeys(names[k] for k in kinds))
        raise _fail(field, f"must be {want}, not {_describe(value)}")
    return value


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"[:40]
    if isinstance(value, str):
        return f"the text {value[:20]!r}"
    return "a list" if isinstance(value, list) else "an object"


def _number(obj: dict, key: str, field: str, default: float, range_key: str) -> float:
    value = _get(obj, key, field, (int, float), default)
    try:
        value = float(value)
    except OverflowError:
        raise _fail(field, "is too large") from None
    if not cfg.in_range(range_key, value):
        raise _fail(field, f"must be {cfg.describe_range(range_key)}, not {value:g}")
    return value


def _choice(obj: dict, key: str, field: str, choices: tuple, default: str) -> str:
    value = _get(obj, key, field, str, default)
    if value not in choices:
        raise _fail(field, f"{value[:30]!r} is not one of " + ", ".join(choices))
    return value


def _matrix(value: Any, rows: int, cols: int, field: str) -> np.ndarray:
    """A rows x cols list of lists of finite numbers as a float array."""
    if not isinstance(value, list):
        raise _fail(field, f"must be a list, not {_describe(value)}")
    if len(value) != rows:
        raise _fail(field, f"must have {rows} rows, not {len(value)}")
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != cols:
            what = f"{len(row)} numbers" if isinstance(row, list) else _describe(row)
            raise _fail(f"{field}[{i}]", f"must be a list of {cols} numbers, not {what}")
        if not all(type(v) is float or type(v) is int for v in row):
            j = next(j for j, v in enumerate(row) if type(v) not in (int, float))
            raise _fail(f"{field}[{i}][{j}]", f"must be a number, not {_describe(row[j])}")
    try:
        arr = np.array(value, dtype=float).reshape(rows, cols)
    except OverflowError:
        raise _fail(field, "holds a number too large for aeviz") from None
    if not np.isfinite(arr).all():
        i, j = np.argwhere(~np.isfinite(arr))[0]
        raise _fail(f"{field}[{i}][{j}]", "is too large")
    return arr


def from_dict(data: Any) -> Model:
    """Validate a parsed file (see the README) and build the Model."""
    if not isinstance(data, dict):
        raise FileFormatError(f"an .aeviz file holds a JSON object, not {_describe(data)}")
    fmt = _get(data, "format", "format", str, required=True)
    if fmt != FORMAT:
        raise _fail("format", f"must be \"aeviz\", not {fmt[:30]!r}")
    version = _get(data, "version", "version", int, required=True)
    if version > VERSION:
        raise _fail("version", f"the file was written by a newer aeviz (format version "
                               f"{version}); this aeviz reads versions 1 to {VERSION}")
    if version < 1:
        raise _fail("version", f"must be 1 or more, not {version}")
    name = _get(data, "name", "name", str, "Untitled")
    description = _get(data, "description", "description", str, "")

    layers = _get(data, "layers", "layers", list, required=True)
    if not MIN_LAYERS + 1 <= len(layers) <= MAX_LAYERS + 1:
        raise _fail("layers", f"must list the input and {MIN_LAYERS} to {MAX_LAYERS} "
                              f"more layers, not {len(layers)} layers in all")
    sizes, acts, variational = [], [], []
    for i, layer in enumerate(layers):
        where = f"layers[{i}]"
        if not isinstance(layer, dict):
            raise _fail(where, f"must be an object, not {_describe(layer)}")
        size = _get(layer, "size", f"{where}.size", int, required=True)
        if not MIN_UNITS <= size <= MAX_UNITS:
            raise _fail(f"{where}.size", f"must be {MIN_UNITS} to {MAX_UNITS}, not {size}")
        sizes.append(size)
        if i:
            allowed = ACTIVATIONS if i == len(layers) - 1 else HIDDEN_ACTIVATIONS
            acts.append(_choice(layer, "activation", f"{where}.activation", allowed, ""))
        if _get(layer, "variational", f"{where}.variational", bool, False):
            variational.append(i)
    try:
        check_structure(sizes, acts)
    except NetworkError as e:
        raise _fail("layers", str(e)) from None
    code = Network.code_index(sizes)
    if variational and version < V2:
        raise _fail(f"layers[{variational[0]}].variational", f"needs format version {V2} or "
                    f"more; the file says version {version}")
    if variational and (variational != [code] or code == len(sizes) - 1):
        i = next((i for i in variational if i != code), variational[0])
        raise _fail(f"layers[{i}].variational", "only the code layer (the smallest hidden "
                    "layer" + (f", layer {code}" if code < len(sizes) - 1 else "; this network "
                               "has none") + ") can be variational")

    training = _training(_get(data, "training", "training", dict, {}))
    weights = biases = None
    if "weights" in data:
        w = _get(data, "weights", "weights", list)
        if len(w) != len(sizes) - 1:
            raise _fail("weights", f"must hold {len(sizes) - 1} matrices, not {len(w)}")
        weights = [_matrix(w[k], sizes[k], sizes[k + 1], f"weights[{k}]")
                   for k in range(len(w))]
    if "biases" in data:
        b = _get(data, "biases", "biases", list)
        if len(b) != len(sizes) - 1:
            raise _fail("biases", f"must hold {len(sizes) - 1} lists, not {len(b)}")
        biases = [_matrix([b[k]], 1, sizes[k + 1], f"biases[{k}]")[0] for k in range(len(b))]
    logvar = None
    if "log_variance" in data:
        if not variational:
            raise _fail("log_variance", "is given but no layer is variational")
        lv = _get(data, "log_variance", "log_variance", dict)
        w = _matrix(_get(lv, "weights", "log_variance.weights", list, required=True),
                    sizes[code - 1], sizes[code], "log_variance.weights")
        b = _matrix([_get(lv, "biases", "log_variance.biases", list, required=True)], 1,
                    sizes[code], "log_variance.biases")
        logvar = np.vstack([w, b])
    try:
        draw = None if weights is not None else np.random.default_rng(training.seed)
        net = Network.create(sizes, acts, weights, biases, rng=draw,
                             variational=bool(variational), logvar=logvar)
    except NetworkError as e:
        raise _fail("layers", str(e)) from None
    try:
        check_compatible(training, net.activations, net.code_layer, net.variational)
    except ConfigError as e:
        raise _fail("training", str(e)) from None

    dataset = _dataset(_get(data, "dataset", "dataset", dict, None), sizes[0])
    guide = ()
    if "guide" in data:
        if version < V2:
            raise _fail("guide", f"needs format version {V2} or more; the file "
                                 f"says version {version}")
        try:
            guide = parse_guide(data["guide"], net, len(dataset))
        except GuideError as e:
            raise FileFormatError(str(e)) from None
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Model(net, training, dataset, name, description, extra, guide)


def _training(t: dict) -> cfg.TrainingConfig:
    d = cfg.TrainingConfig()
    sp = _get(t, "sparsity", "training.sparsity", dict, {})
    no = _get(t, "noise", "training.noise", dict, {})
    kind = _choice(no, "kind", "training.noise.kind", cfg.NOISE_KINDS, d.noise.kind)
    level_range = "noise.level.gaussian" if kind == "gaussian" else "noise.level"
    batch = _get(t, "batch_size", "training.batch_size", int, d.batch_size)
    if not cfg.in_range("batch_size", batch):
        raise _fail("training.batch_size", f"must be {cfg.describe_range('batch_size')}")
    seed = _get(t, "seed", "training.seed", int, d.seed)
    if not cfg.in_range("seed", seed):
        raise _fail("training.seed", f"must be {cfg.describe_range('seed')}, not {seed}")
    return cfg.TrainingConfig(
        loss=_choice(t, "loss", "training.loss", cfg.LOSSES, d.loss),
        learning_rate=_number(t, "learning_rate", "training.learning_rate",
                              d.learning_rate, "learning_rate"),
        optimizer=_choice(t, "optimizer", "training.optimizer", cfg.OPTIMIZERS, d.optimizer),
        momentum=_number(t, "momentum", "training.momentum", d.momentum, "momentum"),
        batch_size=batch,
        shuffle=_get(t, "shuffle", "training.shuffle", bool, d.shuffle),
        weight_decay=_number(t, "weight_decay", "training.weight_decay", d.weight_decay,
                             "weight_decay"),
        sparsity=cfg.Sparsity(
            _choice(sp, "penalty", "training.sparsity.penalty", cfg.PENALTIES, "none"),
            _number(sp, "weight", "training.sparsity.weight", 0.0, "sparsity.weight"),
            _number(sp, "target", "training.sparsity.target", 0.05, "sparsity.target")),
        noise=cfg.Noise(kind, _number(no, "level", "training.noise.level", 0.0, level_range)),
        seed=seed,
        beta=_number(t, "beta", "training.beta", d.beta, "beta"))


def _dataset(d: dict | None, width: int) -> Dataset:
    if d is None:
        return Dataset.one_hot(width)
    kind = _choice(d, "kind", "dataset.kind", DATASET_KINDS, "one_hot")
    if kind == "one_hot":
        size = _get(d, "size", "dataset.size", int, width)
        if size != width:
            raise _fail("dataset.size", f"is {size} but the input layer has {width} units")
        return Dataset.one_hot(size)
    rows = _get(d, "rows", "dataset.rows", list, required=True)
    if not rows:
        raise _fail("dataset.rows", "is empty; a dataset needs at least one pattern")
    if len(rows) > MAX_PATTERNS:
        raise _fail("dataset.rows", f"has {len(rows)} patterns; at most {MAX_PATTERNS}")
    first = rows[0]
    if isinstance(first, list) and len(first) != width:
        raise _fail("dataset.rows", f"patterns have {len(first)} values but the input "
                                    f"layer has {width} units")
    image = _get(d, "image", "dataset.image", list, None)
    if image is not None:
        if (len(image) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                       and v > 0 for v in image)
                or image[0] * image[1] != width):
            raise _fail("dataset.image", f"must be [height, width] with height x width = "
                                         f"{width} pixels")
        image = (image[0], image[1])
    matrix = _matrix(rows, len(rows), width, "dataset.rows")
    problem = value_problem(matrix)
    if problem is not None:
        p, i, why = problem
        raise _fail(f"dataset.rows[{p}][{i}]", why)
    return Dataset.patterns(matrix, image)


# --- writing ----------------------------------------------------------------
def to_dict(model: Model) -> dict:
    net, t = model.network, model.training
    layers = [{"size": net.sizes[0]}] + [{"size": n, "activation": a}
                                         for n, a in zip(net.sizes[1:], net.activations)]
    if net.variational:
        layers[net.code_layer]["variational"] = True
    # the oldest version that holds everything: an older aeviz still opens the rest
    version = V2 if (model.guide or net.variational) else 1
    out = {"format": FORMAT, "version": version, "name": model.name}
    if model.description:
        out["description"] = model.description
    out.update({
        "layers": layers,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
    })
    if net.variational:
        out["log_variance"] = {"weights": net.logvar_block[:-1].tolist(),
                               "biases": net.logvar_block[-1].tolist()}
    out.update({
        "training": {
            "loss": t.loss, "learning_rate": t.learning_rate, "optimizer": t.optimizer,
            "momentum": t.momentum, "batch_size": t.batch_size, "shuffle": t.shuffle,
            "weight_decay": t.weight_decay,
            "sparsity": {"penalty": t.sparsity.penalty, "weight": t.sparsity.weight,
                         "target": t.sparsity.target},
            "noise": {"kind": t.noise.kind, "level": t.noise.level}, "seed": t.seed,
            **({"beta": t.beta} if net.variational else {})},
        "dataset": model.dataset.to_dict(),
    })
    if model.guide:
        out["guide"] = to_list(model.guide)
    for k, v in model.extra.items():
        out.setdefault(k, v)
    return out


_NUMBER_LIST = re.compile(r"\[\s+([-+0-9.eE,\s]+?)\s+\]")


def dumps(model: Model) -> str:
    """JSON text with each row of numbers on one line (floats round-trip exactly)."""
    text = json.dumps(to_dict(model), indent=2, ensure_ascii=False, allow_nan=False)
    return _NUMBER_LIST.sub(lambda m: "[" + ", ".join(
        s.strip() for s in m.group(1).split(",")) + "]", text) + "\n"


def save(model: Model, path: str | os.PathLike) -> None:
    """Write atomically through :func:`aeviz.core.safeio.atomic_write` (keeps the
    file's mode, owner and links; refuses FIFOs and devices).  On any failure the
    old file is left as it was and OSError/ValueError is raised."""
    if not np.isfinite(model.network.params).all():
        raise ValueError("the network has weights that are not finite numbers; not saved")
    atomic_write(path, dumps(model).encode("utf-8"))
