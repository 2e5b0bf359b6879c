"""What a student reads at 1024x768 (and on stage) is whole: the Patterns table's
two-number codes, the Feed box's pattern, the code space's digit legend clear
of the dots.  Checked on the widgets' data and font metrics, not on pixels."""

from __future__ import annotations

import pytest
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


def feed_text_fits(box) -> bool:
    """The Feed box's current text fits the room Qt's combo label gives it."""
    from PySide6.QtWidgets import QStyleOptionComboBox
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    rect = box.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, box)
    room = rect.width() - 2 - (option.iconSize.width() + 4 if not option.currentIcon.isNull() else 0)
    return box.fontMetrics().horizontalAdvance(box.currentText()) <= room


def test_the_feed_box_shows_a_digit_whole_with_its_label(qtbot):
    """A picture is its thumbnail and its label ("1797 (7)"), whole in the box,
    not "1 (0):  0 0 0.312" cut mid-number."""
    w = open_lesson(qtbot, "digits-8x8")
    box = w.pattern_box
    labels = w.doc.lesson.model.dataset.labels
    for p in (0, 1796):
        w.feed_pattern(p)
        qtbot.waitUntil(lambda: box.currentIndex() == p)
        assert box.currentText() == f"{p + 1} ({labels[p]})"
        assert feed_text_fits(box)
        assert box.currentText() in box.toolTip()


def test_the_feed_box_fits_the_small_lessons_and_keeps_the_value_field(qtbot):
    for name in ("train-5-2-5", "encoder-8-3-8"):
        w = open_lesson(qtbot, name)
        assert w.pattern_box.currentText().startswith("1:  1 0 0")
        assert feed_text_fits(w.pattern_box), name
        settle()
        assert w.editing.selection_edit.isVisible()           # still on the toolbar at 1024 px


def test_a_feed_text_too_long_ends_in_an_ellipsis_and_is_whole_in_the_tooltip(qtbot):
    """Twelve long numbers do not fit even the widest box: the box says so with
    "…" (never a number cut mid-way), the tooltip and the list hold the whole."""
    import numpy as np

    from aeviz.core.files.datasets import Dataset
    from aeviz.gui.panels.pattern_list import MAX_CHARS, MIN_CHARS, FeedBox, PatternListModel
    data = Dataset.patterns(np.full((3, 12), -12345.6789))
    box = FeedBox()
    qtbot.addWidget(box)
    box.setModel(PatternListModel(lambda: data, box))
    box.resize(box.sizeHint())
    box.show()
    full = box.currentText()
    assert full.startswith("1:  -12345.7 -12345.7")
    avg = box.fontMetrics().averageCharWidth()
    assert box.extra_px == (MAX_CHARS - MIN_CHARS) * avg            # as wide as it gets
    shown = box.shown_text()
    assert shown.endswith("…") and full.startswith(shown[:-1]) and len(shown) > 20
    assert full in box.toolTip()
    assert box.model().data(box.model().index(0, 0)) == full       # the list: whole


def dots_under_legend(cs) -> int:
    """How many of the code space's dots lie under its digit legend (on screen)."""
    import numpy as np
    vb = cs.plot.getPlotItem().vb
    legend = cs.legend.mapRectToScene(cs.legend.boundingRect())
    x, y = cs.points.getData()
    under = 0
    for px, py in zip(np.asarray(x), np.asarray(y)):
        under += legend.contains(vb.mapViewToScene(pg_point(px, py)))
    return under


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF
    return QPointF(float(x), float(y))


def legend_check(cs) -> None:
    """The legend is shown, clear of the dots' view, inside its plot, each name
    beside its dot."""
    item = cs.plot.getPlotItem()
    legend = cs.legend.mapRectToScene(cs.legend.boundingRect())
    view = item.vb.mapRectToScene(item.vb.boundingRect())
    assert cs.legend.isVisible() and len(cs.legend.items) == 10
    assert legend.height() > 0 and not legend.intersects(view)
    assert dots_under_legend(cs) == 0
    plot = cs.plot.sceneRect()
    for sample, label in cs.legend.items:
        dot = sample.mapRectToScene(sample.boundingRect())
        name = label.mapRectToScene(label.boundingRect())
        assert plot.contains(dot) and name.right() <= plot.right() + 0.5
        assert abs(dot.center().y() - name.center().y()) <= 2
        assert 0 <= name.left() - dot.right() <= 8                 # the name right after its dot


