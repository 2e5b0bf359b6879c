"""What the step-through (and decoding a code by hand) draws on the diagram
instead of the live values: the :class:`Overlay` it hands the view, and a VAE's
log σ² path (:class:`SideEdges`), dashed lines from the layer below the code to
a point under each code neuron."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSimpleTextItem

from aeviz.core.numbers import OPEN_RANGES, activation_value, number
from aeviz.gui.drawing.edges import EdgesItem
from aeviz.gui.runtime.document import unit_label
from aeviz.gui.window import colors


@dataclass
class Overlay:
    """What the step-through shows instead of the live values: per layer the
    neuron values (None = not computed yet), the edge values (None = weights),
    the layers to highlight and a caption."""

    neurons: list[np.ndarray | None]
    edges: np.ndarray | None
    highlight: set[int]
    caption: str = ""
    biases: list[np.ndarray] | None = None   # per layer k >= 1, instead of the biases
    edge_name: str = "w"                     # what ``edges`` holds: "∂J/∂w", "Δw"
    bias_name: str = "b"                     # what ``biases`` holds: "∂J/∂b", "Δb"
    neuron_name: str = ""                    # what ``neurons`` holds, e.g. "δ = ∂J/∂z"
    blank: str = "?"                         # shown on neurons without a value
    # a VAE's log σ² weights (n_{c-1}, n_c), drawn dashed from layer c-1 to beside the code
    side_edges: np.ndarray | None = None


def overlay_tooltip(ov: Overlay, net, k: int, j: int) -> str:
    """The hover text of neuron j of layer k during an overlay: what its circle
    shows, named ("h1: δ = ∂J/∂z = +0.0123")."""
    label = unit_label(net, k, j)
    shown = ov.neurons[k]
    if shown is None:
        return f"{label}: not computed yet in this step"
    name = ov.neuron_name if ov.neuron_name and k > 0 else \
        "value in this step's forward pass (weights before the update)"
    text = number(shown[j], 4, signed=True)
    bounds = OPEN_RANGES.get(net.activations[k - 1]) if k > 0 else None
    if not ov.neuron_name and bounds is not None and float(text) in bounds:
        # a value a tanh, sigmoid or softmax never reaches, by rounding: "<-0.999"
        text = activation_value(shown[j], net.activations[k - 1])
    return f"{label}: {name} = {text}"


class SideEdges:
    """A VAE's log σ² path in the step-through: the block W_logσ² (n_{c-1}, n_c)
    as dashed lines from layer c-1 to a point under each code neuron, coloured
    by the overlay's values (∂J/∂w or Δw), with a "log σ²" label.  Its items
    are added to the scene on the first show and removed when none is shown."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.edges: EdgesItem | None = None
        self.label: QGraphicsSimpleTextItem | None = None

    def show(self, ov: Overlay | None, net, pos: list[np.ndarray], radius: float) -> None:
        """Draw ``ov.side_edges`` (or remove the path when there are none)."""
        values = None if ov is None else ov.side_edges
        if values is None or not net.variational:
            self.clear()
            return
        c = net.code_layer
        if self.edges is None:
            ends = pos[c] + np.array([-0.9 * radius, 1.9 * radius])
            self.edges = EdgesItem([pos[c - 1], ends])
            self.edges.dashed = True
            self.edges.unit_label = (lambda layer, unit: unit_label(net, c - 1, unit)
                                     if layer == 0 else f"log σ²{unit + 1}")
            self.scene.addItem(self.edges)
            self.label = QGraphicsSimpleTextItem("log σ²")
            self.label.setBrush(colors.ACCENT)
            self.label.setPos(ends[-1, 0] - radius, ends[-1, 1] + 4)
            self.scene.addItem(self.label)
        self.edges.set_values(values.ravel(), scale=float(np.abs(values).max()) or 1.0,
                              name=f"{ov.edge_name} (log σ²)",
                              weights=net.logvar_block[:-1].ravel())

    def clear(self) -> None:
        for item in (self.edges, self.label):
            if item is not None and item.scene() is self.scene:
                self.scene.removeItem(item)
        self.edges = self.label = None

    def forget(self) -> None:
        """The scene was cleared (a rebuild): the items went with it."""
        self.edges = self.label = None
