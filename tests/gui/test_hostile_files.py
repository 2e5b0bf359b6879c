"""Hostile lesson files in the window (#12): values at the edges of what the file
format allows are kept exactly through the settings panel and the next save, and
what it cannot hold is refused on load with a dialog naming the field."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from aeviz.core.files import fileformat as ff
from aeviz.core.model import default_model
from aeviz.gui.window.main_window import MainWindow


def lesson_file(tmp_path, **training) -> str:
    data = ff.to_dict(default_model())
    data["training"].update(training)
    path = tmp_path / "edge.aeviz"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    return w


@pytest.mark.parametrize("seed", [2**31, 2**53 + 1, 2**63 - 1])
def test_a_big_seed_survives_a_settings_edit_and_a_save(win, tmp_path, seed):
    assert win.files.open_path(lesson_file(tmp_path, seed=seed, shuffle=False))
    panel = win.settings_panel
    assert panel.seed.text() == str(seed)
    panel.lr.setText("0.25")
    panel.lr.editingFinished.emit()
    t = win.doc.lesson.model.training
    assert (t.learning_rate, t.seed, t.shuffle) == (0.25, seed, False)
    out = tmp_path / "saved.aeviz"
    assert win.files.save_to(out, wait=True)
    assert ff.load(out).training.seed == seed


@pytest.mark.parametrize("text", ["-1", str(2**63), "1.5", "abc"])
def test_a_seed_out_of_range_is_refused_with_the_range(win, qtbot, text):
    said = []
    win.settings_panel.refused.connect(said.append)
    win.settings_panel.seed.setText(text)
    win.settings_panel.seed.editingFinished.emit()
    assert said and f"0 to {2**63 - 1}" in said[-1]
    assert win.doc.lesson.model.training.seed == 0 and win.settings_panel.seed.text() == "0"


def test_typing_a_seed_is_one_undoable_change(win, qtbot):
    field = win.settings_panel.seed
    field.selectAll()
    qtbot.keyClicks(field, "4294967296")
    qtbot.keyClick(field, Qt.Key_Return)
    assert win.doc.lesson.model.training.seed == 2**32
    win.doc.lesson.undo()
    assert win.doc.lesson.model.training.seed == 0


def test_new_seed_at_the_largest_seed_wraps_to_0(win, tmp_path):
    assert win.files.open_path(lesson_file(tmp_path, seed=2**63 - 1))
    win.controller.new_seed()
    assert win.doc.lesson.model.training.seed == 0


def test_a_batch_size_above_100000_is_kept_by_a_settings_edit(win, tmp_path):
    assert win.files.open_path(lesson_file(tmp_path, batch_size=500_000))
    win.settings_panel.lr.setText("0.3")
    win.settings_panel.lr.editingFinished.emit()
    assert win.doc.lesson.model.training.batch_size == 500_000
    assert win.settings_panel.batch.value() == 500_000


@pytest.mark.parametrize("old,new,words", [
    ('"seed": 0', '"seed": ' + "9" * 4400, "4400 digits"),
    ('"name": "', '"name": "\\ud800', "name: holds a lone surrogate"),
])
def test_file_open_shows_a_dialog_for_unloadable_text(win, tmp_path, old, new, words):
    path = tmp_path / "bad.aeviz"
    path.write_text(json.dumps(ff.to_dict(default_model())).replace(old, new, 1))
    errors = []
    win.files.show_error = lambda title, text: errors.append(text)
    win.files.choose_open_path = lambda: str(path)
    win.files.open_dialog()
    assert len(errors) == 1 and words in errors[0]
    assert win.doc.lesson.path is None


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_file_open_of_a_fifo_or_device_shows_a_dialog_without_waiting(win, tmp_path):
    """#12 items 8, 9: only regular files are read."""
    import os
    fifo = tmp_path / "pipe.aeviz"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.aeviz"
    zero.symlink_to("/dev/zero")
    for path, words in ((fifo, "named pipe"), (zero, "device")):
        errors = []
        win.files.show_error = lambda title, text: errors.append(text)
        win.files.choose_open_path = lambda: str(path)
        win.files.open_dialog()
        assert len(errors) == 1 and words in errors[0]
        assert win.doc.lesson.path is None
