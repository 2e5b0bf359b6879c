"""Training on a QThread (:class:`TrainingWorker`), and what it shares with the
GUI thread: the :class:`Pacing` and, for a big dataset, the :class:`ValuesRecipe`
of each snapshot's derived values.  The controller is :mod:`.training`; a big
lesson whose snapshots carry values trains in a child process instead
(:mod:`.process_worker`)."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QAbstractEventDispatcher, QObject, QThread, Signal, Slot

from aeviz.core.lessons.derived import FED_INPUT_VALUES, Derived
from aeviz.core.lessons.session import Event, TrainingSession
from aeviz.core.model import Model
from aeviz.gui.runtime.snapshot import Snapshot
# one set of pacing constants for the thread and the process (which imports no Qt)
from aeviz.gui.runtime.train_process import DISPLAY_HZ, Chunks

DEFAULT_SPEED = 200
WORKER_VALUES_WORK = 30_000_000  # parameters x patterns up to which a background-valued
                                 # lesson's snapshots carry their values (1,797 digits: 7.9M)


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

    def derived(self, params: np.ndarray, training, x: np.ndarray | None = None,
                known: dict | None = None) -> Derived:
        """The derived values of the state ``params`` trained with ``training``, for
        the fed input ``x`` (the recipe's if None), ``known`` ones already in."""
        model = self.model.copy()
        model.training = training
        np.copyto(model.network.params, params)
        derived = Derived(model, self.x if x is None else x, self.functions, 0)
        derived.values.update(known or {})
        return derived

    def compute(self, params: np.ndarray, training, cancelled: Callable[[], bool],
                known: dict | None = None) -> dict | None:
        """Every value of the state ``params`` trained with ``training`` (``known``:
        those computed already, by the training process); None if cancelled or a
        function raised: the GUI thread then computes it, and raises there, where
        it is seen."""
        derived = self.derived(params, training, known=known)
        try:
            return derived.values if derived.compute_all(cancelled) else None
        except Exception:            # noqa: BLE001 - see the docstring
            return None

    def refed(self, values: dict, params: np.ndarray, training, x: np.ndarray) -> dict:
        """``values`` (computed with this recipe's input) with those of the fed
        input (``FED_INPUT_VALUES``: the forward pass, which pattern is fed)
        computed for ``x`` instead: a pattern fed during the run, which goes on.
        ~0.1 ms for the 1,797 digits (one forward pass, one search of the rows)."""
        derived = self.derived(params, training, x, {k: v for k, v in values.items()
                                                     if k not in FED_INPUT_VALUES})
        for key in FED_INPUT_VALUES:
            if key in self.functions:
                derived.get(key)
        return derived.values


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
        chunks = Chunks(session.epoch)
        while not self._stop.is_set():
            # run while the GUI thread sleeps: both need the one GIL, and a GUI that
            # waits for it at every Qt call would crawl (and the worker with it)
            pacing.gui_idle.wait(0.03)
            speed = pacing.speed if self.speed is None else self.speed
            n = chunks.due(session.epoch, speed)
            if n <= 0:
                time.sleep(min(0.005, 1.0 / speed))
                continue
            event = chunks.advance(session, n, speed)
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


