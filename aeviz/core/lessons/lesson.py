"""The lesson being worked on, with exactly one owner: this object (no Qt).

A :class:`Lesson` holds the network, the training settings, the dataset (all in
``model``) and the fed input ``x``; it composes small parts, each in its own
module (the parts' public methods are the lesson's, by the same name: :func:`part`):

- ``clock`` (:mod:`aeviz.core.lessons.training_clock`): ``epoch``, the optimiser and
  generator state, the loss ``history`` and the rewind ``snapshots``; the
  private copy a run trains, a run shown live, and the training undo steps
  (state only: it knows nothing of undo, guards or listeners);
- ``runs`` (:mod:`aeviz.core.lessons.lesson_runs`): the training itself: a
  private copy to train, its commit, a run shown live, reset, and the settings
  a run in progress takes along;
- ``structure`` (:mod:`aeviz.core.lessons.lesson_structure`): neuron, layer,
  activation and dataset edits;
- ``file`` (:mod:`aeviz.core.lessons.lesson_files`): its path, saving and saved state;
- ``derived`` (:mod:`aeviz.core.lessons.derived`): values computed once per version.

What the window draws is this state; what is saved is this state.

Every change goes through an undoable command (:mod:`aeviz.core.lessons.lesson_commands`)
inside :meth:`Lesson.changing`, which first calls the *guards*: the GUI's
training controller registers one that stops a running worker and records its
run as one "Train N epochs" step, so training never overlaps a change and
undoing everything returns bitwise to the opening state.  A change of the
training settings alone is the exception: it touches neither the weights nor
the network's shape nor the data, so no guard runs and a run in progress takes
the new settings along (:mod:`aeviz.core.lessons.lesson_runs`).

Training happens on a private copy (:meth:`start_session`); a run in progress
may be *shown* (:meth:`show_live`), and becomes part of the lesson only through
:meth:`commit` (Play's worker, Step and the phase-by-phase step all end there).
Listeners get the set of event kinds each change caused:
``input``, ``params``, ``settings``, ``structure``, ``epoch``, ``history``,
``snapshots`` (the rewind snapshots: a run committed, a reset, a structure
edit), ``file`` (the path, the name or the modified state changed), ``undo``
(the undo history changed) and ``replaced`` (another lesson: New, Open; it comes
with every other kind, since everything changed).  Each kind is sent only when
that part changed: no kind stands for "anything changed".
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from aeviz.core.config import TrainingConfig
from aeviz.core.files.fileformat import load
from aeviz.core.lessons.derived import Compute, Derived, lesson_values
from aeviz.core.lessons.lesson_commands import (EditRefused, SetParams, SetSetting, SetSettings,
                                        check_value, checked_input, checked_setting,
                                        checked_training, weight_name)
from aeviz.core.lessons.lesson_files import LessonFile
from aeviz.core.lessons.lesson_runs import TrainingRuns
from aeviz.core.lessons.lesson_structure import StructureEdits
from aeviz.core.model import Evaluation, Model
from aeviz.core.engine.network import Network
from aeviz.core.lessons.session import stuck_report
from aeviz.core.measures.solved import Streak
from aeviz.core.lessons.training_clock import TrainingClock
from aeviz.core.lessons.undo import Command, UndoStack

ALL_EVENTS = frozenset({"input", "params", "settings", "structure", "epoch", "history",
                        "snapshots", "file", "undo", "replaced"})
Guard = Callable[[bool], "Callable[[], None] | None"]


def part(name: str, method: Callable) -> Callable:
    """A Lesson method that is ``method`` of its composed part ``name`` (with its
    name, docstring and signature): the lesson is the one door, its parts work."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return method(getattr(self, name), *args, **kwargs)
    return call


def clock_field(name: str, doc: str) -> property:
    """A Lesson attribute that is its training clock's ``name`` (read and write)."""
    return property(lambda self: getattr(self.clock, name),
                    lambda self, value: setattr(self.clock, name, value), doc=doc)


