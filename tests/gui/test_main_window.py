"""The main window driven as a person would: keys, clicks, typing; checked
against the engine's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton



from .conftest import (WAIT, cell, click_edge, click_neuron, columns, engine_forward, header,
                       readout, rows, table_values, type_into)


def toolbar_button(w, text: str) -> QToolButton:
    return next(b for b in w.findChildren(QToolButton) if b.text() == text)


def test_starts_with_the_article_5_2_5_fed_with_pattern_1(window):
    w = window
    assert w.doc.lesson.network.sizes == (5, 2, 5)
    assert w.doc.lesson.network.activations == ("tanh", "softmax")
    available = w.screen().availableGeometry()       # the window fits its screen (#14)
    assert w.width() <= available.width() and w.height() <= available.height()
    assert w.isMaximized() or available.contains(w.frameGeometry())
    np.testing.assert_array_equal(table_values(w, "Input"), [1, 0, 0, 0, 0])
    code, out = engine_forward(w, [1, 0, 0, 0, 0])
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)
    assert len(w.diagram.neurons) == 3 and [len(l) for l in w.diagram.neurons] == [5, 2, 5]
    assert len(w.diagram.edges.ids) == 20
    assert "Article example" in w.windowTitle()


@pytest.mark.parametrize("key", [3, 5])
def test_number_key_feeds_that_pattern(window, qtbot, key):
    w = window
    qtbot.keyClick(w.diagram, getattr(Qt, f"Key_{key}"))
    x = np.eye(5)[key - 1]
    np.testing.assert_array_equal(table_values(w, "Input"), x)
    code, out = engine_forward(w, x)
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)
    assert float(readout(w, "Reconstruction error")) == pytest.approx(
        np.linalg.norm(x - out), abs=5e-4)
    assert w.pattern_box.currentIndex() == key - 1
    # the neuron circles show the same numbers
    assert [n.label.text() for n in w.diagram.neurons[1]] == [f"{v:.3f}".replace("-", "−") for v in code]


def test_number_keys_do_not_fire_while_typing(window, qtbot):
    w = window
    click_edge(qtbot, w, 0, 1, 0)
    w.editing.selection_edit.setFocus()
    w.editing.selection_edit.clear()
    qtbot.keyClicks(w.editing.selection_edit, "3")
    assert w.editing.selection_edit.text() == "3"
    np.testing.assert_array_equal(w.doc.lesson.x, [1, 0, 0, 0, 0])


def test_clicking_an_input_neuron_toggles_it(window, qtbot):
    w = window
    click_neuron(qtbot, w, 0, 2)
    np.testing.assert_array_equal(w.doc.lesson.x, [1, 0, 1, 0, 0])
    code, _ = engine_forward(w, [1, 0, 1, 0, 0])
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    click_neuron(qtbot, w, 0, 0)
    np.testing.assert_array_equal(w.doc.lesson.x, [0, 0, 1, 0, 0])


def test_edit_weight_in_diagram_with_keys_then_undo(window, qtbot):
    w = window
    net = w.doc.lesson.network
    before_out = table_values(w, "Output")
    before = net.weights[0][0, 1]
    click_edge(qtbot, w, 0, 0, 1)
    assert w.diagram.selection == ("edge", 0, 0, 1)
    qtbot.keyClick(w.diagram, Qt.Key_F)                 # flip sign
    assert net.weights[0][0, 1] == -before
    after_out = table_values(w, "Output")
    assert not np.allclose(before_out, after_out)
    _, out = engine_forward(w, w.doc.lesson.x)
    np.testing.assert_allclose(after_out, out, atol=5e-4)
    qtbot.keyClick(w.diagram, Qt.Key_Minus)             # set -1 ...
    assert w.doc.lesson.network.weights[0][0, 1] == -1.0
    qtbot.keyClick(w.diagram, Qt.Key_Plus)              # ... and +1
    assert w.doc.lesson.network.weights[0][0, 1] == 1.0
    assert w.isWindowModified()
    for _ in range(3):
        qtbot.keyClick(w, Qt.Key_Z, Qt.ControlModifier)
    assert w.doc.lesson.network.weights[0][0, 1] == before
    np.testing.assert_allclose(table_values(w, "Output"), before_out)
    assert not w.isWindowModified()
    qtbot.keyClick(w, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)   # redo
    assert w.doc.lesson.network.weights[0][0, 1] == -before


def test_typing_a_value_for_the_selected_weight(window, qtbot):
    w = window
    click_edge(qtbot, w, 1, 1, 3)
    w.editing.selection_edit.setFocus()
    w.editing.selection_edit.clear()
    qtbot.keyClicks(w.editing.selection_edit, "0.25")
    qtbot.keyClick(w.editing.selection_edit, Qt.Key_Return)
    assert w.doc.lesson.network.weights[1][1, 3] == 0.25
    for bad in ("nan", "inf", "", "abc", "5000"):
        w.editing.selection_edit.setText(bad)
        qtbot.keyClick(w.editing.selection_edit, Qt.Key_Return)
        assert w.doc.lesson.network.weights[1][1, 3] == 0.25
        assert w.statusBar().currentMessage(), bad


def test_wheel_nudges_the_selected_weight_in_one_undo_step(window, qtbot):
    w = window
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    click_edge(qtbot, w, 0, 3, 0)
    start = w.doc.lesson.network.weights[0][3, 0]
    pos = QPointF(w.diagram.viewport().rect().center())
    for _ in range(3):
        ev = QWheelEvent(pos, pos, QPoint(0, 0), QPoint(0, 120), Qt.NoButton, Qt.NoModifier,
                         Qt.NoScrollPhase, False)
        QApplication.sendEvent(w.diagram.viewport(), ev)
    assert w.doc.lesson.network.weights[0][3, 0] == pytest.approx(start + 0.3)
    w.doc.lesson.undo()
    assert w.doc.lesson.network.weights[0][3, 0] == start


def test_weight_table_edits_sync_with_diagram_and_refuse_bad_values(window, qtbot):
    w = window
    w.data_tabs.setCurrentWidget(w.weights)          # open the Weights tab
    table = w.weights.table
    type_into(qtbot, table, 2, 1, "0.5")
    assert w.doc.lesson.network.weights[0][2, 1] == 0.5
    assert cell(table, 2, 1) == "0.500"
    e = int(np.flatnonzero((w.diagram.edges.ids == (0, 2, 1)).all(axis=1))[0])
    assert w.diagram.edges.values[e] == 0.5
    code, _ = engine_forward(w, w.doc.lesson.x)
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    for bad in ("nan", "-inf", "", "one", "1e9"):
        w.statusBar().clearMessage()
        type_into(qtbot, table, 2, 1, bad)
        assert w.doc.lesson.network.weights[0][2, 1] == 0.5
        assert cell(table, 2, 1) == "0.500"
        assert w.statusBar().currentMessage()
    # bias row
    type_into(qtbot, table, 5, 0, "-0.75")
    assert w.doc.lesson.network.biases[0][0] == -0.75
    assert w.diagram.neurons[1][0].bias_label.text() == "b −0.75"


def test_weight_table_plus_minus_one_and_paste(window, qtbot):
    w = window
    w.data_tabs.setCurrentWidget(w.weights)
    w.weights.tabs.setCurrentIndex(1)
    table = w.weights.table
    assert table.block == 1 and (rows(table), columns(table)) == (3, 5)
    table.selectAll()
    minus = next(b for b in w.weights.findChildren(QPushButton) if b.text() == "−1")
    qtbot.mouseClick(minus, Qt.LeftButton)
    np.testing.assert_array_equal(w.doc.lesson.network.blocks[1], -1.0)
    assert w.doc.lesson.undo_stack.count() == 1                 # one step for all 15 cells
    QApplication.clipboard().setText("1\t2\n3\t4")
    table.setCurrentIndex(table.model().index(0, 0))
    table.paste()
    np.testing.assert_array_equal(w.doc.lesson.network.blocks[1][:2, :2], [[1, 2], [3, 4]])
    QApplication.clipboard().setText("1\tx")
    table.paste()
    assert "nothing pasted" in w.statusBar().currentMessage().lower()


def test_add_and_remove_a_hidden_neuron(window, qtbot):
    w = window
    before = w.doc.lesson.network.params.copy()
    click_neuron(qtbot, w, 1, 0)
    qtbot.mouseClick(toolbar_button(w, "Add neuron"), Qt.LeftButton)
    net = w.doc.lesson.network
    assert net.sizes == (5, 3, 5)
    assert [len(l) for l in w.diagram.neurons] == [5, 3, 5]
    assert len(w.diagram.edges.ids) == 30
    assert table_values(w, "Code").size == 3
    code, out = engine_forward(w, w.doc.lesson.x)
    np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)
    w.data_tabs.setCurrentWidget(w.weights)
    assert w.weights.table.block == 0 and columns(w.weights.table) == 3
    click_neuron(qtbot, w, 1, 2)
    qtbot.mouseClick(toolbar_button(w, "Remove neuron"), Qt.LeftButton)
    assert w.doc.lesson.network.sizes == (5, 2, 5)
    np.testing.assert_array_equal(w.doc.lesson.network.params, before)
    w.doc.lesson.undo()
    assert w.doc.lesson.network.sizes == (5, 3, 5)
    w.doc.lesson.undo()
    np.testing.assert_array_equal(w.doc.lesson.network.params, before)


def test_add_and_remove_a_hidden_layer(window, qtbot):
    w = window
    click_neuron(qtbot, w, 0, 0)
    qtbot.mouseClick(toolbar_button(w, "Add layer"), Qt.LeftButton)
    assert w.doc.lesson.network.sizes == (5, 3, 2, 5)
    assert len(w.diagram.neurons) == 4
    assert w.doc.lesson.network.code_layer == 2
    click_neuron(qtbot, w, 1, 0)
    qtbot.mouseClick(toolbar_button(w, "Remove layer"), Qt.LeftButton)
    assert w.doc.lesson.network.sizes == (5, 2, 5)


def test_refused_structure_edit_says_why(window, qtbot):
    w = window
    click_neuron(qtbot, w, 1, 0)
    qtbot.mouseClick(toolbar_button(w, "Remove neuron"), Qt.LeftButton)
    click_neuron(qtbot, w, 1, 0)
    qtbot.mouseClick(toolbar_button(w, "Remove neuron"), Qt.LeftButton)
    assert w.doc.lesson.network.sizes == (5, 1, 5)
    assert "cannot lose" in w.statusBar().currentMessage()


def test_output_activation_change_refused_when_loss_needs_it(window, qtbot, monkeypatch):
    from aeviz.gui.panels.neuron_dialog import NeuronDialog
    w = window
    dialog = NeuronDialog(w.doc, 2, 0, w)
    dialog.activation.setCurrentText("linear")
    dialog.apply()
    assert "cross-entropy" in dialog.error.text()
    assert w.doc.lesson.network.activations[-1] == "softmax"
    dialog.activation.setCurrentText("sigmoid")
    dialog.bias.setText("nan")
    dialog.apply()
    assert "finite" in dialog.error.text()
    dialog.bias.setText("0.3")
    dialog.apply()
    assert w.doc.lesson.network.activations[-1] == "sigmoid"
    assert w.doc.lesson.network.biases[1][0] == 0.3


def test_double_click_opens_the_neuron_dialog(window, qtbot, monkeypatch):
    from aeviz.gui.panels.neuron_dialog import NeuronDialog
    opened = []
    monkeypatch.setattr(NeuronDialog, "exec", lambda self: opened.append(
        (self.layer, self.unit)))
    click_neuron(qtbot, window, 2, 3, double=True)
    assert opened == [(2, 3)]


def test_patterns_table_flags_shared_codes(window):
    w = window
    table = w.patterns
    assert rows(table) == 5
    shares = [cell(table, r, 5) for r in range(5)]
    assert shares == ["5 (same weights)", "", "", "", "1 (same weights)"]
    assert cell(table, 4, 4) == "no" and cell(table, 0, 4) == "no"     # a tie


def test_save_reopen_gives_identical_numbers(window, qtbot, tmp_path):
    w = window
    click_edge(qtbot, w, 0, 2, 1)
    w.editing.selection_edit.setText("0.123456789")
    qtbot.keyClick(w.editing.selection_edit, Qt.Key_Return)
    qtbot.keyClick(w, Qt.Key_4)
    code, out = table_values(w, "Code"), table_values(w, "Output")
    path = tmp_path / "mine.aeviz"
    w.files.choose_save_path = lambda: str(path)
    qtbot.keyClick(w, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not w.isWindowModified())         # written in the writer thread
    assert path.exists()
    assert "mine.aeviz" in w.windowTitle()
    params = w.doc.lesson.network.params.copy()

    w.files.new_file()                                     # something else in the window
    assert not np.array_equal(w.doc.lesson.network.params, params)
    w.files.choose_open_path = lambda: str(path)
    qtbot.keyClick(w, Qt.Key_O, Qt.ControlModifier)  # File > Open
    np.testing.assert_array_equal(w.doc.lesson.network.params, params)
    qtbot.keyClick(w, Qt.Key_4)
    np.testing.assert_array_equal(table_values(w, "Code"), code)
    np.testing.assert_array_equal(table_values(w, "Output"), out)
    assert w.doc.lesson.undo_stack.count() == 0 and not w.isWindowModified()

    from aeviz.gui.window.main_window import MainWindow     # and a new window on the file
    again = MainWindow(path)
    qtbot.addWidget(again)
    np.testing.assert_array_equal(again.doc.lesson.network.params, params)


def test_bad_file_shows_dialog_and_leaves_network_untouched(window, tmp_path):
    w = window
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    params = w.doc.lesson.network.params.copy()
    bad = tmp_path / "bad.aeviz"
    bad.write_text('{"format": "aeviz", "version": 9}')
    errors = []
    w.files.show_error = lambda title, text: errors.append(text)
    assert not w.files.open_path(bad, ask=False)
    assert len(errors) == 1 and "newer aeviz" in errors[0]
    np.testing.assert_array_equal(w.doc.lesson.network.params, params)
    assert w.doc.lesson.undo_stack.count() == 1


def test_unsaved_changes_prompt_on_close_and_open(window, qtbot, tmp_path):
    w = window
    assert w.files.save_to(tmp_path / "mine.aeviz")        # the user's own file asks
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    asked = []
    w.files.ask_unsaved = lambda: asked.append(1) or "cancel"
    w.close()
    assert w.isVisible() and asked
    w.files.choose_open_path = lambda: pytest.fail("must not ask for a file after cancel")
    w.files.open_dialog()
    assert w.doc.lesson.network.weights[0][0, 0] == 0.5
    w.files.ask_unsaved = lambda: "discard"
    w.close()
    assert not w.isVisible()


def test_failed_save_keeps_old_file_and_says_so(window, tmp_path, monkeypatch):
    w = window
    path = tmp_path / "keep.aeviz"
    assert w.files.save_to(path, wait=True)
    old = path.read_bytes()
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    import os
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space left")))
    errors = []
    w.files.show_error = lambda title, text: errors.append(text)
    assert not w.files.save_to(path, wait=True)
    assert path.read_bytes() == old and "No space left" in errors[0]
    assert w.isWindowModified()


def test_new_and_lessons(window):
    w = window
    w.files.open_preset("encoder-8-3-8")
    assert w.doc.lesson.network.sizes == (8, 3, 8)
    assert [len(l) for l in w.diagram.neurons] == [8, 3, 8]
    assert w.pattern_box.count() == 8
    assert "8-3-8" in w.lesson.text()
    w.files.new_file()
    assert w.doc.lesson.network.sizes == (5, 2, 5) and w.doc.lesson.path is None


def test_big_network_builds_and_recolours(qtbot):
    from aeviz.core import Dataset, Model, Network
    import numpy as np
    from aeviz.gui.window.main_window import MainWindow
    net = Network.create([64, 16, 64], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    w = MainWindow(model=Model(net, dataset=Dataset.one_hot(64)))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    assert len(w.diagram.edges.ids) == 2048
    w.doc.lesson.set_weight(0, 5, 5, 3.0)
    e = int(np.flatnonzero((w.diagram.edges.ids == (0, 5, 5)).all(axis=1))[0])
    assert w.diagram.edges.values[e] == 3.0
    assert sum(len(lines) for _, lines in w.diagram.edges._groups) == 2048


def test_geometry_is_remembered(qtbot, monkeypatch):
    # (the offscreen screen is 800x600, so Qt clamps what it restores: check the
    # bytes stored at close are the ones handed back at the next start)
    from aeviz.gui.runtime import settings
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.resize(1111, 700)
    saved = bytes(w.saveGeometry())
    w.close()
    assert settings.read(settings.GEOMETRY) == saved
    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(bytes(g)))
    again = MainWindow()
    qtbot.addWidget(again)
    assert restored == [saved]


def test_settings_of_the_wrong_type_fall_back_to_defaults():
    from aeviz.gui.runtime import settings
    settings.store().setValue(settings.RECENT_FILES.name, 42)
    settings.store().setValue(settings.GEOMETRY.name, "garbage")
    assert settings.read(settings.RECENT_FILES) == []
    assert isinstance(settings.read(settings.GEOMETRY), bytes)


def hover_tooltip(qtbot, w, layer, unit) -> str:
    """The hover text made by hovering the neuron now (not one left from before:
    the layout may still move after an edit, so each try moves off and onto where
    the neuron is then)."""
    item = w.diagram.neurons[layer][unit]
    item.setToolTip("")
    view = w.diagram.viewport()

    def hovered() -> bool:
        if item.toolTip() == "":
            qtbot.mouseMove(view, QPoint(1, 1))   # (0, 0) is QTest's "no point": the centre
            qtbot.mouseMove(view, w.diagram.mapFromScene(item.center))
        return item.toolTip() != ""

    qtbot.waitUntil(hovered, timeout=WAIT)
    return item.toolTip()


def test_neuron_tooltip_shows_the_formula_with_numbers(window, qtbot):
    tip = hover_tooltip(qtbot, window, 1, 0)
    # h1 = tanh(1.00·1.00 + (-1.00)·0.00 + ... + 0.00) = 0.762 (the article's weights)
    assert tip.startswith("h1 = tanh(1.00·1.00 + ")
    assert "= 0.762" in tip
    out_tip = hover_tooltip(qtbot, window, 2, 0)
    assert "softmax" in out_tip and "= 0.403" in out_tip
    window.doc.lesson.set_weight(0, 0, 0, -1.0)                 # hovering again shows the new numbers
    QApplication.processEvents()          # the guide's task is done: its pane (and the layout) change
    qtbot.mouseMove(window.diagram.viewport(), QPoint(1, 1))
    assert "(-1.00)·1.00" in hover_tooltip(qtbot, window, 1, 0)


def test_neuron_tooltip_of_a_saturated_tanh_never_says_one(window, qtbot):
    """tanh never reaches ±1: a saturated unit's hover text says ">0.999", as the
    circle does, not "1.000" (float64 rounds tanh(30) to 1.0)."""
    window.doc.lesson.set_weight(0, 0, 0, 30.0)
    QApplication.processEvents()
    tip = window.diagram.neuron_tooltip(1, 0)
    assert "= >0.999" in tip and "= 1.000" not in tip
    window.doc.lesson.set_weight(0, 0, 0, -30.0)
    QApplication.processEvents()
    tip = window.diagram.neuron_tooltip(1, 0)
    assert "= <-0.999" in tip and "-1.000" not in tip
    qtbot.keyClick(window.diagram, Qt.Key_N)               # the step-through's values
    qtbot.keyClick(window.diagram, Qt.Key_N)
    qtbot.waitUntil(lambda: window.diagram.overlay is not None
                    and window.diagram.overlay.neurons[1] is not None)
    tip = window.diagram.neuron_tooltip(1, 0)
    assert tip.endswith("= <-0.999") and "1.0000" not in tip, tip


def test_value_changes_recolour_and_structure_changes_rebuild(window):
    w = window
    items = [n for layer in w.diagram.neurons for n in layer]
    edges = w.diagram.edges
    w.doc.lesson.set_weight(0, 0, 0, -0.5)
    w.doc.lesson.feed_pattern(2)
    assert [n for layer in w.diagram.neurons for n in layer] == items
    assert w.diagram.edges is edges
    w.doc.lesson.add_neuron(1)
    assert w.diagram.edges is not edges
    assert not set(map(id, items)) & {id(n) for layer in w.diagram.neurons for n in layer}


def test_context_menu_actions_edit_the_structure(window):
    w = window
    actions = dict(w.diagram.neuron_actions(1, 1))
    actions["Add a neuron to the code layer"]()
    assert w.doc.lesson.network.sizes == (5, 3, 5)
    actions = dict(w.diagram.neuron_actions(1, 0))
    actions["Insert a hidden layer after this one"]()
    assert w.doc.lesson.network.sizes == (5, 3, 4, 5)
    actions = dict(w.diagram.neuron_actions(2, 0))
    actions["Remove hidden layer 2"]()
    assert w.doc.lesson.network.sizes == (5, 3, 5)
    actions = dict(w.diagram.neuron_actions(0, 4))
    actions["Remove x5"]()                             # input and output shrink together
    assert w.doc.lesson.network.sizes == (4, 3, 4)
    assert w.doc.lesson.data().shape == (4, 4) and rows(w.patterns) == 4


def test_pattern_picker_and_patterns_table_feed_patterns(window, qtbot):
    w = window
    assert w.pattern_box.count() == 5
    w.pattern_box.activated.emit(3)
    np.testing.assert_array_equal(w.doc.lesson.x, np.eye(5)[3])
    w.patterns.scrollToTop()
    qtbot.mouseClick(w.patterns.viewport(), Qt.LeftButton,
                     pos=w.patterns.visualRect(w.patterns.model().index(1, 0)).center())
    np.testing.assert_array_equal(w.doc.lesson.x, np.eye(5)[1])
    assert w.pattern_box.currentIndex() == 1


def test_no_display_is_a_clear_error(monkeypatch, capsys):
    from aeviz.gui import app
    monkeypatch.setattr(app.sys, "platform", "linux")
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert app.run_app(None) == 2
    assert "no display" in capsys.readouterr().err


def test_ties_and_near_one_hot_outputs_are_shown_as_what_they_are(qtbot):
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow(model=load_preset("article-example"))
    qtbot.addWidget(w)
    # columns 1 and 5 of W2 are identical: y1 == y5 for every input, a tie
    table = w.patterns
    assert cell(table, 0, 2) == "tie (1, 5)" and cell(table, 0, 4) == "no"
    assert cell(table, 4, 2) == "tie (1, 5)" and cell(table, 4, 4) == "no"
    assert cell(table, 1, 2) == "2" and cell(table, 1, 4) == "yes"
    assert w.doc.lesson.evaluation().accuracy == 0.6
    # an output of 0.9997 is not shown as the one-hot 1.000
    w.doc.lesson.set_params({w.doc.lesson.param_index(1, 2, 0): 9.0}, "Bias of y1")
    y = w.doc.lesson.forward()[1][-1][0]
    assert 0.9995 <= y[0] < 1.0 and y[1] < 0.0005
    texts = [w.values.output.cell_text(c) for c in range(5)]
    assert texts[0] == ">0.999" and texts[1] == "<0.001"
    labels = [w.diagram.neurons[2][j].label.text() for j in range(5)]
    assert labels[0] == ">0.999" and labels[1] == "<0.001"


def test_the_article_symmetry_is_named_where_the_shared_code_is(qtbot):
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow(model=load_preset("article-example"))
    qtbot.addWidget(w)
    table = w.patterns
    assert cell(table, 0, 5) == "5 (same weights)" and cell(table, 4, 5) == "1 (same weights)"
    assert "gradient descent keeps the weights identical" in cell(table, 0, 5, Qt.ToolTipRole)
    assert cell(table, 1, 5) == ""
    w.doc.lesson.set_weight(0, 4, 0, 0.5)                 # break the symmetry by hand
    assert cell(table, 0, 5) == "" and not cell(table, 0, 5, Qt.ToolTipRole)


def _third_column_disagrees(w) -> list:
    """Rows whose third column contradicts their "reconstructed" column."""
    table, data, bad = w.patterns, w.doc.lesson.data(), []
    by_units = header(table, 2) == "y units wrong"
    for p in range(rows(table)):
        third, rec = cell(table, p, 2), cell(table, p, 4) == "yes"
        good = third == "none" if by_units else third == str(int(np.argmax(data[p])) + 1)
        if good != rec:
            bad.append((p + 1, third, rec))
    return bad


def test_the_patterns_table_third_column_follows_the_rule_of_reconstructed(qtbot):
    """A softmax output: "argmax y" (reconstructed: the target's unit is the unique
    largest); any other output: the units on the wrong side of 0.5 (reconstructed:
    none).  The two columns never contradict each other, before, during and after
    training, for one-hot or other patterns (the sigmoid 8-3-8, pictures, a
    softmax on two-hot patterns)."""
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.files.presets import load_preset

    from .conftest import open_lesson
    for name, third in (("stuck-8-3-8", "y units wrong"), ("denoising-bars", "y units wrong"),
                         ("train-5-2-5", "argmax y")):
        w = open_lesson(qtbot, name)
        assert header(w.patterns, 2) == third
        assert _third_column_disagrees(w) == []
        w.controller.play()
        for _ in range(5):                       # five frames drawn while training
            shown = w.doc.lesson.epoch
            qtbot.waitUntil(lambda: w.doc.lesson.epoch > shown, timeout=WAIT)
            assert _third_column_disagrees(w) == []
        w.controller.pause()
        assert _third_column_disagrees(w) == []
    w.doc.lesson.set_dataset(Dataset.patterns(np.array(
        [[0.5, 0, 0, 0, 0.5], [0, 1, 0, 0, 0], [0, 0, 1, 1, 0]])), "custom")
    w.controller.run_now(lambda session: session.advance(400), "Train", True)
    assert header(w.patterns, 2) == "argmax y"
    assert _third_column_disagrees(w) == []
    w.doc.lesson.replace(load_preset("denoising-bars"), None)
    w.controller.run_now(lambda session: session.advance(300), "Train", True)
    cells = [cell(w.patterns, p, 2) for p in range(rows(w.patterns))]
    assert all(c == "none" or c.split(":")[0].isdigit() for c in cells)
    assert _third_column_disagrees(w) == []