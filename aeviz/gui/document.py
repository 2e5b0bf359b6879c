"""The open lesson as the GUI sees it: the Model, the input being fed, the undo
stack and the file it came from.  Every edit goes through an undo command here;
views listen to the signals and never change the model themselves.

Signals:
- ``structure_changed``: sizes, activations or the dataset changed (rebuild views)
- ``values_changed``: weights, biases or the fed input changed (recolour, refresh)
- ``settings_changed``: training settings changed
- ``file_changed``: path, name or the modified state changed
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from aeviz.core import editing
from aeviz.core.config import TrainingConfig
from aeviz.core.fileformat import load, save
from aeviz.core.losses import ConfigError, check_compatible
from aeviz.core.model import Evaluation, Model, evaluate
from aeviz.core.network import Network, NetworkError

WEIGHT_LIMIT = 1000.0      # |value| typed by hand for a weight or bias


class EditRefused(ValueError):
    """An edit the model cannot take; the message says why, in one sentence."""


class Document(QObject):
    structure_changed = Signal()
    values_changed = Signal()
    settings_changed = Signal()
    file_changed = Signal()
    params_edited = Signal()          # weights changed by an edit/undo (not by training)
    replaced = Signal()               # another lesson (New, Open)

    def __init__(self, model: Model, path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.epoch = 0
        self._edits = 0                        # seeds the generator for new weights
        self.x = self.data()[0].copy()         # the input being fed
        self._cache: tuple | None = None

    def _on_clean_changed(self, _clean: bool) -> None:
        self.file_changed.emit()

    # --- derived values (computed on demand, cached until the next change) -----
    @property
    def network(self) -> Network:
        return self.model.network

    def data(self) -> np.ndarray:
        return self.model.data()

    def forward(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(zs, activations) of the fed input, each of shape (1, n_k)."""
        return self._derived()[0]

    def evaluation(self) -> Evaluation:
        """The network on the whole (clean) dataset."""
        return self._derived()[1]

    def _derived(self) -> tuple:
        if self._cache is None:
            net = self.network
            self._cache = (net.forward(self.x[None, :]),
                           evaluate(net, self.model.training, self.data()))
        return self._cache

    def pattern_index(self) -> int | None:
        """Which dataset pattern is fed (None if the input matches none)."""
        hits = np.flatnonzero(np.all(self.data() == self.x, axis=1))
        return int(hits[0]) if hits.size else None

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _changed(self, structure: bool = False) -> None:
        self._cache = None
        if structure:
            self.structure_changed.emit()
        self.values_changed.emit()

    # --- input (not an edit of the lesson: not undoable) -------------------------
    def feed_pattern(self, index: int) -> None:
        data = self.data()
        if not 0 <= index < len(data):
            raise EditRefused(f"there is no pattern {index + 1}; the dataset has {len(data)}")
        self.set_input(data[index])

    def set_input(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=float)
        if x.shape != (self.network.sizes[0],) or not np.isfinite(x).all():
            raise EditRefused("the input must be one finite number per input neuron")
        self.x = x.copy()
        self._changed()

    def toggle_input(self, unit: int) -> None:
        x = self.x.copy()
        x[unit] = 0.0 if x[unit] else 1.0
        self.set_input(x)

    # --- value edits -------------------------------------------------------------
    def param_index(self, block: int, row: int, col: int) -> int:
        """Index in ``params`` of W[block][row, col] (row = n_in means the bias)."""
        start = sum(p.size for p in self.network.blocks[:block])
        return start + row * self.network.blocks[block].shape[1] + col

    def set_weight(self, block: int, row: int, col: int, value: float,
                   merge: bool = False) -> None:
        """W[block][row, col] = value; row = n_in edits the bias of unit ``col``."""
        self.set_params({self.param_index(block, row, col): value},
                        _weight_name(self.network, block, row, col), merge)

    def set_params(self, changes: dict[int, float], text: str, merge: bool = False) -> None:
        """Set several parameters (by flat index) in one undoable step."""
        for value in changes.values():
            check_value(value)
        before = self.network.params.copy()
        after = before.copy()
        for i, v in changes.items():
            after[i] = v
        if np.array_equal(before, after):
            return
        key = next(iter(changes)) if merge and len(changes) == 1 else None
        self.undo_stack.push(_ParamsCommand(self, before, after, text, key))

    def replace_params(self, params: np.ndarray, text: str) -> None:
        """All parameters at once (e.g. after training), undoable."""
        self.undo_stack.push(_ParamsCommand(self, self.network.params.copy(),
                                            np.array(params, dtype=float), text, None))

    def _apply_params(self, params: np.ndarray, epoch: int | None = None) -> None:
        np.copyto(self.network.params, params)
        if epoch is not None:
            self.epoch = epoch
        self._changed()
        self.params_edited.emit()

    # --- training results (shown live; one undo step per run) ------------------------
    def show_params(self, params: np.ndarray, epoch: int) -> None:
        """Display weights from training or rewind: not an edit, not undoable."""
        np.copyto(self.network.params, params)
        self.epoch = epoch
        self._changed()

    def record_training(self, before: np.ndarray, epoch_before: int, text: str) -> None:
        """One undo step for a training run that ended at the current weights."""
        if np.array_equal(before, self.network.params) and epoch_before == self.epoch:
            return
        self.undo_stack.push(_TrainCommand(self, before, epoch_before,
                                           self.network.params.copy(), self.epoch, text))

    # --- structure and settings edits -------------------------------------------
    def _new_weights_rng(self) -> np.random.Generator:
        self._edits += 1
        return np.random.default_rng([self.model.training.seed, self._edits])

    def add_neuron(self, layer: int) -> None:
        net = self.network
        self._push_model(self._with_network(editing.add_unit(net, layer, self._new_weights_rng())),
                         f"Add a neuron to {layer_name(net, layer)}")

    def remove_neuron(self, layer: int, index: int) -> None:
        net = self.network
        new = editing.remove_unit(net, layer, index)
        self._push_model(self._with_network(new, removed=index if layer in (0, net.depth) else None),
                         f"Remove neuron {index + 1} of {layer_name(net, layer)}")

    def insert_layer(self, position: int, size: int | None = None,
                     activation: str = "tanh") -> None:
        net = self.network
        if size is None:      # between its neighbours, e.g. 8-2 -> 8-5-2
            size = max(1, (net.sizes[position - 1] + net.sizes[position]) // 2)
        self._push_model(self._with_network(editing.insert_layer(
            net, position, size, activation, self._new_weights_rng())),
            f"Insert a hidden layer at position {position}")

    def remove_layer(self, layer: int) -> None:
        net = self.network
        self._push_model(self._with_network(editing.remove_layer(
            net, layer, self._new_weights_rng())), f"Remove {layer_name(net, layer)}")

    def set_activation(self, layer: int, activation: str) -> None:
        net = self.network
        if net.activations[layer - 1] == activation:
            return
        self._push_model(self._with_network(editing.with_activation(net, layer, activation)),
                         f"{layer_name(net, layer).capitalize()}: {activation}")

    def set_dataset(self, dataset, name: str, output_activation: str | None = None) -> None:
        """Use another dataset (one undo step); the input and output layers grow or
        shrink to its width, keeping the weights that still apply.  The lesson's
        text no longer describes the result, so it is dropped and ``name`` becomes
        the title."""
        net = self.network
        width = dataset.width
        if not 1 <= width <= 1024:
            raise EditRefused(f"a dataset of width {width} does not fit (1 to 1024 inputs)")
        while net.sizes[0] < width:
            net = editing.add_unit(net, 0, self._new_weights_rng())
        while net.sizes[0] > width:
            net = editing.remove_unit(net, 0, net.sizes[0] - 1)
        if output_activation and net.activations[-1] != output_activation:
            net = editing.with_activation(net, net.depth, output_activation)
        new = self.model.copy()
        new.network, new.dataset = net, dataset
        new.name, new.description = name, ""
        self._push_model(new, f"Dataset: {name}")

    def set_training(self, training: TrainingConfig, text: str = "Change settings") -> None:
        if training == self.model.training:
            return
        new = self.model.copy()
        new.training = training
        self._push_model(new, text)

    def _with_network(self, net: Network, removed: int | None = None) -> Model:
        new = self.model.copy()
        new.network = net
        if net.sizes[0] != self.network.sizes[0]:
            new.dataset = editing.resize_dataset(self.model.dataset, net.sizes[0], removed)
        return new

    def _push_model(self, new: Model, text: str) -> None:
        try:
            check_compatible(new.training, new.network.activations, new.network.code_layer)
        except ConfigError as e:
            raise EditRefused(str(e)) from None
        self.undo_stack.push(_ModelCommand(self, self.model, new, text))

    def _apply_model(self, model: Model) -> None:
        structure = (model.network.sizes != self.network.sizes
                     or model.network.activations != self.network.activations
                     or model.dataset != self.model.dataset)
        settings = model.training != self.model.training
        self.model = model.copy()
        if self.x.shape[0] != self.network.sizes[0]:
            self.x = self.data()[0].copy()
        self._changed(structure=structure)
        if settings:
            self.settings_changed.emit()

    # --- files -------------------------------------------------------------------
    def save_as(self, path: Path) -> None:
        """Save (atomically); on success this is the document's file and it is clean."""
        self.model.name = self.model.name or Path(path).stem
        save(self.model, path)
        self.path = Path(path)
        self.undo_stack.setClean()
        self.file_changed.emit()

    def replace(self, model: Model, path: Path | None) -> None:
        """Show another lesson (New, Open): a fresh undo history, the first pattern fed."""
        self.model, self.path, self.epoch = model, path, 0
        self.undo_stack.clear()
        self.x = self.data()[0].copy()
        self._changed(structure=True)
        self.settings_changed.emit()
        self.file_changed.emit()
        self.replaced.emit()

    def open(self, path: Path) -> None:
        """Load ``path`` in place of the current lesson.  A bad file raises
        FileFormatError (the loader's sentence) and leaves everything untouched."""
        self.replace(load(path), Path(path))


def check_value(value: float) -> None:
    if not np.isfinite(value):
        raise EditRefused(f"{value} is not a finite number")
    if abs(value) > WEIGHT_LIMIT:
        raise EditRefused(f"{value:g} is out of range; weights and biases go from "
                          f"-{WEIGHT_LIMIT:g} to {WEIGHT_LIMIT:g}")


def layer_name(net: Network, layer: int) -> str:
    if layer == 0:
        return "the input layer"
    if layer == net.depth:
        return "the output layer"
    return "the code layer" if layer == net.code_layer else f"hidden layer {layer}"


def _weight_name(net: Network, block: int, row: int, col: int) -> str:
    if row == net.sizes[block]:
        return f"Set bias of neuron {col + 1} in layer {block + 1}"
    return f"Set weight {row + 1}→{col + 1} between layers {block} and {block + 1}"


class _ParamsCommand(QUndoCommand):
    """Weights/biases before and after; consecutive nudges of one weight merge."""

    def __init__(self, doc: Document, before: np.ndarray, after: np.ndarray, text: str,
                 merge_key: int | None) -> None:
        super().__init__(text)
        self.doc, self.before, self.after, self.merge_key = doc, before, after, merge_key

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _ParamsCommand) or other.merge_key != self.merge_key:
            return False
        if self.before.shape != other.after.shape:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self.doc.network.params.shape == self.after.shape:
            self.doc._apply_params(self.after)

    def undo(self) -> None:
        if self.doc.network.params.shape == self.before.shape:
            self.doc._apply_params(self.before)


class _TrainCommand(QUndoCommand):
    """Weights and epoch before and after a training run or step."""

    def __init__(self, doc: Document, before: np.ndarray, epoch_before: int,
                 after: np.ndarray, epoch_after: int, text: str) -> None:
        super().__init__(text)
        self.doc = doc
        self.before, self.epoch_before = before, epoch_before
        self.after, self.epoch_after = after, epoch_after

    def redo(self) -> None:
        if not np.array_equal(self.doc.network.params, self.after):
            self.doc._apply_params(self.after, self.epoch_after)

    def undo(self) -> None:
        self.doc._apply_params(self.before, self.epoch_before)


class _ModelCommand(QUndoCommand):
    """Whole-model before and after: structure, activation and settings edits."""

    def __init__(self, doc: Document, before: Model, after: Model, text: str) -> None:
        super().__init__(text)
        self.doc, self.before, self.after = doc, before.copy(), after.copy()

    def redo(self) -> None:
        self.doc._apply_model(self.after)

    def undo(self) -> None:
        self.doc._apply_model(self.before)


__all__ = ["Document", "EditRefused", "NetworkError", "check_value", "layer_name"]
