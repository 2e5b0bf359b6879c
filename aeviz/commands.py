"""What the command line's commands do: ``train``, ``eval``, ``sample``,
``presets``, ``lesson check``, ``screenshot``, ``study``, ``bench`` and opening
the app (:mod:`aeviz.cli` parses the arguments and reports errors).  Heavy
modules (Qt) are imported only by the commands that need them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.files.fileformat import FileFormatError, load, save
from aeviz.core.files.jsonout import json_text
from aeviz.core.model import Model, evaluate
from aeviz.core.numbers import activation_vector, nonfinite_note, number, vector
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.core.files.safeio import check_writable_target
from aeviz.core.engine.trainer import Trainer
from aeviz.terminal import Progress, shown


class UsageError(Exception):
    """Bad input from the person at the terminal: exit 2 with one line."""


def _source(args: argparse.Namespace) -> tuple[Model, Path | None]:
    if args.file and args.preset:
        raise UsageError("give a FILE or --preset, not both")
    if args.preset:
        return load_preset(args.preset), None
    if args.file:
        return load(args.file), Path(args.file)
    if args.source_required:
        raise UsageError("give an .aeviz FILE or --preset NAME")
    return load_preset("article-example"), None


# --- commands ---------------------------------------------------------------
def cmd_train(args: argparse.Namespace) -> int:
    if args.save is not None:               # before training, not after 10**6 epochs
        if not args.save:
            raise UsageError("--save needs a file name")
        check_writable_target(args.save)
    model, _ = _source(args)
    training = model.training
    if args.lr is not None:
        if not cfg.in_range("learning_rate", args.lr):
            raise UsageError(f"--lr must be {cfg.describe_range('learning_rate')}")
        training = training.with_(learning_rate=args.lr)
    if args.seed is not None:
        training = training.with_(seed=args.seed)
        model.network = model.network.fresh(args.seed)
        if not args.json:
            print(f"seed {args.seed}: new initial weights drawn from it (Glorot-uniform, "
                  "zero biases), as Reset weights does in the window", file=sys.stderr)
    model.training = training
    trainer = Trainer(model.network, training, model.data())
    progress = Progress(args.epochs, enabled=not args.json and sys.stderr.isatty())
    done, diverged = 0, None
    while done < args.epochs and diverged is None:
        n = min(max(args.epochs // 100, 256), args.epochs - done)
        diverged = trainer.run_guarded(n)
        done = trainer.epoch
        progress.update(done)
    progress.close()
    if diverged is not None:
        print(f"aeviz: error: learning rate {training.learning_rate:g} made the weights "
              f"blow up (NaN or infinity) at epoch {diverged}; nothing was saved",
              file=sys.stderr)
        return 1
    with np.errstate(all="ignore"):              # overflow shows as inf, with a note
        ev = evaluate(model.network, training, model.data())
    if args.save is not None:
        save(model, args.save)
    if args.json:
        print(json_text({"epochs": done, "loss": ev.loss, "penalty": ev.penalty,
                         "reconstruction_error": ev.mean_error, "accuracy": ev.accuracy,
                         "codes": ev.codes, "outputs": ev.outputs,
                         **_label_report(model, ev.codes),
                         **_variational_report(model, model.data())}))
    else:
        print(f"trained {done} epochs: loss {number(ev.loss, 4)}, penalty "
              f"{number(ev.penalty, 4)}, mean ||x - y|| {number(ev.mean_error, 4)}, "
              f"{int(ev.reconstructed.sum())}/{len(ev.reconstructed)} patterns reconstructed")
        note = nonfinite_note(ev.loss, ev.penalty, ev.mean_error)
        if note:
            print(note)
        knn = _label_report(model, ev.codes).get("code_knn_accuracy")
        if knn is not None:
            print(f"codes by label: for {knn:.0%} of the patterns a vote of the 5 nearest "
                  f"other codes names its label (PCA's best {ev.codes.shape[1]}-D projection: "
                  f"{_label_report(model, ev.codes)['pca_knn_accuracy']:.0%})")
        if args.save is not None:
            print(f"saved to {shown(args.save)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from aeviz.core.files.datasets import MAX_VALUE
    model, _ = _source(args)
    try:
        x = np.array([float(v) for v in args.input.split(",")])
    except ValueError:
        raise UsageError(f"--input {args.input!r} must be numbers separated by commas") from None
    if not np.isfinite(x).all():
        raise UsageError("--input values must be finite numbers")
    if (np.abs(x) > MAX_VALUE).any():
        raise UsageError(f"--input values must lie from -{MAX_VALUE:,.0f} to {MAX_VALUE:,.0f} (the "
                         f"range patterns may take), not {number(x[np.abs(x).argmax()])}")
    n = model.network.sizes[0]
    if x.size != n:
        raise UsageError(f"--input has {x.size} values but the network has {n} inputs")
    with np.errstate(all="ignore"):              # overflow shows as inf, with a note
        ev = evaluate(model.network, model.training, x[None, :])
        result = {"input": x, "code": ev.codes[0], "output": ev.outputs[0],
                  "loss": ev.loss, "reconstruction_error": float(ev.errors[0])}
        result.update(_variational_report(model, x[None, :], per_pattern=False))
    if args.json:
        print(json_text(result))
    else:
        acts = model.network.activations           # tanh, sigmoid, softmax: never "1.000"
        print(f"input  x = {vector(x)}\n"
              f"code   h = {activation_vector(ev.codes[0], acts[model.network.code_layer - 1])}\n"
              f"output y = {activation_vector(ev.outputs[0], acts[-1])}\n"
              f"loss     = {number(ev.loss, 4)}\n"
              f"||x - y|| = {number(ev.errors[0], 4)}")
        if "kl" in result:
            print(f"mu       = {vector(result['mu'])} (the code shown: the mean)\n"
                  f"sigma    = {vector(result['sigma'])}\nKL       = "
                  f"{number(result['kl'], 4)} (x beta {model.training.beta:g} in the objective)")
        note = nonfinite_note(list(result.values()))
        if note:
            print(note)
    return 0


KNN_MAX_PATTERNS = 20_000      # leave-one-out 5-NN is O(P²): measured up to this many


def _label_report(model, codes: np.ndarray) -> dict:
    """For labelled data: each pattern's label (in the order of ``codes``), their
    names, and how well the codes separate them (leave-one-out 5-NN accuracy,
    against PCA's best projection of the patterns to as many dimensions)."""
    ds = model.dataset
    if ds.labels is None:
        return {}
    out = {"labels": ds.labels.tolist()}
    if ds.label_names is not None:
        out["label_names"] = list(ds.label_names)
    if 5 < len(ds) <= KNN_MAX_PATTERNS:
        from aeviz.core.measures.clusters import knn_accuracy, pca_projection
        out["code_knn_accuracy"] = knn_accuracy(codes, ds.labels)
        out["pca_knn_accuracy"] = knn_accuracy(pca_projection(ds.rows, codes.shape[1]),
                                                ds.labels)
    return out


def _variational_report(model, x: np.ndarray, per_pattern: bool = True) -> dict:
    """mu, sigma and KL(N(mu, sigma^2) || N(0, I)) of a variational code (else {})."""
    net = model.network
    if not net.variational:
        return {}
    from aeviz.core.engine.penalties import vae_kl
    with np.errstate(all="ignore"):              # sigma = exp(logvar / 2) may overflow
        mu, logvar = net.code(x), net.logvar(x)
        sigma = np.exp(logvar / 2)
        kl = vae_kl(mu, logvar)
    return {"mu": (mu if per_pattern else mu[0]).tolist(),
            "sigma": (sigma if per_pattern else sigma[0]).tolist(),
            "kl": kl, "beta": model.training.beta}


def cmd_sample(args: argparse.Namespace) -> int:
    """Decode codes drawn from the prior N(0, I): what a (variational) autoencoder
    generates."""
    from aeviz.core.measures.generate import MAX_SAMPLE_VALUES, sample_limit, sample_prior
    model, _ = _source(args)
    net = model.network
    limit = sample_limit(net)
    if not 1 <= args.n <= limit:
        why = "" if limit == 10_000 else (f" (this network has {net.sizes[-1]:,} outputs; "
                                          f"n x outputs is at most {MAX_SAMPLE_VALUES:,})")
        raise UsageError(f"--n {args.n}: draw 1 to {limit:,} codes{why}")
    if net.code_layer == net.depth:
        raise UsageError("this network has no hidden code layer to sample")
    s = sample_prior(net, model.data(), args.n, np.random.default_rng(args.seed))
    if args.json:
        labels = ({"nearest_label": [model.dataset.label_text(p) for p in s.nearest]}
                  if model.dataset.labels is not None else {})
        print(json_text({"variational": net.variational, "seed": args.seed,
                         "codes": s.codes, "outputs": s.outputs,
                         "nearest_pattern": (s.nearest + 1).tolist(), **labels,
                         "distance": s.distance}))
        return 0
    kind = "variational autoencoder" if net.variational else "plain autoencoder (not " \
        "trained for this: a VAE is)"
    print(f"{args.n} codes z ~ N(0, I) through the decoder of this {kind}:")
    for z, y, p, d in zip(s.codes, s.outputs, s.nearest, s.distance):
        label = model.dataset.label_text(p)
        label = f" (label {label})" if label else ""
        y_text = vector(y, 2) if len(y) <= 16 else f"{len(y)} values"
        print(f"  z = {vector(z, 2)} -> y = {y_text}   nearest pattern {p + 1}{label}, "
              f"d = {number(d)}")
    note = nonfinite_note(s.outputs, s.distance)
    if note:
        print(note)
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    for name, path in preset_paths().items():
        try:
            title = load(path).name
        except FileFormatError as e:        # a broken install; say so, keep listing
            title = f"(unreadable: {e})"
        print(f"{name:24s} {title}")
    return 0


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_picture_target(out: str) -> None:
    """Refuse to write a picture over a lesson or any file that is not a PNG, or
    where it cannot be written (checked before Qt starts)."""
    if not out:
        raise UsageError("OUT.png is empty; give the picture's file name")
    hint = "; the picture's name comes first: aeviz screenshot OUT.png [FILE]"
    if out.lower().endswith(".aeviz"):
        raise UsageError(f"{out} is a lesson's name, not a picture's; not overwritten" + hint)
    check_writable_target(out)
    if os.path.exists(out):
        with open(out, "rb") as f:
            if f.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
                raise UsageError(f"{out} exists and is not a PNG picture; not overwritten"
                                 + hint)


def cmd_lesson(args: argparse.Namespace) -> int:
    """``aeviz lesson check FILE``: load (every field validated) and list the steps."""
    from aeviz.core.guides.guide import describe
    if getattr(args, "lesson_command", None) is None:
        raise UsageError("say what to do with the lesson: aeviz lesson check FILE|--preset "
                         "NAME (validate a lesson and list its steps and tasks)")
    model, path = _source(args)
    where = path.name if path else args.preset
    steps = model.guide
    tasks = sum(s.task is not None for s in steps)
    if not steps:
        print(f"{where}: a valid aeviz file, \"{model.name}\", with no guided steps")
        return 0
    print(f"{where}: a valid guided lesson, \"{model.name}\": {len(steps)} steps, "
          f"{tasks} task{'s' if tasks != 1 else ''}")
    for line in describe(steps):
        print(line)
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from aeviz.gui.window.screenshot import take_screenshot
    _check_picture_target(args.out)
    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {args.size!r} must look like 1280x800") from None
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise UsageError("--size must be between 320x240 and 8000x8000")
    model, path = _source(args)
    if args.input is not None and not 1 <= args.input <= len(model.dataset):
        raise UsageError(f"--input {args.input}: the dataset has patterns 1 to "
                         f"{len(model.dataset)}")
    net = model.network
    if args.code_view == "pictures" and (model.dataset.image is None
                                         or net.code_layer == net.depth):
        raise UsageError("--code-view pictures needs a lesson whose patterns are pictures "
                         "and whose network has a code layer")
    return take_screenshot(args.out, model, path, epochs=args.epochs, pattern=args.input,
                           size=(w, h), presenter=args.presenter, tabs=args.tab or (),
                           pictures=args.code_view == "pictures")


def cmd_study(args: argparse.Namespace) -> int:
    from aeviz.core.measures.study import FLAT_TOLERANCE, FLAT_WINDOW, HOLD, PUBLISHED, run_study
    model, _ = _source(args)
    if args.seeds < 1 or args.epochs < 1:
        raise UsageError("--seeds and --epochs must be at least 1")
    progress = Progress(args.seeds, enabled=not args.json and sys.stderr.isatty(),
                        unit="seeds finished")
    study = run_study(model, range(args.seeds), args.epochs,
                      lambda partial: progress.update(len(partial.runs),
                                                      f", epoch {partial.epoch:,}"))
    progress.close()
    if args.json:
        print(json_text({
            "seeds": args.seeds, "max_epochs": args.epochs,
            "fraction_solved": study.fraction_solved, "median_epochs": study.median_epochs,
            "definitions": {"solved": f"every pattern reconstructed for {HOLD} epochs in a "
                                      "row within the run; epochs = the first of them",
                            "not confirmed": "every pattern reconstructed from epochs to the "
                                             f"end of the run, fewer than {HOLD} epochs in a row",
                            "stuck": f"not solved, loss fell by < {FLAT_TOLERANCE:.0%} over "
                                     f"the last {FLAT_WINDOW} epochs",
                            "not finished": "not solved, loss still falling"},
            "runs": [{"seed": r.seed, "status": r.status, "solved": r.solved,
                      "epochs": r.epochs, "distinct_codes": r.distinct_codes, "loss": r.loss,
                      "diverged": r.diverged, "flickers": r.flickers} for r in study.runs]}))
        return 0
    n = len(study.runs)
    solved = sum(r.solved for r in study.runs)
    print(f"{model.name}: {solved} of {n} seeds solved within {args.epochs} epochs"
          + (f" (median {study.median_epochs:.0f} epochs)" if solved else ""))
    counts, edges = study.histogram()
    if solved:
        for c, lo, hi in zip(counts, edges[:-1], edges[1:]):
            print(f"  {lo:7.0f}-{hi:<7.0f} {'#' * int(c)}")
    for r in study.stuck()[:5]:
        why = "weights blew up" if r.diverged else f"{r.distinct_codes} distinct codes"
        since = f", every pattern reconstructed since epoch {r.epochs}" \
            if r.status == "not confirmed" else ""
        print(f"  {r.status}: seed {r.seed}, {why}, loss {number(r.loss)}{since}")
    print(f"  (solved: every pattern reconstructed for {HOLD} epochs in a row; not "
          f"confirmed: reconstructed at the end, fewer than {HOLD} epochs in a row; stuck: the "
          f"loss fell by less than {FLAT_TOLERANCE:.0%} over the last {FLAT_WINDOW} epochs; "
          "not finished: still falling)")
    if model.network.sizes in PUBLISHED:
        print("  compare: " + PUBLISHED[model.network.sizes])
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from aeviz.bench import run_benchmarks
    if args.json is not None:            # before a minute of measuring, not after
        if not args.json:
            raise UsageError("--json needs a file name")
        check_writable_target(args.json)
    return run_benchmarks(args.json)


def open_app(argv: Sequence[str]) -> int:
    if len(argv) > 1:
        raise UsageError(f"unrecognised arguments: {' '.join(argv[1:])}")
    if argv and argv[0].startswith("-"):
        raise UsageError(f"unknown option {argv[0]}; try aeviz --help")
    path = argv[0] if argv else None
    if path is not None:
        load(path)          # refuse a bad file here, with one line, before Qt starts
    from aeviz.gui.app import run_app
    return run_app(path)
