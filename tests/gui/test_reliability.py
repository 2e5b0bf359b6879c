"""Reliability: crash recovery, shutdown, repeated sessions, extreme settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QTableView

from aeviz.core.files.presets import load_preset
from aeviz.gui.runtime import autosave
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT

ROOT = Path(__file__).resolve().parents[2]

CRASHING_SESSION = """
import os, signal
from PySide6.QtCore import QTimer
from aeviz.gui.app import application
from aeviz.gui.window.main_window import MainWindow
app = application()
w = MainWindow()
w.show()
w.doc.lesson.set_weight(0, 0, 0, 0.25)                      # unsaved work
def check():                      # die hard once the autosave of that work exists
    if w.autosaver.path.exists():
        os.kill(os.getpid(), signal.SIGKILL)
timer = QTimer()
timer.timeout.connect(check)
timer.start(20)
app.exec()
"""

TRAIN_AND_CLOSE = """
import sys
from PySide6.QtCore import QTimer
from aeviz.gui.app import application, close_window
from aeviz.gui.window.main_window import MainWindow
from aeviz.core.files.presets import load_preset
app = application()
w = MainWindow(model=load_preset("train-5-2-5"))
w.files.ask_unsaved = lambda: "discard"
w.show()
w.controller.speed = 0
w.controller.play()
def close():                      # once it trains at full speed
    if w.doc.lesson.epoch > 200 and w.controller.running:
        w.close()
