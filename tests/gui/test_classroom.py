"""Presenter mode, UI zoom, predict-then-reveal and the shortcut sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableWidget, QApplication, QDockWidget

from .conftest import cell, readout, table_values


def test_presenter_mode_full_screen_bigger_text_chosen_panels_and_esc(window, qtbot):
    w = window
    base = QApplication.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key_F5)
    assert w.classroom.presenting and w.isFullScreen()
    assert QApplication.font().pointSizeF() >= base * 1.5 - 0.01
    docks = {d.objectName(): d for d in w.findChildren(QDockWidget)}
    # the stage: the diagram and one context strip; a panel comes on its key, and leaves
    assert not docks["Loss"].isVisible() and not docks["Patterns"].isVisible()
    if w.doc.lesson.model.guide:                       # the strip: the guided step, or d(x, y)
        assert w.guide_panel.isVisible() and not w.context.isVisible()
    else:
        assert w.context.isVisible() and "d(x, y)" in w.context.text()
    qtbot.keyClick(w, Qt.Key_6, Qt.ControlModifier)
    assert docks["Loss"].isVisible() and w.classroom.presenting
    qtbot.keyClick(w, Qt.Key_6, Qt.ControlModifier)
    assert not docks["Loss"].isVisible()
    assert w.diagram.edges.width_scale > 1
    assert w.doc.lesson.pattern_index() == 0
    qtbot.keyClick(w.diagram, Qt.Key_2)                   # the keyboard still drives it
    assert w.doc.lesson.pattern_index() == 1
    qtbot.keyClick(w.diagram, Qt.Key_1)
    assert w.doc.lesson.pattern_index() == 0
    qtbot.keyClick(w, Qt.Key_Escape)
    assert not w.classroom.presenting and not w.isFullScreen()
    assert docks["Patterns"].isVisible()
    assert abs(QApplication.font().pointSizeF() - base) < 0.01


def test_ui_zoom(window, qtbot):
    w = window
    base = QApplication.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    assert QApplication.font().pointSizeF() > base
    qtbot.keyClick(w, Qt.Key_Minus, Qt.ControlModifier)
    qtbot.keyClick(w, Qt.Key_Minus, Qt.ControlModifier)
    assert QApplication.font().pointSizeF() < base
    qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    assert abs(QApplication.font().pointSizeF() - base) < 0.01


def test_predict_then_reveal(window, qtbot):
    w = window
    qtbot.keyClick(w, Qt.Key_P, Qt.ControlModifier)
    assert [n.label.text() for n in w.diagram.neurons[1]] == ["?", "?"]
    assert readout(w, "Reconstruction error") == "?" and readout(w, "Loss") == "?"
    assert not w.code_space.points.isVisible()
    assert w.values.code.cell_text(0) == "?" and cell(w.patterns, 0, 1) == "?"
    assert w.diagram.neurons[0][0].label.text() == "1.000"       # the input stays visible
    qtbot.keyClick(w.diagram, Qt.Key_R)
    assert w.diagram.neurons[1][0].label.text() == "0.762"
    assert w.code_space.points.isVisible()
    assert table_values(w, "Code")[0] == 0.762
    qtbot.keyClick(w.diagram, Qt.Key_3)                          # a new input: hidden again
    assert w.diagram.neurons[2][0].label.text() == "?"
    qtbot.keyClick(w.diagram, Qt.Key_R)
    qtbot.keyClick(w, Qt.Key_P, Qt.ControlModifier)              # off
    qtbot.keyClick(w.diagram, Qt.Key_2)
    assert w.diagram.neurons[2][0].label.text() != "?"


def test_shortcut_sheet_lists_the_keys_of_every_action(window):
    w = window
    w.registry["keys"].trigger()
    table = w.classroom.shortcut_sheet.findChild(QTableWidget)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    native = lambda k: QKeySequence(k).toString(QKeySequence.NativeText)
    expected = {"Play": "Space", "Step epoch": "Right", "Step update": "Shift+Right",
                "Next phase": "N", "Reset weights": "Ctrl+R", "Undo": "Ctrl+Z",
                "New": "Ctrl+N", "Open": "Ctrl+O", "Save": "Ctrl+S", "Explain": "F1",
                "Presenter mode": "F5", "Reveal": "R", "Predict, then reveal": "Ctrl+P",
                "Fit diagram to view": "Ctrl+0", "Add neuron": "Ins",
                "Keyboard shortcuts": "Ctrl+/", "Copy diagram to clipboard": "Ctrl+Shift+C"}
    for text, keys in expected.items():
        assert rows[text].split(", ")[0] == native(keys), text
    assert rows["Redo"] == native("Ctrl+Shift+Z") + ", " + native("Ctrl+Y")
    assert rows["Feed pattern 1–9"] == "1 … 9"
    # and the keys really trigger what the sheet says (one of each kind)
    qtbot_keys = w.registry["step"].shortcuts()
    assert [k.toString() for k in qtbot_keys] == ["Right"]
