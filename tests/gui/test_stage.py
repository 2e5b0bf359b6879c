"""The stage (#23): presenter mode at 1024×768 in the lecture states.  In each,
no scroll area is wider than its viewport, every visible button lies inside its
scroll area's viewport and the window, and the diagram covers ≥ 40 % of the
window."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QDockWidget,
                               QScrollArea)

from aeviz.core.measures import phases
from aeviz.gui.window.screenshot import present
from aeviz.gui.window.stage import DIAGRAM_SHARE

from .test_presenter import on_stage, open_lesson


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def rect_in_window(w, widget) -> QRect:
    return QRect(widget.mapTo(w, QPoint(0, 0)), widget.size())


def check_stage(w, state: str) -> None:
    settle()
    win = QRect(0, 0, w.width(), w.height())
    area = w.diagram.width() * w.diagram.height()
    assert area >= DIAGRAM_SHARE * w.width() * w.height(), \
        (state, area / (w.width() * w.height()))
    for scroll in w.findChildren(QAbstractScrollArea):
        if not scroll.isVisible() or scroll.visibleRegion().isEmpty():
            continue
        bar = scroll.horizontalScrollBar()
        assert not (bar.isVisible() and bar.maximum() > 0), (state, scroll, bar.maximum())
        if isinstance(scroll, QScrollArea) and scroll.widget() is not None:
            assert scroll.widget().width() <= scroll.viewport().width(), (state, scroll)
            # every word without scrolling: no panel or text on stage scrolls down either
            assert scroll.verticalScrollBar().maximum() == 0, (state, scroll.widget())
    for button in w.findChildren(QAbstractButton):
        if not button.isVisible() or button.window() is not w:
            continue
        dock = button.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None and dock.visibleRegion().isEmpty():   # a tab behind another
            continue
        r = rect_in_window(w, button)
        assert win.contains(r), (state, button.text(), r)
        parent = button.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            view = rect_in_window(w, parent.viewport())
            assert view.contains(r), (state, button.text(), r, view)


def test_guided_steps_with_tasks_and_answers_fit_the_stage(qtbot):
    w = open_lesson(qtbot, "forward-pass")
    present(w, (1024, 768))
    for index in range(len(w.guide.steps)):
        w.guide.go(index, perform=True)
        check_stage(w, f"step {index + 1}")
        if w.guide_panel.choice_buttons:
            assert all(b.isVisible() for b in w.guide_panel.choice_buttons)


def test_the_six_phases_fit_the_stage_with_name_and_explanation(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    for k, name in enumerate(phases.PHASES):
        qtbot.keyClick(w, Qt.Key_N)
        check_stage(w, name)
        assert w.context.isVisible() and not w.guide_panel.isVisible()
        title = w.training.panel.phase_title.text() if hasattr(w.training, "panel") else ""
        assert w.context.text().startswith("<b>"), w.context.text()
        # the explanation wraps: its label is no wider than the strip
        assert w.context.label.width() <= w.context.contentsRect().width()
    qtbot.keyClick(w, Qt.Key_N)                         # the walk ends: the guide is back
    settle()
    assert not w.context.isVisible() and w.guide_panel.isVisible()


def test_the_code_space_and_generate_come_on_stage(qtbot):
    w = open_lesson(qtbot, "generate-digits")
    present(w, (1024, 768))
    on_stage(qtbot, w, "Code space")
    check_stage(w, "code space")
    qtbot.keyClick(w, Qt.Key_7, Qt.ControlModifier)     # the same key: it leaves
    assert not w.code_space.isVisible()
    w.registry["sample"].trigger()
    settle()
    assert w.findChild(type(w.findChildren(type(w.code_space.parentWidget()))[0]),
                       "Generate").isVisible()
    check_stage(w, "generate")


def test_presenter_shows_acts_live_and_esc_closes_a_menu_first(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.guide.go(1, perform=True)        # a step that points at the code space, not the loss
    loss = w.findChild(type(w.code_space.parentWidget()), "Loss")
    assert "Loss" not in w.stage.step_docks()
    qtbot.keyClick(w, Qt.Key_F5)
    assert not loss.isVisible()
    w.classroom.presenter_shows["Loss"].setChecked(True)
    assert loss.isVisible()
    w.classroom.presenter_shows["Loss"].setChecked(False)
    assert not loss.isVisible()
    # the panel actions are enabled (not greyed) on stage
    assert w.registry["panel_Values"].isEnabled()
    menu = w.menuBar().actions()[0].menu()
    menu.popup(w.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    w.classroom.escape()                               # what Esc does
    assert QApplication.activePopupWidget() is None and w.classroom.presenting
    w.classroom.escape()
    assert not w.classroom.presenting


def test_f1_shows_explain_on_stage(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    qtbot.keyClick(w, Qt.Key_F5)
    qtbot.keyClick(w, Qt.Key_F1)
    assert w.explain.isVisible()
    w.explain.throttled.flush()
    import re
    size = float(re.search(r"font-size:\s*([\d.]+)pt", w.explain.toHtml()).group(1))
    assert size > 12.5                          # the stage's larger text, not a fixed 12 pt


@pytest.mark.parametrize("selection", [None, ("neuron", 1, 0), ("edge", 0, 0, 0)])
def test_the_explain_panel_on_stage_shows_every_word_without_scrolling(qtbot, selection):
    """Seen in the rehearsal (stuck-5-2-5 step 3, a code neuron selected): the
    Explain panel scrolled.  On stage its text is as large as fits; off stage it
    is the UI's size again."""
    w = open_lesson(qtbot, "stuck-5-2-5")
    present(w, (1024, 768))
    w.guide.go(2, perform=False)
    qtbot.keyClick(w, Qt.Key_F1)
    w.diagram.select(selection)
    bar = w.explain.verticalScrollBar()
    qtbot.waitUntil(lambda: w.explain.isVisible() and bar.maximum() == 0)
    settle()
    assert bar.maximum() == 0 and w.explain.height() > 300
    assert w.explain.text_pt >= 12.0
    check_stage(w, f"explain {selection}")
    w.classroom.set_presenter(False)
    w.show_explain()
    settle()
    assert w.explain.text_pt == max(12.0, w.explain.font().pointSizeF() * 1.2)


