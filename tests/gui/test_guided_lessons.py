"""A scripted student completes every built-in guided lesson in the window,
through keys, clicks and the guide's own Next; every panel, neuron, connection
and row a step names exists and is highlighted; the live numbers a step quotes
are the ones the Values panel shows."""

from __future__ import annotations

from html import escape

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from aeviz.core.guides.guide import DOCKS, TABS, render
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.gui.drawing.highlight import Flash
from aeviz.gui.window.main_window import MainWindow
from tests.guided_students import MAX_EPOCHS, SCRIPTS

from .conftest import show_active, table_values

GUIDED = [name for name in preset_paths() if load_preset(name).guide]


class GuiActor:
    """The student at the window: keys, clicks and the panels' own fields."""

    def __init__(self, w: MainWindow, qtbot) -> None:
        self.w, self.qtbot = w, qtbot

    def key(self, key, modifier=Qt.NoModifier) -> None:
        self.qtbot.keyClick(self.w, key, modifier)

    def train(self, epochs: int) -> None:     # what Step epoch does, for many epochs
        self.w.controller.run_now(lambda session: session.advance(epochs), "Train", True)

    def train_until_reconstructed(self) -> None:
        for _ in range(MAX_EPOCHS):
            if self.w.doc.lesson.solved:
                return
            self.key(Qt.Key_Right)                          # Step epoch

    def set(self, name: str, value) -> None:
        panel = self.w.settings_panel
        if name == "noise_kind":
            combo = panel.noise
            combo.setCurrentText(value)
            combo.activated.emit(combo.currentIndex())
            return
        field = {"learning_rate": panel.lr, "sparsity_weight": panel.sparsity_weight}[name]
        field.setFocus()
        field.selectAll()
        self.qtbot.keyClicks(field, str(value))
        self.qtbot.keyClick(field, Qt.Key_Return)
        self.w.diagram.setFocus()

    def reset(self) -> None:
        self.key(Qt.Key_R, Qt.ControlModifier)

    def set_weight(self, block: int, row: int, col: int, value: float) -> None:
        self.w.diagram.select(("edge", block, row, col))
        edit = self.w.editing.selection_edit
        edit.setFocus()
        edit.selectAll()
        self.qtbot.keyClicks(edit, str(value))
        self.qtbot.keyClick(edit, Qt.Key_Return)
        self.w.diagram.setFocus()

    def copy_input_weights(self, source: int, target: int) -> None:
        w = self.w.doc.lesson.network.weights[0]
        for j in range(w.shape[1]):
            self.set_weight(0, target, j, float(w[source, j]))

    def undo(self) -> None:
        for _ in range(self.w.doc.lesson.network.weights[0].shape[1]):
            self.key(Qt.Key_Z, Qt.ControlModifier)

    def choose(self, option: int) -> None:
        self.qtbot.mouseClick(self.w.guide_panel.choice_buttons[option], Qt.LeftButton)

    def phase(self) -> None:
        self.key(Qt.Key_N)

    def nothing(self) -> None:
        pass

    def revisit(self) -> None:
        self.qtbot.keyClick(self.w, Qt.Key_PageUp)
        self.qtbot.waitUntil(lambda: not self.w.controller.running)
        self.qtbot.keyClick(self.w, Qt.Key_PageDown)


def flashing(widget) -> bool:
    return any(isinstance(c, Flash) and c.isVisible() for c in widget.children())


def assert_pointed_at(w: MainWindow) -> None:
    """Everything the current step names exists and is highlighted."""
    step = w.guide.step
    for t in step.look_at:
        widget = w.guide.widget_for(t)
        assert widget is not None and widget.isVisible(), t.source
        if t.kind == "neuron":
            assert w.diagram.neurons[t.layer][t.unit]._highlight, t.source
        elif t.kind == "connection":
            e = w.diagram.edges
            assert e.index_of(t.layer, t.unit, t.to_unit) in e.marked, t.source
        elif t.kind == "row":
            widget = getattr(widget, "table", widget)        # the Patterns tab: its table
            box = next(c for c in widget.viewport().children()
                       if isinstance(c, Flash) and c.objectName() == f"row {t.unit}")
            assert box.isVisible()
            row = widget.visualRect(widget.model().index(t.unit, 0))
            assert box.geometry().contains(row.center()), t.source
        else:
            assert flashing(widget), t.source
            if t.panel in DOCKS:
                assert w.findChild(QDockWidget, t.panel).isVisible()


def assert_numbers_match_the_window(w: MainWindow) -> None:
    """{h}, {y} and {x} as quoted are what the Values panel shows."""
    text = w.guide.step.text
    shown = w.guide_panel.text.text()
    assert shown == escape(render(text, w.doc.lesson)).replace("\n", "<br>")
    lesson = w.doc.lesson
    if "{h}" in text and not w.classroom.predicting:
        h = table_values(w, "Code")
        assert "[" + ", ".join(f"{v:.3f}" for v in h) + "]" in shown
    if "{y}" in text and not w.classroom.predicting:
        y = table_values(w, "Output")
        np.testing.assert_allclose(lesson.forward()[1][-1][0], y, atol=5e-4)


@pytest.mark.parametrize("name", GUIDED)
def test_a_scripted_student_completes_the_guided_lesson(name, qtbot):
    w = MainWindow(model=load_preset(name))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    actor, steps = GuiActor(w, qtbot), w.doc.lesson.model.guide
    assert w.guide_panel.isVisible() and w.guide.index == 0
    for i, step in enumerate(steps):
        assert w.guide.index == i
        assert f"Step {i + 1} of {len(steps)}" in w.guide_panel.counter.text()
        assert_pointed_at(w)
        assert_numbers_match_the_window(w)
        if step.task is not None:
            wrong, right = SCRIPTS[name][i]
            assert i not in w.guide.done, (name, i, "done on arrival")
            wrong(actor)
            assert i not in w.guide.done, (name, i, "a wrong try passed")
            if (name, i) != ("six-steps", 1):             # there the wrong try is no try
                assert w.guide_panel.hint.isVisible() and w.guide_panel.hint.text()
            right(actor)
            assert i in w.guide.done, (name, i, w.guide.check().hint)
            assert w.guide_panel.done.isVisible()
        if i + 1 < len(steps):                          # the lesson's own Next
            if i % 2:
                qtbot.mouseClick(w.guide_panel.next, Qt.LeftButton)
            else:
                w.diagram.setFocus()
                qtbot.keyClick(w, Qt.Key_PageDown)
            qtbot.waitUntil(lambda: not w.controller.running)  # a train action
    tasks = sum(s.task is not None for s in steps)
    assert w.guide.done == {i for i, s in enumerate(steps) if s.task is not None}
    assert f"tasks done: {tasks} of {tasks}" in w.guide_panel.counter.text()
    assert not w.guide_panel.next.isEnabled()              # the last step
