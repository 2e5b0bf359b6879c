"""The undoable changes of a :class:`~aeviz.core.lessons.lesson.Lesson`.  Each stores
only what it changed: a few parameters, the settings, the network and dataset
(for structure edits), or the training clock and the history rows of a run."""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from aeviz.core.lessons import editing
from aeviz.core.config import SETTINGS, TrainingConfig, setting_problem, show_setting
from aeviz.core.files.datasets import Dataset, value_problem
from aeviz.core.lessons.history import Snapshots
from aeviz.core.engine.losses import ConfigError
from aeviz.core.engine.network import Network
from aeviz.core.engine.penalties import check_compatible
from aeviz.core.lessons.training_clock import TrainingChange, TrainingPoint  # noqa: F401 (re-exported)
from aeviz.core.lessons.undo import Command, Lesson

WEIGHT_LIMIT = 1000.0      # |value| typed by hand for a weight or bias


class EditRefused(ValueError):
    """An edit the lesson cannot take; the message says why, in one sentence."""


def check_value(value: float) -> None:
    if not np.isfinite(value):
        raise EditRefused(f"{value} is not a finite number")
    if abs(value) > WEIGHT_LIMIT:
        raise EditRefused(f"{value:g} is out of range; weights and biases go from "
                          f"-{WEIGHT_LIMIT:g} to {WEIGHT_LIMIT:g}")


def checked_training(training: TrainingConfig, net: Network) -> TrainingConfig:
    """``training`` if it fits ``net`` (e.g. KL needs a sigmoid code), else EditRefused."""
    try:
        check_compatible(training, net.activations, net.code_layer, net.variational)
    except ConfigError as e:
        raise EditRefused(str(e)) from None
    return training


def checked_setting(training: TrainingConfig, net: Network, name: str, value: object) -> object:
    """``value`` for setting ``name`` (a whole number given for a float setting
    becomes a float), or EditRefused saying why it cannot be."""
    if SETTINGS.get(name, (None, None))[1] is float and isinstance(value, int) \
            and not isinstance(value, bool):
        value = float(value)
    problem = setting_problem(training, name, value)
    if problem is not None:
        raise EditRefused(problem)
    checked_training(training.with_setting(name, value), net)
    return value


def checked_input(x: np.ndarray, net: Network) -> np.ndarray:
    """``x`` as a float array (n_0,) of allowed values, or EditRefused."""
    x = np.asarray(x, dtype=float)
    if x.shape != (net.sizes[0],) or not np.isfinite(x).all():
        raise EditRefused("the input must be one finite number per input neuron")
    problem = value_problem(x)
    if problem is not None:
        raise EditRefused(f"input {problem[1] + 1}: {problem[2]}")
    return x


def layer_name(net: Network, layer: int) -> str:
    if layer == 0:
        return "the input layer"
    if layer == net.depth:
        return "the output layer"
    return "the code layer" if layer == net.code_layer else f"hidden layer {layer}"


def unit_label(net: Network, layer: int, unit: int) -> str:
    """The name the diagram shows: x1 (input), h1 (code), y1 (output), a2_1 (hidden 2)."""
    if layer in (0, net.depth, net.code_layer):
        return f"{'x' if layer == 0 else 'y' if layer == net.depth else 'h'}{unit + 1}"
    return f"a{layer}_{unit + 1}"


def epochs_text(verb: str, n: int) -> str:
    """"Train 25 epochs", "Train 1 epoch", or the verb alone for none."""
    return f"{verb} {n} epoch{'s' if n != 1 else ''}" if n > 0 else verb


def weight_name(net: Network, block: int, row: int, col: int) -> str:
    """Short, as the diagram labels them: "Set w x1→h2", "Set bias of y3"."""
    target = unit_label(net, block + 1, col)
    if row == net.sizes[block]:
        return f"Set bias of {target}"
    return f"Set w {unit_label(net, block, row)}→{target}"


class SetParams(Command):
    """params[indices]: before -> after.  Consecutive nudges of one weight merge."""

    def __init__(self, indices: np.ndarray, before: np.ndarray, after: np.ndarray, text: str,
                 merge_key: int | None) -> None:
        self.indices, self.before, self.after = indices, before, after
        self.text, self.merge_key = text, merge_key

    def redo(self, lesson: Lesson) -> frozenset[str]:
        lesson.network.params[self.indices] = self.after
        return frozenset({"params"})

    def undo(self, lesson: Lesson) -> frozenset[str]:
        lesson.network.params[self.indices] = self.before
        return frozenset({"params"})

    def merge(self, other: Command) -> bool:
        if (not isinstance(other, SetParams) or self.merge_key is None
                or other.merge_key != self.merge_key):
            return False
        self.after = other.after
        return True


