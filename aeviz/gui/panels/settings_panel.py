"""Training settings, editable while paused and while running.  Each control
changes its own setting and nothing else (``Lesson.set_setting``: one undo step
named after it, "Set learning rate 0.5 → 0.02"), applied from the next step on;
no control ever rebuilds the whole training config from the fields the panel
happens to show (it has no β, for one).  The fields follow the lesson (with
their signals blocked, so nothing echoes back).

Space in a number field: a number never contains a space, so a field being edited
never takes one (it would make its text invalid); Space stays the Play/Pause key
there, after the field's edit is applied (:class:`SpacePlays`).  A free-text field
(a name) keeps Space as text."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QFormLayout, QLineEdit,
                               QSpinBox, QWidget)

from aeviz.core import config as cfg
from aeviz.core.engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from aeviz.gui.runtime.document import Document, EditRefused, layer_name


class SpacePlays(QObject):
    """An event filter for a number field (a QLineEdit or a spin box): Space is not
    typed into it; the field's edit is applied (as Return would) and the key is left
    to the window's shortcut, Play/Pause.  With no shortcut to take it, the space
    is dropped."""

    def __init__(self, field: QWidget) -> None:
        super().__init__(field)
        self.field = field
        field.installEventFilter(self)
        if isinstance(field, QAbstractSpinBox):
            field.lineEdit().installEventFilter(self)

    @staticmethod
    def _is_space(event) -> bool:
        return (event.key() == Qt.Key_Space
                and not event.modifiers() & ~(Qt.KeypadModifier | Qt.ShiftModifier))

    def eventFilter(self, watched, event) -> bool:          # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.ShortcutOverride and self._is_space(event):
            self._apply_edit()
            event.ignore()                     # not the field's: the shortcut takes it
            return True
        if kind == QEvent.KeyPress and self._is_space(event):
            return True                        # never typed
        return False

    def _apply_edit(self) -> None:
        field = self.field
        if isinstance(field, QAbstractSpinBox):
            field.interpretText()
        elif isinstance(field, QLineEdit) and field.isModified():
            field.setModified(False)
            field.editingFinished.emit()       # applied as Return applies it


class NumberField(QLineEdit):
    """A number in a declared range; anything else is refused at the field."""

    def __init__(self, name: str, range_key: str, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.range_key = range_key
        self.setToolTip(f"{name}: a number {cfg.describe_range(range_key)}")
        SpacePlays(self)

    def value(self) -> float:
        text = self.text().strip().replace(",", ".")
        try:
            v = float(text)
        except ValueError:
            raise EditRefused(f"{self.accessibleName()}: “{text}” is not a number") from None
        if not math.isfinite(v) or not cfg.in_range(self.range_key, v):
            raise EditRefused(f"{self.accessibleName()} must be a number "
                              f"{cfg.describe_range(self.range_key)}")
        return v


class WholeNumberField(QLineEdit):
    """A whole number in a declared range of any size (a QSpinBox stops at 2**31 - 1,
    but a seed may be anything the file format saves and reads back)."""

    def __init__(self, name: str, range_key: str, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.range_key = range_key
        lo, hi, _, _ = cfg.RANGES[range_key]
        self.setToolTip(f"{name}: a whole number from {int(lo)} to {int(hi)}")
        SpacePlays(self)

    def value(self) -> int:
        text = self.text().strip().replace("_", "").replace(" ", "")
        lo, hi, _, _ = cfg.RANGES[self.range_key]
        if not text.isdigit() or len(text) > 30 or not int(lo) <= int(text) <= int(hi):
            raise EditRefused(f"{self.accessibleName()} must be a whole number from "
                              f"{int(lo)} to {int(hi)}")
        return int(text)

    def setValue(self, value: int) -> None:   # noqa: N802  (the QSpinBox name it replaces)
        self.setText(str(value))


class SettingsPanel(QWidget):
    refused = Signal(str)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.form = QFormLayout(self)
        self.lr = NumberField("Learning rate", "learning_rate")
        self.optimizer = self._combo("Optimizer", cfg.OPTIMIZERS)
        self.momentum = NumberField("Momentum", "momentum")
        self.batch = QSpinBox()
        self.batch.setAccessibleName("Batch size")
        self.batch.setRange(0, int(cfg.RANGES["batch_size"][1]))   # all the file allows
        self.batch.setSpecialValueText("full batch")
        SpacePlays(self.batch)
        self.shuffle = QCheckBox("reshuffle every epoch")
        self.shuffle.setAccessibleName("Shuffle")
        self.loss = self._combo("Loss", cfg.LOSSES)
        self.decay = NumberField("Weight decay", "weight_decay")
        self.seed = WholeNumberField("Seed", "seed")
        self.penalty = self._combo("Sparsity", cfg.PENALTIES)
        self.sparsity_weight = NumberField("Sparsity weight λ", "sparsity.weight")
        self.target = NumberField("Sparsity target ρ", "sparsity.target")
        self.noise = self._combo("Noise", cfg.NOISE_KINDS)
        self.noise_level = NumberField("Noise level", "noise.level.gaussian")
        for label, w in (("Learning rate η", self.lr), ("Optimiser", self.optimizer),
                         ("Momentum", self.momentum), ("Batch size", self.batch),
                         ("", self.shuffle), ("Loss", self.loss),
                         ("Weight decay", self.decay), ("Seed", self.seed),
                         ("Sparsity Ω(h)", self.penalty), ("λ", self.sparsity_weight),
                         ("ρ (KL target)", self.target), ("Denoising noise", self.noise),
                         ("Noise level", self.noise_level)):
            if label:
                self.form.addRow(label, w)
            else:               # the whole row: no label column beside it (on stage the
                self.form.addRow(w)   # panel is a third of 1024 px and must not scroll)
        self.fields = {"learning_rate": self.lr, "momentum": self.momentum,
                       "weight_decay": self.decay, "sparsity.weight": self.sparsity_weight,
                       "sparsity.target": self.target, "noise.level": self.noise_level,
                       "seed": self.seed}
        for name, field in self.fields.items():
            field.editingFinished.connect(lambda name=name, field=field:
                                          self.set_setting(name, field.value))
        self.combos = {"optimizer": self.optimizer, "loss": self.loss,
                       "sparsity.penalty": self.penalty, "noise.kind": self.noise}
        for name, combo in self.combos.items():
            combo.activated.connect(lambda _i, name=name, combo=combo:
                                    self.set_setting(name, combo.currentText))
        self.batch.valueChanged.connect(
            lambda _v: self.set_setting("batch_size", self.batch.value, merge=True))
        self.shuffle.toggled.connect(lambda _on: self.set_setting("shuffle", self.shuffle.isChecked))
        self.activation_rows: list[QComboBox] = []
        doc.settings_changed.connect(self.refresh)
        doc.structure_changed.connect(self.rebuild_activations)
        self.rebuild_activations()

    def _combo(self, name: str, items) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItems(list(items))
        return box

    def rebuild_activations(self) -> None:
        for box in self.activation_rows:
            self.form.removeRow(box)
        self.activation_rows = []
        net = self.doc.lesson.network
        for layer in range(1, net.depth + 1):
            box = self._combo(f"Activation {layer}",
                              ACTIVATIONS if layer == net.depth else HIDDEN_ACTIVATIONS)
            box.setCurrentText(net.activations[layer - 1])
            box.activated.connect(lambda _i, layer=layer, box=box: self._set_activation(layer, box))
            self.form.addRow(f"{layer_name(net, layer).replace('the ', '').capitalize()}", box)
            self.activation_rows.append(box)
        self.refresh()

    def _set_activation(self, layer: int, box: QComboBox) -> None:
        try:
            self.doc.lesson.set_activation(layer, box.currentText())
        except (EditRefused, ValueError) as e:
            self.refused.emit(str(e))
            with QSignalBlocker(box):
                box.setCurrentText(self.doc.lesson.network.activations[layer - 1])

    def refresh(self) -> None:
        """Show the Document's settings (signals blocked: no echo)."""
        t = self.doc.lesson.model.training
        values = {self.lr: f"{t.learning_rate:g}", self.momentum: f"{t.momentum:g}",
                  self.decay: f"{t.weight_decay:g}", self.sparsity_weight: f"{t.sparsity.weight:g}",
                  self.target: f"{t.sparsity.target:g}", self.noise_level: f"{t.noise.level:g}"}
        for field, text in values.items():
            with QSignalBlocker(field):
                field.setText(text)
        for combo, text in ((self.optimizer, t.optimizer), (self.loss, t.loss),
                            (self.penalty, t.sparsity.penalty), (self.noise, t.noise.kind)):
            with QSignalBlocker(combo):
                combo.setCurrentText(text)
        for widget, setter, value in ((self.batch, self.batch.setValue, t.batch_size),
                                      (self.seed, self.seed.setValue, t.seed),
                                      (self.shuffle, self.shuffle.setChecked, t.shuffle)):
            with QSignalBlocker(widget):
                setter(value)
        self.noise_level.range_key = cfg.noise_range(t.noise.kind)

    def set_setting(self, name: str, read, merge: bool = False) -> None:
        """Setting ``name`` = ``read()`` (the one control's value), every other
        setting as it is; or a refusal that says why, and the lesson's value back."""
        try:
            self.doc.lesson.set_setting(name, read(), merge)
        except (EditRefused, ValueError) as e:
            self.refused.emit(str(e))
            self.refresh()                    # put the lesson's values back
