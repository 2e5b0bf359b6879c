"""A hidden prediction stays hidden from the step-through (N): the walk would
draw the code and the output on the diagram (and, trained online, feed the
pattern it trains on: another question) while the Values panel says "?".  N is
refused with a reason until the prediction is revealed; turning predict on
closes an open walk.  On stage, where the status bar is off, a refusal is said
over the diagram."""

from __future__ import annotations

from PySide6.QtCore import Qt

from aeviz.gui.controllers.classroom import PREDICT_FIRST
from aeviz.gui.window.notice import Notice

from .conftest import open_lesson
from .test_presenter import open_lesson as open_at_size


def _walk_shown(w) -> bool:
    return w.phases.active and w.diagram.overlay is not None


def test_next_phase_is_refused_while_a_prediction_is_hidden(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.feed_pattern(3)
    w.registry["predict"].trigger()
    fed, params = w.doc.lesson.pattern_index(), w.doc.lesson.network.params.copy()
    w.registry["phase"].trigger()
    qtbot.wait(50)
    assert not _walk_shown(w)
    assert w.statusBar().currentMessage() == PREDICT_FIRST
    assert w.diagram.hidden_layers                      # the code and output still "?"
    assert w.values.loss.text() == "?"
    assert w.doc.lesson.pattern_index() == fed          # the question was not changed
    assert (w.doc.lesson.network.params == params).all()
    w.registry["reveal"].trigger()                      # revealed: the walk goes on
    w.registry["phase"].trigger()
    qtbot.waitUntil(lambda: _walk_shown(w))


def test_turning_predict_on_closes_an_open_walk(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    for _ in range(3):                                  # input, encode, code: h on the diagram
        w.registry["phase"].trigger()
    qtbot.waitUntil(lambda: _walk_shown(w) and w.phases.phase == 2)
    w.registry["predict"].trigger()
    assert not _walk_shown(w)
    assert w.diagram.hidden_layers
    w.registry["phase"].trigger()
    assert not _walk_shown(w)


def test_a_refusal_on_stage_is_said_over_the_diagram(qtbot):
    w = open_at_size(qtbot, "train-5-2-5")
    qtbot.keyClick(w, Qt.Key_F5)                        # presenter mode: no status bar
    qtbot.waitUntil(lambda: w.statusBar().isHidden())
    w.registry["predict"].trigger()
    w.registry["phase"].trigger()
    notice = w.diagram.findChild(Notice)
    assert notice is not None and notice.isVisible()
    assert notice.text() == PREDICT_FIRST
    # whole, inside the diagram, and readable at the stage's text size
    assert w.diagram.rect().contains(notice.geometry())
    assert notice.heightForWidth(notice.width()) <= notice.height()
    qtbot.keyClick(w, Qt.Key_F5)                        # off stage: the status bar says it
    qtbot.waitUntil(lambda: not w.statusBar().isHidden())
