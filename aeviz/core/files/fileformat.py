"""The .aeviz file: JSON, validated field by field on load, saved atomically
(the text written by :mod:`aeviz.core.files.jsonwrite`).

Every problem is reported as a :class:`FileFormatError` whose message is one
sentence naming the field (e.g. ``layers[2].activation: 'soft' is not one of
...``); nothing is half-loaded.  The README documents the format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from aeviz.core.files.datasets import (BUILTIN_DATA, DATASET_KINDS, MAX_PATTERNS, Dataset,
                                 builtin_dataset, label_problem, value_problem)
from aeviz.core.guides.guide import GuideError, parse_guide, to_list
from aeviz.core.guides.guide_text import MAX_NAME
from aeviz.core.files.jsonfields import (FileFormatError, check_text, choice_field, describe,
                                   fail, finite_float, get_field, matrix_field, number_field,
                                   reject_constant, whole_number)
from aeviz.core.files.jsonwrite import blocks, encode, no_pause
from aeviz.core.engine.losses import ConfigError
from aeviz.core.model import Model
from aeviz.core.engine.network import (MAX_LAYERS, MAX_UNITS, MIN_LAYERS, MIN_UNITS, Network,
                                NetworkError, check_structure)
from aeviz.core.engine.penalties import check_compatible
from aeviz.core.files.safeio import (FileTooLarge, NotRegularFile, atomic_write,
                               describe_size, read_regular)

FORMAT, VERSION = "aeviz", 2     # the newest version this aeviz reads
V2 = 2                           # the first version with a variational code or a ``guide``
MAX_FILE_BYTES = 256 * 1024 * 1024
KNOWN_KEYS = {"format", "version", "name", "description", "layers", "weights",
              "biases", "log_variance", "training", "dataset", "guide"}


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


def loads(raw: str | bytes) -> Model:
    """Parse and validate the text of an .aeviz file."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileFormatError("the file is not UTF-8 text, so it is not an .aeviz file") from None
    try:
        data = json.loads(raw, parse_constant=reject_constant, parse_float=finite_float,
                          parse_int=whole_number)
    except RecursionError:
        raise FileFormatError("the file is nested too deeply to be an .aeviz file") from None
    except json.JSONDecodeError as e:
        raise FileFormatError(f"the file is not valid JSON ({e.msg} at line {e.lineno}, "
                              f"column {e.colno})") from None
    check_text(data)
    return from_dict(data)


