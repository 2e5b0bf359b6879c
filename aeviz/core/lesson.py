"""The lesson being worked on, with exactly one owner: this object (no Qt).

A :class:`Lesson` holds the network, the training settings, the dataset (all in
``model``), the fed input ``x``, the training clock (``epoch`` and the optimiser
and generator state), the loss ``history`` and the rewind ``snapshots``.  What
the window draws is this state; what is saved is this state.

Every change (the structure and dataset edits are in
:mod:`aeviz.core.lesson_structure`) goes through an undoable command
(:mod:`aeviz.core.lesson_commands`)
inside :meth:`Lesson.changing`, which first calls the *guards*: the GUI's
training controller registers one that stops a running worker and records its
run as one "Train N epochs" step, so training never overlaps a change and
undoing everything returns bitwise to the opening state.

Training happens on a private copy (:meth:`start_session`); a run in progress
may be *shown* (:meth:`show_live`), and becomes part of the lesson only through
:meth:`commit`.  Listeners get the set of event kinds each change caused:
``input``, ``params``, ``settings``, ``structure``, ``epoch``, ``history``,
``file`` and ``undo``.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.config import TrainingConfig
from aeviz.core.fileformat import load, save
from aeviz.core.datasets import value_problem
from aeviz.core.derived import Compute, Derived
from aeviz.core.history import LossHistory, Snapshots
from aeviz.core.lesson_commands import (EditRefused, SetParams, SetSetting, SetSettings,
                                        TrainingChange, TrainingPoint, check_value,
                                        epochs_text, weight_name)
from aeviz.core.lesson_structure import StructureEdits
from aeviz.core.losses import ConfigError, check_compatible
from aeviz.core.model import Evaluation, Model, evaluate
from aeviz.core.network import Network
from aeviz.core.session import Event, TrainingSession, stuck_report
from aeviz.core.solved import Streak
from aeviz.core.undo import Command, UndoStack

ALL_EVENTS = frozenset({"input", "params", "settings", "structure", "epoch", "history",
                        "file", "undo"})
Guard = Callable[[bool], "Callable[[], None] | None"]


def _forward(d: Derived) -> tuple[list[np.ndarray], list[np.ndarray]]:
    return d.model.network.forward(d.x[None, :])


def _evaluation(d: Derived) -> Evaluation:
    return evaluate(d.model.network, d.model.training, d.model.data())


def _pattern_index(d: Derived) -> int | None:
    ds = d.model.dataset          # read only: no copy of thousands of rows
    hits = np.flatnonzero(np.all((ds.rows if ds.kind == "patterns" else ds.matrix()) == d.x,
                                 axis=1))
    return int(hits[0]) if hits.size else None


@dataclass(frozen=True)
class SaveJob:
    """A save in progress: where, a copy of what, and the undo state it is."""

    path: Path
    model: Model
    mark: tuple


class Lesson:
    """``Lesson(model, path)``: the single owner of what the window shows."""

    def __init__(self, model: Model, path: Path | None = None) -> None:
        self.model = model
        self.path = Path(path) if path is not None else None
        self.undo_stack = UndoStack()
        self._listeners: list[Callable[[frozenset[str]], None]] = []
        self._guards: list[Guard] = []
        self._in_change = False
        # what the forward pass and the evaluation give, per version (see core.derived)
        self._functions: dict[str, Compute] = {"forward": _forward, "evaluation": _evaluation,
                                               "pattern index": _pattern_index}
        self.derived = Derived(model, np.zeros(0), self._functions, 0)
        self.structure = StructureEdits(self)  # neurons, layers, activations, dataset
        self.revision = 0                     # +1 on every change (not on live display)
        self._live: TrainingPoint | None = None     # the committed state under a live one
        self._live_streak: tuple | None = None      # the live run's Streak state
        self._live_rows: tuple[int, np.ndarray] = (0, np.empty((0, 4)))   # rows it hid
        self._next_values: dict | None = None       # show_live's values, for its version
        self._reset_training()

    def _reset_training(self) -> None:
        self.x = self.data()[0].copy()
        self.derived = Derived(self.model, self.x, self._functions, self.derived.version + 1)
        self.epoch = 0
        self.run_state: dict | None = None    # optimiser, generator, pending batches
        self.history = LossHistory()
        self.snapshots = Snapshots()
        self.snapshots.add(self.trainer_state())

    # --- reading ---------------------------------------------------------------------
    @property
    def network(self) -> Network:
        return self.model.network

    @property
    def training(self) -> TrainingConfig:
        return self.model.training

    def data(self) -> np.ndarray:
        """The patterns, shape (P, n_0)."""
        return self.model.data()

    def forward(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(zs, activations) of the fed input, each of shape (1, n_k)."""
        return self.derived.get("forward")

    def evaluation(self) -> Evaluation:
        """The network on the whole (clean) dataset."""
        return self.derived.get("evaluation")

    def add_derived(self, key: str, compute: Compute) -> None:
        """Register ``compute(derived)``, a value computed from the current state
        once per version (``self.derived.get(key)``), also off the GUI thread."""
        self._functions[key] = compute

    def pattern_index(self) -> int | None:
        """Which dataset pattern is fed (None if the input matches none)."""
        return self.derived.get("pattern index")

    @property
    def live(self) -> bool:
        """A run (or a rewind preview) is shown that is not yet part of the lesson."""
        return self._live is not None

    @property
    def modified(self) -> bool:
        return not self.undo_stack.is_clean() or self.live

    def trainer_state(self) -> dict:
        """The state a Trainer needs to go on exactly (as ``Trainer.state()``);
        ``optimizer`` and ``rng`` are None for a fresh start."""
        run = self.run_state or {}
        return {"params": self.network.params.copy(), "epoch": self.epoch,
                "optimizer": run.get("optimizer"), "rng": run.get("rng"),
                "pending": list(run.get("pending", [])), "streak": run.get("streak"),
                "streak_of": run.get("streak_of")}

    @property
    def streak(self) -> Streak:
        """Epochs in a row with every pattern reconstructed, ending at the shown
        epoch (see :mod:`aeviz.core.solved`; a live run's own while it is shown)."""
        if self._live is not None:
            return Streak.from_state({"streak": self._live_streak})
        run = self.run_state or {}
        if run.get("streak_of") != Streak.fingerprint(self.network.params):
            return Streak()                  # weights edited since: no streak
        return Streak.from_state(run)

    @property
    def solved(self) -> bool:
        """Every pattern reconstructed for HOLD epochs in a row, up to now, and now."""
        return self.streak.confirmed(self.epoch) and bool(self.evaluation().reconstructed.all())

    def stuck_report(self) -> str | None:
        return stuck_report(self.history, self.network, self.training, self.data(),
                            streak=self.streak)

    # --- events ----------------------------------------------------------------------
    def subscribe(self, listener: Callable[[frozenset[str]], None]) -> None:
        """``listener(kinds)`` after every change, with the event kinds it caused."""
        self._listeners.append(listener)

    def _notify(self, kinds: frozenset[str] | set[str]) -> None:
        kinds = frozenset(kinds)
        if kinds & {"input", "params", "settings", "structure"}:
            self.derived = Derived(self.model, self.x, self._functions,
                                   self.derived.version + 1)
            if self._next_values is not None:        # computed with the state (show_live)
                self.derived.values.update(self._next_values)
        self._next_values = None
        for listener in list(self._listeners):
            listener(kinds)

    def add_guard(self, guard: Guard) -> None:
        """``guard(may_resume)`` runs before every change; it may stop a run (and
        commit it) and return a function to call after the change (to resume)."""
        self._guards.append(guard)

    @contextmanager
    def changing(self, resume: bool = True) -> Iterator[None]:
        """Around every change: guards first (a running worker is checkpointed),
        any live display is dropped, then the change; afterwards, resumptions."""
        if self._in_change:
            yield
            return
        self._in_change = True
        resumes = []
        try:
            resumes = [guard(resume) for guard in list(self._guards)]
            if self._live is not None:
                self.end_live()
            yield
        finally:
            self._in_change = False
            for again in resumes:          # also after a refused edit: training goes on
                if again is not None and resume:
                    again()

    def do(self, command: Command) -> None:
        """Apply ``command`` and record it for undo."""
        with self.changing():
            self._apply(command)

    # --- structure edits (lesson_structure.StructureEdits), each one undo step ----------
    def add_neuron(self, layer: int) -> None:
        self.structure.add_neuron(layer)

    def remove_neuron(self, layer: int, index: int) -> None:
        self.structure.remove_neuron(layer, index)

    def insert_layer(self, position: int, size: int | None = None,
                     activation: str = "tanh") -> None:
        self.structure.insert_layer(position, size, activation)

    def remove_layer(self, layer: int) -> None:
        self.structure.remove_layer(layer)

    def set_activation(self, layer: int, activation: str) -> None:
        self.structure.set_activation(layer, activation)

    def set_variational(self, on: bool) -> None:
        self.structure.set_variational(on)

    def set_dataset(self, dataset, name: str, output_activation: str | None = None) -> None:
        self.structure.set_dataset(dataset, name, output_activation)

    def _apply(self, command: Command) -> None:
        kinds = command.redo(self)
        self.undo_stack.push(command)
        self.revision += 1
        self._notify(kinds | {"undo", "file"})

    def undo(self) -> None:
        with self.changing(resume=False):
            kinds = self.undo_stack.undo(self)
            self.revision += 1
            self._notify(kinds | {"undo", "file"})

    def redo(self) -> None:
        with self.changing(resume=False):
            kinds = self.undo_stack.redo(self)
            self.revision += 1
            self._notify(kinds | {"undo", "file"})

    # --- input (not an edit of the lesson: not undoable) --------------------------------
    def feed_pattern(self, index: int) -> None:
        data = self.data()
        if not 0 <= index < len(data):
            raise EditRefused(f"there is no pattern {index + 1}; the dataset has {len(data)}")
        self.set_input(data[index])

    def set_input(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=float)
        if x.shape != (self.network.sizes[0],) or not np.isfinite(x).all():
            raise EditRefused("the input must be one finite number per input neuron")
        problem = value_problem(x)
        if problem is not None:
            raise EditRefused(f"input {problem[1] + 1}: {problem[2]}")
        self.x = x.copy()
        self._notify({"input"})

    def toggle_input(self, unit: int) -> None:
        x = self.x.copy()
        x[unit] = 0.0 if x[unit] else 1.0
        self.set_input(x)

    # --- weights and biases -------------------------------------------------------------
    def param_index(self, block: int, row: int, col: int) -> int:
        """Index in ``params`` of W[block][row, col] (row = n_in means the bias)."""
        start = sum(p.size for p in self.network.blocks[:block])
        return start + row * self.network.blocks[block].shape[1] + col

    def set_weight(self, block: int, row: int, col: int, value: float,
                   merge: bool = False) -> None:
        """W[block][row, col] = value; row = n_in edits the bias of unit ``col``."""
        self.set_params({self.param_index(block, row, col): value},
                        weight_name(self.network, block, row, col), merge)

    def set_params(self, changes: dict[int, float], text: str, merge: bool = False) -> None:
        """Set several parameters (by flat index) in one undoable step."""
        for value in changes.values():
            check_value(value)
        with self.changing():
            params = self.network.params
            idx = np.fromiter(changes, dtype=int, count=len(changes))
            after = np.fromiter(changes.values(), dtype=float, count=len(changes))
            if np.array_equal(params[idx], after):
                return
            key = int(idx[0]) if merge and len(idx) == 1 else None
            self._apply(SetParams(idx, params[idx].copy(), after, text, key))

    def set_training(self, training: TrainingConfig, text: str = "Change settings") -> None:
        try:
            check_compatible(training, self.network.activations, self.network.code_layer,
                             self.network.variational)
        except ConfigError as e:
            raise EditRefused(str(e)) from None
        with self.changing():
            if training != self.training:
                self._apply(SetSettings(self.training, training, text))

    def set_setting(self, name: str, value: object, merge: bool = False) -> None:
        """Change one training setting (a name in ``config.SETTINGS``, e.g.
        ``"learning_rate"``), every other field as it is: one undo step named
        after it ("Set learning rate 0.5 → 0.02"), or EditRefused saying why.
        ``merge``: consecutive merging changes of one setting are one step."""
        if cfg.SETTINGS.get(name, (None, None))[1] is float and isinstance(value, int) \
                and not isinstance(value, bool):
            value = float(value)
        problem = cfg.setting_problem(self.training, name, value)
        if problem is not None:
            raise EditRefused(problem)
        after = self.training.with_setting(name, value)
        try:
            check_compatible(after, self.network.activations, self.network.code_layer,
                             self.network.variational)
        except ConfigError as e:
            raise EditRefused(str(e)) from None
        with self.changing():
            before = self.training.get(name)
            if before != value:
                self._apply(SetSetting(name, before, value, merge))

    # --- training -------------------------------------------------------------------------
    def start_session(self) -> TrainingSession:
        """A private copy to train: the worker (or a single step) trains it, then
        :meth:`commit` makes the result part of the lesson.  A rewind preview on
        show is dropped first: training goes on from the lesson's own state."""
        self.end_live()
        session = TrainingSession(self.network, self.training, self.data())
        session.set_state(self.trainer_state())
        session.history = self.history.copy()
        session.snapshots = self.snapshots.copy()
        session.snapshots.add(session.state())
        session.origin = (self.revision, self._committed_point())
        return session

    def _committed_point(self) -> TrainingPoint:
        base = self._live
        if base is not None:
            return base
        return TrainingPoint(self.trainer_state(), len(self.history), self.snapshots)

    def commit(self, session: TrainingSession, text: str) -> None:
        """Make what ``session`` did one undo step named ``text`` (nothing if it
        changed nothing).  Refused if the lesson changed since the session began."""
        revision, before = session.origin
        if revision != self.revision:
            raise RuntimeError("the lesson changed while this session trained a copy")
        after = TrainingPoint(session.state(), len(session.history), session.snapshots)
        keep = min(session.history.low, before.history_size)
        if self._live is not None:
            self.end_live()
        if (after.history_size == before.history_size == keep
                and after.state["epoch"] == before.state["epoch"]
                and np.array_equal(after.state["params"], before.state["params"])):
            self._notify({"params", "epoch", "history", "file"})   # a preview showed more
            return
        command = TrainingChange(before, after, keep, self.history.rows(keep, before.history_size),
                                 session.history.rows(keep, after.history_size), text)
        with self.changing(resume=False):
            self._apply(command)

    def run(self, step: Callable[[TrainingSession], Event | None], text: str,
            count: bool = False) -> Event | None:
        """Train in this thread: ``step(session)`` on a private copy, then commit
        it as one undo step (``text`` plus "N epochs" when ``count``)."""
        with self.changing(resume=False):
            session = self.start_session()
            event = step(session)
            self.commit(session, epochs_text(text, session.epoch - self.epoch) if count else text)
        return event

    def reset_weights(self) -> None:
        """Fresh Glorot-uniform weights from the training seed, zero biases, epoch 0,
        a fresh optimiser, an empty history (one undo step)."""
        seed = self.training.seed
        params = self.network.fresh(seed).params
        with self.changing():
            start = {"params": params, "epoch": 0, "optimizer": None, "rng": None, "pending": []}
            snapshots = Snapshots()
            snapshots.add(start)
            before = self._committed_point()
            after = TrainingPoint(start, 0, snapshots)
            self._apply(TrainingChange(before, after, 0, self.history.rows(0),
                                       self.history.rows(0, 0), f"Reset weights (seed {seed})"))

    def new_seed(self) -> None:
        with self.changing():
            seed = self.training.seed + 1
            if not cfg.in_range("seed", seed):          # the largest seed wraps to 0
                seed = 0
            self.set_training(self.training.with_(seed=seed), "New seed")
            self.reset_weights()

    # --- a run in progress, shown before it is committed ------------------------------------
    def show_live(self, params: np.ndarray, epoch: int, rows_start: int | None = None,
                  rows: np.ndarray | None = None, streak: tuple | None = None,
                  values: dict | None = None) -> None:
        """Show a state of a run in progress (or a rewind preview): not a change.
        ``rows`` are the history rows from index ``rows_start`` on; ``streak`` is
        the run's :class:`~aeviz.core.solved.Streak` state at ``epoch``; ``values``
        are derived values (key -> value, see :mod:`aeviz.core.derived`) already
        computed for exactly this state (``params`` with the fed input), e.g. by
        the training thread: the new version starts with them."""
        self._live_streak = streak
        if self._live is None:
            self._live = self._committed_point()
            self._live_rows = (len(self.history), self.history.rows(0, 0))
        np.copyto(self.network.params, params)
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
        self._next_values = values
        self._notify(kinds)

    def end_live(self) -> None:
        """Back to the committed state (a preview or an abandoned run)."""
        if self._live is not None:
            point, self._live = self._live, None
            self._live_streak = None
            start, saved = self._live_rows
            self._restore_point(point, start, saved)
            self._notify({"params", "epoch", "history", "file"})

    def _restore_point(self, point: TrainingPoint, keep: int | None = None,
                       rows: np.ndarray | None = None) -> None:
        """Go to ``point``; the history keeps ``keep`` rows (all of the point's by
        default) and then gets ``rows``."""
        state = point.state
        np.copyto(self.network.params, state["params"])
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

    # --- files ------------------------------------------------------------------------------
    def save_as(self, path: Path) -> None:
        """Save (atomically) what is committed; afterwards this is the lesson's
        file and it is clean.  A running worker is checkpointed first."""
        job = self.save_snapshot(path)
        save(job.model, job.path)
        self.saved(job)

    def save_snapshot(self, path: Path) -> SaveJob:
        """What a save to ``path`` will write, taken now (a running worker is
        checkpointed first): a copy of the model (arrays copied), which another
        thread may write while the lesson goes on changing."""
        with self.changing():
            self.model.name = self.model.name or Path(path).stem
            return SaveJob(Path(path), self.model.copy(), self.undo_stack.mark())

    def saved(self, job: SaveJob) -> bool:
        """``job``'s file was written: it is the lesson's file, and the state it
        holds is the saved one (edits made meanwhile keep the lesson modified).
        False, and nothing changes, if another lesson was opened since."""
        if not self.undo_stack.set_clean_at(job.mark):
            return False
        self.path = job.path
        self._notify({"file"})
        return True

    def mark_unsaved(self) -> None:
        """No state in the undo history is the saved file (e.g. restored work)."""
        self.undo_stack.reset_clean()
        self._notify({"file"})

    def replace(self, model: Model, path: Path | None, epoch: int = 0) -> None:
        """Another lesson (New, Open): a fresh undo history, the first pattern fed.
        ``epoch``: the training clock of restored work (crash recovery)."""
        with self.changing(resume=False):
            self.model, self.path = model, (Path(path) if path is not None else None)
            self.undo_stack.clear()
            self._reset_training()
            if epoch:
                self.epoch = epoch
                self.snapshots = Snapshots()
                self.snapshots.add(self.trainer_state())
            self.revision += 1
            self._notify(ALL_EVENTS)

    def open(self, path: Path) -> None:
        """Load ``path`` in place of the current lesson.  A bad file raises
        FileFormatError (the loader's sentence) and leaves everything untouched."""
        self.replace(load(path), Path(path))
