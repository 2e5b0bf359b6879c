"""The training clock of a lesson: where training stands, and a run shown live.

A :class:`TrainingClock` holds what training has reached besides the weights
themselves (which live in the network): the ``epoch``, the ``run_state``
(optimiser, generator, the started epoch's pending batches and the
reconstruction streak), the loss ``history`` and the rewind ``snapshots``.
It makes the private copy a run trains (:meth:`session`) and goes to any
recorded :class:`TrainingPoint` (:meth:`restore`, used by undo and redo).

A run in progress, or a rewind preview, may be *shown* before it is part of
the lesson (:meth:`show`): the clock keeps the committed point underneath and
the history rows the shown ones hid, and :meth:`end_live` puts them back.

It knows nothing of undo, guards or listeners: the :class:`~aeviz.core.lessons.lesson.Lesson`
composes it, wraps its changes in undoable commands and tells listeners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aeviz.core.config import TrainingConfig
from aeviz.core.lessons.history import LossHistory, Snapshots
from aeviz.core.engine.network import Network
from aeviz.core.lessons.session import TrainingSession
from aeviz.core.measures.solved import Streak
from aeviz.core.lessons.undo import Command, Lesson


@dataclass(frozen=True)
class TrainingPoint:
    """The training clock at one moment: a ``Trainer.state()`` dict (optimizer and
    rng None for a fresh start), the number of history rows and the snapshots
    (never mutated once recorded)."""

    state: dict
    history_size: int
    snapshots: Snapshots


class TrainingChange(Command):
    """A training run, single step, rewind or reset as one undo step: the clock
    before and after, and the history rows after the common first ``keep`` on
    each side (the rows both share are stored once, in the history)."""

    def __init__(self, before: TrainingPoint, after: TrainingPoint, keep: int,
                 rows_before: np.ndarray, rows_after: np.ndarray, text: str) -> None:
        self.before, self.after, self.keep = before, after, keep
        self.rows_before, self.rows_after, self.text = rows_before, rows_after, text

    def redo(self, lesson: Lesson) -> frozenset[str]:
        lesson.clock.restore(self.after, self.keep, self.rows_after)
        return frozenset({"params", "epoch", "history", "snapshots"})

    def undo(self, lesson: Lesson) -> frozenset[str]:
        lesson.clock.restore(self.before, self.keep, self.rows_before)
        return frozenset({"params", "epoch", "history", "snapshots"})


class TrainingClock:
    """``TrainingClock(network)``: ``network()`` gives the lesson's current network
    (a structure edit replaces it), whose ``params`` are the clock's weights."""

    def __init__(self, network: Callable[[], Network], epoch: int = 0) -> None:
        self.network = network
        self.epoch = epoch
        self.run_state: dict | None = None    # optimiser, generator, pending batches
        self.history = LossHistory()
        self.snapshots = Snapshots()
        self.snapshots.add(self.trainer_state())
        self._live: TrainingPoint | None = None     # the committed point under a live one
        self._live_streak: tuple | None = None      # the live run's Streak state
        self._live_rows: tuple[int, np.ndarray] = (0, np.empty((0, 4)))   # rows it hid

    # --- reading ----------------------------------------------------------------------
    def trainer_state(self) -> dict:
        """The state a Trainer needs to go on exactly (as ``Trainer.state()``);
        ``optimizer`` and ``rng`` are None for a fresh start."""
        run = self.run_state or {}
        return {"params": self.network().params.copy(), "epoch": self.epoch,
                "optimizer": run.get("optimizer"), "rng": run.get("rng"),
                "pending": list(run.get("pending", [])), "streak": run.get("streak"),
                "streak_of": run.get("streak_of")}

    @property
    def streak(self) -> Streak:
        """Epochs in a row with every pattern reconstructed, ending at the shown
        epoch (a live run's own while it is shown; none if the weights were
        edited since the run)."""
        if self._live is not None:
            return Streak.from_state({"streak": self._live_streak})
        run = self.run_state or {}
        if run.get("streak_of") != Streak.fingerprint(self.network().params):
            return Streak()
        return Streak.from_state(run)

    def point(self) -> TrainingPoint:
        """The committed point (the one under a live display, if any)."""
        if self._live is not None:
            return self._live
        return TrainingPoint(self.trainer_state(), len(self.history), self.snapshots)

    # --- training ---------------------------------------------------------------------
    def session(self, training: TrainingConfig, data: np.ndarray) -> TrainingSession:
        """A private copy of the committed state to train (a live display is ended
        first by the caller); ``session.origin`` is set by the lesson."""
        session = TrainingSession(self.network(), training, data)
        session.set_state(self.trainer_state())
        session.history = self.history.copy()
        session.snapshots = self.snapshots.copy()
        session.snapshots.add(session.state())
        return session

    def change(self, before: TrainingPoint, session: TrainingSession,
               text: str) -> TrainingChange | None:
        """What ``session`` (begun at ``before``) did, as one command named
        ``text``; None if it changed nothing (the clock's live display ended)."""
        after = TrainingPoint(session.state(), len(session.history), session.snapshots)
        keep = min(session.history.low, before.history_size)
        if (after.history_size == before.history_size == keep
                and after.state["epoch"] == before.state["epoch"]
                and np.array_equal(after.state["params"], before.state["params"])):
            return None
        return TrainingChange(before, after, keep, self.history.rows(keep, before.history_size),
                              session.history.rows(keep, after.history_size), text)

    def reset(self, params: np.ndarray, text: str) -> TrainingChange:
        """Back to epoch 0 with ``params``, a fresh optimiser and an empty history."""
        start = {"params": params, "epoch": 0, "optimizer": None, "rng": None, "pending": []}
        snapshots = Snapshots()
        snapshots.add(start)
        return TrainingChange(self.point(), TrainingPoint(start, 0, snapshots), 0,
                              self.history.rows(0), self.history.rows(0, 0), text)

    def restore(self, point: TrainingPoint, keep: int | None = None,
                rows: np.ndarray | None = None) -> None:
        """Go to ``point``; the history keeps ``keep`` rows (all of the point's by
        default) and then gets ``rows`` (shape (n, 4))."""
        state = point.state
        np.copyto(self.network().params, state["params"])
        self.epoch = state["epoch"]
        fresh = state.get("optimizer") is None and state.get("rng") is None
        self.run_state = None if fresh else {
            "optimizer": state["optimizer"], "rng": state["rng"],
            "pending": list(state.get("pending", [])), "streak": state.get("streak"),
            "streak_of": state.get("streak_of")}
        self.history.truncate(point.history_size if keep is None else keep)
        if rows is not None:
            self.history.extend(rows)
        self.snapshots = point.snapshots

    # --- a run in progress, shown before it is committed ----------------------------------
    @property
    def live(self) -> bool:
        return self._live is not None

    def show(self, params: np.ndarray, epoch: int, rows_start: int | None = None,
             rows: np.ndarray | None = None, streak: tuple | None = None) -> frozenset[str]:
        """Show a state of a run in progress (or a rewind preview); the event kinds
        it causes.  ``rows`` are history rows from index ``rows_start`` on."""
        self._live_streak = streak
        if self._live is None:
            self._live = self.point()
            self._live_rows = (len(self.history), self.history.rows(0, 0))
        np.copyto(self.network().params, params)
        self.epoch = epoch
        kinds = {"params", "epoch"}
        if rows is not None:
            start, saved = self._live_rows
            if rows_start < start:             # keep the committed rows it overwrites
                self._live_rows = (rows_start, np.vstack([self.history.rows(rows_start, start),
                                                          saved]))
            self.history.truncate(rows_start)
            self.history.extend(rows)
            kinds.add("history")
        return frozenset(kinds)

    def end_live(self) -> bool:
        """Back to the committed state; False if nothing live was shown."""
        if self._live is None:
            return False
        point, self._live = self._live, None
        self._live_streak = None
        start, saved = self._live_rows
        self.restore(point, start, saved)
        return True
