"""The command line: ``aeviz [FILE]``, ``train``, ``eval``, ``presets``, ``screenshot``,
``lesson check``.

Bad input of any kind exits with status 2 and one line ``aeviz: error: ...`` on
stderr; training that diverges exits 1.  Heavy modules (Qt) are imported only by
the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from aeviz import __version__
from aeviz.core import config as cfg
from aeviz.core.fileformat import FileFormatError, load, save
from aeviz.core.jsonout import json_text
from aeviz.core.model import Model, evaluate
from aeviz.core.presets import load_preset, preset_paths
from aeviz.core.safeio import check_writable_target
from aeviz.core.trainer import Trainer
from aeviz.terminal import Progress, printable_output, shown

COMMANDS = ("train", "eval", "presets", "screenshot", "bench", "study", "sample",
            "lesson")


class UsageError(Exception):
    """Bad input from the person at the terminal: exit 2 with one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # one line, never the usage block
        raise UsageError(message)


def _parser() -> _Parser:
    p = _Parser(prog="aeviz", description="aeviz: watch autoencoders learn.")
    p.add_argument("--version", action="version", version=f"aeviz {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    t = sub.add_parser("train", help="train a network headless")
    _add_source(t)
    t.add_argument("--epochs", type=_count, default=1000, help="epochs to train (default 1000)")
    t.add_argument("--lr", type=_finite, help="learning rate")
    t.add_argument("--seed", type=_seed,
                   help="start from new weights drawn from this seed (Glorot-uniform, zero "
                        "biases, as Reset weights in the window); it also seeds shuffling "
                        "and noise")
    t.add_argument("--save", metavar="OUT", help="write the trained network here")
    t.add_argument("--json", action="store_true", help="print one JSON object")

    e = sub.add_parser("eval", help="one forward pass")
    _add_source(e)
    e.add_argument("--input", required=True, help="comma-separated input, e.g. 1,0,0,0,0")
    e.add_argument("--json", action="store_true", help="print one JSON object")

    sub.add_parser("presets", help="list the built-in lessons")

    sa = sub.add_parser("sample", help="decode codes drawn from the prior N(0, I)")
    _add_source(sa)
    sa.add_argument("--n", type=_count, default=8, help="how many codes (default 8)")
    sa.add_argument("--seed", type=_count, default=0, help="seed of the draws (default 0)")
    sa.add_argument("--json", action="store_true", help="print one JSON object")

    le = sub.add_parser("lesson", help="guided lessons: check a lesson file")
    lsub = le.add_subparsers(dest="lesson_command", parser_class=_Parser, required=True)
    lc = lsub.add_parser("check", help="validate a lesson and list its steps and tasks")
    _add_source(lc)

    st = sub.add_parser("study", help="train from many seeds: how often, how fast")
    _add_source(st)
    st.add_argument("--seeds", type=_count, default=20, help="number of seeds (default 20)")
    st.add_argument("--epochs", type=_count, default=5000, help="epochs per seed at most")
    st.add_argument("--json", action="store_true", help="print one JSON object")

    b = sub.add_parser("bench", help="measure the engine's speed against a hand-tuned loop")
    b.add_argument("--json", metavar="OUT", help="also write the figures to this JSON file")

    s = sub.add_parser("screenshot", help="render the window to a PNG")
    s.add_argument("out", metavar="OUT.png")
    _add_source(s, required=False)
    s.add_argument("--epochs", type=_count, default=0)
    s.add_argument("--input", type=_count, metavar="K", help="feed pattern K (1-based)")
    s.add_argument("--size", default="1280x800", metavar="WxH")
    s.add_argument("--presenter", action="store_true",
                   help="render in presenter mode (F5), as on a projector of that size")
    return p


def _add_source(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("file", nargs="?", metavar="FILE", help="an .aeviz file")
    p.add_argument("--preset", metavar="NAME", help="a built-in lesson (see `aeviz presets`)")
    p.set_defaults(source_required=required)


MAX_COUNT = 10**9        # epochs, seeds, pattern numbers: more than any run reaches


def _count(text: str) -> int:
    try:
        value = int(text) if len(text) <= 30 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a whole number from 0 to "
                                         f"{MAX_COUNT:,}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    if value > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text} is more than {MAX_COUNT:,}")
    return value


def _seed(text: str) -> int:
    """A seed the file format can hold (and so read back)."""
    lo, hi, _, _ = cfg.RANGES["seed"]
    try:
        value = int(text) if len(text) <= 30 else -1
    except ValueError:
        value = -1
    if not int(lo) <= value <= int(hi):
        raise argparse.ArgumentTypeError(f"{text[:30]} is not a seed aeviz can save: give a "
                                         f"whole number from {int(lo)} to {int(hi)}")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number")
    return value


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
    ev = evaluate(model.network, training, model.data())
    if args.save is not None:
        save(model, args.save)
    if args.json:
        print(json_text({"epochs": done, "loss": ev.loss, "penalty": ev.penalty,
                         "reconstruction_error": ev.mean_error, "accuracy": ev.accuracy,
                         "codes": ev.codes, "outputs": ev.outputs,
                         **_variational_report(model, model.data())}))
    else:
        print(f"trained {done} epochs: loss {ev.loss:.4f}, penalty {ev.penalty:.4f}, "
              f"mean ||x - y|| {ev.mean_error:.4f}, "
              f"{int(ev.reconstructed.sum())}/{len(ev.reconstructed)} patterns reconstructed")
        if args.save is not None:
            print(f"saved to {shown(args.save)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    model, _ = _source(args)
    try:
        x = np.array([float(v) for v in args.input.split(",")])
    except ValueError:
        raise UsageError(f"--input {args.input!r} must be numbers separated by commas") from None
    if not np.isfinite(x).all():
        raise UsageError("--input values must be finite numbers")
    n = model.network.sizes[0]
    if x.size != n:
        raise UsageError(f"--input has {x.size} values but the network has {n} inputs")
    ev = evaluate(model.network, model.training, x[None, :])
    result = {"input": x, "code": ev.codes[0], "output": ev.outputs[0],
              "loss": ev.loss, "reconstruction_error": float(ev.errors[0])}
    result.update(_variational_report(model, x[None, :], per_pattern=False))
    fmt = lambda v: "[" + ", ".join(f"{a:.3f}" for a in v) + "]"
    if args.json:
        print(json_text(result))
    else:
        print(f"input  x = {fmt(x)}\ncode   h = {fmt(ev.codes[0])}\n"
              f"output y = {fmt(ev.outputs[0])}\nloss     = {ev.loss:.4f}\n"
              f"||x - y|| = {ev.errors[0]:.4f}")
        if "kl" in result:
            print(f"mu       = {fmt(result['mu'])} (the code shown: the mean)\n"
                  f"sigma    = {fmt(result['sigma'])}\nKL       = {result['kl']:.4f} "
                  f"(x beta {model.training.beta:g} in the objective)")
    return 0


def _variational_report(model, x: np.ndarray, per_pattern: bool = True) -> dict:
    """mu, sigma and KL(N(mu, sigma^2) || N(0, I)) of a variational code (else {})."""
    net = model.network
    if not net.variational:
        return {}
    from aeviz.core.losses import vae_kl
    mu, logvar = net.code(x), net.logvar(x)
    sigma = np.exp(logvar / 2)
    return {"mu": (mu if per_pattern else mu[0]).tolist(),
            "sigma": (sigma if per_pattern else sigma[0]).tolist(),
            "kl": vae_kl(mu, logvar), "beta": model.training.beta}


def cmd_sample(args: argparse.Namespace) -> int:
    """Decode codes drawn from the prior N(0, I): what a (variational) autoencoder
    generates."""
    from aeviz.core.generate import sample_prior
    model, _ = _source(args)
    net = model.network
    if not 1 <= args.n <= 10_000:
        raise UsageError(f"--n {args.n}: draw 1 to 10,000 codes")
    if net.code_layer == net.depth:
        raise UsageError("this network has no hidden code layer to sample")
    s = sample_prior(net, model.data(), args.n, np.random.default_rng(args.seed))
    if args.json:
        print(json_text({"variational": net.variational, "seed": args.seed,
                         "codes": s.codes, "outputs": s.outputs,
                         "nearest_pattern": (s.nearest + 1).tolist(),
                         "distance": s.distance}))
        return 0
    fmt = lambda v: "[" + ", ".join(f"{a:.2f}" for a in v) + "]"
    kind = "variational autoencoder" if net.variational else "plain autoencoder (not " \
        "trained for this: a VAE is)"
    print(f"{args.n} codes z ~ N(0, I) through the decoder of this {kind}:")
    for z, y, p, d in zip(s.codes, s.outputs, s.nearest, s.distance):
        print(f"  z = {fmt(z)} -> y = {fmt(y)}   nearest pattern {p + 1}, d = {d:.3f}")
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
    from aeviz.core.guide import describe
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
    from aeviz.gui.screenshot import take_screenshot
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
    return take_screenshot(args.out, model, path, epochs=args.epochs, pattern=args.input,
                           size=(w, h), presenter=args.presenter)


def cmd_study(args: argparse.Namespace) -> int:
    from aeviz.core.study import FLAT_TOLERANCE, FLAT_WINDOW, HOLD, PUBLISHED, run_study
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
                                      "row (or to the end); epochs = the first of them",
                            "stuck": f"not solved, loss fell by < {FLAT_TOLERANCE:.0%} over "
                                     f"the last {FLAT_WINDOW} epochs",
                            "not finished": "not solved, loss still falling"},
            "runs": [{"seed": r.seed, "status": r.status, "solved": r.solved,
                      "epochs": r.epochs, "distinct_codes": r.distinct_codes, "loss": r.loss,
                      "diverged": r.diverged, "flickers": r.flickers} for r in study.runs]}))
        return 0
    n = len(study.runs)
    solved = sum(r.solved for r in study.runs)
    print(f"{model.name}: {solved} of {n} seeds reconstruct every pattern within "
          f"{args.epochs} epochs" + (f" (median {study.median_epochs:.0f} epochs)"
                                     if solved else ""))
    counts, edges = study.histogram()
    if solved:
        for c, lo, hi in zip(counts, edges[:-1], edges[1:]):
            print(f"  {lo:7.0f}-{hi:<7.0f} {'#' * int(c)}")
    for r in study.stuck()[:5]:
        why = "weights blew up" if r.diverged else f"{r.distinct_codes} distinct codes"
        print(f"  {r.status}: seed {r.seed}, {why}, loss {r.loss:.3f}")
    print(f"  (solved: every pattern reconstructed for {HOLD} epochs in a row; stuck: the "
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


VALUE_OPTIONS = ("--input", "--size", "--lr", "--save", "--epochs", "--seed", "--seeds",
                 "--preset")


def _join_values(argv: list[str]) -> list[str]:
    """``--input -1,0,0`` as ``--input=-1,0,0``: argparse takes a value starting with
    '-' for an option unless it looks like a plain negative number."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-") \
                and argv[i + 1] not in ("-h", "--help") and not argv[i + 1].startswith("--"):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    printable_output()
    try:
        if argv == ["--install-desktop-entry"]:
            from aeviz.desktop import install_desktop_entry
            for path in install_desktop_entry():
                print(f"wrote {path}")
            return 0
        if argv == ["--reset-settings"]:
            from aeviz.gui.settings import reset
            reset()
            print("aeviz: settings reset to their defaults")
            return 0
        if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return open_app(argv)
        args = _parser().parse_args(_join_values(argv))
        handler = {"train": cmd_train, "eval": cmd_eval, "presets": cmd_presets,
                   "screenshot": cmd_screenshot, "bench": cmd_bench,
                   "study": cmd_study, "sample": cmd_sample,
                   "lesson": cmd_lesson}[args.command]
        return handler(args)
    except (UsageError, FileFormatError) as e:
        print(f"aeviz: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:              # e.g. `aeviz presets | head -1`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        said = f"{e.filename}: {e.strerror}" if e.filename and e.strerror else (e.strerror or e)
        print(f"aeviz: error: {said}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def gui_main() -> int:
    """The ``aeviz-app`` entry (a gui-script: no console on Windows, where pythonw
    gives no stdout or stderr): the same as ``aeviz``."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    return main()