class SetSettings(Command):
    """The training settings: before -> after (nothing else)."""

    live = True                # a run in progress takes it along (lesson_runs)

    def __init__(self, before: TrainingConfig, after: TrainingConfig, text: str) -> None:
        self.before, self.after, self.text = before, after, text

    def redo(self, lesson: Lesson) -> frozenset[str]:
        lesson.model.training = self.after
        return frozenset({"settings"})

    def undo(self, lesson: Lesson) -> frozenset[str]:
        lesson.model.training = self.before
        return frozenset({"settings"})


class SetSetting(Command):
    """One training setting (a name in ``config.SETTINGS``): before -> after.  Only
    that field is written, so an undo never brings back other fields' old values."""

    live = True                # a run in progress takes it along (lesson_runs)

    def __init__(self, name: str, before: object, after: object, merge: bool = False) -> None:
        self.name, self.before, self.after, self.merging = name, before, after, merge
        self.text = setting_text(name, before, after)

    def redo(self, lesson: Lesson) -> frozenset[str]:
        lesson.model.training = lesson.model.training.with_setting(self.name, self.after)
        return frozenset({"settings"})

    def undo(self, lesson: Lesson) -> frozenset[str]:
        lesson.model.training = lesson.model.training.with_setting(self.name, self.before)
        return frozenset({"settings"})

    def merge(self, other: Command) -> bool:
        """Typing "32" into a spin box is one step, not "→ 3" and "3 → 32"."""
        if not (isinstance(other, SetSetting) and self.merging and other.merging
                and other.name == self.name):
            return False
        self.after, self.text = other.after, setting_text(self.name, self.before, other.after)
        return True


def setting_text(name: str, before: object, after: object) -> str:
    """"Set learning rate 0.5 → 0.02"."""
    return (f"Set {SETTINGS[name][0]} {show_setting(name, before)} → "
            f"{show_setting(name, after)}")


@dataclass(frozen=True)
class ModelPart:
    """What a structure or dataset edit changes: the network, the dataset, the
    title and text, the fed input and the optimiser state that fits the network."""

    network: Network
    dataset: Dataset
    name: str
    description: str
    x: np.ndarray
    run_state: dict | None
    snapshots: Snapshots
    guide: tuple = ()                 # the guided steps, kept while they still apply

    @classmethod
    def of(cls, lesson: Lesson) -> "ModelPart":
        m = lesson.model
        return cls(m.network.copy(), m.dataset, m.name, m.description, lesson.x.copy(),
                   lesson.run_state, lesson.snapshots, m.guide)

    @classmethod
    def edited(cls, lesson: Lesson, net: Network, removed: int | None = None,
               **fields) -> "ModelPart":
        """``lesson`` with ``net`` (and the model's ``fields``: dataset, name,
        description) in place of its own.  The optimiser state is kept while the
        parameters keep their shape; a new dataset drops the started epoch's
        batches (they name old patterns); either change starts new snapshots."""
        m = lesson.model
        dataset = fields.get("dataset")
        if dataset is None:
            dataset = (m.dataset if net.sizes[0] == m.network.sizes[0] else
                       editing.resize_dataset(m.dataset, net.sizes[0], removed))
        same_shape = net.params.shape == m.network.params.shape and net.sizes == m.network.sizes
        same_data = dataset == m.dataset
        x = lesson.x if (same_shape and same_data) else dataset.matrix()[0]
        run_state, snapshots = lesson.run_state, lesson.snapshots
        if not same_shape:
            run_state = None
        elif not same_data and run_state is not None:
            run_state = dict(run_state, pending=[])
        if not (same_shape and same_data):
            snapshots = Snapshots()
            run = run_state or {}
            snapshots.add({"params": net.params.copy(), "epoch": lesson.epoch,
                           "optimizer": run.get("optimizer"), "rng": run.get("rng"),
                           "pending": []})
        guide = fields.get("guide", m.guide)
        if guide:                  # a step naming a neuron or pattern that is gone: no guide
            from aeviz.core.guides.guide import GuideError, parse_guide, to_list
            try:
                guide = parse_guide(to_list(guide), net, len(dataset))
            except GuideError:
                guide = ()
        return cls(net, dataset, fields.get("name", m.name),
                   fields.get("description", m.description), x.copy(), run_state, snapshots,
                   guide)

    def apply(self, lesson: Lesson) -> frozenset[str]:
        m = lesson.model
        m.network, m.dataset = self.network.copy(), self.dataset
        m.name, m.description, m.guide = self.name, self.description, self.guide
        lesson.x = self.x.copy()
        lesson.run_state, lesson.snapshots = self.run_state, self.snapshots
        return frozenset({"structure", "params", "input", "snapshots"})


class ModelChange(Command):
    """A structure, activation or dataset edit."""

    def __init__(self, before: ModelPart, after: ModelPart, text: str) -> None:
        self.before, self.after, self.text = before, after, text

    def redo(self, lesson: Lesson) -> frozenset[str]:
        return self.after.apply(lesson)

    def undo(self, lesson: Lesson) -> frozenset[str]:
        return self.before.apply(lesson)
