"""Training in the background: a worker QObject on a QThread runs the core's
TrainingSession in small chunks and sends time-throttled, copied snapshots; the
controller (GUI thread) starts and stops it and keeps the Document in step.

Thread rules: the worker never touches a widget or the Document.  The session
is shared, guarded by ``lock``: the worker holds it while it advances one chunk
(a few milliseconds) and the GUI holds it to change the session.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import (QAbstractEventDispatcher, QCoreApplication, QObject, Qt, QThread,
                            Signal, Slot)

from aeviz.core.network import glorot_uniform
from aeviz.core.session import Event, StopRule, TrainingSession
from aeviz.gui.document import Document

SPEEDS = (1, 2, 5, 10, 30, 100, 200, 500, 1000, 3000, 0)   # epochs/second; 0 = full speed
DEFAULT_SPEED = 200
DISPLAY_HZ = 40                                           # snapshots per second at most
CHUNK_SECONDS = 0.004                                     # work between two lock releases


def assert_gui_thread() -> None:
    """Debug check: widgets and the Document are only touched from the GUI thread."""
    app = QCoreApplication.instance()
    assert app is None or QThread.currentThread() is app.thread(), \
        "a GUI slot ran outside the GUI thread"


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of what the display needs."""

    run: int            # which run sent it (stale ones are dropped)
    epoch: int
    params: np.ndarray
    history: dict       # thinned copies of the loss history columns
    stuck: str | None   # the stuck detector's sentence (checked about once a second)


MAX_PLOT_POINTS = 4000


