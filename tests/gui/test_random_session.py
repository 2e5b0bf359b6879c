"""A seeded random walk of hundreds of user actions on the real window, many of
them while training runs in the background; after each one the diagram, the
tables and the lesson must agree, and at the end undo must lead back bitwise to
where the walk (or its last Open, New or lesson switch) started, and one step
from there must equal one step from a fresh copy.  Unhandled exceptions in Qt
slots fail the test (pytest-qt)."""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import Qt

from aeviz.core.files.datasets import Dataset
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import readout, show_active, table_values

STEPS = int(os.environ.get("AEVIZ_RANDOM_STEPS", "300"))


def check_invariants(w: MainWindow) -> None:
    # while training runs the Values panel shows a frame up to RUN_INTERVAL_MS later
    # (test_values_during_run): what a person sees a moment later is checked
    from aeviz.gui.runtime.throttle import flush_all
    flush_all(w)
    net, doc = w.doc.lesson.network, w.doc
    code, out = (a[0] for a in (lambda acts: (acts[net.code_layer], acts[-1]))(
        net.forward(doc.lesson.x[None, :])[1]))
    waiting = w.values._stale     # behind another tab during a run, the x, h and y
    assert not waiting or w.controller.running     # tables wait until seen or the
    if not waiting:                                # run stops (test_readouts_while_training)
        check_tables(w, code, out)
    assert [len(layer) for layer in w.diagram.neurons] == list(net.sizes)
    assert len(w.diagram.edges.ids) == sum(a * b for a, b in zip(net.sizes, net.sizes[1:]))
    if w.diagram.overlay is None:
        np.testing.assert_array_equal(w.diagram.edges.values,
                                      np.concatenate([x.ravel() for x in net.weights]))
    assert w.patterns.model().rowCount() == len(doc.lesson.data())
    assert int(readout(w, "Epoch")) == doc.lesson.epoch
    assert np.isfinite(net.params).all()


def check_tables(w: MainWindow, code, out) -> None:
    """The Values panel's x, h and y tables show the fed pattern's values."""
    np.testing.assert_allclose(table_values(w, "Input"), w.doc.lesson.x, atol=5e-4)
    # in a step-through the Values panel shows what the diagram shows (#23): a code
    # or output not yet computed in this phase is "?" in both
    from aeviz.core.measures.phases import PHASES
    phase = PHASES[w.phases.phase] if w.phases.active and w.phases.phase >= 0 else None
    if phase != "input":
        np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    else:
        assert set(w.values.code.cell_text(i) for i in range(w.values.code.count)) == {"?"}
    if phase not in ("input", "encode"):
        np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)


def opening_state(w: MainWindow):
    lesson = w.doc.lesson
    return (lesson.model.copy(), lesson.x.copy())


def assert_at_opening_state(w: MainWindow, start) -> None:
    model, x = start
    lesson = w.doc.lesson
    assert lesson.network.sizes == model.network.sizes
    assert lesson.network.activations == model.network.activations
    np.testing.assert_array_equal(lesson.network.params, model.network.params)
    assert lesson.training == model.training and lesson.model.dataset == model.dataset
    assert lesson.epoch == 0 and len(lesson.history) == 0 and lesson.run_state is None
    assert not lesson.modified


