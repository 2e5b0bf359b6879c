"""The command line's process turns Python's automatic garbage collection off for
its start-up: a command that draws a window (``screenshot``, the app) leaves
collection to the GUI thread's timer; every other command collects as usual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# the command's handler replaced by one that reports whether collection is on
CHILD = """
import gc, sys
import aeviz.cli as cli
before = gc.isenabled()
seen = []
setattr(cli, sys.argv[1], lambda args: seen.append(gc.isenabled()) or 0)
sys.argv = ["aeviz"] + sys.argv[2:]
status = cli.main()
print(before, seen, status)
"""


def _collecting(handler: str, *argv: str) -> str:
    out = subprocess.run([sys.executable, "-c", CHILD, handler, *argv], capture_output=True,
                         text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.parametrize("handler, argv", [("cmd_presets", ["presets"]),
                                           ("cmd_train", ["train", "--preset", "train-5-2-5"]),
                                           ("cmd_study", ["study", "--preset", "train-5-2-5"])])
def test_a_command_without_a_window_collects_as_usual(handler, argv):
    assert _collecting(handler, *argv) == "True [True] 0"


def test_a_screenshot_starts_without_the_automatic_collector():
    assert _collecting("cmd_screenshot", "screenshot", "out.png") == "True [False] 0"


def test_main_called_with_arguments_leaves_the_collector_alone():
    """In-process callers (tests, scripts) pass their arguments: nothing changes."""
    import gc

    from aeviz.cli import main
    for enabled in (True, False):       # (a GUI test in this process may have turned it off)
        was = gc.isenabled()
        (gc.enable if enabled else gc.disable)()
        try:
            assert main(["presets"]) == 0
            assert gc.isenabled() == enabled
        finally:
            (gc.enable if was else gc.disable)()