class Lesson:
    """``Lesson(model, path)``: the single owner of what the window shows."""

    def __init__(self, model: Model, path: Path | None = None) -> None:
        self.model = model
        self.undo_stack = UndoStack()
        self.file = LessonFile(self, path)     # its path and saved state
        self._listeners: list[Callable[[frozenset[str]], None]] = []
        self._guards: list[Guard] = []
        self._in_change = False
        # what the forward pass and the evaluation give, per version (see core.derived)
        self._functions: dict[str, Compute] = lesson_values()
        self.derived = Derived(model, np.zeros(0), self._functions, 0)
        self.structure = StructureEdits(self)  # neurons, layers, activations, dataset
        self.runs = TrainingRuns(self)         # sessions, commits, a run shown live
        self.revision = 0                     # +1 on every change (not on live display)
        self._reset_training()
        self._file_state = self.file_state()  # the last one listeners were told of

    def _reset_training(self, epoch: int = 0) -> None:
        self.x = self.data()[0].copy()
        self.derived = Derived(self.model, self.x, self._functions, self.derived.version + 1)
        self.clock = TrainingClock(lambda: self.model.network, epoch)

    # --- the training clock (aeviz.core.lessons.training_clock), the lesson's own ------------------
    epoch = clock_field("epoch", "the epoch shown (a live run's while it is shown)")
    run_state = clock_field("run_state", "optimiser, generator, pending batches, streak")
    history = clock_field("history", "the loss history (LossHistory)")
    snapshots = clock_field("snapshots", "the rewind snapshots (Snapshots)")

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
        return self.clock.live

    @property
    def path(self) -> Path | None:
        """The lesson's file (None if it has none)."""
        return self.file.path

    @path.setter
    def path(self, path: Path | None) -> None:
        self.file.path = Path(path) if path is not None else None

    @property
    def modified(self) -> bool:
        return not self.undo_stack.is_clean() or self.live

    def trainer_state(self) -> dict:
        """The state a Trainer needs to go on exactly (as ``Trainer.state()``)."""
        return self.clock.trainer_state()

    @property
    def streak(self) -> Streak:
        """Epochs in a row with every pattern reconstructed, ending at the shown
        epoch (see :mod:`aeviz.core.measures.solved`; a live run's own while it is shown)."""
        return self.clock.streak

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

    def file_state(self) -> tuple:
        """What the ``file`` event is about: (path, name, modified)."""
        return (self.path, self.model.name, self.modified)

    def notify(self, kinds: frozenset[str] | set[str], values: dict | None = None) -> None:
        """Tell the listeners of ``kinds`` (plus ``file`` if the file state changed);
        ``values``: derived values already computed for the new state (show_live)."""
        kinds = set(kinds)
        file_state = self.file_state()
        if file_state != self._file_state:      # "file" only when it changed
            kinds.add("file")
        self._file_state = file_state
        kinds = frozenset(kinds)
        if not kinds:
            return
        if kinds & {"input", "params", "settings", "structure"}:
            self.derived = Derived(self.model, self.x, self._functions,
                                   self.derived.version + 1)
            if values is not None:                  # computed with the state (show_live)
                self.derived.values.update(values)
        for listener in list(self._listeners):
            listener(kinds)

    def add_guard(self, guard: Guard) -> None:
        """``guard(may_resume)`` runs before every change; it may stop a run (and
        commit it) and return a function to call after the change (to resume)."""
        self._guards.append(guard)

    @contextmanager
    def changing(self, resume: bool = True, live: bool = False) -> Iterator[None]:
        """Around every change: guards first (a running worker is checkpointed),
        any live display is dropped, then the change; afterwards, resumptions.
        ``live``: a change of the settings alone, which a run in progress takes
        along: no guard runs and a live display stays."""
        if self._in_change:
            yield
            return
        self._in_change = True
        resumes = []
        try:
            if not live:
                resumes = [guard(resume) for guard in list(self._guards)]
                self.end_live()
            yield
        finally:
            self._in_change = False
            for again in resumes:          # also after a refused edit: training goes on
                if again is not None and resume:
                    again()

    def do(self, command: Command, resume: bool = True) -> None:
        """Apply ``command`` and record it for undo (``resume``: a run the guards
        stopped goes on afterwards)."""
        with self.changing(resume, live=command.live):
            self._apply(command)

    # --- structure edits (lesson_structure.StructureEdits), each one undo step ----------
    add_neuron = part("structure", StructureEdits.add_neuron)
    remove_neuron = part("structure", StructureEdits.remove_neuron)
    insert_layer = part("structure", StructureEdits.insert_layer)
    remove_layer = part("structure", StructureEdits.remove_layer)
    set_activation = part("structure", StructureEdits.set_activation)
    set_variational = part("structure", StructureEdits.set_variational)
    set_dataset = part("structure", StructureEdits.set_dataset)

    def _apply(self, command: Command) -> None:
        kinds = command.redo(self)
        self.undo_stack.push(command)
        self._changed(kinds, command, "do")

    def _changed(self, kinds: frozenset[str], command: Command | None, move: str) -> None:
        self.revision += 1
        self.runs.changed(command, move)      # a run in progress takes settings along
        self.notify(kinds | {"undo"})

    def undo(self) -> None:
        """Undo the last step: a run in progress is committed first, unless the
        step is a settings change made during it (the run takes the undo along)."""
        self._undo_redo("undo")

    def redo(self) -> None:
        self._undo_redo("redo")

    def _undo_redo(self, move: str) -> None:
        stack = self.undo_stack
        with self.changing(resume=False, live=self.runs.takes(move)):
            if not (stack.can_undo() if move == "undo" else stack.can_redo()):
                self._changed(frozenset(), None, move)
                return
            command = stack.commands[stack.index - 1 if move == "undo" else stack.index]
            kinds = (stack.undo if move == "undo" else stack.redo)(self)
            self._changed(kinds, command, move)

    # --- input (not an edit of the lesson: not undoable) --------------------------------
    def feed_pattern(self, index: int) -> None:
        data = self.data()
        if not 0 <= index < len(data):
            raise EditRefused(f"there is no pattern {index + 1}; the dataset has {len(data)}")
        self.set_input(data[index])

    def set_input(self, x: np.ndarray) -> None:
        self.x = checked_input(x, self.network).copy()
        self.notify({"input"})

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
        """All the training settings at once (one undo step named ``text``)."""
        checked_training(training, self.network)
        if training != self.training:
            self.do(SetSettings(self.training, training, text))

    def set_setting(self, name: str, value: object, merge: bool = False) -> None:
        """Change one training setting (a name in ``config.SETTINGS``, e.g.
        ``"learning_rate"``), every other field as it is: one undo step named
        after it ("Set learning rate 0.5 → 0.02"), or EditRefused saying why.
        ``merge``: consecutive merging changes of one setting are one step."""
        value = checked_setting(self.training, self.network, name, value)
        before = self.training.get(name)
        if before != value:
            self.do(SetSetting(name, before, value, merge))

    # --- training (lesson_runs.TrainingRuns): a private copy trained, then committed ---
    start_session = part("runs", TrainingRuns.start_session)
    prepare_session = part("runs", TrainingRuns.prepare_session)
    adopt_session = part("runs", TrainingRuns.adopt)
    commit = part("runs", TrainingRuns.commit)
    change_of = part("runs", TrainingRuns.change_of)
    commit_change = part("runs", TrainingRuns.commit_change)
    run = part("runs", TrainingRuns.run)
    reset_weights = part("runs", TrainingRuns.reset_weights)
    new_seed = part("runs", TrainingRuns.new_seed)
    show_live = part("runs", TrainingRuns.show_live)
    end_live = part("runs", TrainingRuns.end_live)

    # --- files (lesson_files.LessonFile) ---------------------------------------------------
    save_as = part("file", LessonFile.save_as)
    save_snapshot = part("file", LessonFile.save_snapshot)
    saved = part("file", LessonFile.saved)
    mark_unsaved = part("file", LessonFile.mark_unsaved)
    mark_clean = part("file", LessonFile.mark_clean)

    def replace(self, model: Model, path: Path | None, epoch: int = 0) -> None:
        """Another lesson (New, Open): a fresh undo history, the first pattern fed.
        ``epoch``: the training clock of restored work (crash recovery)."""
        with self.changing(resume=False):
            self.model, self.path = model, path
            self.undo_stack.clear()
            self._reset_training(epoch)
            self.revision += 1
            self.runs.changed(None, "do")      # no session of the old one is committed
            self.notify(ALL_EVENTS)

    def open(self, path: Path, epoch: int = 0) -> None:
        """Load ``path`` in place of the current lesson (``epoch``: its training
        clock, for a copy that noted it).  A bad file raises FileFormatError (the
        loader's sentence) and leaves everything untouched."""
        self.replace(load(path), Path(path), epoch)
