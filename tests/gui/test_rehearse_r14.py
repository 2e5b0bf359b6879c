"""Rehearsal round 14: the lessons forward-pass, six-steps, linear-pca, stuck-8-3-8,
stuck-5-2-5, overcomplete-5-8-5, encoder-8-3-8, vae-digits and generate-digits
followed as a student would, in the real window, on stage (F5 first) at 1024x768
and in the normal window at 1280x800, with training where a step asks for it.
Each test reproduces a defect seen in the window (it fails until the defect is
fixed); they check the window's data (which panels are shown, what the guide and
the stuck detector say), not pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _f5(qtbot, w) -> None:
    qtbot.keyClick(w, Qt.Key_F5)
    qtbot.waitUntil(lambda: w.statusBar().isHidden())
    present(w, (1024, 768))
    settle()


def test_the_stuck_lesson_brings_the_settings_its_task_needs_on_stage(qtbot):
    """stuck-5-2-5 on stage at 1024x768, F5 before step 1 (Settings on stage:
    learning rate 5).  Page Down: the app trains 300 epochs (step 2); Page Down:
    step 3's task reads "Set the learning rate to 1 (Settings), press Reset
    weights (Ctrl+R) and train until the run is solved".  The step points at the
    Settings panel and the Patterns tab; on stage only the Patterns table comes
    (the step's last-named panel), the Settings panel with the learning-rate
    field the task asks for is off stage, and the task names Ctrl+R for the
    hidden toolbar's button but not Ctrl+3 for the panel.  The class sees a task
    it cannot do with what the window shows."""
    w = open_lesson(qtbot, "stuck-5-2-5")
    _f5(qtbot, w)
    assert w.findChild(QDockWidget, "Settings").isVisible()          # step 1: it is there
    qtbot.keyClick(w, Qt.Key_PageDown)                               # step 2: 300 epochs
    qtbot.waitUntil(lambda: not w.controller.running and w.doc.lesson.epoch >= 300)
    qtbot.keyClick(w, Qt.Key_PageDown)                               # step 3: the task
    settle()
    step = w.guide.step
    assert step.task is not None and "learning rate to 1 (Settings" in step.task.prompt
    assert "Settings" in [t.panel for t in step.look_at]
    settings = w.findChild(QDockWidget, "Settings")
    assert "Ctrl+3" in w.guide_panel.prompt.text()       # the panel's key, named
    assert settings.isVisible(), (
        "step 3 asks for the Settings panel; on stage:",
        [d.objectName() for d in w.findChildren(QDockWidget) if d.isVisible()])


def test_a_wrong_prediction_does_not_show_the_answer_and_ask_to_try_again(qtbot):
    """forward-pass, step 4 (the same at 1024x768 on stage and 1280x800): the
    step feeds pattern 3 and hides the code and the outputs ("?") for a
    prediction.  The student clicks "output 1" (wrong).  At once the diagram and
    the Values panel show every value (y3 = 0.588, the largest, in plain sight)
    while the hint says "Not output 1: it is 0.128. Look at each output's sum in
    the Explain panel (F1) and try again."  The second try is reading, not
    predicting: clicking "output 3" now gives "✓ Done" and counts as a task
    done.  Either the values stay hidden for the retry, or the hint does not
    invite one."""
    w = open_lesson(qtbot, "forward-pass")
    _f5(qtbot, w)
    k = next(i for i, s in enumerate(w.guide.steps)
             if s.task is not None and s.task.kind == "predict_winner")
    while w.guide.index < k:
        qtbot.keyClick(w, Qt.Key_PageDown)
    settle()
    assert w.classroom.predicting and w.values.hidden
    qtbot.mouseClick(w.guide_panel.choice_buttons[0], Qt.LeftButton)   # output 1: wrong
    settle()
    assert k not in w.guide.done
    hint = w.guide_panel.hint.text() if w.guide_panel.hint.isVisible() else ""
    shown = not w.values.hidden and not w.diagram.hidden_layers
    assert not (shown and "try again" in hint), (
        "the values are revealed and the hint says:", hint)


def test_the_vae_lesson_trained_as_it_says_gets_no_lower_the_rate_advice(qtbot):
    """vae-digits at 1280x800 (and on stage, where the advice is a notice over
    the diagram): the lesson text says "Train 3,000 epochs (β = 0.01) ... Now
    codes drawn from N(0, I) are digits".  After 3,000 epochs every digit is
    reconstructed (Patterns table: "yes" in every row), yet the status bar says
    "Not solved: every pattern was reconstructed 11 times (13 in this test), each time for fewer
    than 100 epochs in a row, then lost again. The steps are too large for these
    weights (learning rate 0.01): a new seed would not help. Lower the learning
    rate (to 0.002, say) and reset the weights." with a button "Learning rate
    0.002, fresh weights".  A VAE's training decodes a sampled code, so its
    patterns come and go by themselves (the detector already ignores drops and
    jumps for variational runs, not whole-set flickers): the app tells the class
    to undo the lesson's own settings."""
    w = open_lesson(qtbot, "vae-digits", (1280, 800))
    w.controller.run_now(lambda session: session.advance(3000), "Train", True)
    settle()
    assert w.doc.lesson.epoch >= 3000
    assert bool(w.doc.lesson.evaluation().reconstructed.all())       # every digit: "yes"
    w.training_ui.check_stuck(force=True)
    settle()
    report = w.doc.lesson.stuck_report() or ""
    assert "steps are too large" not in report, report
    assert not w.training_ui.stuck_button.isVisible(), w.training_ui.stuck_button.text()


def test_a_wrong_prediction_on_stage_names_the_largest_and_fits(qtbot):
    """The fix above, on stage at 1024x768: the wrong pick reveals the values,
    the hint names the largest output as the diagram shows it, the choices lock
    (one pick a visit), the button reads Next, and every word fits the stage.
    Back and Next hide the values again for a fresh pick, which counts."""
    from aeviz.core.engine.activations import output_text
    from .test_stage import check_stage, fits
    w = open_lesson(qtbot, "forward-pass")
    _f5(qtbot, w)
    k = next(i for i, s in enumerate(w.guide.steps)
             if s.task is not None and s.task.kind == "predict_winner")
    w.guide.go(k, perform=True)
    settle()
    y = w.doc.lesson.forward()[1][-1][0]
    right, wrong = int(y.argmax()), int(y.argmin())
    qtbot.mouseClick(w.guide_panel.choice_buttons[wrong], Qt.LeftButton)
    settle()
    hint = w.guide_panel.hint.text()
    assert f"output {right + 1} is the largest, {output_text(float(y[right]), 'softmax')}" in hint
    assert "try again" not in hint and not w.classroom.hiding
    assert not any(b.isEnabled() for b in w.guide_panel.choice_buttons)
    assert w.guide_panel.next.text().startswith("Next")
    qtbot.waitUntil(lambda: fits(w))
    check_stage(w, "forward-pass, a wrong prediction")
    qtbot.keyClick(w, Qt.Key_PageUp)
    qtbot.keyClick(w, Qt.Key_PageDown)
    settle()
    assert w.guide.index == k and w.classroom.hiding      # a fresh prediction
    qtbot.mouseClick(w.guide_panel.choice_buttons[right], Qt.LeftButton)
    assert k in w.guide.done
