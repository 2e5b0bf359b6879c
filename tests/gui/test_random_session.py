"""A seeded random walk of hundreds of user actions on the real window; after
each one the diagram, the tables and the engine must agree, and at the end undo
must lead back exactly to where the walk (or its last Open) started.  Unhandled
exceptions in Qt slots fail the test (pytest-qt)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PySide6.QtCore import Qt

from aeviz.core.presets import load_preset
from aeviz.gui.main_window import MainWindow

from .conftest import show_active, table_values

STEPS = int(os.environ.get("AEVIZ_RANDOM_STEPS", "300"))


def check_invariants(w: MainWindow) -> None:
    net, doc = w.doc.network, w.doc
    code, out = (a[0] for a in (lambda acts: (acts[net.code_layer], acts[-1]))(
        net.forward(doc.x[None, :])[1]))
    np.testing.assert_allclose(table_values(w, "Input"), doc.x, atol=5e-4)
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)
    assert [len(layer) for layer in w.diagram.neurons] == list(net.sizes)
    assert len(w.diagram.edges.ids) == sum(a * b for a, b in zip(net.sizes, net.sizes[1:]))
    if w.diagram.overlay is None:
        np.testing.assert_array_equal(w.diagram.edges.values,
                                      np.concatenate([x.ravel() for x in net.weights]))
    assert w.patterns.rowCount() == len(doc.data())
    assert w.controller.session.trainer.net.sizes == net.sizes
    assert np.isfinite(net.params).all()


@pytest.mark.parametrize("seed", range(1, 1 + int(os.environ.get("AEVIZ_RANDOM_SESSIONS", "2"))))
def test_random_walk(qtbot, tmp_path, seed):
    rng = np.random.default_rng(seed)
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    path = tmp_path / "walk.aeviz"
    w.choose_save_path = lambda: str(path)
    start = (w.doc.network.sizes, w.doc.network.params.copy())

    def pick_layer():
        return int(rng.integers(len(w.doc.network.sizes)))

    actions = {
        "feed": lambda: qtbot.keyClick(w.diagram, getattr(
            Qt, f"Key_{int(rng.integers(1, min(9, len(w.doc.data())) + 1))}")),
        "edit": lambda: w.doc.set_weight(
            k := int(rng.integers(w.doc.network.depth)),
            int(rng.integers(w.doc.network.sizes[k] + 1)),
            int(rng.integers(w.doc.network.sizes[k + 1])), float(rng.normal())),
        "flip": lambda: (w.diagram.select(("edge", 0, 0, 0)),
                         qtbot.keyClick(w.diagram, Qt.Key_F)),
        "add_neuron": lambda: w.add_neuron(pick_layer()),
        "remove_neuron": lambda: w.remove_neuron(
            layer := pick_layer(), int(rng.integers(w.doc.network.sizes[layer]))),
        "add_layer": lambda: w.add_layer(int(rng.integers(w.doc.network.depth))),
        "remove_layer": lambda: w.remove_layer(int(rng.integers(1, w.doc.network.depth + 1))),
        "learning_rate": lambda: (w.settings_panel.lr.setText(
            str(rng.choice(["0.1", "1", "5", "nan", "-2", ""]))),
            w.settings_panel.lr.editingFinished.emit()),
        "step": lambda: qtbot.keyClick(w.diagram, Qt.Key_Right),
        "step_pattern": lambda: w.controller.step_pattern(),
        "phase": lambda: qtbot.keyClick(w.diagram, Qt.Key_N),
        "play_pause": lambda: (w.controller.play(), qtbot.wait(30), w.controller.pause()),
        "undo": lambda: w.doc.undo_stack.undo(),
        "redo": lambda: w.doc.undo_stack.redo(),
        "rewind": lambda: (w.training.timeline.setValue(
            int(rng.integers(w.training.timeline.maximum() + 1))),
            w.controller.continue_from(w.training.timeline_epoch())),
        "save_open": lambda: (w.save_to(path), w.open_path(path, ask=False)),
    }
    names = list(actions)
    weights = np.array([3, 4, 2, 1, 1, 0.5, 0.5, 1, 2, 1, 2, 0.5, 3, 2, 0.5, 0.3])
    for step in range(STEPS):
        name = names[rng.choice(len(names), p=weights / weights.sum())]
        actions[name]()
        if name == "save_open":
            start = (w.doc.network.sizes, w.doc.network.params.copy())
        check_invariants(w)
    w.controller.pause()
    w.phases.cancel()
    while w.doc.undo_stack.canUndo():
        w.doc.undo_stack.undo()
    assert w.doc.network.sizes == start[0]
    np.testing.assert_array_equal(w.doc.network.params, start[1])
    check_invariants(w)
