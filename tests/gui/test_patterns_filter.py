"""The Patterns table at scale (#25): pictures as thumbnails with their label, a
filter by label above the table for labelled data, and every row that is clicked
or pointed at by a guide mapped through the filter to its pattern."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from aeviz.core.files.presets import load_preset
from aeviz.gui.drawing.diagram_items import fmt
from aeviz.gui.panels.pattern_thumbs import PATTERN_ROLE, PictureDelegate

from aeviz.gui.window.screenshot import show_tab

from .conftest import cell, open_lesson, rows


def _shown_patterns(table) -> list[int]:
    return [cell(table, r, 0, PATTERN_ROLE) for r in range(rows(table))]


def test_digits_show_pictures_and_a_label_filter_that_keeps_one_digit(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    table, labels = w.patterns, w.doc.lesson.model.dataset.labels
    assert isinstance(table.itemDelegateForColumn(0), PictureDelegate)
    assert table.filter_row.isVisible()
    assert table.label_filter.count() == 11                  # all labels, 0..9
    assert rows(table) == 1797
    table.label_filter.setCurrentIndex(table.label_filter.findData(3))
    assert _shown_patterns(table) == np.flatnonzero(labels == 3).tolist()
    # a click on the first row feeds that row's pattern, not pattern 1
    first = int(np.flatnonzero(labels == 3)[0])
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: w.doc.lesson.pattern_index() == first)
    assert first != 0


def test_a_filtered_table_follows_the_values_in_place(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    table = w.patterns
    table.set_label_filter(7)
    kept = _shown_patterns(table)
    w.doc.lesson.set_weight(1, 0, 0, 2.5)
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    assert _shown_patterns(table) == kept                    # the filter stays
    codes = w.doc.lesson.evaluation().codes
    p = kept[0]
    assert cell(table, 0, 1) == "(" + ", ".join(fmt(v) for v in codes[p]) + ")"


def test_a_guide_row_is_found_through_the_filter(qtbot):
    from aeviz.gui.drawing.highlight import flash_row
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    table = w.patterns
    table.set_label_filter(5)
    assert w.doc.lesson.model.dataset.labels[2] != 5
    flash_row(w.tabs.page("Patterns"), 2)                     # row:Patterns.3
    assert table.label_filter.currentData() is None           # every label shown again
    assert rows(table) == 1797 and table.pattern_at(2) == 2


def test_unlabelled_data_has_no_filter_and_no_pictures(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    assert not w.patterns.filter_row.isVisible()
    assert not isinstance(w.patterns.itemDelegateForColumn(0), PictureDelegate)
    assert cell(w.patterns, 0, 0) == "1 0 0 0 0"


def test_the_feed_list_shows_a_picture_for_pictures_only(qtbot):
    from PySide6.QtGui import QIcon
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    model = w.pattern_box.model()
    icon = model.data(model.index(1796, 0), Qt.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert model.data(model.index(1796, 0)).startswith("1797 (")      # with its label
    w.files.ask_unsaved = lambda: "discard"
    from aeviz.core.files.presets import load_preset
    w.doc.lesson.replace(load_preset("train-5-2-5"), None)
    qtbot.waitUntil(lambda: w.pattern_box.model().rowCount() == 5)
    model = w.pattern_box.model()
    assert model.data(model.index(0, 0), Qt.DecorationRole) is None
    assert not w.patterns.filter_row.isVisible() and rows(w.patterns) == 5


def test_opening_the_digits_asks_the_feed_list_for_a_few_rows_not_all(qtbot, monkeypatch):
    """The Feed list's rows are alike: a font change (the window's font step at
    start-up) measures one, not all 1,797 (12,611 data() calls before: ~1 s)."""
    from aeviz.gui.panels.pattern_list import PatternListModel
    asked = []
    data = PatternListModel.data
    monkeypatch.setattr(PatternListModel, "data",
                        lambda self, index, role=Qt.DisplayRole: asked.append(index.row())
                        or data(self, index, role))
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    w.classroom.set_font_step(1)                       # every widget's font changes
    assert len(w.pattern_box.model().dataset()) == 1797
    assert len(set(asked)) < 50, len(set(asked))


def test_a_larger_font_measures_the_columns_again(qtbot):
    """Presenter mode's font: the codes are not cut to "(-0.182,…" (columns were
    sized once, in the font of the moment the dataset came)."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    table = w.patterns
    before = table.columnWidth(1)
    w.classroom.set_font_step(7)                       # 1.75 x
    qtbot.waitUntil(lambda: table.columnWidth(1) > before)
    assert table.columnWidth(1) >= table.sizeHintForColumn(1)


