"""What a student reads at 1024x768 (and on stage) is whole: the Patterns table's
two-number codes, the Feed box's pattern, the code space's digit legend clear
of the dots.  Checked on the widgets' data and font metrics, not on pixels."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle

from aeviz.gui.window.screenshot import present, show_tab

from .test_presenter import open_lesson


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def train(qtbot, w, epochs: int) -> None:
    """``epochs`` more epochs, run as the screenshot command does, values shown."""
    w.controller.run_now(lambda s: s.advance(epochs), "Train", True)
    qtbot.waitUntil(lambda: not w.doc.values_pending)       # computed off the GUI thread
    settle()


def codes_cut(table) -> list[str]:
    """The code texts of every pattern that do not fit the code column, each in
    the font its row is drawn in (the fed pattern's row: bold)."""
    table.throttled.flush()
    bold = QFont(table.font())
    bold.setBold(True)
    fed = table.doc.lesson.pattern_index()
    margin = table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 1
    room = table.columnWidth(1) - 2 * margin            # Qt's text margin on each side
    model = table.patterns_model
    metrics = {False: QFontMetrics(table.font()), True: QFontMetrics(bold)}
    return [text for p, text in ((p, model.cells(p)[1]) for p in range(model.n))
            if metrics[p == fed].horizontalAdvance(text) > room]


def test_trained_digit_codes_are_whole_in_a_1024_window(qtbot):
    """After 60 epochs the digits' codes reach "(-5.161, -15.063)": the code
    column of the narrow Patterns dock shows every one whole, not "(-5.161, …"."""
    w = open_lesson(qtbot, "digits-8x8")
    show_tab(w, "Patterns")
    settle()
    table = w.patterns
    assert table.viewport().width() < 400                  # the narrow dock of 1024 px
    train(qtbot, w, 60)
    longest = max((table.patterns_model.cells(p)[1] for p in range(table.patterns_model.n)),
                  key=len)
    assert len(longest) >= len("(-5.161, -15.063)")         # the codes did grow
    assert codes_cut(table) == []


def test_digit_codes_are_whole_on_stage_and_back(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    train(qtbot, w, 60)
    present(w, (1024, 768))
    show_tab(w, "Patterns")
    settle()
    table = w.patterns
    qtbot.waitUntil(lambda: table.isVisible())
    settle()
    assert codes_cut(table) == []
    w.classroom.set_presenter(False)
    settle()
    assert codes_cut(table) == []


def test_small_lesson_codes_stay_whole_and_columns_fit_content(qtbot):
    """The 5-2-5's codes ("(0.798, −0.933)") are whole at 1024 px too."""
    w = open_lesson(qtbot, "train-5-2-5")
    show_tab(w, "Patterns")
    train(qtbot, w, 60)
    w.patterns.fit_columns()
    assert codes_cut(w.patterns) == []


def test_the_widest_code_text_is_as_long_as_the_longest_texts_of_each_unit():
    """The code column is sized on one text: each unit's longest value text
    (found from its smallest and largest values, overall and below 10⁶, where
    numbers turn scientific; NaNs passed over), so no row's code is longer."""
    import numpy as np

    from aeviz.gui.drawing.diagram_items import fmt
    from aeviz.gui.panels.pattern_texts import code_text, widest_code_text
    rng = np.random.default_rng(7)
    for units in (1, 2, 3, 9):
        for scale in (0.5, 20.0, 3e6):
            codes = rng.normal(0, scale, (300, units))
            codes[5, 0] = np.nan
            each = [max(len(fmt(v)) for v in col if not np.isnan(v)) for col in codes[:, :8].T]
            expected = 2 + sum(each) + 2 * (len(each) - 1) + (3 if units > 8 else 0)
            widest = widest_code_text(codes, fmt)
            assert len(widest) == expected
            assert len(widest) >= max(len(code_text(c, fmt)) for c in codes)
