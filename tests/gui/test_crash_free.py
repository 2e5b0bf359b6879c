"""Crash-free in ordinary use (#22, items 2 and 3): structure edits with the Weights
tab in front, and every window size, normal and presenter.  Each case that could
segfault runs in a child process with faulthandler (crash_child.py), so a crash
fails its test and prints the Python frame instead of killing pytest.

The full matrix (every built-in lesson, every size, a fresh ``aeviz screenshot``
window for each) runs with ``AEVIZ_ALL_SIZES=1`` (about two CPU minutes); the
normal suite runs the lessons that crashed and a few others."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from aeviz.core.files.presets import preset_paths

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")
ALL_SIZES = os.environ.get("AEVIZ_ALL_SIZES") == "1"
LESSONS = list(preset_paths())
FAST = ["article-example", "overcomplete-sparse", "generate-digits", "vae-digits"]
full_matrix = pytest.mark.skipif(not ALL_SIZES, reason="the full matrix: AEVIZ_ALL_SIZES=1")


def run_child(*args: str, timeout: int = 110) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-X", "faulthandler", str(CHILD), *args],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)
    assert result.returncode == 0 and result.stdout.rstrip().endswith("ok"), (
        f"exit {result.returncode}\n{result.stdout[-1500:]}\n{result.stderr[-4000:]}")
    return result.stdout


@pytest.mark.parametrize("training", [False, True], ids=["idle", "training"])
@pytest.mark.parametrize("lesson", ["article-example", "encoder-8-3-8", "deep-hourglass",
                                    "vae-digits"])
def test_structure_edits_and_undo_with_the_weights_tab_in_front(lesson, training):
    """Add and remove layers and neurons, undo and redo: the process lives and the
    table in front shows the network's block after each step."""
    out = run_child("structure", lesson, *(["train"] if training else []))
    assert out.count("undo") >= 8 and "add_layer" in out


@pytest.mark.parametrize("lesson", [pytest.param(name, marks=[] if name in FAST else full_matrix)
                                    for name in LESSONS])
def test_one_window_through_every_size_normal_and_presenter(lesson):
    """1024x768 ... 1920x1080, normal and presenter, grabbed at each; the x, h, y
    cells are laid out for the width they have and stay so."""
    out = run_child("sizes", lesson)
    assert out.count("presenter") == 7 and out.count("normal") == 7


@pytest.mark.parametrize("lesson", [pytest.param(name, marks=[] if name == "vae-digits"
                                                 else full_matrix) for name in LESSONS])
def test_aeviz_screenshot_at_every_size_normal_and_presenter(lesson):
    """``aeviz screenshot``'s own code, a new window at each of the 14 sizes and modes."""
    out = run_child("fresh", lesson, timeout=300)
    assert out.count("presenter") == 7 and out.count("normal") == 7


@pytest.mark.parametrize("args", [
    ("--preset", "vae-digits", "--size", "1400x900"),
    ("--preset", "vae-digits", "--size", "1920x1080", "--presenter"),
    ("--preset", "generate-digits", "--size", "1400x900"),
])
def test_the_screenshots_that_crashed_exit_0(tmp_path, args):
    """They exited 139 in readouts.py _lay_out, called from resizeEvent."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "aeviz", "screenshot",
                             str(out), *args], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=110)
    assert result.returncode == 0, result.stderr[-4000:]
    assert out.stat().st_size > 10_000


def test_a_structure_change_keeps_the_weights_view_and_resets_its_model(qtbot):
    """Model/view: the Weights tab keeps one table widget for the window's life; an
    added layer is a new tab (not a widget) and the model shows the block chosen."""
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    from PySide6.QtWidgets import QTableView

    w = MainWindow(model=load_preset("article-example"))
    qtbot.addWidget(w)
    w.show()
    w.data_tabs.setCurrentWidget(w.weights)
    table = w.weights.table
    resets = []
    table.model().modelReset.connect(lambda: resets.append(w.doc.lesson.network.sizes))
    w.editing.add_layer()
    assert w.doc.lesson.network.sizes == (5, 3, 2, 5) and resets == [(5, 3, 2, 5)]
    assert w.weights.tabs.count() == 3
    w.weights.tabs.setCurrentIndex(2)
    model = table.model()
    assert (model.rowCount(), model.columnCount()) == (3, 5)       # (2 + bias) x 5
    assert model.data(model.index(2, 4)) == f"{w.doc.lesson.network.blocks[2][2, 4]:.3f}"
    w.doc.lesson.undo()
    assert w.weights.tabs.count() == 2 and w.weights.table is table
    assert table.model().block == 1 and (model.rowCount(), model.columnCount()) == (3, 5)
    assert [t for t in w.weights.findChildren(QTableView)] == [table]


def test_a_deferred_re_layout_keeps_a_prediction_hidden(qtbot):
    """Predict, then reveal: a narrower Values panel and larger text re-wrap the code
    cells (laid out a moment after the resize and the font change) without
    revealing the values."""
    from PySide6.QtWidgets import QDockWidget

    from .conftest import open_lesson
    w = open_lesson(qtbot, "overcomplete-sparse")
    values = w.findChild(QDockWidget, "Values")
    values.raise_()                                         # in front of Settings
    code = w.values.code
    qtbot.waitUntil(lambda: code.count == 8 and not code.wrapped)
    w.registry["predict"].trigger()                         # Ctrl+P: values hidden
    assert [code.cell_text(i) for i in range(8)] == ["?"] * 8
    resets = []
    code.model().modelReset.connect(lambda: resets.append(code.per_row))
    w.resizeDocks([values], [330], Qt.Horizontal)
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)  # larger text: the cells re-wrap
    qtbot.waitUntil(lambda: bool(resets) and code.per_row == code._per_row(8))
    assert code.wrapped                                     # rows of named cells
    assert [code.cell_text(i) for i in range(8)] == ["?"] * 8


RESIZE_CALLS_ALLOWED = {"resizeEvent", "start", "oldSize", "size", "width", "height", "super",
                        "hasattr"}
PAINT_CALLS_FORBIDDEN = {"show", "hide", "setVisible", "resize", "setGeometry", "setFixedHeight",
                         "setFixedWidth", "setFixedSize", "setMinimumSize", "addWidget",
                         "removeWidget", "deleteLater", "setText", "updateGeometry",
                         "adjustSize", "setRowCount", "setColumnCount", "clear"}


def test_no_resize_or_paint_handler_lays_anything_out():
    """The rule (README, "How it is built"): resizeEvent only measures and starts a
    zero-timer; paintEvent only paints.  Checked on the source of aeviz/gui."""
    offenders = []
    for path in sorted((ROOT / "aeviz" / "gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef) or node.name not in ("resizeEvent",
                                                                          "paintEvent"):
                continue
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                name = call.func.attr if isinstance(call.func, ast.Attribute) else \
                    getattr(call.func, "id", "")
                if node.name == "resizeEvent" and name not in RESIZE_CALLS_ALLOWED:
                    offenders.append(f"{path.name}:{call.lineno} {name}()")
                if node.name == "paintEvent" and name in PAINT_CALLS_FORBIDDEN:
                    offenders.append(f"{path.name}:{call.lineno} {name}()")
    assert offenders == []
