"""The Denoising view's comparison trains on a worker thread (never the GUI's),
says it is computing meanwhile, and never shows a result for a lesson that
has changed since it started."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from aeviz.core.measures import noise_comparison
from aeviz.core.measures.noise_comparison import NoiseComparison

from .conftest import WAIT, open_lesson


class Gate:
    """Wraps NoiseComparison.run: records its thread, waits for ``opened``."""

    def __init__(self, monkeypatch) -> None:
        self.opened, self.ended = threading.Event(), threading.Event()
        self.threads = []
        original = NoiseComparison.run

        def run(job, cancelled=lambda: False, progress=None):
            self.threads.append(threading.current_thread())
            while not self.opened.wait(0.01) and not cancelled():
                pass                                   # held until opened or cancelled
            try:
                return original(job, cancelled, progress)
            finally:
                self.ended.set()
        monkeypatch.setattr(noise_comparison.NoiseComparison, "run", run)


def _view(qtbot, epochs: int = 3):
    w = open_lesson(qtbot, "denoising-bars")
    w.controller.run_now(lambda session: session.advance(epochs), "Train", True)
    view = w.noise_view
    w.data_tabs.setCurrentWidget(view)
    return w, view


def test_the_comparison_trains_off_the_gui_thread_and_says_so_meanwhile(qtbot, monkeypatch):
    gate = Gate(monkeypatch)
    w, view = _view(qtbot)
    expected = NoiseComparison.of(w.doc.lesson)
    view.compare.click()
    assert "Training a copy without noise for 3 epochs…" in view.status.text()
    assert view.computing and not view.compare.isEnabled()
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.computing, timeout=WAIT)
    assert gate.threads and gate.threads[0] is not threading.main_thread()
    assert expected.run().sentence() in view.status.text()
    assert view.compare.isEnabled()


def test_an_edit_while_it_trains_drops_it(qtbot, monkeypatch):
    gate = Gate(monkeypatch)
    w, view = _view(qtbot)
    view.compare.click()
    assert view.computing
    w.doc.lesson.set_setting("learning_rate", 0.5)           # the lesson it answered is gone
    gate.opened.set()
    qtbot.waitUntil(gate.ended.is_set, timeout=WAIT)
    qtbot.waitUntil(lambda: all(t.isFinished() for t in view.job._threads), timeout=WAIT)
    QApplication.processEvents()                              # its queued result, if any
    assert not view.computing and "without noise" not in view.status.text()
    assert view.compare.isEnabled()


def test_a_result_goes_when_the_lesson_trains_on(qtbot):
    w, view = _view(qtbot)
    view.compare.click()
    qtbot.waitUntil(lambda: "trained 3 epochs from the same start without noise"
                    in view.status.text(), timeout=WAIT)
    w.controller.step_epoch()                                 # now 4 epochs: it no longer answers
    view.throttled.flush()
    qtbot.waitUntil(lambda: "without noise" not in view.status.text(), timeout=WAIT)
    w.doc.lesson.undo()                                              # nor after undo
    view.compare.click()
    qtbot.waitUntil(lambda: "without noise recovers" in view.status.text(), timeout=WAIT)
    w.doc.lesson.undo()
    view.throttled.flush()
    qtbot.waitUntil(lambda: "without noise" not in view.status.text(), timeout=WAIT)


def test_closing_the_window_joins_a_comparison_in_progress(qtbot, monkeypatch):
    gate = Gate(monkeypatch)
    w, view = _view(qtbot)
    view.compare.click()
    threads = list(view.job._threads)
    w.close()                                  # the gate is never opened: close cancels it
    assert threads and all(t.isFinished() for t in threads) and gate.ended.is_set()