def test_the_lesson_title_is_always_on_stage_and_the_welcome_leaves(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.lesson.welcome = True
    w.lesson.show_text()
    assert "Welcome" in w.lesson.text()
    present(w, (1024, 768))
    # a guided lesson: the title heads the step (one row less), else the title line
    assert "Train the 5-2-5" in w.guide_panel.counter.text() and w.guide_panel.isVisible()
    assert not w.lesson_pane.isVisible()
    w.registry["guide_pane"].trigger()                  # the guide hidden: the title line
    assert w.lesson.text() == "<b>Train the 5-2-5</b>" and w.lesson_pane.isVisible()
    w.registry["guide_pane"].trigger()
    w.classroom.set_presenter(False)
    assert "Welcome" in w.lesson.text() and w.lesson_pane.isVisible()
    assert "Train the 5-2-5" not in w.guide_panel.counter.text()
    w.files.open_preset("encoder-8-3-8")                # never above another lesson
    assert "Welcome" not in w.lesson.text()


def test_ctrl_l_on_stage_keeps_the_lesson_title(qtbot):
    """Seen in the rehearsal: Ctrl+L on stage took the title away (encoder-8-3-8
    has no guide: the title line is all the lesson text there is on stage)."""
    w = open_lesson(qtbot, "encoder-8-3-8")
    present(w, (1024, 768))
    assert w.lesson_pane.isVisible() and w.lesson.text().startswith("<b>")
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key_L, Qt.ControlModifier)
        settle()
        assert w.lesson_pane.isVisible() and w.lesson.text().startswith("<b>")
    w.classroom.set_presenter(False)                    # off stage Ctrl+L folds the text
    settle()
    shown = w.lesson_pane.isVisible()
    qtbot.keyClick(w, Qt.Key_L, Qt.ControlModifier)
    settle()
    assert w.lesson_pane.isVisible() != shown


def test_samples_fill_their_box_and_the_caption_says_what_is_shown(qtbot):
    from aeviz.gui.panels.generate_panel import sample_columns
    assert sample_columns(16, (7, 5), 300, 230) == 6     # a wide box: 6 columns, not 4
    assert sample_columns(16, (7, 5), 100, 400) <= 3     # a tall one: few columns
    w = open_lesson(qtbot, "generate-digits")
    w.registry["sample"].trigger()
    settle()
    panel = w.generate_panel
    assert panel.readout.text().startswith("Showing 16 samples")
    assert "fed pattern" not in panel.readout.text()


