"""Training in the background, against the one Lesson.

At Play the controller takes a private copy of the lesson's training state
(``Lesson.start_session``) and hands it to a worker QObject on a QThread.  The
worker alone touches that copy while it runs; it sends time-throttled
:class:`Snapshot` copies that the GUI thread *shows* on the lesson
(``Lesson.show_live``).  When the run ends — Pause, a stop condition, or any
change to the lesson, which calls this controller's guard first — the thread is
joined and the run becomes one "Train N epochs" undo step (``Lesson.commit``).
So what is drawn is always a state the trainer really reached, a change never
overlaps training, and there is no lock the GUI could wait on.

A settings edit (the learning rate...) does not end the run: the lesson hands
it to the running session, which the worker applies between two chunks
(:mod:`aeviz.core.lessons.lesson_runs`); snapshot values computed with other
settings than the lesson's are not shown.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QAbstractEventDispatcher, QObject, Qt, QThread, QTimer, Signal, Slot

from aeviz.core.lessons.derived import Derived
from aeviz.core.lessons.lesson_commands import epochs_text
from aeviz.core.model import Model
from aeviz.core.lessons.session import Event, StopRule, TrainingSession
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.steps import StepRunner
from aeviz.gui.runtime.threads import assert_gui_thread

SPEEDS = (1, 2, 5, 10, 15, 30, 100, 200, 500, 1000, 3000, 0)   # epochs/second; 0 = full speed
CLASS_SPEED = 15           # slow enough to narrate (the C key)
DEFAULT_SPEED = 200


def listed_speed(speed: int) -> int:
    """The listed speed (SPEEDS) nearest to ``speed`` (epochs/s, 0 = full)."""
    if speed in SPEEDS:
        return speed
    return min((s for s in SPEEDS if s), key=lambda s: abs(s - speed)) if speed else 0

VALUES_WAIT_MS = 500        # a snapshot's background values: the longest wait for them
DISPLAY_HZ = 40                                           # snapshots per second at most
CHUNK_SECONDS = 0.004                                     # work between two checks
WORKER_VALUES_WORK = 30_000_000  # parameters x patterns up to which a background-valued
                                 # lesson's snapshots carry their values (1,797 digits: 7.9M)
FAST_RECORD_EVERY = 50          # above 5,000 epochs/s the loss is measured every 50th epoch


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of what the display needs from a run in progress."""

    run: int                 # which run sent it (stale ones are dropped)
    epoch: int
    params: np.ndarray
    rows_start: int          # history rows from this index on ...
    rows: np.ndarray         # ... (n, 4), since the previous snapshot
    stuck: str | None        # the stuck detector's sentence (checked about once a second)
    streak: tuple = ()       # the run's reconstruction streak (aeviz.core.measures.solved.Streak state)
    values: dict | None = None   # derived values of this state, computed by the worker
    training: object = None      # the settings (TrainingConfig) ``values`` were computed with


class Pacing:
    """What the GUI thread tells a running worker: speed (epochs/s, 0 = full),
    whether the last snapshot was drawn, whether the GUI's event loop sleeps."""

    def __init__(self) -> None:
        self.speed = DEFAULT_SPEED
        self.display_ready = threading.Event()
        self.display_ready.set()
        self.gui_idle = threading.Event()
        dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
        if dispatcher is not None:
            dispatcher.aboutToBlock.connect(self.gui_idle.set)
            dispatcher.awake.connect(self.gui_idle.clear)
        else:
            self.gui_idle.set()


@dataclass(frozen=True)
class ValuesRecipe:
    """What the worker needs to compute a snapshot's derived values itself (the
    dataset's evaluation, the code space...: O(patterns) work that would otherwise
    wait for a second thread and the GIL after every frame): a copy of the model,
    the fed input and the registered functions, all taken at Play."""

    model: Model
    x: np.ndarray
    functions: dict

    def compute(self, params: np.ndarray, training, cancelled: Callable[[], bool]) -> dict | None:
        """Every value of the state ``params`` trained with ``training`` (None if
        cancelled or a function raised: the GUI thread then computes it, and raises
        there, where it is seen)."""
        model = self.model.copy()
        model.training = training
        np.copyto(model.network.params, params)
        derived = Derived(model, self.x, self.functions, 0)
        try:
            return derived.values if derived.compute_all(cancelled) else None
        except Exception:            # noqa: BLE001 - see the docstring
            return None


