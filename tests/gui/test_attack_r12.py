"""Attack round 12: the guided lessons rehearsed on stage at 1024x768 with
"Predict, then reveal", the step-through (N) and training; seeded monkey walks.
Each test reproduces a defect found in the real window (it fails until the
defect is fixed)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt

from aeviz.core.engine.activations import output_text
from aeviz.gui.controllers.classroom import PREDICT_FIRST
from aeviz.gui.window.notice import Notice

from .test_presenter import open_lesson as open_at_size


def _on_stage(qtbot, name: str):
    w = open_at_size(qtbot, name)
    qtbot.keyClick(w, Qt.Key_F5)
    qtbot.waitUntil(lambda: w.statusBar().isHidden())
    return w


def test_the_refusal_notice_goes_when_the_prediction_is_revealed(qtbot):
    """On stage (forward-pass, 1024x768) the teacher turns "Predict, then reveal"
    on (Ctrl+P) and presses N: refused, the notice over the diagram says "The
    prediction is still hidden: reveal it first (R) ...".  The teacher does as
    told and presses R, then N: the values are shown and the step-through walks
    phase by phase, but for the rest of the notice's 10 s the class reads over the
    revealed diagram (and over the walk) that the prediction is still hidden and
    that N shows nothing until R: a message contradicting the screen below it."""
    w = _on_stage(qtbot, "forward-pass")
    w.registry["predict"].trigger()
    w.registry["phase"].trigger()                       # refused: the notice says why
    notice = w.diagram.findChild(Notice)
    assert notice is not None and notice.isVisible() and notice.text() == PREDICT_FIRST
    w.registry["reveal"].trigger()                      # R: as the notice asked
    qtbot.wait(50)
    assert not w.classroom.hiding
    assert not (notice.isVisible() and notice.text() == PREDICT_FIRST)
    w.registry["phase"].trigger()                       # N now walks
    qtbot.wait(50)
    assert w.phases.active
    assert not (notice.isVisible() and notice.text() == PREDICT_FIRST)


def test_the_guide_does_not_quote_the_code_the_diagram_hides(qtbot):
    """forward-pass, guide step 4 ("Your turn: feed pattern 3 (key 3). Its code is
    {h}. Before you look at the output, predict ..."): the step turns "Predict,
    then reveal" on itself.  The guide pane says "Its code is [-0.762, 0.762]"
    while the diagram's code neurons and the Values panel's Code h row show "?"
    (predict hides the code as well as the output): the same number shown in
    one place and hidden in another, on the projector side by side.  (Step 2,
    "The diagram shows h = {h}", does the same when the teacher presses Ctrl+P
    there.)  Either the code stays shown while only the output is predicted, or
    the guide's text hides it too."""
    w = _on_stage(qtbot, "forward-pass")
    w.guide.go(3, perform=True)                         # step 4 of 5: feed 3, predict
    qtbot.wait(50)
    assert w.classroom.hiding
    code = w.doc.lesson.forward()[1][w.doc.lesson.network.code_layer][0]
    quoted = output_text(float(code[0]), "tanh").replace("-", "")
    shown_in_guide = quoted in w.guide.panel.text.text()
    code_hidden_in_diagram = 1 in w.diagram.hidden_layers
    assert not (shown_in_guide and code_hidden_in_diagram), (
        w.guide.panel.text.text(), w.diagram.hidden_layers)


def test_the_wrong_answer_hint_quotes_the_output_as_the_diagram_shows_it(qtbot):
    """forward-pass, guide step 4 (which output is largest for pattern 3?), after
    training (the decoder learnt to make output 2 tiny for pattern 3): the
    student answers "output 2" and the values are revealed.  The diagram and the
    Values panel show y2 as "<0.001" (a softmax never reaches 0), but the hint
    says "Not output 2: it is 0.000": the one number the hint quotes differs from
    the diagram next to it, and says a value softmax cannot take."""
    w = _on_stage(qtbot, "forward-pass")
    w.guide.go(3, perform=True)                         # feeds pattern 3, hides
    lesson = w.doc.lesson
    lesson.set_weight(1, 0, 1, 10.0)                    # h = [-0.762, 0.762] for pattern 3:
    lesson.set_weight(1, 1, 1, -10.0)                   # z2 = -15.2, y2 ~ 1e-7
    qtbot.wait(50)
    y = lesson.forward()[1][-1][0]
    assert y[1] < 5e-4
    w.guide.choose(1)                                   # "output 2": wrong
    qtbot.wait(50)
    assert not w.classroom.hiding                       # revealed with the answer
    hint = w.guide.panel.hint.text()
    assert "Not output 2" in hint
    shown = output_text(float(y[1]), "softmax")
    assert shown in hint or escape(shown) in hint, hint


def test_the_step_through_does_not_call_a_minibatch_the_full_batch(qtbot):
    """digits-8x8 (1,797 pictures, batch size 64), paused at epoch 189 after the
    guide's "Train 300 epochs": the teacher presses N.  Phase 1 says "The input
    layer takes x = [...], pattern 202 (one of 64 in this full batch)": the
    Settings say batch size 64 of 1,797, and a full batch is all of them (the
    class is told the gradient averages over the whole data set when it averages
    over 64).  The same on any lesson with a minibatch: train-5-2-5 with batch
    size 2 says "(one of 2 in this full batch)" of 5 patterns."""
    w = _on_stage(qtbot, "train-5-2-5")
    w.doc.lesson.set_setting("batch_size", 2)
    said = []
    w.phases.changed.connect(lambda title, text: said.append(text))
    w.registry["phase"].trigger()
    qtbot.waitUntil(lambda: w.phases.active)
    assert len(w.phases.trace.patterns) == 2 < len(w.doc.lesson.data())
    assert said and "one of 2" in said[-1]
    assert "full batch" not in said[-1], said[-1]


def test_the_built_in_digits_lesson_is_not_told_its_steps_are_too_large(qtbot):
    """digits-8x8 as its guide says: "Train 300 epochs (Space). The dots of one
    colour gather: for 86 to 92 % of the pictures ...".  The teacher plays
    (default settings, batch size 64) and the clusters form, but from about
    epoch 300 the status (on stage: the notice over the diagram) says "Not
    solved: a reconstructed pattern was lost again 64+ times. The steps are too
    large for these weights (learning rate 0.01): a new seed would not help.
    Lower the learning rate (to 0.002, say) and reset the weights.", with a
    button to do so.  With 1,797 pictures and minibatches a picture's
    reconstruction comes and goes all the time (the detector already ignores
    loss jumps of a minibatch run for that reason): the built-in lesson's own
    settings are called wrong while it does what its guide promises."""
    w = _on_stage(qtbot, "digits-8x8")
    w.controller.run_epochs(360, "Train")
    qtbot.waitUntil(lambda: not w.controller.running, timeout=90_000)
    assert w.doc.lesson.epoch >= 350
    w.training_ui.check_stuck(force=True)
    report = w.controller.stuck_report()
    assert report is None or "steps are too large" not in str(report), str(report)
    assert not w.training_ui.stuck_button.isVisible()


def test_the_bias_badges_under_hidden_neurons_follow_the_weights(qtbot):
    """forward-pass on stage, guide step 4 (predict: the code and the output are
    "?"), the teacher plays: the epoch counts up, the connections recolour, the
    guide's text and the Weights panel follow, but the bias badges under the
    hidden neurons stay at the values they had when predict hid them ("b −0.07"
    at epoch 27 and still at epoch 48; "b +0.00" under the code units).  The
    badges are shown, not "?": they read as the biases now and are not.  Here:
    a bias edited while hidden (Weights panel) is not shown by its badge."""
    w = _on_stage(qtbot, "forward-pass")
    w.registry["predict"].trigger()
    assert w.classroom.hiding
    lesson = w.doc.lesson
    lesson.set_weight(1, 2, 0, 0.5)                     # row n_in = 2: output 1's bias
    qtbot.wait(50)
    assert lesson.network.biases[1][0] == 0.5
    badge = w.diagram.neurons[2][0].bias_label
    assert badge is not None and badge.isVisible()
    assert badge.text().replace("\u2212", "-") == "b +0.50", badge.text()
