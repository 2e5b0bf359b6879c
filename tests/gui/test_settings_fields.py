"""Settings edited one field at a time (#22 item 4): every control of the Settings
panel changes its own setting and nothing else, as one undo step named after it;
for every built-in lesson, every field of the training config survives every
panel edit (a VAE's β among them)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from aeviz.core.config import TrainingConfig
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.settings_panel import SettingsPanel

NUMBERS = {"learning_rate": (0.02, 0.03), "momentum": (0.3, 0.4), "weight_decay": (0.001, 0.002),
           "sparsity.weight": (0.2, 0.3), "sparsity.target": (0.1, 0.2),
           "noise.level": (0.05, 0.1)}


def leaves(t: TrainingConfig) -> dict:
    """Every field of the config, nested ones by dotted name."""
    out = {}
    for f in dataclasses.fields(t):
        v = getattr(t, f.name)
        if dataclasses.is_dataclass(v):
            out.update({f"{f.name}.{k}": x for k, x in dataclasses.asdict(v).items()})
        else:
            out[f.name] = v
    return out


def panel_for(qtbot, name: str) -> tuple[SettingsPanel, Document]:
    doc = Document(load_preset(name))
    panel = SettingsPanel(doc)
    qtbot.addWidget(panel)
    refusals = []
    panel.refused.connect(refusals.append)
    panel.refusals = refusals
    return panel, doc


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def edits(panel: SettingsPanel, t: TrainingConfig):
    """(setting name or None for an activation, what the user does) for every control."""
    for name, field in panel.fields.items():
        if name == "seed":
            yield name, t.seed + 1, lambda qtbot, f=field: type_into(qtbot, f, str(t.seed + 1))
            continue
        a, b = NUMBERS[name]
        value = b if t.get(name) == a else a
        yield name, value, lambda qtbot, f=field, v=value: type_into(qtbot, f, f"{v:g}")
    for name, combo in panel.combos.items():
        for i in range(combo.count()):
            if combo.itemText(i) != t.get(name):
                def choose(qtbot, combo=combo, i=i):
                    combo.setCurrentIndex(i)
                    combo.activated.emit(i)
                yield name, combo.itemText(i), choose
    batch = 3 if t.batch_size != 3 else 4
    yield "batch_size", batch, lambda qtbot: panel.batch.setValue(batch)
    yield "shuffle", not t.shuffle, lambda qtbot: qtbot.mouseClick(panel.shuffle, Qt.LeftButton,
                                                                   pos=panel.shuffle.rect().center())
    for row, box in enumerate(panel.activation_rows):      # rebuilt by each change
        other = next(box.itemText(i) for i in range(box.count())
                     if box.itemText(i) != box.currentText())
        def activate(qtbot, row=row, other=other):
            box = panel.activation_rows[row]
            box.setCurrentText(other)
            box.activated.emit(box.currentIndex())
        yield None, other, activate


@pytest.mark.parametrize("preset", sorted(preset_paths()))
def test_every_panel_edit_changes_its_own_field_and_nothing_else(qtbot, preset):
    panel, doc = panel_for(qtbot, preset)
    accepted = 0
    for name, value, act in list(edits(panel, doc.lesson.model.training)):
        before = leaves(doc.lesson.model.training)
        steps = doc.lesson.undo_stack.index
        act(qtbot)
        after = leaves(doc.lesson.model.training)
        changed = {k for k in before if before[k] != after[k]}
        if name is None or doc.lesson.undo_stack.index == steps:       # refused, or the net
            assert changed == set(), (preset, name, value, panel.refusals[-1:])
        else:
            accepted += 1
            assert changed == {name} and after[name] == value, (preset, name, value)
            assert doc.lesson.undo_stack.index == steps + 1
            label = doc.lesson.undo_stack.undo_text()
            assert label.startswith("Set ") and "→" in label, label
        if doc.lesson.undo_stack.index > steps:
            doc.lesson.undo()
        assert leaves(doc.lesson.model.training) == before, (preset, name)
    assert accepted >= 10, preset


def test_a_learning_rate_typed_into_the_vae_keeps_beta(qtbot):
    """Open vae-digits (β = 0.01), type a learning rate, Enter: β stays 0.01."""
    panel, doc = panel_for(qtbot, "vae-digits")
    t = doc.lesson.model.training
    assert t.beta == 0.01
    type_into(qtbot, panel.lr, "0.02")
    assert doc.lesson.model.training == t.with_(learning_rate=0.02)
    assert doc.lesson.undo_stack.undo_text() == f"Set learning rate {t.learning_rate:g} → 0.02"
    doc.lesson.undo()
    assert doc.lesson.model.training == t


def test_a_refused_value_says_why_and_changes_nothing(qtbot):
    panel, doc = panel_for(qtbot, "vae-digits")
    t = doc.lesson.model.training
    type_into(qtbot, panel.momentum, "1.5")
    assert panel.refusals and "Momentum" in panel.refusals[-1]
    assert doc.lesson.model.training == t and panel.momentum.text() == f"{t.momentum:g}"
    panel.noise.setCurrentText("gaussian")
    panel.noise.activated.emit(panel.noise.currentIndex())
    type_into(qtbot, panel.noise_level, "5")                   # a sigma of 5
    t = doc.lesson.model.training
    assert (t.noise.kind, t.noise.level) == ("gaussian", 5.0)
    panel.noise.setCurrentText("masking")                      # 5 is no probability
    panel.noise.activated.emit(panel.noise.currentIndex())
    assert "change the level first" in panel.refusals[-1] and doc.lesson.model.training == t
    assert panel.noise.currentText() == "gaussian"