def thinned_history(session: TrainingSession) -> dict[str, np.ndarray]:
    """Copies of the history columns, at most MAX_PLOT_POINTS rows (last one kept)."""
    h = session.history
    n = len(h)
    stride = max(1, -(-n // MAX_PLOT_POINTS))
    idx = np.unique(np.r_[np.arange(0, n, stride), [n - 1]]) if n else np.array([], int)
    return {c: h.column(c)[idx].copy() for c in h.COLUMNS}


class TrainingWorker(QObject):
    """Runs ``controller.session`` until asked to stop or a stop condition."""

    snapshot_ready = Signal(object)      # Snapshot
    finished = Signal(int, object)       # run id, Event or None

    def __init__(self, controller: "TrainingController", run_id: int) -> None:
        super().__init__()
        self.controller = controller
        self.run_id = run_id
        self._stop = threading.Event()

    def request_stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.001)         # hand the GIL to the GUI thread sooner
        try:
            self._loop()
        finally:
            sys.setswitchinterval(switch)

    def _loop(self) -> None:
        c = self.controller
        event = None
        last_emit = last_stuck_check = 0.0
        stuck = None
        start_time, start_epoch = time.perf_counter(), c.session.epoch
        rate = 2000.0                                  # epochs/s estimate, adapts
        while not self._stop.is_set():
            if c.gui_waiting:                  # let the GUI take the lock first
                time.sleep(0.001)
                continue
            # run while the GUI thread sleeps: both need the one GIL, and a GUI that
            # waits for it at every Qt call would crawl (and the worker with it)
            c.gui_idle.wait(0.03)
            speed = c.speed
            now = time.perf_counter()
            if speed:
                due = start_epoch + int(speed * (now - start_time)) + 1 - c.session.epoch
                if due <= 0:
                    time.sleep(min(0.005, 1.0 / speed))
                    continue
                n = min(due, max(1, int(rate * CHUNK_SECONDS)))
            else:
                n = max(1, int(rate * CHUNK_SECONDS))
            t0 = time.perf_counter()
            with c.lock:
                c.session.record_every = 1 if (speed and speed <= 5000) else 50
                event = c.session.advance(n)
                epoch = c.session.epoch
                due_display = (speed and speed <= DISPLAY_HZ
                               or time.perf_counter() - last_emit >= 1 / DISPLAY_HZ)
                # only when the GUI has drawn the previous one: it never falls behind
                send = due_display and event is None and c.display_ready.is_set()
                if send:
                    params, history = c.session.params.copy(), thinned_history(c.session)
                    if time.perf_counter() - last_stuck_check > 1.0:
                        stuck, last_stuck_check = c.session.stuck_report(), time.perf_counter()
            rate = 0.7 * rate + 0.3 * n / max(time.perf_counter() - t0, 1e-6)
            if send:
                last_emit = time.perf_counter()
                c.display_ready.clear()
                self.snapshot_ready.emit(Snapshot(self.run_id, epoch, params, history, stuck))
            if event is not None:
                break
            if speed and c.session.epoch < start_epoch:       # rewound while running
                start_time, start_epoch = time.perf_counter(), c.session.epoch
        self.finished.emit(self.run_id, event)


class TrainingController(QObject):
    """Play/pause/step/reset for one Document; owns the session and the thread."""

    running_changed = Signal(bool)
    trained = Signal()                   # new epochs (or a rewind): plots redraw
    message = Signal(str)                # a stop condition, divergence, stuck...

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.lock = threading.RLock()
        self.display_ready = threading.Event()     # the GUI has drawn the last snapshot
        self.display_ready.set()
        self.gui_waiting = 0                       # > 0: the GUI wants the lock
        self.gui_idle = threading.Event()          # the GUI thread's event loop sleeps
        dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
        if dispatcher is not None:
            dispatcher.aboutToBlock.connect(self.gui_idle.set)
            dispatcher.awake.connect(self.gui_idle.clear)
        else:
            self.gui_idle.set()
        self.latest: Snapshot | None = None        # the last snapshot shown
        self.speed = DEFAULT_SPEED
        self.stop_rule = StopRule()
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._run_start: tuple[np.ndarray, int] | None = None
        self._run_id = 0
        self.session = self._new_session()
        doc.structure_changed.connect(self._on_structure_changed)
        doc.settings_changed.connect(self._on_settings_changed)
        doc.params_edited.connect(self._on_params_edited)
        doc.replaced.connect(self._on_replaced)

    @contextmanager
    def locked(self):
        """The session lock, taken from the GUI: the worker steps aside at once
        (a plain lock is not fair, and the worker would take it straight back)."""
        self.gui_waiting += 1
        try:
            with self.lock:
                yield self.session
        finally:
            self.gui_waiting -= 1

    def history(self) -> dict[str, np.ndarray]:
        """The loss history for plotting (from the last snapshot while running)."""
        if self.running and self.latest is not None and self.latest.run == self._run_id:
            return self.latest.history
        with self.locked() as session:
            return thinned_history(session)

    def _new_session(self) -> TrainingSession:
        m = self.doc.model
        session = TrainingSession(m.network, m.training, m.data())
        session.trainer.epoch = self.doc.epoch
        session.snapshots.truncate_after(-1)
        session.snapshots.add(session.trainer.state())
        return session

    # --- state ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def _on_structure_changed(self) -> None:
        was = self.pause()
        with self.locked():
            old = self.session
            self.session = self._new_session()
            if old.trainer.net.sizes == self.doc.network.sizes:   # activations changed
                self.session.trainer.optimizer.set_state(old.trainer.optimizer.state())
                self.session.history = old.history
        self.trained.emit()
        if was:
            self.play()

    def _on_replaced(self) -> None:
        """Another lesson: a fresh session (no history from the old one)."""
        self.pause()
        with self.locked():
            self.session = self._new_session()
        self.trained.emit()

    def _on_settings_changed(self) -> None:
        with self.locked():
            try:
                self.session.set_config(self.doc.model.training)
            except ValueError as e:               # cannot happen: the doc validated it
                self.message.emit(str(e))

    def _on_params_edited(self) -> None:
        with self.locked():
            self.session.set_params(self.doc.network.params, self.doc.epoch)
        self.trained.emit()

    def set_stop_rule(self, rule: StopRule) -> None:
        self.stop_rule = rule
        with self.locked():
            self.session.set_stop_rule(rule)

    # --- running -----------------------------------------------------------------------
    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def play(self) -> None:
        if self.running:
            return
        self._run_start = (self.doc.network.params.copy(), self.doc.epoch)
        with self.locked():
            if self.stop_rule.epochs is not None or self.session.stop_rule != self.stop_rule:
                self.session.set_stop_rule(self.stop_rule)
        self.display_ready.set()
        self._run_id += 1
        self._thread = QThread(self)
        self._worker = TrainingWorker(self, self._run_id)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # explicitly queued: these slots must run in the GUI thread, never the worker's
        self._worker.snapshot_ready.connect(self._on_snapshot, Qt.QueuedConnection)
        self._worker.finished.connect(self._on_worker_finished, Qt.QueuedConnection)
        self._thread.start()
        self.running_changed.emit(True)

    def pause(self) -> bool:
        """Stop the worker and wait for it; True if it was running."""
        if not self.running:
            return False
        self._worker.request_stop()
        self._thread.quit()
        self._thread.wait()
        self._finish_run(None)
        return True

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        assert_gui_thread()
        if self._worker is not None and snap.run == self._run_id:   # not a stale one
            self.latest = snap
            self.doc.show_params(snap.params, snap.epoch)
            self.trained.emit()
        self.display_ready.set()

    @Slot(int, object)
    def _on_worker_finished(self, run_id: int, event: Event | None) -> None:
        assert_gui_thread()
        if self._worker is not None and run_id == self._run_id:
            self._thread.quit()
            self._thread.wait()
            self._finish_run(event)

    def _finish_run(self, event: Event | None) -> None:
        self._thread.deleteLater()
        self._worker.deleteLater()
        self._thread = self._worker = None
        self._sync_doc("Train", count=True)
        self.running_changed.emit(False)
        if event is not None:
            self.message.emit(event.message[0].upper() + event.message[1:])

    def _sync_doc(self, verb: str, count: bool = False) -> None:
        """Show the session's state and make the run one undo step."""
        with self.locked():
            params, epoch = self.session.params.copy(), self.session.epoch
        start = self._run_start
        self.doc.show_params(params, epoch)
        if start is not None:
            n = epoch - start[1]
            text = f"{verb} {n} epoch{'s' if n != 1 else ''}" if count and n > 0 else verb
            self.doc.record_training(start[0], start[1], text)
        self._run_start = None
        self.trained.emit()

    def shutdown(self) -> None:
        """On close: stop and join the thread (never leaves it running)."""
        if self.running:
            self._worker.request_stop()
            self._thread.quit()
            self._thread.wait()
            self._thread = self._worker = None

    # --- single steps ---------------------------------------------------------------------
    def run_now(self, step, verb: str, count: bool = False) -> Event | None:
        """Pause, run ``step(session)`` in the GUI thread, show the result and make
        it one undo step named ``verb`` (with the epoch count when ``count``)."""
        self.pause()
        self._run_start = (self.doc.network.params.copy(), self.doc.epoch)
        with self.locked() as session:
            event = step(session)
        self._sync_doc(verb, count)
        if event is not None:
            self.message.emit(event.message[0].upper() + event.message[1:])
        return event

    def step_epoch(self) -> None:
        self.run_now(lambda session: session.advance(1), "Step one epoch")

    def step_pattern(self) -> None:
        self.run_now(lambda session: session.step(), "Step one update")

    def reset_weights(self) -> None:
        """Fresh Glorot-uniform weights from the training seed, zero biases, epoch 0."""
        self.pause()
        net, seed = self.doc.network, self.doc.model.training.seed
        params = np.zeros_like(net.params)
        start = 0
        for block, w in zip(net.blocks, glorot_uniform(net.sizes, np.random.default_rng(seed))):
            params[start:start + block.size].reshape(block.shape)[:-1] = w
            start += block.size
        self.doc.epoch = 0
        self.doc.replace_params(params, f"Reset weights (seed {seed})")
        with self.locked():
            self.session = self._new_session()
        self.trained.emit()

    def new_seed(self) -> None:
        training = self.doc.model.training
        self.doc.set_training(training.with_(seed=training.seed + 1), "New seed")
        self.reset_weights()

    # --- rewind ----------------------------------------------------------------------------
    def snapshot_epochs(self) -> list[int]:
        with self.locked():
            return list(self.session.snapshots.epochs)

    def show_epoch(self, epoch: int) -> None:
        """Display the snapshot at/before ``epoch`` without changing the session."""
        with self.locked():
            state = self.session.state_at(epoch)
        if state is not None:
            self.doc.show_params(state["params"], state["epoch"])

    def continue_from(self, epoch: int) -> None:
        self.run_now(lambda session: session.continue_from(epoch), f"Rewind to epoch {epoch}")

    def restart(self) -> None:
        self.run_now(lambda session: session.restart(), "Restart with the same initial weights")

    def stuck_report(self) -> str | None:
        if self.running and self.latest is not None and self.latest.run == self._run_id:
            return self.latest.stuck
        with self.locked() as session:
            return session.stuck_report()
