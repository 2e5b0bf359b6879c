"""Attacks on the frame-skipping shortcuts of round 6: what a panel skips as
"unchanged" must still match what it shows (a message set beside show_state,
a table behind another tab, a readout's fixed size)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from aeviz.core.files import fileformat as ff
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_guide import lesson_doc  # noqa: E402

CHOICE = {"kind": "choice", "options": ["right", "wrong"], "answer": 1}
EPOCHS = {"kind": "epochs", "at_least": 5000}


def test_answer_first_message_does_not_stay_on_the_next_step(qtbot):
    """Page Down on an unanswered question says "Answer the question first" in
    the hint; Skip then goes to a step whose state (no hint, task open) equals
    the question's: the message must go, it is about the question."""
    steps = [{"text": "q", "task": CHOICE}, {"text": "t", "task": EPOCHS}, {"text": "end"}]
    w = MainWindow(model=ff.from_dict(lesson_doc(steps)))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    p = w.guide_panel
    assert w.guide.index == 0 and not p.hint.isVisible()
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == 0 and "Answer the question first" in p.hint.text()
    qtbot.mouseClick(p.next, Qt.LeftButton)               # "Skip ▶"
    assert w.guide.index == 1
    assert "Answer the question first" not in p.hint.text()
    assert not p.hint.isVisible()


def test_readouts_shrink_back_after_presenter_mode(qtbot):
    """A readout keeps the size of the widest text it showed *at its font*: with
    presenter mode (bigger text) on and off again, the Values panel's readouts
    and the Training panel's label are back to their size, not presenter-sized
    (a fixed size held the text's size hint up: the panel stayed too wide)."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.resize(1280, 800)
    show_active(qtbot, w)
    labels = (w.values.error, w.values.loss, w.values.epoch, w.training.timeline_label)
    qtbot.wait(50)
    before = [(lab.text(), lab.font().pointSizeF(), lab.size()) for lab in labels]
    w.classroom.toggle_presenter()
    qtbot.waitUntil(lambda: w.values.epoch.font().pointSizeF() > before[2][1])
    qtbot.waitUntil(lambda: w.values.epoch.height() > before[2][2].height())
    w.classroom.toggle_presenter()
    qtbot.waitUntil(lambda: w.values.epoch.font().pointSizeF() == before[2][1])
    qtbot.wait(50)
    after = [(lab.text(), lab.font().pointSizeF(), lab.size()) for lab in labels]
    assert after == before


def test_presenter_mode_keeps_thick_connections_after_a_new_structure(qtbot):
    """Presenter mode draws thicker connections; a diagram built anew while it is
    on (another lesson, a layer added) draws them thick too, not at 1x until
    presenter mode is toggled again."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    w.classroom.toggle_presenter()
    assert w.classroom.presenting
    thick = w.diagram.edges.width_scale
    assert thick > 1
    widths = sorted({pen.widthF() for pen, _ in w.diagram.edges._groups})
    w.files.open_preset("article-example")
    assert w.classroom.presenting
    assert w.diagram.edges.width_scale == thick
    w.files.open_preset("train-5-2-5")
    assert w.diagram.edges.width_scale == thick
    assert sorted({pen.widthF() for pen, _ in w.diagram.edges._groups}) == widths
