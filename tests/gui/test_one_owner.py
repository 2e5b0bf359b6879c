"""One owner of the lesson: each defect that came from the window and the trainer
holding two copies of the weights, reproduced with training running."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from aeviz.core.files.fileformat import load, save
from aeviz.core.files.presets import load_preset
from aeviz.core.engine.trainer import Trainer
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT, click_neuron, readout, show_active

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def running(lesson, qtbot):
    """The 'Train the 5-2-5' lesson, training at full speed past epoch 50."""
    w = lesson
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 50, timeout=WAIT)
    return w


def trained_straight(name: str, epochs: int) -> np.ndarray:
    m = load_preset(name)
    t = Trainer(m.network, m.training, m.data())
    t.run(epochs)
    return t.net.params


def test_opening_a_file_while_training_shows_the_files_weights_and_saves_them(
        running, qtbot, tmp_path):
    w = running
    path = tmp_path / "mine.aeviz"
    save(load_preset("encoder-8-3-8"), path)
    on_disk = path.read_bytes()
    w.files.open_path(path)
    assert not w.controller.running
    np.testing.assert_array_equal(w.doc.lesson.network.params, load(path).network.params)
    assert w.doc.lesson.epoch == 0 and not w.doc.lesson.modified
    w.files.save(wait=True)                          # Ctrl+S: the file is unchanged
    assert load(path).network.params.tobytes() == load_preset("encoder-8-3-8").network.params.tobytes()
    assert path.read_bytes() == on_disk


@pytest.mark.parametrize("how", ["new", "lesson"])
def test_new_or_a_lesson_while_training_starts_clean(running, qtbot, how):
    w = running
    if how == "new":
        w.files.new_file()
        from aeviz.core.model import default_model
        expected = default_model().network.params
    else:
        w.files.open_preset("article-example")
        expected = load_preset("article-example").network.params
    np.testing.assert_array_equal(w.doc.lesson.network.params, expected)
    assert w.doc.lesson.epoch == 0 and len(w.doc.lesson.history) == 0
    assert w.doc.lesson.undo_stack.count() == 0
    w.controller.step_epoch()                        # and it trains from there
    assert w.doc.lesson.epoch == 1


@pytest.mark.parametrize("change", ["add_neuron", "remove_neuron", "add_layer", "remove_layer",
                                    "undo_structure", "dataset"])
def test_structure_changes_while_training_keep_training_the_new_network(running, qtbot, change):
    w = running
    e = w.editing
    if change == "undo_structure":
        e.add_neuron(1)
        qtbot.waitUntil(lambda: w.controller.running)
        w.doc.lesson.undo()                                 # undo ends the run, then the edit
    elif change == "dataset":
        w.datasets.use_dataset(__import__("aeviz.core.files.datasets", fromlist=["bars"]).bars(),
                               "Bars", pictures=True)
    elif change == "remove_layer":
        e.add_layer(1)
        e.remove_layer(2)
    else:
        getattr(e, change)(1) if change != "remove_neuron" else e.remove_neuron(1, 0)
    sizes = w.doc.lesson.network.sizes
    if change != "undo_structure":
        assert w.controller.running                  # training goes on, on the new net
        at_change = w.doc.lesson.epoch
        qtbot.waitUntil(lambda: w.doc.lesson.epoch > at_change + 20, timeout=WAIT)
        w.controller.pause()
    assert w.doc.lesson.network.sizes == sizes
    assert [len(layer) for layer in w.diagram.neurons] == list(sizes)
    w.controller.step_epoch()                        # Step works afterwards
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 5, timeout=WAIT)
    w.controller.pause()
    assert np.isfinite(w.doc.lesson.network.params).all()


def test_weight_edits_while_training_undo_back_to_the_start(running, qtbot):
    w = running
    start = load_preset("train-5-2-5").network.params
    for value in (2.5, -1.0, 0.25):
        w.doc.lesson.set_weight(0, 0, 0, value)
        assert w.doc.lesson.network.weights[0][0, 0] == value     # what is drawn is what trains
        at_edit = w.doc.lesson.epoch
        qtbot.waitUntil(lambda: w.doc.lesson.epoch > at_edit + 10, timeout=WAIT)
    w.controller.pause()
    while w.doc.lesson.undo_stack.can_undo():
        w.doc.lesson.undo()
    np.testing.assert_array_equal(w.doc.lesson.network.params, start)
    assert w.doc.lesson.epoch == 0 and int(readout(w, "Epoch")) == 0
    w.controller.step_epoch()                        # one step from the start = the engine's
    np.testing.assert_array_equal(w.doc.lesson.network.params, trained_straight("train-5-2-5", 1))


def test_a_setting_undone_while_training_is_taken_along_then_the_run_undone(running, qtbot):
    w = running
    lesson = w.doc.lesson
    lesson.set_training(lesson.model.training.with_(learning_rate=0.5), "Learning rate 0.5")
    at_edit = lesson.epoch
    qtbot.waitUntil(lambda: lesson.epoch > at_edit + 10, timeout=WAIT)
    lesson.undo()                     # the setting, made during the run: the run goes on
    assert w.controller.running and lesson.model.training.learning_rate == 1.0
    at_undo = lesson.epoch
    qtbot.waitUntil(lambda: lesson.epoch > at_undo + 10, timeout=WAIT)
    lesson.undo()                     # then the run itself: ended, committed and undone
    assert not w.controller.running and lesson.epoch == 0
    assert lesson.model.training.learning_rate == 1.0
    np.testing.assert_array_equal(lesson.network.params, load_preset("train-5-2-5").network.params)
    w.controller.step_epoch()                        # the next step does not jump
    np.testing.assert_array_equal(lesson.network.params, trained_straight("train-5-2-5", 1))


def test_step_after_a_full_speed_run_still_records_every_epoch(running, qtbot):
    w = running
    w.controller.pause()
    history = w.doc.lesson.history
    n = len(history)
    for _ in range(3):
        w.controller.step_epoch()
    assert len(history) == n + 3
    assert list(history.column("epoch")[-3:]) == [w.doc.lesson.epoch - 2, w.doc.lesson.epoch - 1, w.doc.lesson.epoch]


def test_predict_then_reveal_hides_again_after_any_new_input(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    qtbot.keyClick(w, Qt.Key_P, Qt.ControlModifier)
    qtbot.keyClick(w.diagram, Qt.Key_R)
    assert w.diagram.neurons[1][0].label.text() != "?"
    click_neuron(qtbot, w, 0, 3)                     # a click on an input neuron
    assert w.doc.lesson.x[3] == 1.0
    assert w.diagram.neurons[1][0].label.text() == "?"
    qtbot.keyClick(w.diagram, Qt.Key_R)
    w.pattern_box.activated.emit(2)                  # the Feed list
    assert w.diagram.neurons[2][0].label.text() == "?"


def test_a_learning_rate_edit_redraws_nothing_that_does_not_show_it(qtbot, monkeypatch):
    from aeviz.gui.drawing.diagram import NetworkView
    from aeviz.gui.panels.patterns_table import PatternsTable
    redraws = {"diagram": 0, "patterns": 0, "weights": 0}

    def counting(cls, method: str, key: str) -> None:
        original = getattr(cls, method)

        def wrapper(self, *args, **kwargs):
            redraws[key] += 1
            return original(self, *args, **kwargs)
        monkeypatch.setattr(cls, method, wrapper)
    # patched on the classes before the window exists, so its own connections count
    counting(NetworkView, "refresh", "diagram")
    counting(PatternsTable, "refresh", "patterns")
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.doc.structure_changed.connect(lambda: redraws.__setitem__("weights", redraws["weights"] + 1))
    w.doc.lesson.feed_pattern(2)                            # the counters are wired: a feed counts
    assert redraws["diagram"] > 0 and redraws["patterns"] > 0
    redraws.update(diagram=0, patterns=0, weights=0)
    w.settings_panel.lr.setText("0.3")
    w.settings_panel.lr.editingFinished.emit()
    assert w.doc.lesson.model.training.learning_rate == 0.3
    assert redraws == {"diagram": 0, "patterns": 0, "weights": 0}


def test_the_context_menu_leaves_no_actions_behind(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    before = len(w.findChildren(QAction))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMenu
    for _ in range(3):
        QTimer.singleShot(50, lambda: [m.close() for m in QApplication.topLevelWidgets()
                                       if isinstance(m, QMenu) and m.isVisible()])
        w.diagram.show_neuron_menu(1, 0, w.diagram.mapToGlobal(w.diagram.rect().center()))
        from PySide6.QtCore import QCoreApplication, QEvent
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert len(w.findChildren(QAction)) == before


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aeviz"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("aeviz"))
    return found


def test_no_import_cycles_and_no_private_names_across_modules():
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts): p
               for p in (ROOT / "aeviz").rglob("*.py")}
    graph = {m: {i for i in imports_of(p) if i in modules and i != m} for m, p in modules.items()}

    def reaches(start, target, seen=()):
        return any(n == target or (n not in seen and reaches(n, target, seen + (n,)))
                   for n in graph[start])
    cycles = [(a, b) for a in graph for b in graph[a] if reaches(b, a)]
    assert not cycles
    for path in modules.values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aeviz"):
                assert not any(a.name.startswith("_") and a.name != "__version__"
                               for a in node.names), (path, node.module)
