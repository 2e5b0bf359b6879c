"""Tables and pictures beside the diagram redraw at a readable pace while values
change fast (training: ~30 frames a second), always ending on the latest state;
a single change is shown at once (#25)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from aeviz.gui.panels.patterns_table import PatternsTable

from .conftest import open_lesson


def _code_cell(w) -> str:
    table = w.findChild(PatternsTable)
    m = table.patterns_model
    return m.data(m.index(0, 1), Qt.DisplayRole)


def test_the_patterns_table_follows_fast_changes_at_its_pace_and_ends_on_the_last(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    table = w.findChild(PatternsTable)
    shows = []
    real = table.patterns_model.show
    table.patterns_model.show = lambda shown: (shows.append(1), real(shown))[1]
    lesson = w.doc.lesson
    lesson.set_weight(0, 0, 0, 2.0)                     # one change: shown at once
    assert len(shows) == 1
    assert _code_cell(w) == table.patterns_model.cells(0)[1]
    expected_first = _code_cell(w)
    for k in range(10):                                 # ten more within one interval
        lesson.set_weight(0, 0, 0, -1.0 - 0.3 * k)
    assert len(shows) == 1 and _code_cell(w) == expected_first    # not redrawn ten times
    qtbot.waitUntil(lambda: len(shows) == 2)            # ... but once, after the interval
    code = lesson.evaluation().codes[0]
    assert _code_cell(w) == "(" + ", ".join(table.patterns_model.code_text(v) for v in code) + ")"


def test_a_structure_change_reshapes_the_table_at_once(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    table = w.findChild(PatternsTable)
    w.doc.lesson.set_weight(0, 0, 0, 2.0)               # the interval is running
    w.doc.lesson.add_neuron(1)
    assert table.patterns_model.code_width == 3
    assert _code_cell(w).count(",") == 2
