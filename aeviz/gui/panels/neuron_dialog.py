"""Double-click a neuron: edit its bias and its layer's activation."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit)

from aeviz.core.engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from aeviz.core.lessons.lesson_commands import WEIGHT_LIMIT
from aeviz.gui.runtime.document import Document, EditRefused, layer_name
from aeviz.gui.panels.weights_panel import parse_number


class NeuronDialog(QDialog):
    """Bias of one neuron and the activation of its layer; OK applies both (each
    an undoable edit); a refused value keeps the dialog open with the reason."""

    def __init__(self, doc: Document, layer: int, unit: int, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.layer, self.unit = doc, layer, unit
        net = doc.lesson.network
        self.setWindowTitle(f"Neuron {unit + 1} of {layer_name(net, layer)}")
        form = QFormLayout(self)
        self.shown_bias = f"{net.biases[layer - 1][unit]:.6g}"    # OK keeps it if not edited
        self.bias = QLineEdit(self.shown_bias)
        self.bias.setAccessibleName("Bias")
        self.bias.setToolTip(f"a number from -{WEIGHT_LIMIT:g} to {WEIGHT_LIMIT:g}")
        form.addRow("Bias b", self.bias)
        self.activation = QComboBox()
        self.activation.setAccessibleName("Activation")
        self.activation.addItems(ACTIVATIONS if layer == net.depth else HIDDEN_ACTIVATIONS)
        self.activation.setCurrentText(net.activations[layer - 1])
        form.addRow("Activation (whole layer)", self.activation)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b2182b")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply(self) -> None:
        """The bias is set only if its text was changed: the text shown is the bias
        at opening to 6 digits, and training may have moved the bias since (OK
        for a new activation wrote that old, rounded bias back)."""
        edited = self.bias.text().strip() != self.shown_bias
        try:
            bias = parse_number(self.bias.text()) if edited else None
            self.doc.lesson.set_activation(self.layer, self.activation.currentText())
        except (EditRefused, ValueError) as e:
            self.error.setText(str(e))
            return
        if bias is not None:
            net = self.doc.lesson.network
            self.doc.lesson.set_weight(self.layer - 1, net.sizes[self.layer - 1], self.unit, bias)
        self.accept()
