"""Crash recovery gaps (#12 item 5), with real child processes killed by kill -9:
a clean lesson that is training is autosaved (with its epoch), the autosave's
note is written atomically, an intact autosave is never deleted without asking,
and recovery is offered also when aeviz starts with a file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from aeviz.core.files import fileformat as ff
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.gui.runtime import autosave
from aeviz.gui.controllers.files import FileController
from aeviz.gui.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

TRAINING_SESSION = """
import os, signal, sys
from PySide6.QtCore import QTimer
from aeviz.gui.app import application
from aeviz.gui.window.main_window import MainWindow
from aeviz.core.files.presets import load_preset
app = application()
w = MainWindow(model=load_preset("train-5-2-5"))     # a clean lesson
w.show()
w.controller.speed = 0
w.controller.play()
def check():                      # die hard once an autosave of the run could exist
    if w.doc.lesson.epoch >= 300 and w.autosaver.path.exists():
        os.kill(os.getpid(), signal.SIGKILL)
timer = QTimer()
timer.timeout.connect(check)
timer.start(50)
app.exec()
"""


def test_a_clean_lesson_killed_while_training_is_offered_with_its_epoch(qtbot, tmp_path,
                                                                       monkeypatch, child_env):
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-c", TRAINING_SESSION], env=child_env(data, 0.2),
                            cwd=ROOT, timeout=120, capture_output=True)
    assert result.returncode == -signal.SIGKILL
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    assert len(autosave.left_behind()) == 1
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.files.ask_restore = lambda when: True
    assert w.files.offer_recovery()
    assert w.doc.lesson.epoch > 0
    fresh = load_preset("train-5-2-5").network.params
    assert not (w.doc.lesson.network.params == fresh).all()
    assert w.doc.lesson.modified


def _left_behind(data: Path, meta: str | None) -> Path:
    """An autosave of a process that is gone (pid 999999999), with ``meta`` as its note."""
    folder = data / "autosave"
    folder.mkdir(parents=True)
    path = folder / "autosave-999999999-0.aeviz"
    model = load_preset("train-5-2-5")
    model.network.weights[0][0, 0] = 0.125
    ff.save(model, path)
    if meta is not None:
        (folder / "autosave-999999999-0.json").write_text(meta)
    return path


def test_an_intact_autosave_with_a_broken_note_is_still_offered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(tmp_path / "data"))
    for n, meta in enumerate(["", None, "{not json"]):
        path = _left_behind(tmp_path / "data", meta)
        w = MainWindow()
        qtbot.addWidget(w)
        w.files.ask_unsaved = lambda: "discard"
        asked = []
        w.files.ask_restore = lambda when: asked.append(when) or False
        w.files.offer_recovery()
        assert len(asked) == 1, meta               # asked, not silently deleted
        w.close()
        for p in path.parent.iterdir():
            p.unlink()
        path.parent.rmdir()


def _autosaved_window(qtbot) -> MainWindow:
    """A window with an unsaved edit, autosaved (written by the writer thread)."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    assert w.autosaver.save_now()
    w.writer.wait()
    return w


def test_the_autosave_note_is_written_atomically(qtbot, monkeypatch):
    from aeviz.core.files import safeio
    written = []
    real = safeio.atomic_write
    monkeypatch.setattr(safeio, "atomic_write", lambda p, d: written.append(Path(p)) or real(p, d))
    monkeypatch.setattr(autosave, "atomic_write", lambda p, d: written.append(Path(p)) or real(p, d),
                        raising=False)
    w = _autosaved_window(qtbot)
    assert w.autosaver.meta in written
    assert json.loads(w.autosaver.meta.read_text())["epoch"] == 0


def test_recovery_is_offered_when_started_with_a_file(qtbot, tmp_path, monkeypatch):
    from aeviz.gui.app import start_window
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(tmp_path / "data"))
    _left_behind(tmp_path / "data", json.dumps({"original": "", "time": 1.0, "epoch": 42}))
    asked = []
    monkeypatch.setattr(FileController, "ask_restore",
                        lambda self, when: asked.append(when) or True)
    w = start_window(str(preset_paths()["encoder-4-2-4"]))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    assert asked == [1.0]
    assert w.doc.lesson.network.weights[0][0, 0] == 0.125 and w.doc.lesson.epoch == 42


def _autosave_of(data: Path, stem: str, written: float | None = None) -> Path:
    """An intact autosave named ``stem`` (with its note), last written at ``written``."""
    folder = data / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.aeviz"
    model = load_preset("train-5-2-5")
    model.network.weights[0][0, 0] = 0.125
    ff.save(model, path)
    path.with_suffix(".json").write_text(json.dumps({"original": "", "time": 5.0, "epoch": 7}))
    if written is not None:
        os.utime(path, (written, written))
    return path


def test_a_recycled_pid_never_hides_an_intact_autosave(qtbot, tmp_path, monkeypatch):
    """#22 item 6: the dead owner's PID now belongs to a live process (this one, or
    init): the copy is offered, restored and cleaned up all the same."""
    data = tmp_path / "data"
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    me = autosave.Owner.me()
    assert me.start is not None and me.boot, "needs /proc (Linux)"
    recycled = {
        "same PID, started at another time": autosave.Owner(me.pid, me.start + 1, me.boot).stem(0),
        "same PID and start, another boot": autosave.Owner(me.pid, me.start, "0" * 12).stem(0),
        "init's PID, another boot": autosave.Owner(1, 1, "f" * 12).stem(0),
    }
    for why, stem in recycled.items():
        path = _autosave_of(data, stem)
        assert autosave.left_behind() == [path], why
        w = MainWindow()
        qtbot.addWidget(w)
        w.files.ask_unsaved = lambda: "discard"
        asked = []
        w.files.ask_restore = lambda when: asked.append(when) or True
        assert w.files.offer_recovery(), why
        assert asked == [5.0], why
        assert w.doc.lesson.network.weights[0][0, 0] == 0.125 and w.doc.lesson.epoch == 7
        assert not path.exists() and not path.with_suffix(".json").exists(), why   # cleaned up
        w.close()


def test_a_copy_from_an_older_aeviz_named_by_pid_only_is_offered_once_the_pid_is_reused(
        tmp_path, monkeypatch):
    """``autosave-<pid>-<n>``: the process now holding that PID started after the copy
    was last written, so it is not the owner."""
    data = tmp_path / "data"
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    old = _autosave_of(data, f"autosave-{os.getpid()}-0", written=1000.0)   # long before us
    assert autosave.left_behind() == [old]
    os.utime(old)                                              # written now, by us: ours
    assert autosave.left_behind() == []


def test_a_live_owner_keeps_its_copy(qtbot, tmp_path, monkeypatch):
    """The other side: the copy of a process that runs (this one, or a child with
    its true start time) is not offered."""
    data = tmp_path / "data"
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    w = _autosaved_window(qtbot)
    assert w.autosaver.path.exists()
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        owner = autosave.Owner(child.pid, autosave.start_ticks(child.pid), autosave.boot_id())
        theirs = _autosave_of(data, owner.stem(3))
        assert autosave.left_behind() == []
        faked = _autosave_of(data, autosave.Owner(child.pid, owner.start + 5, owner.boot).stem(4))
        assert autosave.left_behind() == [faked]
    finally:
        child.communicate(b"")
    assert set(autosave.left_behind()) == {faked, theirs}       # the child has ended
