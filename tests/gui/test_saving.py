"""Saving and autosave off the GUI thread (#22 item 9).  The GUI thread takes a
snapshot and goes on; the file is written in the writer thread.  No data loss: a
save asked for during another waits its turn, closing the window waits for a
save in flight, errors reach the user, and the window counts as saved only once
the file is written and only for the state it holds.  (How long the GUI thread
blocks is measured in `aeviz bench`, not here.)"""

from __future__ import annotations

import os
import threading

from aeviz.core.files import fileformat as ff
from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow


class Gate:
    """Replaces fileformat.save: records (thread, path, w[0][0,0]) and holds each
    write until released."""

    def __init__(self, monkeypatch) -> None:
        self.real = ff.save
        self.calls: list[tuple[threading.Thread, str, float]] = []
        self.open = threading.Event()
        self.started = threading.Semaphore(0)
        monkeypatch.setattr(ff, "save", self.save)

    def save(self, model, path, *pause) -> None:
        self.calls.append((threading.current_thread(), os.fspath(path),
                           float(model.network.weights[0][0, 0])))
        self.started.release()
        self.open.wait(60)
        self.real(model, path, *pause)


def window(qtbot) -> MainWindow:
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    return w


def test_save_is_written_in_another_thread_and_edits_made_meanwhile_stay_unsaved(
        qtbot, tmp_path, monkeypatch):
    w = window(qtbot)
    gate = Gate(monkeypatch)
    first, second = tmp_path / "first.aeviz", tmp_path / "second.aeviz"
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    assert w.files.save_to(first)                 # returns while the write is held
    assert gate.started.acquire(timeout=30)
    assert gate.calls[0][0] is not threading.main_thread()
    assert w.doc.lesson.modified and w.isWindowModified()            # not saved before it is
    w.doc.lesson.set_weight(0, 0, 0, 0.75)               # an edit while the save is in flight
    assert w.files.save_to(second)                # queued behind the first
    assert len(gate.calls) == 1 and w.writer.busy
    with qtbot.waitSignal(w.writer.idle):
        gate.open.set()
    assert [(c[1], c[2]) for c in gate.calls] == [(str(first), 0.5), (str(second), 0.75)]
    assert ff.load(first).network.weights[0][0, 0] == 0.5      # the snapshot, not later
    assert ff.load(second).network.weights[0][0, 0] == 0.75
    assert not w.doc.lesson.modified and w.doc.lesson.path == second


def test_the_first_save_done_does_not_call_later_edits_saved(qtbot, tmp_path, monkeypatch):
    w = window(qtbot)
    gate = Gate(monkeypatch)
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    w.files.save_to(tmp_path / "a.aeviz")
    assert gate.started.acquire(timeout=30)
    w.doc.lesson.set_weight(0, 0, 0, 0.75)
    with qtbot.waitSignal(w.writer.idle):
        gate.open.set()
    assert w.doc.lesson.path == tmp_path / "a.aeviz"
    assert w.doc.lesson.modified and w.isWindowModified()
    w.doc.lesson.undo()                                  # back to what the file holds
    assert not w.doc.lesson.modified


def test_an_error_in_the_writer_thread_reaches_the_user(qtbot, tmp_path, monkeypatch):
    w = window(qtbot)
    path = tmp_path / "keep.aeviz"
    path.write_text("old")
    errors = []
    w.files.show_error = lambda title, text: errors.append((title, text))
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(
        OSError(28, "No space left on device")))
    with qtbot.waitSignal(w.writer.idle):
        w.files.save_to(path)
    assert errors and errors[0][0] == "Not saved" and "No space left" in errors[0][1]
    assert path.read_text() == "old" and w.doc.lesson.modified and w.doc.lesson.path is None


def test_closing_the_window_waits_for_a_save_in_flight(qtbot, tmp_path, monkeypatch):
    w = window(qtbot)
    w.show()
    gate = Gate(monkeypatch)
    asked = []
    w.files.ask_unsaved = lambda: asked.append(1) or "cancel"
    path = tmp_path / "a.aeviz"
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    w.files.save_to(path)
    assert gate.started.acquire(timeout=30)
    real_wait = w.writer.wait
    waited = []

    def wait():                                   # the window waits: let the write go on
        waited.append(w.writer.busy)
        gate.open.set()
        real_wait()
    monkeypatch.setattr(w.writer, "wait", wait)
    w.close()
    assert waited[0] and not w.isVisible()
    assert asked == []                            # saved by then: nothing to ask
    assert ff.load(path).network.weights[0][0, 0] == 0.5


def test_autosave_is_written_in_the_writer_thread(qtbot, monkeypatch):
    from aeviz.gui.runtime import autosave
    w = window(qtbot)
    gate = Gate(monkeypatch)
    monkeypatch.setattr(autosave, "save", gate.save)
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    assert w.autosaver.save_now()
    assert gate.started.acquire(timeout=30)
    assert gate.calls[0][0] is not threading.main_thread()
    assert not w.autosaver.save_now()             # one copy at a time: this tick skips
    with qtbot.waitSignal(w.writer.idle):
        gate.open.set()
    assert ff.load(w.autosaver.path).network.weights[0][0, 0] == 0.5
    assert w.autosaver.meta.exists()
    w.close()                                     # a clean exit removes the copy
    assert not w.autosaver.path.exists() and not w.autosaver.meta.exists()