class TrainingWorker(QObject):
    """Trains ``session`` (its own, untouched by anyone else) until asked to stop
    or a stop condition.  With a ``recipe`` each snapshot carries its derived
    values (a big dataset: the window shows them at once, in step)."""

    snapshot_ready = Signal(object)      # Snapshot
    finished = Signal(int, object)       # run id, Event or None

    def __init__(self, session: TrainingSession, run_id: int, pacing: Pacing,
                 speed: int | None = None, recipe: ValuesRecipe | None = None) -> None:
        super().__init__()
        self.session, self.run_id, self.pacing = session, run_id, pacing
        self.recipe = recipe
        self.speed = speed                   # epochs/s for this run (None: the pacing's)
        self._stop = threading.Event()

    def request_stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        switch = sys.getswitchinterval()
        # hand the GIL to the GUI thread sooner: every Qt call releases it, and the GUI
        # waits up to this long to get it back (digits: 0.001 s -> 5-7 drawn frames/s
        # and gaps of 0.3-0.4 s; 0.00005 s -> 9/s and 0.08-0.13 s, on a busy machine)
        sys.setswitchinterval(0.00005)
        try:
            event = self._loop()
        finally:
            sys.setswitchinterval(switch)
        self.finished.emit(self.run_id, event)

    def _loop(self) -> Event | None:
        session, pacing = self.session, self.pacing
        last_emit = last_stuck_check = values_s = 0.0     # values_s: their time (s)
        stuck = None
        sent = len(session.history)
        start_time, start_epoch = time.perf_counter(), session.epoch
        rate = None                # epochs/s, measured on the first epoch, then adapts
        while not self._stop.is_set():
            # run while the GUI thread sleeps: both need the one GIL, and a GUI that
            # waits for it at every Qt call would crawl (and the worker with it)
            pacing.gui_idle.wait(0.03)
            speed = pacing.speed if self.speed is None else self.speed
            if speed:
                due = start_epoch + int(speed * (time.perf_counter() - start_time)) + 1 \
                    - session.epoch
                if due <= 0:
                    time.sleep(min(0.005, 1.0 / speed))
                    continue
                n = min(due, max(1, int((rate or 0) * CHUNK_SECONDS)))
            else:
                n = max(1, int((rate or 0) * CHUNK_SECONDS))
            t0 = time.perf_counter()
            record_every = 1 if (speed and speed <= 5000) else FAST_RECORD_EVERY
            event = session.advance(n, record_every)
            measured = n / max(time.perf_counter() - t0, 1e-6)
            rate = measured if rate is None else 0.7 * rate + 0.3 * measured
            if event is not None:
                return event
            # due early by the time its values take, so it is sent 1/DISPLAY_HZ after the last
            due_display = (speed and speed <= DISPLAY_HZ
                           or time.perf_counter() - last_emit >= 1 / DISPLAY_HZ - values_s)
            # only when the GUI has drawn the previous one: it never falls behind
            if due_display and pacing.display_ready.is_set():
                if time.perf_counter() - last_stuck_check > 1.0:
                    stuck, last_stuck_check = session.stuck_report(), time.perf_counter()
                start = min(sent, len(session.history))
                params = session.params.copy()
                values = None
                if self.recipe is not None:
                    pacing.gui_idle.wait(0.03)       # not while the GUI draws the last one
                    t0 = time.perf_counter()
                    values = self.recipe.compute(params, session.config, self._stop.is_set)
                    values_s = 0.7 * values_s + 0.3 * (time.perf_counter() - t0)
                snap = Snapshot(self.run_id, session.epoch, params, start,
                                session.history.rows(start), stuck,
                                session.streak.to_state(), values, session.config)
                sent = len(session.history)
                last_emit = time.perf_counter()
                pacing.display_ready.clear()
                # the GUI thread wakes for this snapshot: the next chunk waits until it
                # has drawn it and sleeps again (its awake signal may come later than
                # the check at the top of the loop, and a chunk that shares the GIL
                # with a frame makes both several times slower)
                pacing.gui_idle.clear()
                self.snapshot_ready.emit(snap)
        return None