@pytest.mark.parametrize("seed", range(1, 1 + int(os.environ.get("AEVIZ_RANDOM_SESSIONS", "2"))))
def test_random_walk(qtbot, tmp_path, seed):
    rng = np.random.default_rng(seed)
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    path = tmp_path / "walk.aeviz"
    w.files.choose_save_path = lambda: str(path)
    start = opening_state(w)

    def pick_layer():
        return int(rng.integers(len(w.doc.lesson.network.sizes)))

    actions = {
        "feed": lambda: qtbot.keyClick(w.diagram, getattr(
            Qt, f"Key_{int(rng.integers(1, min(9, len(w.doc.lesson.data())) + 1))}")),
        "edit": lambda: w.doc.lesson.set_weight(
            k := int(rng.integers(w.doc.lesson.network.depth)),
            int(rng.integers(w.doc.lesson.network.sizes[k] + 1)),
            int(rng.integers(w.doc.lesson.network.sizes[k + 1])), float(rng.normal())),
        "flip": lambda: (w.diagram.select(("edge", 0, 0, 0)),
                         qtbot.keyClick(w.diagram, Qt.Key_F)),
        "add_neuron": lambda: w.editing.add_neuron(pick_layer()),
        "remove_neuron": lambda: w.editing.remove_neuron(
            layer := pick_layer(), int(rng.integers(w.doc.lesson.network.sizes[layer]))),
        "add_layer": lambda: w.editing.add_layer(int(rng.integers(w.doc.lesson.network.depth))),
        "remove_layer": lambda: w.editing.remove_layer(int(rng.integers(1, w.doc.lesson.network.depth + 1))),
        "learning_rate": lambda: (w.settings_panel.lr.setText(
            str(rng.choice(["0.1", "1", "5", "nan", "-2", ""]))),
            w.settings_panel.lr.editingFinished.emit()),
        "step": lambda: qtbot.keyClick(w.diagram, Qt.Key_Right),
        "step_pattern": lambda: w.controller.step_pattern(),
        "phase": lambda: qtbot.keyClick(w.diagram, Qt.Key_N),
        "play": lambda: w.controller.play(),
        "pause": lambda: w.controller.pause(),
        # a person pausing while training runs: the training thread's frames land
        # between the actions (a random pause is the walk's input, not a wait for a
        # condition; nothing asserts how long anything took)
        "wait": lambda: qtbot.wait(int(rng.integers(5, 40))),
        "dataset": lambda: w.datasets.use_dataset(Dataset.one_hot(int(rng.integers(3, 8))), "one-hot"),
        "open_lesson": lambda: w.files.open_preset(str(rng.choice(["train-5-2-5", "encoder-8-3-8",
                                                              "article-example"]))),
        "undo": lambda: w.doc.lesson.undo(),
        "redo": lambda: w.doc.lesson.redo(),
        "rewind": lambda: (w.training.timeline.setValue(
            int(rng.integers(w.training.timeline.maximum() + 1))),
            w.controller.continue_from(w.training.timeline_epoch())),
        "save_open": lambda: (w.files.save_to(path), w.files.open_path(path, ask=False)),
    }
    names = list(actions)
    weights = dict(feed=3, edit=4, flip=2, add_neuron=1, remove_neuron=1, add_layer=0.5,
                   remove_layer=0.5, learning_rate=1, step=2, step_pattern=1, phase=2,
                   play=2, pause=1, wait=3, undo=3, redo=2, rewind=0.5, dataset=0.3,
                   open_lesson=0.2, save_open=0.3)
    p = np.array([weights[n] for n in names])
    while_running = Counter()
    for step in range(STEPS):
        name = names[rng.choice(len(names), p=p / p.sum())]
        if w.controller.running:
            while_running[name] += 1
        actions[name]()
        if name in ("save_open", "open_lesson"):
            start = opening_state(w)
        check_invariants(w)
    # the walk really changed the lesson while training ran
    changes = ("edit", "flip", "add_neuron", "remove_neuron", "learning_rate", "undo", "phase")
    assert STEPS < 100 or sum(while_running[n] for n in changes) >= 20, while_running
    w.phases.cancel()
    while w.doc.lesson.undo_stack.can_undo():
        w.doc.lesson.undo()                        # the first undo also ends a running run
    assert not w.controller.running
    assert_at_opening_state(w, start)
    check_invariants(w)
    # one step from here equals one step from a fresh copy of the opening state
    w.controller.step_epoch()
    fresh = Lesson(start[0].copy())
    fresh.run(lambda session: session.advance(1), "Step")
    np.testing.assert_array_equal(w.doc.lesson.network.params, fresh.network.params)