timer = QTimer()
timer.timeout.connect(close)
timer.start(20)
app.exec()
timer.stop()
close_window(w)
print(f"closed at epoch {w.doc.lesson.epoch}")
"""


def test_after_a_kill_9_the_next_start_offers_the_autosaved_work(qtbot, tmp_path, monkeypatch,
                                                                 child_env):
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-c", CRASHING_SESSION], env=child_env(data),
                            cwd=ROOT, timeout=60, capture_output=True)
    assert result.returncode == -signal.SIGKILL
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    left = autosave.left_behind()
    assert len(left) == 1
    saved_at = autosave.recover(left[0]).time
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    offered = []
    w.files.ask_restore = lambda when: offered.append(when) or True
    assert w.files.offer_recovery()
    assert offered == [saved_at]                       # the time of that autosave
    assert w.doc.lesson.network.weights[0][0, 0] == 0.25
    assert w.isWindowModified() and w.doc.lesson.modified
    assert autosave.left_behind() == []                # offered once only


def test_declined_recovery_is_forgotten(qtbot, tmp_path, monkeypatch, child_env):
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-c", CRASHING_SESSION], env=child_env(data), cwd=ROOT,
                   timeout=60, capture_output=True)
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(data))
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_restore = lambda when: False
    assert not w.files.offer_recovery()
    assert w.doc.lesson.network.weights[0][0, 0] == 1.0       # the article example, untouched
    assert autosave.left_behind() == []


def test_autosave_only_when_there_is_something_to_lose_and_clean_exit_removes_it(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    assert not w.autosaver.save_now()
    w.writer.wait()
    assert not w.autosaver.path.exists()
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    assert w.autosaver.save_now()
    w.writer.wait()                        # written in the writer thread
    assert w.autosaver.path.exists()
    w.close()
    assert not w.autosaver.path.exists()


def test_closing_while_training_at_full_speed_exits_0(tmp_path, child_env):
    result = subprocess.run([sys.executable, "-c", TRAIN_AND_CLOSE], env=child_env(tmp_path),
                            cwd=ROOT, timeout=60, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("closed at epoch")
    assert "Destroyed while thread" not in result.stderr


def test_fifty_open_train_close_cycles(qtbot):
    from aeviz.gui.app import close_window
    for i in range(50):
        w = MainWindow(model=load_preset("train-5-2-5"))
        w.files.ask_unsaved = lambda: "discard"
        w.controller.speed = 0
        w.controller.play()
        qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0, timeout=WAIT)
        assert w.close()
        assert not w.controller.running
        close_window(w)


def visible_numbers(w: MainWindow) -> list[str]:
    """Every number the window shows in its tables, readouts and neurons."""
    texts = [l.text() for l in w.findChildren(QLabel) if l.accessibleName() in
             ("Reconstruction error", "Loss")]
    for t in w.findChildren(QTableView):
        m = t.model()
        for r in range(m.rowCount()):
            for c in range(m.columnCount()):
                text = m.data(m.index(r, c))
                if text is not None:
                    texts.append(text)
    texts += [n.label.text() for layer in w.diagram.neurons for n in layer]
    return texts


@pytest.mark.parametrize("changes", [
    {"learning_rate": 1e6}, {"learning_rate": 0.0}, {"learning_rate": 1e-12},
    {"momentum": 0.999, "learning_rate": 5.0},
    {"noise": ("masking", 1.0)}, {"noise": ("salt_pepper", 1.0)}, {"noise": ("gaussian", 100.0)},
    {"sparsity": ("kl", 10.0, 1e-9)}, {"sparsity": ("kl", 10.0, 1 - 1e-9)},
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_extreme_settings_never_show_nan_or_raise(qtbot, changes):
    from aeviz.core.config import Noise, Sparsity
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    t = w.doc.lesson.model.training
    if "noise" in changes:
        changes["noise"] = Noise(*changes["noise"])
    if "sparsity" in changes:
        changes["sparsity"] = Sparsity(*changes["sparsity"])
    w.doc.lesson.set_training(t.with_(**changes))
    start = w.doc.lesson.network.params.copy()
    for _ in range(30):
        w.controller.step_epoch()
    w.controller.step_pattern()
    for _ in range(7):
        w.phases.next()
    # none of these settings blows the 5-2-5 up (tanh and softmax saturate): every
    # step really ran, nothing was refused, and every number shown is finite
    assert w.doc.lesson.epoch == 32 and "blow up" not in w.training.message.text()
    texts = visible_numbers(w)
    assert texts and not any("nan" in s.lower() or "inf" in s.lower() for s in texts)
    assert np.isfinite(w.doc.lesson.network.params).all()
    moved = np.abs(w.doc.lesson.network.params - start).max()
    lr = changes.get("learning_rate")
    assert moved == 0.0 if lr == 0.0 else moved > 0.0


def test_big_softmax_with_huge_logits_and_saturated_sigmoids(qtbot):
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    net = Network.create([64, 16, 64], ["sigmoid", "softmax"], rng=np.random.default_rng(0))
    net.params[:] *= 200.0                                  # saturated, logits in the thousands
    w = MainWindow(model=Model(net, TrainingConfig(learning_rate=10.0), Dataset.one_hot(64)))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    for _ in range(5):
        w.controller.step_epoch()
    texts = visible_numbers(w)
    assert not any("nan" in s.lower() for s in texts)


def test_closing_during_a_modal_dialog(qtbot):
    from PySide6.QtCore import QTimer
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    QTimer.singleShot(0, w.close)                    # runs inside the dialog's own loop
    w.editing.edit_neuron(1, 0)                      # blocks in the dialog until the close
    assert not w.isVisible()


def test_gui_slots_refuse_to_run_in_a_worker_thread():
    import threading
    from aeviz.gui.runtime.threads import assert_gui_thread
    assert_gui_thread()                      # the test runs in the GUI thread
    errors = []

    def worker():
        try:
            assert_gui_thread()
        except AssertionError as e:
            errors.append(e)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert errors and "outside the GUI thread" in str(errors[0])


def test_save_into_an_unwritable_folder_says_so_and_keeps_the_old_file(qtbot, tmp_path,
                                                                      monkeypatch):
    import tempfile
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    path = tmp_path / "lesson.aeviz"
    assert w.files.save_to(path, wait=True)
    old = path.read_bytes()
    w.doc.lesson.set_weight(0, 0, 0, 0.5)

    def refuse(*args, **kwargs):             # as a read-only folder would (root ignores modes)
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    errors = []
    w.files.show_error = lambda title, text: errors.append(text)
    assert not w.files.save_to(path, wait=True)
    assert "Permission denied" in errors[0] and "left as it was" in errors[0]
    assert path.read_bytes() == old and w.isWindowModified()


def test_garbage_is_collected_on_the_gui_thread_only(qtbot):
    """Automatic collection is off (it would run in training threads and destroy Qt
    objects there, which froze the 50-window test); a GUI-thread timer collects."""
    import gc
    import weakref

    from aeviz.gui.runtime import gc_guard
    from aeviz.gui.app import application
    app = application()
    assert not gc.isenabled()
    assert gc_guard.install(app) is gc_guard.install(app)          # one per application

    class Node:
        pass
    for _ in range(gc.get_threshold()[0] + 10):                     # enough for generation 0
        a, b = Node(), Node()
        a.other, b.other = b, a
    probe = weakref.ref(a)
    del a, b
    assert probe() is not None                                       # nothing collected yet
    qtbot.waitUntil(lambda: probe() is None, timeout=WAIT)


def test_the_app_freezes_what_start_up_made_so_full_collections_stay_short(tmp_path):
    """run_app collects once and freezes the start-up's objects (gc.freeze): a later
    full collection scans only what the session made, and new garbage is still
    collected."""
    code = """
import gc, os, sys, time, weakref
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["AEVIZ_DATA_DIR"] = sys.argv[1]
from PySide6.QtWidgets import QApplication
from aeviz.gui import app as A
QApplication.exec = lambda self: 0            # start, then return at once
assert A.run_app(None) == 0
frozen = gc.get_freeze_count()
class Node: pass
a, b = Node(), Node(); a.o, b.o = b, a
probe = weakref.ref(a); del a, b
gc.collect()
print(frozen, probe() is None)
"""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], env=env,
                         capture_output=True, text=True, timeout=120)
    frozen, collected = out.stdout.split()
    assert int(frozen) > 20_000 and collected == "True", out.stderr


def test_installing_the_collector_again_turns_automatic_collection_off_again(qapp):
    """A command line run inside the same process (``cli.main()`` on the process's
    own arguments: a test) turns automatic collection on; the window's next
    install turns it off again, so it never runs in a training thread (a pytest
    worker ran test_cli's ``main()`` before this file's first test, which then
    found collection on)."""
    import gc

    from aeviz.gui.runtime import gc_guard
    collector = gc_guard.install(qapp)
    gc.enable()
    try:
        assert gc_guard.install(qapp) is collector and not gc.isenabled()
    finally:
        gc.disable()
