"""The command line: ``aeviz [FILE]``, ``train``, ``eval``, ``presets``, ``screenshot``,
``lesson check``.

Bad input of any kind exits with status 2 and one line ``aeviz: error: ...`` on
stderr; training that diverges exits 1.  This module parses and reports; the
commands themselves are in :mod:`aeviz.commands`.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Sequence

import numpy as np

from aeviz import __version__
from aeviz.commands import (UsageError, cmd_bench, cmd_eval, cmd_lesson, cmd_presets,
                            cmd_sample, cmd_screenshot, cmd_study, cmd_train, open_app)
from aeviz.core import config as cfg
from aeviz.core.files.fileformat import FileFormatError
from aeviz.core.guides.guide import TABS
from aeviz.terminal import printable_output

COMMANDS = ("train", "eval", "presets", "screenshot", "bench", "study", "sample",
            "lesson")
CODE_VIEWS = ("dots", "pictures")   # the code space's two views (its Pictures (M) button)
SHOWN_TABS = ("Values", "Training", "Settings", "Explain", "Generate", "Loss", "Code space") + TABS


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
    sa.add_argument("--seed", type=_seed, default=0, help="seed of the draws (default 0)")
    sa.add_argument("--json", action="store_true", help="print one JSON object")

    le = sub.add_parser("lesson", help="guided lessons: check a lesson file")
    lsub = le.add_subparsers(dest="lesson_command", parser_class=_Parser, metavar="check")
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
    s.add_argument("--tab", action="append", choices=SHOWN_TABS, metavar="NAME",
                   help="bring this tab to the front (repeatable): "
                        + ", ".join(SHOWN_TABS))
    s.add_argument("--code-view", choices=CODE_VIEWS, default="dots",
                   help="the code space as its coloured dots (default) or as Pictures (M): "
                        "the decoded manifold, for lessons whose patterns are pictures")
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
    """The ``aeviz`` command line (``argv``, else the process's own arguments)."""
    if argv is None:     # the process's own command line: see _main for when it comes back
        # start-up makes ~10^5 objects that live as long as the process (modules,
        # classes, enums, a window's widgets): the automatic collector would walk
        # them again and again while they are being made (~150 passes, ~50 ms of a
        # window's start, for garbage that is next to none)
        gc.disable()
    status = _main(argv)
    if argv is None:     # the process's own command line: it ends now
        # Python's shutdown runs the cyclic collector over every object left (~70,000
        # after a window, ~40 ms a pass); frozen, only reference counts free them and
        # cycles go with the process (files are closed where written, and atexit
        # handlers such as temporary folders' cleanup still run)
        gc.freeze()
    return status


def _main(argv: Sequence[str] | None) -> int:
    own = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    printable_output()
    try:
        if argv == ["--install-desktop-entry"]:
            from aeviz.desktop import install_desktop_entry
            for path in install_desktop_entry():
                print(f"wrote {path}")
            return 0
        if argv == ["--reset-settings"]:
            from aeviz.gui.runtime.settings import reset
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
        if own and args.command != "screenshot":
            # a window's commands leave collection to the GUI thread's timer (gc_guard,
            # from the QApplication on); the others collect as usual from here
            gc.enable()
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
