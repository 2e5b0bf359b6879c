"""The training of a :class:`~aeviz.core.lessons.lesson.Lesson`: runs on a private
copy, each committed as one undo step, a run shown live, reset and new seed,
and the settings a run in progress takes along.  No Qt.

:class:`TrainingRuns` is composed into the lesson (``lesson.runs``), not mixed
in; the lesson's ``start_session``, ``commit``, ``run``, ``show_live``,
``end_live``, ``reset_weights`` and ``new_seed`` are its methods.  It acts on
the lesson through the lesson's own public parts: ``changing``, ``do``,
``notify``, ``revision``, ``undo_stack`` and the training ``clock``.

A session the lesson started (:meth:`start_session`) and has not committed is
*open*.  A change of the settings alone (a command with ``live`` set: every
training setting, see :mod:`aeviz.core.lessons.lesson_commands`) changes neither
the network's shape nor the data, so the open session takes it along
(:meth:`TrainingSession.retune <aeviz.core.lessons.session.TrainingSession.retune>`:
from its next chunk on, on whatever thread trains it) instead of being stopped,
committed and started again, and can still be committed afterwards.  Going on
with the new settings is bitwise what stopping, committing and starting again
gives (``tests/core/test_lesson_live_settings.py`` checks every setting).  On
the undo stack the edit is its own step, before the run's "Train N epochs";
the two commute (one changes the settings, the other the weights and clock).
While a session is open, Undo and Redo of such a step made during it are
taken along too; any other change ends what is open first (the guards).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.lessons.lesson_commands import epochs_text
from aeviz.core.lessons.session import Event, TrainingSession
from aeviz.core.lessons.training_clock import TrainingChange
from aeviz.core.lessons.undo import Command, Lesson


class _Unmade:
    """The open session while :meth:`TrainingRuns.prepare_session`'s copy is made."""

    def retune(self, config) -> None:      # the copy has the settings it was asked with
        pass


