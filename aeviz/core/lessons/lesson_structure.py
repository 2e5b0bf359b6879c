"""The structure and dataset edits of a :class:`aeviz.core.lessons.lesson.Lesson`: add or
remove a neuron or a hidden layer, change an activation, make the code
variational, use another dataset.  Each is one undoable step; new weights are
drawn from a generator seeded by the lesson's seed and the count of such edits,
so undo and redo replay the same weights.

``StructureEdits`` is composed into the lesson (``lesson.structure``), not mixed
in: it reads the lesson's public state (``network``, ``training``, ``model``),
builds a ``ModelChange`` command and applies it with ``lesson.do``, inside
``lesson.changing()`` (a running training is committed first)."""

from __future__ import annotations

import numpy as np

from aeviz.core.lessons import editing
from aeviz.core.lessons.lesson_commands import (EditRefused, ModelChange, ModelPart, layer_name,
                                        unit_label)
from aeviz.core.engine.losses import ConfigError
from aeviz.core.engine.network import Network
from aeviz.core.engine.penalties import check_compatible


class StructureEdits:
    """The structure edits of ``lesson``, each one undo command."""

    def __init__(self, lesson) -> None:
        self.lesson = lesson
        self.edits = 0                  # seeds the generator for new weights

    @property
    def network(self) -> Network:
        return self.lesson.network

    @property
    def training(self):
        return self.lesson.training

    def changing(self):
        return self.lesson.changing()

    def _new_weights_rng(self) -> np.random.Generator:
        self.edits += 1
        return np.random.default_rng([self.training.seed, self.edits])

    def add_neuron(self, layer: int) -> None:
        with self.changing():
            net = self.network
            self._change_model(self._part(editing.add_unit(net, layer, self._new_weights_rng())),
                               f"Add a neuron to {layer_name(net, layer)}")

    def remove_neuron(self, layer: int, index: int) -> None:
        with self.changing():
            net = self.network
            new = editing.remove_unit(net, layer, index)
            removed = index if layer in (0, net.depth) else None
            self._change_model(self._part(new, removed=removed),
                               f"Remove {unit_label(net, layer, index)}")

    def insert_layer(self, position: int, size: int | None = None,
                     activation: str = "tanh") -> None:
        with self.changing():
            net = self.network
            if size is None:      # between its neighbours, e.g. 8-2 -> 8-5-2
                size = max(1, (net.sizes[position - 1] + net.sizes[position]) // 2)
            new = editing.insert_layer(net, position, size, activation, self._new_weights_rng())
            self._change_model(self._part(new), "Insert a hidden layer")

    def remove_layer(self, layer: int) -> None:
        with self.changing():
            net = self.network
            new = editing.remove_layer(net, layer, self._new_weights_rng())
            self._change_model(self._part(new), f"Remove {layer_name(net, layer)}")

    def set_activation(self, layer: int, activation: str) -> None:
        net = self.network
        if net.activations[layer - 1] == activation:
            return
        with self.changing():
            self._change_model(self._part(editing.with_activation(net, layer, activation)),
                               f"{layer_name(net, layer).capitalize()}: {activation}")

    def set_variational(self, on: bool) -> None:
        """Make the code variational (a VAE: mu and log sigma^2, sampled codes, the
        KL term weighted by ``training.beta``) or plain again; one undo step."""
        net = self.network
        if on == net.variational:
            return
        if on and net.depth < 2:
            raise EditRefused("a variational code needs a hidden code layer")
        with self.changing():
            self._change_model(self._part(net.with_variational(on)),
                               "Variational code" if on else "Plain code")

    def set_dataset(self, dataset, name: str, output_activation: str | None = None) -> None:
        """Use another dataset (one undo step); the input and output layers grow or
        shrink to its width, keeping the weights that still apply.  The lesson's
        text and guided steps no longer describe the result, so they are dropped
        and ``name`` becomes the title."""
        width = dataset.width
        if not 1 <= width <= 1024:
            raise EditRefused(f"a dataset of width {width} does not fit (1 to 1024 inputs)")
        with self.changing():
            net = self.network
            while net.sizes[0] < width:
                net = editing.add_unit(net, 0, self._new_weights_rng())
            while net.sizes[0] > width:
                net = editing.remove_unit(net, 0, net.sizes[0] - 1)
            if output_activation and net.activations[-1] != output_activation:
                net = editing.with_activation(net, net.depth, output_activation)
            part = self._part(net, dataset=dataset, name=name, description="", guide=())
            self._change_model(part, f"Dataset: {name}")

    def _part(self, net: Network, removed: int | None = None, **fields) -> ModelPart:
        """The lesson with ``net`` (and ``fields`` of the model) in place of today's."""
        return ModelPart.edited(self.lesson, net, removed, **fields)

    def _change_model(self, after: ModelPart, text: str) -> None:
        try:
            check_compatible(self.training, after.network.activations, after.network.code_layer,
                             after.network.variational)
        except ConfigError as e:
            raise EditRefused(str(e)) from None
        self.lesson.do(ModelChange(ModelPart.of(self.lesson), after, text))
