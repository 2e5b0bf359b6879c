"""Editing the network from the window: add and remove neurons and layers
(toolbar, menu, context menu), the neuron dialog, and the selected weight's
value field.  A mixin of MainWindow; the edits themselves are Document calls."""

from __future__ import annotations

from PySide6.QtGui import QAction

from aeviz.gui.document import EditRefused, layer_name
from aeviz.gui.neuron_dialog import NeuronDialog
from aeviz.gui.weights_panel import parse_number


class EditMixin:
    """Needs ``self.doc``, ``self.diagram``, ``self.selection_label``,
    ``self.selection_edit``, ``self._action`` and ``self.show_refusal``."""

    def _target_layer(self) -> int:
        s = self.diagram.selection
        if s and s[0] == "neuron":
            return s[1]
        if s and s[0] == "edge":
            return s[1] + 1
        return self.doc.network.code_layer

    def _try(self, fn, *args) -> None:
        try:
            fn(*args)
        except (EditRefused, ValueError) as e:
            self.show_refusal(str(e))

    def add_neuron(self, layer: int | None = None) -> None:
        self._try(self.doc.add_neuron, self._target_layer() if layer is None else layer)

    def remove_neuron(self, layer: int | None = None, unit: int | None = None) -> None:
        s = self.diagram.selection
        if layer is None:
            if s and s[0] == "neuron":
                layer, unit = s[1], s[2]
            else:
                layer = self._target_layer()
                unit = self.doc.network.sizes[layer] - 1
        self._try(self.doc.remove_neuron, layer, unit)

    def add_layer(self, after: int | None = None) -> None:
        net = self.doc.network
        after = (self._target_layer() if self.diagram.selection else 0) if after is None else after
        self._try(self.doc.insert_layer, min(after + 1, net.depth))

    def remove_layer(self, layer: int | None = None) -> None:
        net = self.doc.network
        if layer is None:
            layer = self._target_layer() if self.diagram.selection else net.depth - 1
        if not 1 <= layer < net.depth:
            self.show_refusal("select a neuron of a hidden layer to remove that layer"
                              if net.depth > 1 else "this network has no hidden layer")
            return
        self._try(self.doc.remove_layer, layer)

    def edit_neuron(self, layer: int, unit: int) -> None:
        if layer == 0:
            return
        NeuronDialog(self.doc, layer, unit, self).exec()

    def _neuron_actions(self, layer: int, unit: int) -> list[QAction]:
        net = self.doc.network
        name = layer_name(net, layer)
        acts = [self._action(f"Add a neuron to {name}", lambda: self.add_neuron(layer)),
                self._action("Remove this neuron", lambda: self.remove_neuron(layer, unit)),
                self._action("Insert a hidden layer after this one", lambda: self.add_layer(layer))]
        if 1 <= layer < net.depth:
            acts.append(self._action(f"Remove {name}", lambda: self.remove_layer(layer)))
        if layer > 0:
            acts.append(self._action("Edit bias and activation…",
                                     lambda: self.edit_neuron(layer, unit)))
        return acts

    def _on_selection_changed(self) -> None:
        view = self.diagram
        p, value = view.selected_param(), view.selected_value()
        if p is None:
            self.selection_label.setText(" Click a connection or neuron to edit ")
            self.selection_edit.clear()
            self.selection_edit.setEnabled(False)
            return
        k, i, j = p
        net = self.doc.network
        if i == net.sizes[k]:
            text = f" Bias of neuron {j + 1} in {layer_name(net, k + 1)} "
        else:
            text = f" Weight {i + 1} → {j + 1} (layer {k} → {k + 1}) "
        self.selection_label.setText(text)
        self.selection_edit.setEnabled(True)
        if not self.selection_edit.hasFocus():
            self.selection_edit.setText(f"{value:.4g}")

    def _on_selection_typed(self) -> None:
        try:
            value = parse_number(self.selection_edit.text())
        except EditRefused as e:
            self.show_refusal(str(e))
            self.selection_edit.selectAll()
            return
        self.diagram.edit_selected(value)
