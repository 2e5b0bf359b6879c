"""The pattern editor: draw, add, duplicate, remove, CSV in and out, one undo step."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from aeviz.core.files.datasets import bars, read_csv, to_csv
from aeviz.gui.window.main_window import MainWindow


def open_editor(qtbot, model=None):
    """A shown window on ``model`` (the default lesson) and its pattern editor, open."""
    w = MainWindow(model=model)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.datasets.edit_patterns()
    return w, w.datasets.pattern_editor


@pytest.fixture
def editor(qtbot):
    return open_editor(qtbot)


def click_cell(qtbot, editor, r, c):
    rect = editor.grid.visualItemRect(editor.grid.item(r, c))
    qtbot.mouseClick(editor.grid.viewport(), Qt.LeftButton, pos=rect.center())


def test_draw_add_duplicate_remove_then_ok_is_one_undo_step(qtbot, editor):
    w, e = editor
    before = w.doc.lesson.data().copy()
    assert e.list.count() == 5 and e.grid.columnCount() == 5
    e.list.setCurrentRow(0)
    click_cell(qtbot, e, 0, 2)                       # pattern 1 becomes 1 0 1 0 0
    e.add()                                          # a 6th, all zeros
    click_cell(qtbot, e, 0, 4)
    e.duplicate()                                    # a 7th copy of it
    e.list.setCurrentRow(1)
    e.remove()                                       # drop pattern 2
    e.apply()
    expected = np.array([[1, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1],
                         [0, 0, 0, 0, 1], [0, 0, 0, 0, 1]], float)
    np.testing.assert_array_equal(w.doc.lesson.data(), expected)
    assert w.patterns.model().rowCount() == 6 and w.doc.lesson.network.sizes == (5, 2, 5)
    w.doc.lesson.undo()
    np.testing.assert_array_equal(w.doc.lesson.data(), before)


def test_csv_round_trip_and_refusals(qtbot, editor, tmp_path):
    w, e = editor
    out = tmp_path / "p.csv"
    e.choose_export_path = lambda: str(out)
    e.export_csv()
    np.testing.assert_array_equal(read_csv(out.read_text()), w.doc.lesson.data())
    bad = tmp_path / "bad.csv"
    bad.write_text("1,0,0\n1,x,0\n")
    e.choose_import_path = lambda: str(bad)
    e.import_csv()
    assert "line 2: 'x' is not a number" in e.error.text()
    wide = tmp_path / "wide.csv"
    wide.write_text(to_csv(bars().matrix()))
    e.choose_import_path = lambda: str(wide)
    e.import_csv()
    assert e.grid.columnCount() == 16 and e.list.count() == 8
    e.apply()
    assert w.doc.lesson.network.sizes == (16, 2, 16)        # the network follows the width


def test_read_csv_rules():
    np.testing.assert_array_equal(read_csv("# header\n1;0\n\n0\t1\n"), [[1, 0], [0, 1]])
    for text, words in (("", "no patterns"), ("1,2\n1\n", "line 2 has 1 values"),
                        ("1,nan\n", "finite"), ("1,inf\n", "finite")):
        with pytest.raises(ValueError, match=words):
            read_csv(text)


def test_pictures_are_edited_on_their_grid(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.datasets.use_dataset(bars(), "Bars", pictures=True)
    w.datasets.edit_patterns()
    e = w.datasets.pattern_editor
    assert (e.grid.rowCount(), e.grid.columnCount()) == (4, 4)
    click_cell(qtbot, e, 3, 3)
    e.apply()
    assert w.doc.lesson.data()[0].reshape(4, 4)[3, 3] == 1.0 and w.doc.lesson.model.dataset.image == (4, 4)


def test_import_refuses_values_the_maths_cannot_hold(qtbot, editor, tmp_path):
    """#12 item 18: |x| above 1e6 is refused with the range; nothing changes."""
    w, e = editor
    before = e.rows.copy()
    huge = tmp_path / "huge.csv"
    huge.write_text("1,0,0,0,0\n0,1e300,0,0,0\n")
    e.choose_import_path = lambda: str(huge)
    e.import_csv()
    assert "line 2, value 2" in e.error.text() and "-1e+06 to 1e+06" in e.error.text()
    np.testing.assert_array_equal(e.rows, before)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_import_from_a_fifo_is_refused_without_waiting(qtbot, editor, tmp_path):
    """#12 item 8."""
    import os
    w, e = editor
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    e.choose_import_path = lambda: str(fifo)
    e.import_csv()
    assert "named pipe" in e.error.text()


def test_read_csv_refuses_huge_values():
    for text in ("1,1000001\n", "-2e6,0\n"):
        with pytest.raises(ValueError, match="outside the range"):
            read_csv(text)
    np.testing.assert_array_equal(read_csv("1e6,-1e6\n"), [[1e6, -1e6]])


def test_numbers_on_screen_are_short_and_say_when_they_are_not_finite():
    """One format (issue 22 item 13): non-finite shown as such, huge ones short."""
    from aeviz.gui.drawing.diagram_items import fmt, fmt_output
    shown = [fmt(v) for v in (float("nan"), float("inf"), -float("inf"), 1e300, -2.5e7)]
    shown.append(fmt_output(float("nan")))
    assert shown == ["nan", "inf", "-inf", "1.00e+300", "-2.50e+07", "nan"]
    assert all(len(s) < 12 for s in shown), shown


def test_the_digits_show_their_grey_levels_and_a_click_redraws_one_row(qtbot, monkeypatch):
    """A picture's grey levels are drawn as greys (0.44 was drawn white, as 0), a
    click toggles that pixel (grey -> 0 or 1 by its side of 0.5) and redraws its
    row of the list, not all 1,797."""
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.panels.pattern_editor import OFF, ON, cell_colour
    w, e = open_editor(qtbot, load_preset("digits-8x8"))
    assert e.list.count() == 1797 and e.grid.columnCount() == 8
    e.list.setCurrentRow(10)
    x = e.rows[10].reshape(8, 8)
    r, c = map(int, np.argwhere((x > 0.1) & (x < 0.5))[0])      # a light grey pixel
    shade = e.grid.item(r, c).background().color()
    assert shade == cell_colour(x[r, c]) and shade not in (ON, OFF)
    assert cell_colour(0.0) == OFF and cell_colour(1.0) == ON
    texts = []
    monkeypatch.setattr(type(e), "_row_text", lambda self, p: texts.append(p) or f"{p + 1}: …")
    click_cell(qtbot, e, r, c)
    assert e.rows[10].reshape(8, 8)[r, c] == 1.0                # below 0.5: drawn on
    assert texts == [10] and e.list.item(10).text() == "11: …"
    assert e.grid.item(r, c).background().color() == ON
