"""Training in the background, against the one Lesson.

At Play the controller takes a private copy of the lesson's training state
(``Lesson.start_session``) and hands it to a worker QObject on a QThread (most
lessons: :class:`~aeviz.gui.runtime.thread_worker.TrainingWorker` trains it
there; a big lesson whose snapshots carry their values, the 1,797 digits, trains
in a child process that :class:`~aeviz.gui.runtime.process_worker.ProcessWorker`
talks to, and the window keeps its GIL).  The worker alone touches that copy
while it runs; it sends time-throttled :class:`Snapshot` copies that the GUI
thread *shows* on the lesson (``Lesson.show_live``).  When the run ends —
Pause, a stop condition, or any change to the lesson, which calls this
controller's guard first — the thread is joined and the run becomes one
"Train N epochs" undo step (``Lesson.commit``).  So what is drawn is always a
state the trainer really reached, a change never overlaps training, and there
is no lock the GUI could wait on.

A settings edit (the learning rate...) does not end the run: the lesson hands
it to the running session, which the worker applies between two chunks
(:mod:`aeviz.core.lessons.lesson_runs`; a training process gets it through its
pipe); snapshot values computed with other settings than the lesson's are not
shown.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from aeviz.core.lessons.lesson_commands import epochs_text
from aeviz.core.lessons.session import Event, StopRule, TrainingSession
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.process_keeper import ProcessKeeper
from aeviz.gui.runtime.throttle import frame_shown
from aeviz.gui.runtime.train_process import DISPLAY_HZ
from aeviz.gui.runtime.snapshot import Snapshot
from aeviz.gui.runtime.steps import StepRunner
from aeviz.gui.runtime.thread_worker import (DEFAULT_SPEED, Pacing, TrainingWorker,
                                             ValuesRecipe)
from aeviz.gui.runtime.threads import assert_gui_thread

if TYPE_CHECKING:     # imported when a lesson first needs it (multiprocessing: ~10 ms)
    from aeviz.gui.runtime.process_worker import ProcessWorker, TrainerProcess

__all__ = ["CLASS_SPEED", "DEFAULT_SPEED", "SPEEDS", "Pacing", "Snapshot",
           "TrainingController", "TrainingWorker", "listed_speed"]
SPEEDS = (1, 2, 5, 10, 15, 30, 100, 200, 500, 1000, 3000, 0)   # epochs/second; 0 = full speed
CLASS_SPEED = 15           # slow enough to narrate (the C key)


def listed_speed(speed: int) -> int:
    """The listed speed (SPEEDS) nearest to ``speed`` (epochs/s, 0 = full)."""
    if speed in SPEEDS:
        return speed
    return min((s for s in SPEEDS if s), key=lambda s: abs(s - speed)) if speed else 0


VALUES_WAIT_MS = 500        # a snapshot's background values: the longest wait for them
PROCESS_FAILED = ("Training stopped: the training process ended unexpectedly, so this "
                  "run's epochs were not kept")


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
        self._worker: TrainingWorker | ProcessWorker | None = None
        self._run_id = 0
        self._start_epoch = 0                      # where the running session began
        self._rewound_to: int | None = None        # Play after a rewind: the epoch shown
        self.bounded: int | None = None            # run_epochs: how many epochs it runs
        self._verb = "Train"                       # names the run's undo step
        self._recipe: ValuesRecipe | None = None   # the run's frames' values (big lessons)
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
        # and from a training process not sooner than 1/DISPLAY_HZ after the last one
        # was asked for (a thread paces its own frames): the digits' process, its
        # frames handed over early by a chunk's time, sent ~53 a second once their
        # values took 8 ms, and the window drew every one
        self._ready = QTimer(self)
        self._ready.setSingleShot(True)
        self._ready.setTimerType(Qt.PreciseTimer)
        self._ready.timeout.connect(self._hand_over)
        self._asked_at = float("-inf")             # when the last snapshot was asked for
        # a big lesson's training process, started a moment after the lesson shows
        self.processes = ProcessKeeper(doc, self, lambda: self.running)

    @property
    def speed(self) -> int:
        return self.pacing.speed

    @speed.setter
    def speed(self, value: int) -> None:
        self.pacing.speed = value

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def process(self) -> TrainerProcess | None:
        """The training process of a big lesson (None until one is needed)."""
        return self.processes.process

    @property
    def in_process(self) -> bool:
        """Whether the run in progress trains in the process (not on a thread)."""
        process = self.processes.process
        return self._worker is not None and process is not None \
            and getattr(self._worker, "process", None) is process

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
        lesson = self.lesson                     # a big dataset: values come with frames
        recipe = self._recipe = (ValuesRecipe(lesson.model.copy(), lesson.x.copy(),
                                              dict(lesson.derived.functions))
                                 if self.processes.values_with_frames() else None)
        if self.processes.prepare():
            from aeviz.gui.runtime.process_worker import ProcessWorker
            self._worker = ProcessWorker(session, self._run_id, self.pacing, speed, recipe,
                                         self.processes.process)
        else:
            self._worker = TrainingWorker(session, self._run_id, self.pacing, speed, recipe)
        self._thread = QThread(self)
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
            # and those of the input fed at Play are not shown for another one fed since
            recipe = self._recipe
            if values is not None and recipe is not None and not np.array_equal(
                    recipe.x, self.lesson.x):
                values = recipe.refed(values, snap.params, snap.training, self.lesson.x)
            self.lesson.show_live(snap.params, snap.epoch, snap.rows_start, snap.rows,
                                  snap.streak, values)
            frame_shown()                    # throttled views keep out of its paint
            if self.bounded is not None:
                self.progress.emit(snap.epoch - self._start_epoch, self.bounded)
            if self.doc.values_pending:                  # shown once computed
                self._release.start()
                return
        self._ask_next()

    def _on_values_shown(self) -> None:
        if self.running and not self.doc.values_pending:
            self._release.stop()
            self._ask_next()

    def _ask_next(self) -> None:
        """Let the worker hand over the next snapshot, from a timer (see ``_ready``)."""
        wait = max(0.0, self._asked_at + 1.0 / DISPLAY_HZ - time.perf_counter()) \
            if self.in_process else 0.0
        self._ready.start(math.ceil(1000 * wait))

    def _hand_over(self) -> None:
        self._asked_at = time.perf_counter()
        self.pacing.display_ready.set()

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
        self._thread = self._worker = self._recipe = None
        self.latest = None
        self._ready.stop()                   # this run's hand-over: never the next run's
        self._release.stop()
        return worker.session

    def _finish_run(self, event: Event | None) -> None:
        worker = self._worker
        session = self._join()
        failed = getattr(worker, "failed", False)    # (known once joined: Pause may end it)
        n = session.epoch - self._start_epoch
        text = epochs_text(self._verb, n)
        if self.bounded is not None and event is not None and event.kind == "epochs":
            event = None                       # ran what it was asked: nothing to report
        self.bounded, self._verb = None, "Train"
        if self._rewound_to is not None:
            text = f"Rewind to epoch {self._rewound_to}, " + text[0].lower() + text[1:]
        self.lesson.commit(session, text)
        self.running_changed.emit(False)
        if failed:
            self.message.emit(PROCESS_FAILED)
        elif event is not None:
            self.message.emit(event.message[0].upper() + event.message[1:])

    def shutdown(self) -> None:
        """On close: stop and join the thread and end the training process (never
        leaves either running)."""
        self.processes.stop_warming()
        self.steps.shutdown()
        if self.running:
            self._join()
        self.processes.close()

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