def test_the_digit_legend_covers_no_dot_in_a_1024_window(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    train(qtbot, w, 60)
    cs = w.code_space
    cs.throttled.flush()
    settle()
    legend_check(cs)
    assert len(cs.points.getData()[0]) == 1797


def test_the_digit_legend_covers_no_dot_on_stage_and_reads_large(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    train(qtbot, w, 60)
    present(w, (1024, 768))
    show_tab(w, "Code space")
    cs = w.code_space
    qtbot.waitUntil(lambda: cs.isVisible())
    cs.throttled.flush()
    settle()
    legend_check(cs)
    sizes = {label.opts.get("size") for _s, label in cs.legend.items}
    assert len(sizes) == 1 and float(sizes.pop()[:-2]) >= 13           # back-row text
    rows: dict[int, int] = {}                           # wrapped in rows of equal length
    for _s, label in cs.legend.items:
        top = round(label.mapRectToScene(label.boundingRect()).top())
        rows[top] = rows.get(top, 0) + 1
    assert len(rows) >= 2 and max(rows.values()) - min(rows.values()) <= 1, rows
    cs.pictures_button.click()                          # the manifold: no legend, no row for it
    settle()
    assert not cs.legend.isVisible()
    assert cs.plot.getPlotItem().layout.rowMinimumHeight(0) == 0


@pytest.mark.parametrize("name", ["digits-8x8", "train-5-2-5"])
def test_the_outputs_legend_covers_no_bar_nor_the_title(qtbot, name):
    """The Outputs tab's "input x / output y" legend sat on the digits' 64 bars:
    it has a row of its own under the title, at 1024 px and on stage."""
    w = open_lesson(qtbot, name)
    bars = w.output_bars
    item = bars.plot.getPlotItem()
    for stage in (False, True):
        if stage:
            present(w, (1024, 768))
        show_tab(w, "Outputs")
        qtbot.waitUntil(lambda: bars.isVisible())
        settle()
        legend = item.legend.mapRectToScene(item.legend.boundingRect())
        view = item.vb.mapRectToScene(item.vb.boundingRect())
        title = item.titleLabel.mapRectToScene(item.titleLabel.boundingRect())
        assert [label.text for _s, label in item.legend.items] == ["input x", "output y"]
        assert legend.height() > 0 and not legend.intersects(view), (stage, legend, view)
        assert not legend.intersects(title), (stage, legend, title)
        assert bars.plot.sceneRect().contains(legend)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
@pytest.mark.parametrize("name", ["train-5-2-5", "digits-8x8"])
def test_plot_tick_labels_are_whole_in_their_plot(qtbot, name, size):
    """The code space's and the loss plot's tick labels lie inside their plot
    (the 5-2-5's "1.5" at the top of the code space was cut in half at 1280 x 800)."""
    from PySide6.QtCore import QRectF

    from .test_axis_labels_inside import inside, label_rects
    from .test_axis_labels_inside import settle as flush
    w = open_lesson(qtbot, name, size)
    train(qtbot, w, 60)
    flush(w)
    for plot in (w.code_space.plot, w.loss_plot.plot):
        for side in ("left", "bottom"):
            rects = label_rects(plot, side, plot)
            assert len(rects) >= 2 and not inside(rects, QRectF(plot.rect())), (side, rects)


def test_the_codes_tab_of_the_digits_fits_a_1024_window(qtbot):
    """The summary counts the digits' patterns by their active units (it listed
    the first 16 of 1,797 over three lines), so the charts below it keep their
    tick labels inside the tab at 1024 x 768."""
    import re

    import numpy as np
    from PySide6.QtCore import QRectF

    from aeviz.core.measures import analysis

    from .test_axis_labels_inside import inside, label_rects
    from .test_axis_labels_inside import settle as flush
    w = open_lesson(qtbot, "digits-8x8")
    train(qtbot, w, 60)
    show_tab(w, "Codes")
    flush(w)
    view = w.codes_view
    text = view.summary.text()
    counts = {int(k): int(n.replace(",", "")) for k, n in
              re.findall(r"(\d+) in ([\d,]+)", text.split("per pattern: ")[1])}
    active = analysis.code_activity(w.doc.lesson.network, w.doc.lesson.data()).active
    assert counts == {k: int(c) for k, c in enumerate(np.bincount(active)) if c}
    assert sum(counts.values()) == 1797
    for plot in (view.heat, view.bars):
        for side in ("left", "bottom"):
            rects = label_rects(plot, side, view)
            assert rects and not inside(rects, QRectF(view.rect())), (side, rects)


@pytest.mark.parametrize("name", ["train-5-2-5", "digits-8x8"])
def test_the_side_panels_tab_names_are_whole_at_1024(qtbot, name):
    """The tabs under the side panels read "Values", "Training", … in full, not
    "Val…", "Traini…" (the 5-2-5's side panel was 300 px; its tabs need ~355)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTabBar
    w = open_lesson(qtbot, name)
    settle()
    bars = [b for b in w.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly)
            if "Values" in [b.tabText(i) for i in range(b.count())]]
    assert len(bars) == 1
    bar = bars[0]
    assert bar.count() == 5 and bar.isVisible()
    for i in range(bar.count()):
        assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), bar.tabText(i)
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()
