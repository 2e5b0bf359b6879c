"""The Qt face of the open :class:`~aeviz.core.lesson.Lesson`: it re-emits the
lesson's events as Qt signals on the GUI thread and forwards edits to it.  It
holds no state of its own (the lesson is the only owner).

Signals (each emitted once per change that caused it):
- ``input_changed``: the fed input
- ``params_changed``: weights or biases (an edit, an undo, training)
- ``settings_changed``: training settings (nothing drawn on the diagram depends on them)
- ``structure_changed``: sizes, activations or the dataset (rebuild views)
- ``epoch_changed`` / ``history_changed``: the training clock and the loss history
- ``values_changed``: anything the forward pass shows (input, params or structure)
- ``file_changed``: path, name or the modified state
- ``undo_changed``: what Undo and Redo would do
- ``replaced``: another lesson (New, Open)

For a big network (see :mod:`aeviz.gui.background`) ``input_changed``,
``params_changed`` and ``values_changed`` of an edit or a training frame come
once its derived values (evaluation, code space, diagram summary) have been
computed off the GUI thread; until then the views show the previous values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from aeviz.core.derived import Compute, Derived
from aeviz.core.lesson import Lesson
from aeviz.core.lesson_commands import EditRefused, check_value, layer_name, unit_label
from aeviz.core.model import Evaluation, Model
from aeviz.core.network import Network, NetworkError
from aeviz.gui.background import BackgroundValues, computed_in_background
from aeviz.gui.threads import assert_gui_thread

_SIGNALS = ("input", "params", "settings", "structure", "epoch", "history", "file", "undo")
DEFERRABLE = frozenset({"input", "params"})     # big networks: shown once computed


class Document(QObject):
    input_changed = Signal()
    params_changed = Signal()
    settings_changed = Signal()
    structure_changed = Signal()
    epoch_changed = Signal()
    history_changed = Signal()
    file_changed = Signal()
    undo_changed = Signal()
    values_changed = Signal()
    replaced = Signal()

    def __init__(self, model: Model, path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.lesson = Lesson(model, path)
        self.lesson.subscribe(self._on_lesson_event)
        self.background = BackgroundValues(self._on_values_ready, self)
        self._deferred: set[str] = set()        # signals waiting for background values

    def in_background(self) -> bool:
        """Whether value changes of this network are computed off the GUI thread."""
        return computed_in_background(self.network.params.size, len(self.model.dataset))

    @property
    def values_pending(self) -> bool:
        """A change whose values are still being computed (big networks)."""
        return bool(self._deferred)

    def _on_lesson_event(self, kinds: frozenset[str]) -> None:
        assert_gui_thread()
        deferred: frozenset[str] = frozenset()
        if (kinds & DEFERRABLE and "structure" not in kinds and self.in_background()
                and not self.lesson.derived.complete()):      # (a training frame's are)
            deferred = kinds & DEFERRABLE
            self._deferred |= deferred
            self.background.request(self.lesson.derived)
        elif self._deferred and kinds & {"input", "params", "settings", "structure"}:
            kinds, self._deferred = kinds | self._deferred, set()    # shown now, in sync
        for kind in ("structure", "input", "params", "settings", "epoch", "history",
                     "file", "undo"):
            if kind in kinds and kind not in deferred:
                getattr(self, f"{kind}_changed").emit()
        if (kinds - deferred) & {"input", "params", "structure"}:
            self.values_changed.emit()
        if kinds >= {"input", "params", "settings", "structure", "epoch", "history"}:
            self.replaced.emit()

    def _on_values_ready(self, derived: Derived) -> None:
        """Background values: shown if still those of the lesson's state, else dropped
        (a newer state is being computed)."""
        if not self._deferred or not self.lesson.derived.install(derived):
            return                 # stale: a newer state is computed (or was shown) already
        kinds, self._deferred = self._deferred, set()
        for kind in ("input", "params"):
            if kind in kinds:
                getattr(self, f"{kind}_changed").emit()
        self.values_changed.emit()

    def add_derived(self, key: str, compute: Compute) -> None:
        """A value a view computes from the lesson's state, memoised per version and
        computed off the GUI thread for big networks (``derived(key)`` reads it)."""
        self.lesson.add_derived(key, compute)

    def derived(self, key: str) -> Any:
        return self.lesson.derived.get(key)

    def shutdown(self) -> None:
        """On close: stop the background computation (never left running)."""
        self.background.shutdown()

    # --- reading (the lesson's state) ------------------------------------------------
    @property
    def model(self) -> Model:
        return self.lesson.model

    @property
    def network(self) -> Network:
        return self.lesson.network

    @property
    def path(self) -> Path | None:
        return self.lesson.path

    @property
    def x(self) -> np.ndarray:
        return self.lesson.x

    @property
    def epoch(self) -> int:
        return self.lesson.epoch

    @property
    def modified(self) -> bool:
        return self.lesson.modified

    def data(self) -> np.ndarray:
        return self.lesson.data()

    def forward(self):
        return self.lesson.forward()

    def evaluation(self) -> Evaluation:
        return self.lesson.evaluation()

    def pattern_index(self) -> int | None:
        return self.lesson.pattern_index()

    def param_index(self, block: int, row: int, col: int) -> int:
        return self.lesson.param_index(block, row, col)

    # --- changes (forwarded to the lesson) -----------------------------------------------
    def feed_pattern(self, index: int) -> None:
        self.lesson.feed_pattern(index)

    def set_input(self, x) -> None:
        self.lesson.set_input(x)

    def toggle_input(self, unit: int) -> None:
        self.lesson.toggle_input(unit)

    def set_weight(self, block: int, row: int, col: int, value: float,
                   merge: bool = False) -> None:
        self.lesson.set_weight(block, row, col, value, merge)

    def set_params(self, changes: dict[int, float], text: str, merge: bool = False) -> None:
        self.lesson.set_params(changes, text, merge)

    def set_training(self, training, text: str = "Change settings") -> None:
        self.lesson.set_training(training, text)

    def add_neuron(self, layer: int) -> None:
        self.lesson.add_neuron(layer)

    def remove_neuron(self, layer: int, index: int) -> None:
        self.lesson.remove_neuron(layer, index)

    def insert_layer(self, position: int, size: int | None = None,
                     activation: str = "tanh") -> None:
        self.lesson.insert_layer(position, size, activation)

    def remove_layer(self, layer: int) -> None:
        self.lesson.remove_layer(layer)

    def set_activation(self, layer: int, activation: str) -> None:
        self.lesson.set_activation(layer, activation)

    def set_dataset(self, dataset, name: str, output_activation: str | None = None) -> None:
        self.lesson.set_dataset(dataset, name, output_activation)

    def undo(self) -> None:
        self.lesson.undo()

    def redo(self) -> None:
        self.lesson.redo()

    def save_as(self, path: Path) -> None:
        self.lesson.save_as(path)

    def replace(self, model: Model, path: Path | None, epoch: int = 0) -> None:
        self.lesson.replace(model, path, epoch)

    def open(self, path: Path) -> None:
        self.lesson.open(path)


__all__ = ["Document", "EditRefused", "NetworkError", "check_value", "layer_name",
           "unit_label"]