class TrainingRuns:
    """``TrainingRuns(lesson)``: the lesson's training (``lesson.runs``)."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.open: TrainingSession | None = None   # started, not committed, committable
        self._open_index = 0     # the undo stack's index when it started
        self._undone = 0         # settings steps of it undone in place (Redo takes them)
        self._settled = 0        # lesson.revision of the last change no session takes along

    # --- sessions ------------------------------------------------------------------
    def start_session(self) -> TrainingSession:
        """A private copy to train (the lesson's docstring); a rewind preview on
        show is dropped first: training goes on from the lesson's own state."""
        lesson = self.lesson
        self.end_live()
        session = lesson.clock.session(lesson.training, lesson.data())
        session.origin = (lesson.revision, lesson.clock.point())
        self.open, self._open_index, self._undone = session, lesson.undo_stack.index, 0
        lesson.undo_stack.seal()            # an edit during it never merges into one before
        return session

    def prepare_session(self) -> Callable[[], TrainingSession]:
        """:meth:`start_session` in two halves, for a network whose copy is slow
        (a 1024-1024-1024: ~0.7 s of copies of the weights and the optimiser's
        state).  Here, on the thread that owns the lesson: the live preview is
        dropped, the undo stack sealed, the revision taken; the returned
        function makes the copy and may run on another thread, provided the
        training clock does not change until it returns (the GUI holds every
        change back until then: ``aeviz.gui.runtime.steps``).  Until
        :meth:`adopt` the session to be counts as open: a settings edit made
        meanwhile is its own undo step and Undo takes it along, as for any open
        session (the copy has the settings of this moment)."""
        lesson = self.lesson
        self.end_live()
        clock, training, data, revision = lesson.clock, lesson.training, lesson.data(), \
            lesson.revision
        self.open, self._open_index, self._undone = _Unmade(), lesson.undo_stack.index, 0
        lesson.undo_stack.seal()

        def make() -> TrainingSession:
            session = clock.session(training, data)
            session.origin = (revision, clock.point())
            return session
        return make

    def adopt(self, session: TrainingSession) -> None:
        """The session :meth:`prepare_session`'s function made is the open one
        now (unless a change closed it meanwhile)."""
        if isinstance(self.open, _Unmade):
            self.open = session

    def commit(self, session: TrainingSession, text: str) -> None:
        """Make what ``session`` did one undo step named ``text`` (nothing if it
        changed nothing).  Refused if the lesson changed since the session began
        other than in its settings (those it took along)."""
        self.commit_change(session, self.change_of(session, text))

    def change_of(self, session: TrainingSession, text: str) -> TrainingChange | None:
        """What ``session`` did as one undo step named ``text`` (None: nothing).
        Copies its state (slow for a big network): may run on another thread, as
        :meth:`prepare_session`'s function, while the clock does not change."""
        return self.lesson.clock.change(session.origin[1], session, text)

    def commit_change(self, session: TrainingSession, command: TrainingChange | None) -> None:
        """:meth:`commit` with the command :meth:`change_of` made."""
        revision, _before = session.origin
        if revision < self._settled:
            raise RuntimeError("the lesson changed while this session trained a copy")
        if session is self.open:
            self.open = None
        self.end_live()
        if command is None:
            self.lesson.notify({"params", "epoch", "history"})   # a preview showed more
            return
        self.lesson.do(command, resume=False)

    def run(self, step: Callable[[TrainingSession], Event | None], text: str,
            count: bool = False) -> Event | None:
        """Train in this thread: ``step(session)`` on a private copy, then commit
        it as one undo step (``text`` plus "N epochs" when ``count``)."""
        lesson = self.lesson
        with lesson.changing(resume=False):
            session = self.start_session()
            event = step(session)
            self.commit(session, epochs_text(text, session.epoch - lesson.epoch) if count
                        else text)
        return event

    def reset_weights(self) -> None:
        """Fresh Glorot-uniform weights from the training seed, zero biases, epoch 0,
        a fresh optimiser, an empty history (one undo step)."""
        lesson = self.lesson
        seed = lesson.training.seed
        params = lesson.network.fresh(seed).params
        with lesson.changing():
            lesson.do(lesson.clock.reset(params, f"Reset weights (seed {seed})"))

    def new_seed(self) -> None:
        lesson = self.lesson
        with lesson.changing():
            seed = lesson.training.seed + 1
            if not cfg.in_range("seed", seed):          # the largest seed wraps to 0
                seed = 0
            lesson.set_training(lesson.training.with_(seed=seed), "New seed")
            self.reset_weights()

    # --- changes the open session takes along ----------------------------------------
    def takes(self, move: str) -> bool:
        """Whether Undo (``move`` "undo") or Redo ("redo") now is of a settings
        step made while the open session ran, so the session takes it along."""
        stack = self.lesson.undo_stack
        if self.open is None:
            return False
        if move == "undo":
            return stack.index > self._open_index and stack.commands[stack.index - 1].live
        return self._undone > 0 and stack.commands[stack.index].live

    def changed(self, command: Command | None, move: str) -> None:
        """After every change (``move``: "do", "undo", "redo"; ``command`` None
        for a new lesson): a settings change is handed to the open session, any
        other change closes it (it can no longer be committed)."""
        if command is None or not command.live:
            self.open, self._settled = None, self.lesson.revision
            return
        if self.open is not None:
            self._undone = {"do": 0, "undo": self._undone + 1,
                            "redo": self._undone - 1}[move]
            self.open.retune(self.lesson.training)

    # --- a run in progress, shown before it is committed (TrainingClock.show) -----------
    def show_live(self, params: np.ndarray, epoch: int, rows_start: int | None = None,
                  rows: np.ndarray | None = None, streak: tuple | None = None,
                  values: dict | None = None) -> None:
        """Show a state of a run in progress (or a rewind preview): not a change.
        ``rows`` are the history rows from index ``rows_start`` on; ``streak`` is
        the run's :class:`~aeviz.core.measures.solved.Streak` state at ``epoch``; ``values``
        are derived values (key -> value, see :mod:`aeviz.core.lessons.derived`) already
        computed for exactly this state (``params`` with the fed input), e.g. by
        the training thread: the new version starts with them."""
        kinds = self.lesson.clock.show(params, epoch, rows_start, rows, streak)
        self.lesson.notify(kinds, values)

    def end_live(self) -> None:
        """Back to the committed state (a preview or an abandoned run)."""
        if self.lesson.clock.end_live():
            self.lesson.notify({"params", "epoch", "history"})