def from_dict(data: Any) -> Model:
    """Validate a parsed file (see the README) and build the Model."""
    if not isinstance(data, dict):
        raise FileFormatError(f"an .aeviz file holds a JSON object, not {describe(data)}")
    fmt = get_field(data, "format", "format", str, required=True)
    if fmt != FORMAT:
        raise fail("format", f"must be \"aeviz\", not {fmt[:30]!r}")
    version = get_field(data, "version", "version", int, required=True)
    if version > VERSION:
        raise fail("version", f"the file was written by a newer aeviz (format version "
                               f"{version}); this aeviz reads versions 1 to {VERSION}")
    if version < 1:
        raise fail("version", f"must be 1 or more, not {version}")
    name = get_field(data, "name", "name", str, "Untitled")
    if len(name) > MAX_NAME:
        raise fail("name", f"is {len(name):,} characters long; at most {MAX_NAME:,}")
    description = get_field(data, "description", "description", str, "")

    layers = get_field(data, "layers", "layers", list, required=True)
    if not MIN_LAYERS + 1 <= len(layers) <= MAX_LAYERS + 1:
        raise fail("layers", f"must list the input and {MIN_LAYERS} to {MAX_LAYERS} "
                              f"more layers, not {len(layers)} layers in all")
    sizes, acts, variational = [], [], []
    for i, layer in enumerate(layers):
        where = f"layers[{i}]"
        if not isinstance(layer, dict):
            raise fail(where, f"must be an object, not {describe(layer)}")
        size = get_field(layer, "size", f"{where}.size", int, required=True)
        if not MIN_UNITS <= size <= MAX_UNITS:
            raise fail(f"{where}.size", f"must be {MIN_UNITS} to {MAX_UNITS}, not {size}")
        sizes.append(size)
        if i:
            allowed = ACTIVATIONS if i == len(layers) - 1 else HIDDEN_ACTIVATIONS
            acts.append(choice_field(layer, "activation", f"{where}.activation", allowed, ""))
        if get_field(layer, "variational", f"{where}.variational", bool, False):
            variational.append(i)
    try:
        check_structure(sizes, acts)
    except NetworkError as e:
        raise fail("layers", str(e)) from None
    code = Network.code_index(sizes)
    if variational and version < V2:
        raise fail(f"layers[{variational[0]}].variational", f"needs format version {V2} or "
                    f"more; the file says version {version}")
    if variational and (variational != [code] or code == len(sizes) - 1):
        i = next((i for i in variational if i != code), variational[0])
        raise fail(f"layers[{i}].variational", "only the code layer (the smallest hidden "
                    "layer" + (f", layer {code}" if code < len(sizes) - 1 else "; this network "
                               "has none") + ") can be variational")

    training = _training(get_field(data, "training", "training", dict, {}))
    weights = biases = None
    if "weights" in data:
        w = get_field(data, "weights", "weights", list)
        if len(w) != len(sizes) - 1:
            raise fail("weights", f"must hold {len(sizes) - 1} matrices, not {len(w)}")
        weights = [matrix_field(w[k], sizes[k], sizes[k + 1], f"weights[{k}]")
                   for k in range(len(w))]
    if "biases" in data:
        b = get_field(data, "biases", "biases", list)
        if len(b) != len(sizes) - 1:
            raise fail("biases", f"must hold {len(sizes) - 1} lists, not {len(b)}")
        biases = [matrix_field([b[k]], 1, sizes[k + 1], f"biases[{k}]")[0] for k in range(len(b))]
    logvar = None
    if "log_variance" in data:
        if not variational:
            raise fail("log_variance", "is given but no layer is variational")
        lv = get_field(data, "log_variance", "log_variance", dict)
        w = matrix_field(get_field(lv, "weights", "log_variance.weights", list, required=True),
                    sizes[code - 1], sizes[code], "log_variance.weights")
        b = matrix_field([get_field(lv, "biases", "log_variance.biases", list, required=True)], 1,
                    sizes[code], "log_variance.biases")
        logvar = np.vstack([w, b])
    try:
        draw = None if weights is not None else np.random.default_rng(training.seed)
        net = Network.create(sizes, acts, weights, biases, rng=draw,
                             variational=bool(variational), logvar=logvar)
    except NetworkError as e:
        raise fail("layers", str(e)) from None
    try:
        check_compatible(training, net.activations, net.code_layer, net.variational)
    except ConfigError as e:
        raise fail("training", str(e)) from None

    dataset = _dataset(get_field(data, "dataset", "dataset", dict, None), sizes[0])
    guide = ()
    if "guide" in data:
        if version < V2:
            raise fail("guide", f"needs format version {V2} or more; the file "
                                 f"says version {version}")
        try:
            guide = parse_guide(data["guide"], net, len(dataset))
        except GuideError as e:
            raise FileFormatError(str(e)) from None
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Model(net, training, dataset, name, description, extra, guide)


def _training(t: dict) -> cfg.TrainingConfig:
    d = cfg.TrainingConfig()
    sp = get_field(t, "sparsity", "training.sparsity", dict, {})
    no = get_field(t, "noise", "training.noise", dict, {})
    kind = choice_field(no, "kind", "training.noise.kind", cfg.NOISE_KINDS, d.noise.kind)
    level_range = "noise.level.gaussian" if kind == "gaussian" else "noise.level"
    batch = get_field(t, "batch_size", "training.batch_size", int, d.batch_size)
    if not cfg.in_range("batch_size", batch):
        raise fail("training.batch_size", f"must be {cfg.describe_range('batch_size')}")
    seed = get_field(t, "seed", "training.seed", int, d.seed)
    if not cfg.in_range("seed", seed):
        raise fail("training.seed", f"must be {cfg.describe_range('seed')}, not {seed}")
    return cfg.TrainingConfig(
        loss=choice_field(t, "loss", "training.loss", cfg.LOSSES, d.loss),
        learning_rate=number_field(t, "learning_rate", "training.learning_rate",
                              d.learning_rate, "learning_rate"),
        optimizer=choice_field(t, "optimizer", "training.optimizer", cfg.OPTIMIZERS, d.optimizer),
        momentum=number_field(t, "momentum", "training.momentum", d.momentum, "momentum"),
        batch_size=batch,
        shuffle=get_field(t, "shuffle", "training.shuffle", bool, d.shuffle),
        weight_decay=number_field(t, "weight_decay", "training.weight_decay", d.weight_decay,
                             "weight_decay"),
        sparsity=cfg.Sparsity(
            choice_field(sp, "penalty", "training.sparsity.penalty", cfg.PENALTIES, "none"),
            number_field(sp, "weight", "training.sparsity.weight", 0.0, "sparsity.weight"),
            number_field(sp, "target", "training.sparsity.target", 0.05, "sparsity.target")),
        noise=cfg.Noise(kind, number_field(no, "level", "training.noise.level", 0.0, level_range)),
        seed=seed,
        beta=number_field(t, "beta", "training.beta", d.beta, "beta"))