def test_a_big_sets_codes_that_grow_take_the_room_the_table_has(qtbot):
    """Trained, the digits' codes grow ("(-5.161, -15.063)"): on a wide table the
    code column widens to show them whole instead of cutting them ("(-5.161, …")."""
    w = open_lesson(qtbot, "digits-8x8")
    show_tab(w, "Patterns")
    dock = w.findChild(QDockWidget, "Patterns")             # undocked, wide: room to spare
    dock.setFloating(True)
    dock.resize(1400, 500)
    table = w.patterns
    qtbot.waitUntil(lambda: table.isVisible() and table.viewport().width() > 1200)
    table.fit_columns()
    before = table.columnWidth(1)
    w.controller.run_now(lambda s: s.advance(60), "Train", True)
    qtbot.waitUntil(lambda: not w.doc.values_pending)     # computed off the GUI thread
    table.throttled.flush()
    table.refresh()
    need = table.sizeHintForColumn(1)
    assert need > before                                    # the codes did grow
    assert table.columnWidth(1) >= need
    # the columns still fit side by side: no sideways scrolling
    widths = sum(table.columnWidth(c) for c in range(table.model().columnCount() - 1))
    assert widths <= table.viewport().width()


def test_when_every_code_coincides_the_table_stays_linear_and_names_a_few(qtbot):
    """All 1,797 digits on one code (an encoder of zeros): each row's "shares
    code with" names the first patterns and counts the rest, and the table holds
    one list for the group, not 1,797 lists of 1,796 (O(patterns²): a refresh
    took minutes)."""
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    model = load_preset("digits-8x8")
    net = model.network
    for block in net.split(net.params)[:net.code_layer]:
        block[...] = 0.0                                  # every code is 0
    w = MainWindow(model=model)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    table = w.patterns
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    table.refresh()
    shared = table.shared_codes()
    assert len(shared) == 1797
    assert len({id(group) for group in shared.values()}) == 1      # one list, shared
    assert table.patterns_model.cells(0)[5] == (
        "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 1,784 more")
    assert table.patterns_model.cells(4)[5].startswith("1, 2, 3, 4, 6, 7,")


def test_a_widened_code_column_does_not_measure_the_row_numbers_again(qtbot, monkeypatch):
    """The codes grow while the digits train and the code column widens: Qt's own
    vertical header measured its first and last 100 row numbers again at each
    widening (~800 calls of headerData, 10-20 ms: the window's longest pauses).
    The row numbers are measured per row count and font, and still fit."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    show_tab(w, "Patterns")
    table = w.patterns
    qtbot.waitUntil(lambda: table.isVisible())
    model = table.patterns_model
    asked = []
    real = type(model).headerData
    monkeypatch.setattr(type(model), "headerData", lambda self, section, orientation, role=0:
                        (asked.append(section) if orientation == Qt.Vertical else None)
                        or real(self, section, orientation, role))
    for _ in range(3):
        table.refresh()                                  # a training frame's rows
        qtbot.wait(20)
        table.setColumnWidth(1, table.columnWidth(1) + 20)   # codes that grew
        qtbot.wait(20)                                   # Qt lays out after a resize
    assert len(asked) < 100, len(asked)
    header = table.verticalHeader()
    widest = header.fontMetrics().horizontalAdvance("1797")
    assert header.width() >= widest
    # a larger font: measured again
    before = header.sizeHint().width()
    w.classroom.set_font_step(7)
    qtbot.waitUntil(lambda: header.sizeHint().width() > before)
    assert header.width() >= header.fontMetrics().horizontalAdvance("1797")
    # another dataset: measured again (five rows need less room than 1,797)
    wide = header.sizeHint().width()
    w.doc.lesson.replace(load_preset("train-5-2-5"), None)
    qtbot.waitUntil(lambda: header.count() == 5)
    assert header.sizeHint().width() < wide