def test_plots_text_follows_presenter_mode_and_comes_back(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    plot = w.loss_plot.plot.getPlotItem()

    def sizes():
        tick = plot.getAxis("bottom").style["tickFont"]
        legend = plot.legend.items[0][1].opts.get("size")
        return (tick.pointSizeF() if tick else None, plot.getAxis("left").labelStyle.get(
            "font-size"), legend)
    before = sizes()
    qtbot.keyClick(w, Qt.Key_F5)
    on_stage = sizes()
    assert on_stage[0] > (before[0] or 0) and on_stage[1] != before[1] and on_stage[2]
    qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    assert sizes()[0] > on_stage[0]
    label = w.code_space.labels[0].textItem.font().pointSizeF()
    assert label > 12
    qtbot.keyClick(w, Qt.Key_Escape)
    assert sizes()[0] == before[0] or before[0] is None
    assert w.code_space.labels[0].textItem.font().pointSizeF() == 12


def test_the_study_result_at_a_glance(qtbot):
    """Three large numbers (solved, stuck, not finished), round bin edges and
    whole-number ticks."""
    from aeviz.core.files.presets import load_preset
    from aeviz.core.measures.study import SeedRun, Study
    from aeviz.gui.panels.study_dialog import StudyDialog
    dialog = StudyDialog(load_preset("stuck-5-2-5"))
    qtbot.addWidget(dialog)
    runs = ([SeedRun(k, "solved", 425 + 437 * k, 5, 0.1) for k in range(8)]
            + [SeedRun(100 + k, "stuck", 5000, 3, 0.5) for k in range(488)]
            + [SeedRun(900 + k, "not finished", 5000, 4, 0.3) for k in range(4)])
    dialog.show_result(Study(runs, 5000, planned=len(runs)))
    assert [dialog.counts[s].text() for s in ("solved", "stuck", "not finished")] == \
        ["8", "488", "4"]
    assert dialog.counts["solved"].font().pointSizeF() > 2 * dialog.result.font().pointSizeF()
    bottom = [t for t, _ in dialog.plot.getAxis("bottom")._tickLevels[0]]
    assert all(t % 100 == 0 for t in bottom)
    left = [t for t, _ in dialog.plot.getAxis("left")._tickLevels[0]]
    assert all(float(t).is_integer() for t in left)


def test_the_values_panel_follows_the_phase_the_diagram_shows(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    qtbot.keyClick(w, Qt.Key_N)                          # 1 · the input only
    assert w.values.code.cell_text(0).endswith("?") and w.values.output.cell_text(0).endswith("?")
    assert w.values.error.text() == "?"
    qtbot.keyClick(w, Qt.Key_N)                          # 2 · the code, no output yet
    assert not w.values.code.cell_text(0).endswith("?")
    assert w.values.output.cell_text(0).endswith("?")
    qtbot.keyClick(w, Qt.Key_N)                          # 3 · decoded
    assert not w.values.output.cell_text(0).endswith("?")
    qtbot.keyClick(w, Qt.Key_N)                          # 4 · the error: d(x, y)
    assert w.values.error.text() != "?"
    for _ in range(3):                                   # 5, 6, then the walk ends
        qtbot.keyClick(w, Qt.Key_N)
    assert not w.phases.active and w.values.error.text() != "?"


def test_the_panel_on_stage_keeps_its_share_at_larger_text(qtbot):
    from aeviz.gui.window.stage import SIDE_SHARE
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    on_stage(qtbot, w, "Loss")
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    settle()
    loss = w.findChild(QDockWidget, "Loss")
    assert loss.width() >= SIDE_SHARE * w.width() - 20
    legend = w.loss_plot.plot.getPlotItem().legend
    assert legend.boundingRect().width() <= w.loss_plot.plot.width()
    check_stage(w, "loss at larger text")


def test_the_patterns_table_on_stage_is_below_the_diagram_and_whole(qtbot):
    w = open_lesson(qtbot, "article-example")
    present(w, (1024, 768))
    step = next(i for i, s in enumerate(w.guide.steps)             # rows, no other panel
                if all(t.tab == "Patterns" or not t.panel for t in s.look_at)
                and any(t.tab == "Patterns" for t in s.look_at))
    w.guide.go(step, perform=True)
    check_stage(w, "patterns")
    table = w.patterns
    assert table.isVisible()
    assert table.horizontalScrollBar().maximum() == 0        # every column whole


def test_the_denoising_tab_on_stage_keeps_the_diagrams_share(qtbot):
    """Issue 23: the diagram shrank to ~200 px when the Denoising tab opened (the
    data tabs took the tallest tab's height); on stage they take the front tab's."""
    w = open_lesson(qtbot, "denoising-bars")
    present(w, (1024, 768))
    dock = w.findChild(QDockWidget, "Patterns")
    dock.show()
    w.data_tabs.setCurrentWidget(w.tabs.page("Patterns"))
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    check_stage(w, "patterns of denoising-bars")
    # its 8 rows whole: the diagram spares the room (it keeps >= 40 %)
    qtbot.waitUntil(lambda: w.patterns.verticalScrollBar().maximum() == 0)
    check_stage(w, "patterns of denoising-bars, every row")
    table_height = dock.height()
    w.data_tabs.setCurrentWidget(w.tabs.page("Denoising"))
    qtbot.waitUntil(lambda: dock.height() != table_height)         # its own height, at once
    check_stage(w, "denoising")
    assert dock.titleBarWidget() is not None                      # no title row on stage
    w.classroom.set_presenter(False)
    assert dock.titleBarWidget() is None and w.data_tabs.minimumHeight() == 0


def test_the_code_space_note_shows_every_word_on_stage(qtbot):
    """Off stage the note is one line ending in "…" (its plot keeps the room); on
    stage it wraps, every word shown."""
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    w.stage.toggle_panel("Code space")
    note = w.code_space.note
    w.code_space.throttled.flush()
    qtbot.waitUntil(lambda: note.isVisible() and note.text() == note.full_text)
    assert note.wordWrap() and "…" not in note.text()
    qtbot.waitUntil(lambda: note.heightForWidth(note.width()) <= note.height())
    w.classroom.set_presenter(False)
    assert not note.wordWrap()


def test_the_training_panel_on_stage_fits_its_width(qtbot):
    """Seen in the 1024×768 rehearsal: the six-steps lesson brings the Training
    panel on stage and it scrolled sideways (its phase text, the "solved"
    check box and "Restart" cut off on the right)."""
    w = open_lesson(qtbot, "six-steps")
    present(w, (1024, 768))
    if not w.findChild(QDockWidget, "Training").isVisible():
        on_stage(qtbot, w, "Training")
    check_stage(w, "training panel")


@pytest.mark.parametrize("name, start", [("train-5-2-5", "The code space"),
                                         ("digits-8x8", "Train 300 epochs")])
def test_a_step_about_the_code_space_puts_the_code_space_on_stage(qtbot, name, start):
    """Seen in the 1024×768 rehearsal: train-5-2-5's step "The code space: each
    pattern's code h is a point in the plane" showed the Patterns table on stage,
    digits-8x8's "The dots of one colour gather" the Loss plot (one panel at a
    time: the step's last-named panel stays)."""
    w = open_lesson(qtbot, name)
    present(w, (1024, 768))
    index = next(i for i, s in enumerate(w.guide.steps) if s.text.startswith(start))
    w.guide.go(index, perform=True)
    settle()
    assert w.findChild(QDockWidget, "Code space").isVisible()
    check_stage(w, "the code-space step")


def test_the_settings_panel_on_stage_fits_its_width(qtbot):
    """Seen in the 1024×768 rehearsal: overcomplete-sparse and denoising-bars
    bring Settings on stage and it scrolled sideways ("reshuffle every epoch"
    beside the label column)."""
    w = open_lesson(qtbot, "denoising-bars")
    present(w, (1024, 768))
    on_stage(qtbot, w, "Settings")
    check_stage(w, "settings panel")


def test_a_lesson_switch_keeps_the_tab_its_guide_step_names(qtbot):
    """Seen in the 1024×768 rehearsal: six-steps reopened at its remembered step
    "Which step changes the weights?" (look at: Weights) showed the Patterns tab —
    the lesson switch's reset chose the first tab after the guide had chosen."""
    w = open_lesson(qtbot, "six-steps")
    present(w, (1024, 768))
    index = next(i for i, s in enumerate(w.guide.steps)
                 if s.task is not None and "changes the weights" in s.task.prompt)
    w.guide.go(index, perform=True)
    weights = w.guide.tabs.page("Weights")
    assert w.data_tabs.currentWidget() is weights
    w.stage.reset_view()                                 # as after doc.replaced
    settle()
    assert w.data_tabs.currentWidget() is weights


def answer_right(w) -> None:
    """Answer the step's question as a student who knows (its explanation shows)."""
    task = w.guide.step.task
    if task is not None and task.is_choice and task.answer is not None:
        qtbot_click(w.guide_panel.choice_buttons[task.answer])


def qtbot_click(button) -> None:
    from PySide6.QtTest import QTest
    QTest.mouseClick(button, Qt.LeftButton)


def whole_tables(w, state: str) -> None:
    """Every row of a small table on stage (a lesson's 5 patterns, a weight block)."""
    from PySide6.QtWidgets import QTableView
    for table in w.findChildren(QTableView):
        if table.isVisible() and not table.visibleRegion().isEmpty() \
                and table.model().rowCount() <= 8:
            assert table.verticalScrollBar().maximum() == 0, (state, table.accessibleName())


def fits(w) -> bool:
    """The stage's promise, as check_stage asserts it (waited for, then asserted)."""
    try:
        check_stage(w, "")
        whole_tables(w, "")
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("name", ["article-example", "train-5-2-5", "six-steps", "stuck-5-2-5",
                                  "overcomplete-5-8-5", "linear-pca", "overcomplete-sparse",
                                  "denoising-bars", "encoder-8-3-8"])
def test_every_step_with_its_answer_fits_the_stage(qtbot, name):
    """Seen in the 1024×768 rehearsal: the guide pane scrolled with a long answer
    (article-example step 3; train-5-2-5 step 2 with the code space on stage), the
    Patterns table showed 4 of 5 rows, the Weights tab hid its bias row and the
    diagram dropped to ~30 %.  Every word and button of each step with its answer,
    every row of the table the step brings, and the diagram keeps >= 40 %."""
    w = open_lesson(qtbot, name)
    present(w, (1024, 768))
    for index in range(len(w.guide.steps)):
        w.guide.go(index, perform=True)
        qtbot.waitUntil(lambda: not w.guide.training_for_step, timeout=20000)
        answer_right(w)
        qtbot.waitUntil(lambda: fits(w))             # laid out over a few zero-timers
        check_stage(w, f"{name} step {index + 1}")
        whole_tables(w, f"{name} step {index + 1}")
        assert w.guide_panel.done.isVisible() or w.guide.step.task is None \
            or not w.guide.step.task.is_choice


def test_the_phase_is_shown_once_on_stage(qtbot):
    """Seen in the 1024×768 rehearsal: six-steps brings the Training panel on stage
    and the step-through's phase title and text stood both in the context strip
    and in the panel's "Step-through" box."""
    w = open_lesson(qtbot, "six-steps")
    present(w, (1024, 768))
    on_stage(qtbot, w, "Training")
    qtbot.keyClick(w, Qt.Key_N)
    qtbot.keyClick(w, Qt.Key_N)
    settle()
    title = w.training.phase_title
    assert w.context.isVisible() and "Encode" in w.context.text()
    assert w.findChild(QDockWidget, "Training").isVisible() and not title.isVisible()
    w.classroom.set_presenter(False)
    assert title.isVisible() and "Encode" in title.text()


def test_diagram_numbers_use_the_minus_sign_and_titles_one_size(qtbot):
    """The diagram's values and bias badges write a negative number with − (U+2212),
    never the hyphen; every layer title has one size (the long "output y
    (softmax)" was set smaller than "input x (5)")."""
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    w.doc.lesson.set_weight(0, 5, 1, -0.75)                 # the second code unit's bias
    labels = [n.label.text() for layer in w.diagram.neurons for n in layer]
    badges = [n.bias_label.text() for layer in w.diagram.neurons[1:] for n in layer]
    assert any(t.startswith("−") for t in labels)            # the code -0.402 of pattern 1
    assert "b −0.75" in badges
    assert not any("-" in t for t in labels + badges)
    sizes = {h.font().pixelSize() for h in w.diagram.headers}
    assert len(sizes) == 1, sizes
    from aeviz.gui.drawing.titles import TITLE_GAP      # one size, yet none runs into
    titles = w.diagram.headers                           # the next, each over its column
    for a, b in zip(titles, titles[1:]):
        gap = b.sceneBoundingRect().left() - a.sceneBoundingRect().right()
        assert gap >= TITLE_GAP * a.font().pixelSize() - 1
    for title, column in zip(titles, w.diagram.neurons):
        rect, x = title.sceneBoundingRect(), column[0].center.x()
        assert rect.left() + rect.width() / 4 <= x <= rect.right() - rect.width() / 4


def test_tasks_done_never_breaks_inside(qtbot):
    """"tasks done: 1 of" / "4" read badly on stage: the counter keeps each unit whole."""
    from PySide6.QtGui import QTextDocument
    w = open_lesson(qtbot, "digits-8x8-vae")
    present(w, (1024, 768))
    doc = QTextDocument()
    doc.setDefaultFont(w.guide_panel.counter.font())
    doc.setHtml(w.guide_panel.counter.text())
    for width in (240, 300, 360, 420, 480):
        doc.setTextWidth(width)
        layout = doc.begin().layout()
        lines = [doc.begin().text()[layout.lineAt(i).textStart():][:layout.lineAt(i).textLength()]
                 for i in range(layout.lineCount())]
        for line in lines[:-1]:
            assert not line.rstrip().endswith(("Step", "of", "tasks", "done:")), lines


def test_the_selected_weight_is_readable_on_stage(qtbot):
    """Seen in the 1024×768 rehearsal: the toolbar's value field is off stage, so a
    clicked connection's value was shown nowhere.  On stage it is written on the
    diagram, and follows an edit."""
    from aeviz.core.numbers import number
    from aeviz.gui.drawing.diagram_items import minus
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    settle()
    d = w.diagram
    start, end = d._pos[0][1], d._pos[1][0]                  # x2 -> h1
    at = start + 0.3 * (end - start)
    from PySide6.QtCore import QPointF
    qtbot.mouseClick(d.viewport(), Qt.LeftButton, pos=d.mapFromScene(QPointF(*at)))
    assert d.selection == ("edge", 0, 1, 0)
    weight = w.doc.lesson.network.weights[0][1, 0]
    box = d.value_box
    assert box.isVisible() and box.text.text() == f"w = {minus(number(weight))}"
    assert "−" in box.text.text() or weight >= 0
    qtbot.keyClick(d, Qt.Key_F)                              # flip its sign: the box follows
    assert box.text.text() == f"w = {minus(number(-weight))}"
    view = QRect(0, 0, d.viewport().width(), d.viewport().height())
    assert view.contains(d.mapFromScene(box.sceneBoundingRect()).boundingRect())
    w.classroom.set_presenter(False)                        # the toolbar shows it again
    assert not box.isVisible()


def test_the_welcome_shows_whole_in_the_normal_window_at_1024(qtbot):
    """Seen in the 1024×768 rehearsal: the welcome banner's second line (and the
    lesson's title under it) were cut off in the normal window."""
    w = open_lesson(qtbot, "train-5-2-5")
    w.lesson.welcome = True
    w.lesson.show_text()
    pane = w.lesson_pane
    qtbot.waitUntil(lambda: pane.height() >= w.lesson.heightForWidth(pane.viewport().width()))
    settle()
    assert "Welcome" in w.lesson.text() and pane.isVisible()
    assert pane.verticalScrollBar().maximum() == 0
    w.lesson.dismiss_welcome()                          # Close: the pane is one line again
    qtbot.waitUntil(lambda: pane.height() < 2.5 * pane.fontMetrics().height() + 20)


def test_generate_with_samples_of_the_vae_fits_the_stage_and_says_what_is_there(qtbot):
    """Seen in the 1024×768 rehearsal: digits-8x8-vae's Generate panel with samples
    scrolled on stage, and its "(grey dots)" named the code space's dots while the
    code space was off stage."""
    w = open_lesson(qtbot, "digits-8x8-vae")
    present(w, (1024, 768))
    w.controller.run_now(lambda session: session.advance(40), "Train", True)
    w.guide.go(len(w.guide.steps) - 1, perform=True)
    answer_right(w)
    w.registry["sample"].trigger()
    generate = w.findChild(QDockWidget, "Generate")
    qtbot.waitUntil(lambda: generate.isVisible())
    qtbot.waitUntil(lambda: fits(w))
    check_stage(w, "generate with samples")
    assert not w.code_space.isVisible()
    text = w.generate_panel.sample_text.text()
    assert "of 16 decode" in text and "grey dots" not in text
    w.classroom.set_presenter(False)                  # the code space beside: its dots named
    assert "grey dots in the code space" in w.generate_panel.sample_text.text()


@pytest.mark.parametrize("zoom", [0, 2])
def test_the_denoising_buttons_stay_below_the_chart_when_its_text_grows(qtbot, zoom):
    """Seen in the 1024×768 rehearsal: the Denoising tab's buttons lay over the
    chart's x-axis: the stage gave the tab Qt's least height, which counts its
    wrapped summary as one line (two at larger text, more after Compare)."""
    w = open_lesson(qtbot, "denoising-bars")
    present(w, (1024, 768))
    for _ in range(zoom):
        qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    dock = w.findChild(QDockWidget, "Patterns")
    dock.show()
    w.data_tabs.setCurrentWidget(w.tabs.page("Denoising"))
    view = w.noise_view
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty() and view.plot.isVisible())
    view.comparison = ("The same network trained without noise for 800 epochs recovers "
                       "the clean pattern from 81 % of the same noisy inputs: noise in "
                       "training taught it to undo noise.")
    view._show_status()

    def clear_of_each_other() -> bool:
        plot = rect_in_window(w, view.plot)
        status = rect_in_window(w, view.status)
        return all(rect_in_window(w, b).top() >= plot.bottom() for b in (view.resample, view.compare)) \
            and status.bottom() <= plot.top() \
            and view.status.height() >= view.status.heightForWidth(view.status.width())
    qtbot.waitUntil(clear_of_each_other)
    if not zoom:
        check_stage(w, "denoising after compare")


@pytest.mark.parametrize("name, beside", [("stuck-5-2-5", True), ("digits-8x8", False)])
def test_the_weights_tab_on_stage_puts_its_controls_beside_a_narrow_block(qtbot, name, beside):
    """A narrow block (5×2): the block tabs and buttons at the right of the table,
    so that every row shows below the diagram; a wide one (64×32) keeps the width
    for its columns.  Off stage: tabs above, buttons below, as before."""
    from aeviz.gui.window.screenshot import show_tab
    w = open_lesson(qtbot, name)
    panel = w.weights
    show_tab(w, "Weights")
    settle()
    def order():
        return [panel.mapTo(w, x.pos()).y() for x in (panel.tabs, panel.table, panel.button_bar)]
    off = order()
    assert off[0] < off[1] < off[2] and not panel.side.isVisible()
    present(w, (1024, 768))
    show_tab(w, "Weights")
    qtbot.waitUntil(lambda: panel.side.isVisible() == beside)
    settle()
    if beside:
        assert panel.mapTo(w, panel.side.pos()).x() >= panel.table.geometry().right()
        assert panel.table.horizontalScrollBar().maximum() == 0
    w.classroom.set_presenter(False)
    settle()
    assert order() == off or order()[0] < order()[1] < order()[2]
    assert not panel.side.isVisible()


def test_a_saturated_negative_code_fits_inside_its_neuron(qtbot):
    """Seen in the second rehearsal (train-5-2-5 at learning rate 20, stuck-5-2-5):
    a saturated tanh shows "<−0.999", a character wider than any other value, and
    it stuck out of its neuron, its last digit cut."""
    w = open_lesson(qtbot, "train-5-2-5")
    present(w, (1024, 768))
    lesson = w.doc.lesson
    net = lesson.network
    lesson.set_params({lesson.param_index(0, r, c): -30.0
                       for r in range(net.sizes[0] + 1) for c in range(net.sizes[1])},
                      "saturate")
    settle()
    for item in w.diagram.neurons[net.code_layer]:
        assert item.label.text().startswith("<"), item.label.text()
        text = item.mapRectToScene(item.label.mapRectToParent(item.label.boundingRect()))
        assert item.sceneBoundingRect().contains(text), (item.label.text(), text)


def test_a_code_that_grows_while_training_is_shown_whole_in_the_patterns_table(qtbot):
    """Second rehearsal, stuck-5-2-5 after its 300 epochs: the code column kept the
    width of the untrained codes and cut "(>0.999, −0.988)" to "(>0.999, …" while
    the empty "shares code with" column took 430 px."""
    w = open_lesson(qtbot, "stuck-5-2-5")
    present(w, (1024, 768))
    w.stage.toggle_panel("Patterns")
    table = w.patterns
    qtbot.waitUntil(table.isVisible)
    settle()
    w.controller.run_now(lambda session: session.advance(300), "Train", True)
    qtbot.waitUntil(lambda: table.columnWidth(1) >= table.sizeHintForColumn(1))
    assert table.columnWidth(1) >= table.sizeHintForColumn(1)
