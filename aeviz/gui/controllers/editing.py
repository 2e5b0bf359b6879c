"""Editing the network from the window: add and remove neurons and layers
(toolbar, menu, context menu, Ins/Del on the diagram), the neuron dialog, and the
selected weight's value field in the toolbar.  The edits are Document calls."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from aeviz.gui.window.actions import ActionSpec, Place
from aeviz.gui.drawing.diagram import NetworkView
from aeviz.gui.runtime.document import Document, EditRefused, layer_name, unit_label


class EditController:
    def __init__(self, parent: QWidget, doc: Document, diagram: NetworkView,
                 status: Callable[[str], None]) -> None:
        self.parent, self.doc, self.diagram, self.status = parent, doc, diagram, status
        self.selection_label = QLabel()
        self.selection_label.setAccessibleName("Selection")
        self.selection_edit = QLineEdit()
        self.selection_edit.setAccessibleName("Selected value")
        self.selection_edit.setMaximumWidth(110)
        self.selection_edit.setPlaceholderText("value")
        self._shown = ""                 # the text show_selection last put in the field
        self.selection_edit.returnPressed.connect(self._on_selection_typed)
        diagram.action_factory = self.neuron_actions
        diagram.selection_changed.connect(self.show_selection)
        diagram.neuron_double_clicked.connect(self.edit_neuron)
        doc.values_changed.connect(self.show_selection)
        self.show_selection()

    def actions(self) -> list[ActionSpec]:
        # the structure keys act while the diagram has focus (scope "diagram")
        return [
            ActionSpec("undo", "&Undo", self.doc.lesson.undo, ("Ctrl+Z",), "Undo",
                       menu=Place("&Edit"), toolbar=Place("Main", 1), icon="SP_ArrowBack"),
            ActionSpec("redo", "&Redo", self.doc.lesson.redo, ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo",
                       menu=Place("&Edit"), toolbar=Place("Main", 1), icon="SP_ArrowForward"),
            ActionSpec("add_neuron", "Add neuron", self.add_neuron, ("Ins",),
                       "Add a neuron to the selected neuron's layer (else the code layer)",
                       scope="diagram",
                       menu=Place("&Network"), toolbar=Place("Main", 2)),
            ActionSpec("remove_neuron", "Remove neuron", self.remove_neuron, ("Del",),
                       "Remove the selected neuron (else the code layer's last)", scope="diagram",
                       menu=Place("&Network"), toolbar=Place("Main", 2)),
            ActionSpec("add_layer", "Add layer", self.add_layer, ("Ctrl+Ins",),
                       "Insert a hidden layer after the selected neuron's layer", scope="diagram",
                       menu=Place("&Network"), toolbar=Place("Main", 2)),
            ActionSpec("remove_layer", "Remove layer", self.remove_layer, ("Ctrl+Del",),
                       "Remove the selected neuron's hidden layer (else the last)", scope="diagram",
                       menu=Place("&Network"), toolbar=Place("Main", 2)),
        ]

    def _target_layer(self) -> int:
        s = self.diagram.selection
        if s and s[0] == "neuron":
            return s[1]
        if s and s[0] == "edge":
            return s[1] + 1
        return self.doc.lesson.network.code_layer

    def _try(self, fn, *args) -> None:
        try:
            fn(*args)
        except (EditRefused, ValueError) as e:
            self.status(str(e))

    def add_neuron(self, layer: int | None = None) -> None:
        self._try(self.doc.lesson.add_neuron, self._target_layer() if layer is None else layer)

    def remove_neuron(self, layer: int | None = None, unit: int | None = None) -> None:
        s = self.diagram.selection
        if layer is None:
            if s and s[0] == "neuron":
                layer, unit = s[1], s[2]
            else:
                layer = self._target_layer()
                unit = self.doc.lesson.network.sizes[layer] - 1
        self._try(self.doc.lesson.remove_neuron, layer, unit)

    def add_layer(self, after: int | None = None) -> None:
        net = self.doc.lesson.network
        after = (self._target_layer() if self.diagram.selection else 0) if after is None else after
        self._try(self.doc.lesson.insert_layer, min(after + 1, net.depth))

    def remove_layer(self, layer: int | None = None) -> None:
        net = self.doc.lesson.network
        if layer is None:
            layer = self._target_layer() if self.diagram.selection else net.depth - 1
        if not 1 <= layer < net.depth:
            self.status("select a neuron of a hidden layer to remove that layer"
                        if net.depth > 1 else "this network has no hidden layer")
            return
        self._try(self.doc.lesson.remove_layer, layer)

    def edit_neuron(self, layer: int, unit: int) -> None:
        if layer == 0:
            return
        from aeviz.gui.panels.neuron_dialog import NeuronDialog    # (not needed at start-up)
        dialog = NeuronDialog(self.doc, layer, unit, self.parent)
        dialog.exec()
        dialog.deleteLater()

    def neuron_actions(self, layer: int, unit: int) -> list[tuple[str, Callable[[], None]]]:
        """The context menu of a neuron: (text, handler) pairs."""
        net = self.doc.lesson.network
        name = layer_name(net, layer)
        entries = [(f"Add a neuron to {name}", lambda: self.add_neuron(layer)),
                   (f"Remove {unit_label(net, layer, unit)}",
                    lambda: self.remove_neuron(layer, unit)),
                   ("Insert a hidden layer after this one", lambda: self.add_layer(layer))]
        if 1 <= layer < net.depth:
            entries.append((f"Remove {name}", lambda: self.remove_layer(layer)))
        if layer > 0:
            entries.append(("Edit bias and activation…", lambda: self.edit_neuron(layer, unit)))
        return entries

    # --- the toolbar's value field ------------------------------------------------------------
    def show_selection(self) -> None:
        view = self.diagram
        p, value = view.selected_param(), view.selected_value()
        if p is None:
            self.selection_label.setText(" Click a connection or neuron to edit ")
            self._shown = ""
            self.selection_edit.clear()
            self.selection_edit.setEnabled(False)
            return
        k, i, j = p
        net = self.doc.lesson.network
        target = unit_label(net, k + 1, j)
        if i == net.sizes[k]:
            text = f" Bias of {target} "
        else:
            text = f" Weight {unit_label(net, k, i)} → {target} "
        self.selection_label.setText(text)
        self.selection_edit.setEnabled(True)
        field = self.selection_edit
        if not field.hasFocus() or field.text() == self._shown:    # (never what is typed)
            self._shown = f"{value:.4g}"
            field.setText(self._shown)

    def _on_selection_typed(self) -> None:
        if self.selection_edit.text() == self._shown:   # nothing typed: the value shown is
            return                                      # rounded; writing it would be an edit
        try:
            from aeviz.gui.panels.weights_panel import parse_number  # (as the Weights tab reads)
            value = parse_number(self.selection_edit.text())
        except EditRefused as e:
            self.status(str(e))
            self.selection_edit.selectAll()
            return
        self.diagram.edit_selected(value)