class TrainingController(QObject):
    """Play, pause, single steps, reset and rewind for one lesson."""

    running_changed = Signal(bool)
    progress = Signal(int, int)          # a run of N epochs (run_epochs): epochs done, N
    trained = Signal()                   # the loss history changed: the loss plot redraws
    message = Signal(str)                # a stop condition, divergence, stuck...

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.lesson = doc.lesson
        self.pacing = Pacing()
        self.latest: Snapshot | None = None        # the last snapshot shown
        self.stop_rule = StopRule()
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._run_id = 0
        self._start_epoch = 0                      # where the running session began
        self._rewound_to: int | None = None        # Play after a rewind: the epoch shown
        self.bounded: int | None = None            # run_epochs: how many epochs it runs
        self._verb = "Train"                       # names the run's undo step
        self.lesson.add_guard(self._before_change)
        self.steps = StepRunner(self.lesson, self)   # single steps (a big network: threaded)
        doc.history_changed.connect(self.trained)       # once per shown snapshot
        # values computed off the GUI thread (1,797 digits): the next snapshot waits
        # until these are shown, else every result would be stale before it is ready
        # and the readouts would stay at the epoch Play started from
        doc.values_changed.connect(self._on_values_shown)
        self._release = QTimer(self)                     # never wait for more than this
        self._release.setSingleShot(True)
        self._release.setInterval(VALUES_WAIT_MS)
        self._release.timeout.connect(self.pacing.display_ready.set)
        # the next snapshot is asked for from a zero-timer, not at once: Qt's event loop
        # runs its timers only between posted events, and snapshots posted back to back
        # starved every timer of the window (a 50 ms timer fired ~1 time a second
        # while train-5-2-5 trained at full speed; deferred layouts and repaints waited)
        self._ready = QTimer(self)
        self._ready.setSingleShot(True)
        self._ready.setInterval(0)
        self._ready.timeout.connect(self.pacing.display_ready.set)

    @property
    def speed(self) -> int:
        return self.pacing.speed

    @speed.setter
    def speed(self, value: int) -> None:
        self.pacing.speed = value

    @property
    def running(self) -> bool:
        return self._thread is not None

    def _before_change(self, may_resume: bool) -> Callable[[], None] | None:
        """The lesson's guard: a change first ends the run (one undo step)."""
        if not self.running:
            return None
        bounded = self.bounded is not None         # a guide's run is not resumed
        self.pause()
        return self.play if may_resume and not bounded else None

    def set_stop_rule(self, rule: StopRule) -> None:
        """Used from the next Play on (``epochs`` counts from there)."""
        self.stop_rule = rule

    # --- running -----------------------------------------------------------------------
    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def run_epochs(self, epochs: int, verb: str) -> None:
        """Train ``epochs`` more epochs in the background at full speed (a guide's
        ``train`` action): the same worker as Play, ``progress`` after each shown
        snapshot, :meth:`pause` is Stop (what was trained stays), and the run is
        one undo step named ``verb`` and its epoch count.  A run in progress is
        committed first."""
        self.pause()
        self.play(rule=StopRule(epochs=epochs), speed=0, verb=verb)

    def play(self, *, rule: StopRule | None = None, speed: int | None = None,
             verb: str = "Train") -> None:
        """Train in the background (``rule``: the stop rule, the panel's if None;
        ``speed``: epochs/s for this run, the panel's if None).  After a rewind,
        from the epoch on screen: the rewind and the training are one undo step."""
        if self.running:
            return
        self.steps.wait()                        # a single step computing: committed first
        shown = self.lesson.epoch if self.lesson.live else None      # a rewind preview
        session = self.lesson.start_session()
        self._rewound_to = None
        if shown is not None and shown < session.epoch:
            session.continue_from(shown)
            self._rewound_to = session.epoch
        self._start_epoch = session.epoch
        session.set_stop_rule(self.stop_rule if rule is None else rule)
        self.bounded = None if rule is None else rule.epochs
        self._verb = verb
        self.pacing.display_ready.set()
        self._run_id += 1
        self._thread = QThread(self)
        lesson = self.lesson                     # a big dataset: values come with frames
        recipe = (ValuesRecipe(lesson.model.copy(), lesson.x.copy(),
                               dict(lesson.derived.functions))
                  if self.doc.in_background()
                  and lesson.network.params.size * len(lesson.model.dataset) <= WORKER_VALUES_WORK
                  else None)
        self._worker = TrainingWorker(session, self._run_id, self.pacing, speed, recipe)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # explicitly queued: these slots must run in the GUI thread, never the worker's
        self._worker.snapshot_ready.connect(self._on_snapshot, Qt.QueuedConnection)
        self._worker.finished.connect(self._on_worker_finished, Qt.QueuedConnection)
        self._thread.start()
        self.running_changed.emit(True)
        if self.bounded is not None:
            self.progress.emit(0, self.bounded)

    def pause(self) -> bool:
        """Stop the worker, wait for it and commit its run; True if it was running.
        A single step computing (a big network) is waited for and committed too."""
        self.steps.wait()
        if not self.running:
            return False
        self._finish_run(None)
        return True

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        assert_gui_thread()
        if self._worker is not None and snap.run == self._run_id:   # not a stale one
            self.latest = snap
            # values computed before the worker took a settings edit are not shown
            values = snap.values if snap.training == self.lesson.training else None
            self.lesson.show_live(snap.params, snap.epoch, snap.rows_start, snap.rows,
                                  snap.streak, values)
            if self.bounded is not None:
                self.progress.emit(snap.epoch - self._start_epoch, self.bounded)
            if self.doc.values_pending:                  # shown once computed
                self._release.start()
                return
        self._ready.start()

    def _on_values_shown(self) -> None:
        if self.running and not self.doc.values_pending:
            self._release.stop()
            self._ready.start()

    @Slot(int, object)
    def _on_worker_finished(self, run_id: int, event: Event | None) -> None:
        assert_gui_thread()
        if self._worker is not None and run_id == self._run_id:
            self._finish_run(event)

    def _join(self) -> TrainingSession:
        worker, thread = self._worker, self._thread
        worker.request_stop()
        thread.quit()
        thread.wait()
        thread.deleteLater()
        worker.deleteLater()
        self._thread = self._worker = None
        self.latest = None
        return worker.session

    def _finish_run(self, event: Event | None) -> None:
        session = self._join()
        n = session.epoch - self._start_epoch
        text = epochs_text(self._verb, n)
        if self.bounded is not None and event is not None and event.kind == "epochs":
            event = None                       # ran what it was asked: nothing to report
        self.bounded, self._verb = None, "Train"
        if self._rewound_to is not None:
            text = f"Rewind to epoch {self._rewound_to}, " + text[0].lower() + text[1:]
        self.lesson.commit(session, text)
        self.running_changed.emit(False)
        if event is not None:
            self.message.emit(event.message[0].upper() + event.message[1:])

    def shutdown(self) -> None:
        """On close: stop and join the thread (never leaves it running)."""
        self.steps.shutdown()
        if self.running:
            self._join()

    # --- single steps ---------------------------------------------------------------------
    def run_now(self, step: Callable[[TrainingSession], Event | None], verb: str,
                count: bool = False) -> Event | None:
        """Run ``step(session)`` in the GUI thread on a copy of the lesson's training
        state and make it one undo step named ``verb`` (plus the epoch count when
        ``count``); a running worker is committed first."""
        event = self.lesson.run(step, verb, count)
        self._report(event)
        return event

    def step_epoch(self) -> None:
        self.run_step(lambda session: session.advance(1), "Step one epoch")

    def step_pattern(self) -> None:
        self.run_step(lambda session: session.step(), "Step one update")

    def run_step(self, step: Callable[[TrainingSession], Event | None], verb: str) -> None:
        """:meth:`run_now`, off the GUI thread for a big network (StepRunner.train)."""
        self.steps.train(step, verb, self.run_now, self._report)

    def _report(self, event: Event | None) -> None:
        if event is not None:
            self.message.emit(event.message[0].upper() + event.message[1:])

    def reset_weights(self) -> None:
        """Fresh Glorot-uniform weights from the training seed, zero biases, epoch 0."""
        self.pause()
        self.lesson.reset_weights()

    def new_seed(self) -> None:
        self.pause()
        self.lesson.new_seed()

    # --- rewind ----------------------------------------------------------------------------
    def snapshot_epochs(self) -> list[int]:
        return list(self.lesson.snapshots.epochs)

    def show_epoch(self, epoch: int) -> None:
        """Show the snapshot at/before ``epoch`` (a preview: any change, or showing
        the latest epoch, returns to the lesson's own state)."""
        if self.running or self.steps.busy:
            return
        snapshots = self.lesson.snapshots
        state = snapshots.at_or_before(epoch)
        if state is None:
            return
        if state is snapshots.states[-1]:
            self.lesson.end_live()
        else:
            self.lesson.show_live(state["params"], state["epoch"], streak=state.get("streak"))

    def continue_from(self, epoch: int) -> None:
        self.run_now(lambda session: session.continue_from(epoch), f"Rewind to epoch {epoch}")

    def restart(self) -> None:
        self.run_now(lambda session: session.restart(), "Restart with the same initial weights")

    def stuck_report(self) -> str | None:
        if self.latest is not None:
            return self.latest.stuck
        return self.lesson.stuck_report()
