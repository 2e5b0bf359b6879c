"""The toolbar's field for the selected weight while training runs: it follows
training until something is typed in it, and Return with nothing typed writes
nothing (its text is the weight rounded to 4 digits)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .conftest import open_lesson
from .test_main_window import click_edge


def test_an_untouched_field_follows_training_and_return_writes_nothing(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    click_edge(qtbot, w, 0, 1, 0)
    field, lesson = w.editing.selection_edit, w.doc.lesson
    # the person's cursor is in the field (offscreen a window need not get the focus;
    # at small sizes the field is in the toolbar's overflow menu)
    field.hasFocus = lambda: True
    shown = field.text()
    w.controller.play()
    qtbot.waitUntil(lambda: field.text() != shown)          # it follows while focused
    w.controller.pause()
    qtbot.waitUntil(lambda: not w.controller.running)
    w.editing.show_selection()
    exact, undo = float(lesson.network.weights[0][1, 0]), len(lesson.undo_stack.commands)
    assert field.text() == f"{exact:.4g}"
    qtbot.keyClick(field, Qt.Key_Return)                     # nothing typed
    assert float(lesson.network.weights[0][1, 0]) == exact and len(lesson.undo_stack.commands) == undo
    qtbot.keyClicks(field, "5")                              # typed: "…5"
    typed = field.text()
    frames = []
    w.doc.values_changed.connect(lambda: frames.append(1))
    w.controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 3)                # training frames shown
    assert field.text() == typed                             # what is typed stays
    w.controller.pause()
