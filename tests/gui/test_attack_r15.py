"""Attack round 15: the one-pick-a-visit prediction (forward-pass, step 4,
GuideController.choose/_show/go and ``missed``) probed as a student and a
teacher would: weight edits, Undo, other patterns fed, Predict (Ctrl+P) and
Reveal (R) toggled by hand after a wrong pick.  Each test reproduces a defect
seen in the window (it fails until the defect is fixed) and checks the
window's data (the guide's state and texts, what is hidden), not pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aeviz.core.engine.activations import output_text

from .test_presenter import open_lesson


def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _at_prediction(qtbot, w) -> int:
    """Page Down to forward-pass's predict_winner step (it feeds 3 and hides)."""
    k = next(i for i, s in enumerate(w.guide.steps)
             if s.task is not None and s.task.kind == "predict_winner")
    while w.guide.index < k:
        qtbot.keyClick(w, Qt.Key_PageDown)
    settle()
    assert w.classroom.hiding and w.doc.lesson.pattern_index() == 2
    return k


def _pick_wrong(qtbot, w) -> None:
    qtbot.mouseClick(w.guide_panel.choice_buttons[0], Qt.LeftButton)   # output 1: wrong
    settle()


def _hint(w) -> str:
    return w.guide_panel.hint.text() if w.guide_panel.hint.isVisible() else ""


def test_a_wrong_prediction_does_not_become_done_by_a_weight_edit_and_undo(qtbot):
    """forward-pass, step 4: the student picks "output 1" for pattern 3 (wrong:
    output 3 is the largest, 0.588).  The values show, the choices lock, the
    hint names output 3.  The student then edits two decoder weights into
    output 1 (code 1 → output 1: −3, code 2 → output 1: +3) to see what
    happens: the step turns "✓ Done" and counts a task done, for a prediction
    that was wrong.  Ctrl+Z puts the weights back (output 3 the largest again,
    output 1 still 0.128): the step still reads "✓ Done" and the counter keeps
    it.  A pick is judged against the weights it was made on; a missed pick
    never becomes right by itself."""
    w = open_lesson(qtbot, "forward-pass", (1280, 800))
    k = _at_prediction(qtbot, w)
    _pick_wrong(qtbot, w)
    assert k not in w.guide.done and w.guide.missed == k
    w.doc.lesson.set_weight(1, 0, 0, -3.0)
    w.doc.lesson.set_weight(1, 1, 0, 3.0)
    settle()
    w.doc.lesson.undo()
    w.doc.lesson.undo()
    settle()
    y = w.doc.lesson.network.forward(w.doc.lesson.data()[2][None, :])[1][-1][0]
    assert int(y.argmax()) == 2                           # output 3 is the largest again
    assert k not in w.guide.done, ("the wrong pick 'output 1' counts as done:",
                                   w.guide_panel.done.text())
    assert not w.guide_panel.done.isVisible(), w.guide_panel.done.text()


def test_a_wrong_prediction_is_not_marked_done_by_a_weight_edit(qtbot):
    """As above, without the Undo: the student picked "output 1" (wrong), then
    dragged output 1's decoder weights up until output 1 is the largest.  The
    step shows "✓ Done. Each output adds h1 · w + h2 · w ..." and the counter
    counts it, though the prediction (made on the lesson's weights) was
    wrong; the locked choices still show the wrong pick."""
    w = open_lesson(qtbot, "forward-pass", (1280, 800))
    k = _at_prediction(qtbot, w)
    _pick_wrong(qtbot, w)
    w.doc.lesson.set_weight(1, 0, 0, -3.0)
    w.doc.lesson.set_weight(1, 1, 0, 3.0)
    settle()
    assert k not in w.guide.done, ("the wrong pick counts as done after a weight edit:",
                                   w.guide_panel.done.text())


def test_values_hidden_again_after_a_wrong_pick_are_not_spelled_out_in_the_hint(qtbot):
    """forward-pass, step 4: a wrong pick ("output 1") reveals the values and
    the hint says "Not output 1: it is 0.128; output 3 is the largest, 0.588".
    The teacher then asks the class again: key 1 and key 3 (or Ctrl+P off and
    on) hide the code and the outputs again ("?" in the diagram and the Values
    panel; the step's own text turns its numbers into "?").  The hint under
    the question still reads "output 3 is the largest, 0.588" in plain sight,
    and the choices stay locked with the button on Next: the window asks for a
    prediction whose answer the guide prints and which cannot be made."""
    w = open_lesson(qtbot, "forward-pass", (1280, 800))
    _at_prediction(qtbot, w)
    _pick_wrong(qtbot, w)
    assert not w.classroom.hiding
    qtbot.keyClick(w, Qt.Key_1)
    qtbot.keyClick(w, Qt.Key_3)
    settle()
    assert w.classroom.hiding and w.values.hidden         # the outputs are "?" again
    y = w.doc.lesson.network.forward(w.doc.lesson.data()[2][None, :])[1][-1][0]
    largest = output_text(float(y.max()), "softmax")
    hint = _hint(w)
    assert largest not in hint, ("hidden outputs, yet the hint says:", hint)