def _dataset(d: dict | None, width: int) -> Dataset:
    if d is None:
        return Dataset.one_hot(width)
    kind = choice_field(d, "kind", "dataset.kind", DATASET_KINDS, "one_hot")
    if kind == "one_hot":
        size = get_field(d, "size", "dataset.size", int, width)
        if size != width:
            raise fail("dataset.size", f"is {size} but the input layer has {width} units")
        return Dataset.one_hot(size)
    if "builtin" in d:
        return _builtin(d, width)
    rows = get_field(d, "rows", "dataset.rows", list, required=True)
    if not rows:
        raise fail("dataset.rows", "is empty; a dataset needs at least one pattern")
    if len(rows) > MAX_PATTERNS:
        raise fail("dataset.rows", f"has {len(rows)} patterns; at most {MAX_PATTERNS}")
    first = rows[0]
    if isinstance(first, list) and len(first) != width:
        raise fail("dataset.rows", f"patterns have {len(first)} values but the input "
                                    f"layer has {width} units")
    image = get_field(d, "image", "dataset.image", list, None)
    if image is not None:
        if (len(image) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                       and v > 0 for v in image)
                or image[0] * image[1] != width):
            raise fail("dataset.image", f"must be [height, width] with height x width = "
                                         f"{width} pixels")
        image = (image[0], image[1])
    matrix = matrix_field(rows, len(rows), width, "dataset.rows")
    problem = value_problem(matrix)
    if problem is not None:
        p, i, why = problem
        raise fail(f"dataset.rows[{p}][{i}]", why)
    labels, names = _labels(d, len(rows))
    return Dataset.patterns(matrix, image, labels, names)


def _labels(d: dict, count: int) -> tuple[list | None, list | None]:
    """``dataset.labels`` (one whole number >= 0 per pattern) and the optional
    ``dataset.label_names`` (one text per label value), validated."""
    labels = get_field(d, "labels", "dataset.labels", list, None)
    names = get_field(d, "label_names", "dataset.label_names", list, None)
    if labels is None:
        if names is not None:
            raise fail("dataset.label_names", "is given but dataset.labels is not")
        return None, None
    problem = label_problem(labels, count)
    if problem is not None:
        p, why = problem
        raise fail("dataset.labels" + (f"[{p}]" if p is not None else ""), why)
    if names is not None:
        problem = label_problem(labels, count, names)
        if problem is not None:
            raise fail("dataset.label_names", problem[1])
    return labels, names


def _builtin(d: dict, width: int) -> Dataset:
    """``{"kind": "patterns", "builtin": NAME}``: a set shipped with aeviz, by name."""
    name = get_field(d, "builtin", "dataset.builtin", str)
    if name not in BUILTIN_DATA:
        raise fail("dataset.builtin", f"{name[:30]!r} is not one of "
                                       f"{', '.join(BUILTIN_DATA)}")
    for key in ("rows", "image", "labels", "label_names"):
        if key in d:
            raise fail(f"dataset.{key}", "cannot be given with dataset.builtin, whose "
                                          "patterns come with aeviz")
    data = builtin_dataset(name)
    if data.width != width:
        raise fail("dataset.builtin", f"{name}'s patterns have {data.width} values but "
                                       f"the input layer has {width} units")
    return data


# --- writing ----------------------------------------------------------------
def to_dict(model: Model, arrays: bool = False) -> dict:
    """The file's JSON object (``arrays``: weights and biases left as NumPy arrays,
    for :func:`aeviz.core.files.jsonwrite.encode`, which writes them a row at a
    time)."""
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
        "weights": [w if arrays else w.tolist() for w in net.weights],
        "biases": [b if arrays else b.tolist() for b in net.biases],
    })
    if net.variational:
        lv = net.logvar_block
        out["log_variance"] = {"weights": lv[:-1] if arrays else lv[:-1].tolist(),
                               "biases": lv[-1] if arrays else lv[-1].tolist()}
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


def dumps(model: Model) -> str:
    """JSON text, indented by 2, with each row of numbers on one line (floats
    round-trip exactly; strings byte for byte)."""
    out: list[str] = []
    encode(to_dict(model), "", out)
    return "".join(out) + "\n"


def save(model: Model, path: str | os.PathLike,
         pause: Callable[[], None] = no_pause) -> None:
    """Write atomically through :func:`aeviz.core.files.safeio.atomic_write` (keeps the
    file's mode, owner and links; refuses FIFOs and devices).  On any failure the
    old file is left as it was and OSError/ValueError is raised.  ``pause()`` is
    called between rows of numbers (see :func:`to_dict`)."""
    if not np.isfinite(model.network.params).all():
        raise ValueError("the network has weights that are not finite numbers; not saved")
    atomic_write(path, blocks(to_dict(model, arrays=True), pause))
