"""Short, stable toolbars (#14): Undo/Redo are icons whose tooltip says what they
undo, so an edit never pushes the value field into the overflow menu at 1024 px;
neurons are named x/h/y wherever they are named."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar


def test_undo_is_an_icon_with_the_full_text_in_its_tooltip(window, qtbot):
    w = window
    w.setWindowState(Qt.WindowNoState)
    w.resize(1024, 768)
    QApplication.processEvents()
    main = w.findChild(QToolBar, "Main toolbar")
    undo = main.widgetForAction(w.registry["undo"])
    width = undo.width()
    w.doc.lesson.set_weight(0, 0, 1, -0.5)
    QApplication.processEvents()
    assert w.registry["undo"].toolTip() == "Undo: Set w x1→h2"      # x/h/y names
    assert undo.width() == width and width <= 2 * undo.height()
    assert w.editing.selection_edit.isVisible()                      # not in the overflow
    w.doc.lesson.undo()
    QApplication.processEvents()
    assert w.registry["redo"].toolTip() == "Redo: Set w x1→h2"
    assert main.widgetForAction(w.registry["redo"]).width() <= 2 * undo.height()
