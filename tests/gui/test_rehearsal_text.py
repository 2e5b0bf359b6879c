"""What a lecture rehearsal at 1024×768 in presenter mode found: text on stage
that contradicted the window.  Each test acts as the presenter did (keys, the
guide's buttons) and checks the widgets' data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aeviz.gui.drawing.diagram_items import fmt
from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_reveal_brings_the_context_strips_numbers_with_the_diagrams(qtbot):
    """Undercomplete 4-2-4 on stage, Ctrl+P, key 3, R: the strip stayed at
    "d(x, y) = ? · loss ?" while the diagram and Values showed the numbers."""
    w = open_lesson(qtbot, "encoder-4-2-4")
    present(w, (1024, 768))
    settle()
    strip = w.stage.strip
    assert strip.isVisible()                       # no guide: the strip has the readouts
    qtbot.keyClick(w, Qt.Key_P, Qt.ControlModifier)
    qtbot.keyClick(w, Qt.Key_3)
    settle()
    assert w.classroom.predicting and w.values.hidden
    assert "= ?" in strip.text() and "loss ?" in strip.text()
    qtbot.keyClick(w, Qt.Key_R)
    settle()
    assert w.classroom.revealed and not w.values.hidden
    ev = w.doc.lesson.evaluation()
    assert "?" not in strip.text(), strip.text()
    assert w.values.error.text() != "?" and w.values.error.text() in strip.text()
    assert f"loss {fmt(ev.loss)}" in strip.text()
    qtbot.keyClick(w, Qt.Key_2)                    # a new input: hidden again, strip too
    settle()
    assert w.values.hidden and "loss ?" in strip.text()


def _predict_step(w) -> int:
    return next(i for i, s in enumerate(w.guide.steps)
                if s.task is not None and s.task.kind == "predict_winner")


def test_an_answered_prediction_shows_its_values_and_marks_the_answer_when_revisited(qtbot):
    """The forward pass by hand, step 4: answer "output 3", Page Up, Page Down:
    it said "✓ Done" with every code and output "?", and no button said which
    answer was given."""
    w = open_lesson(qtbot, "forward-pass")
    k = _predict_step(w)
    while w.guide.index < k:
        qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.values.hidden and w.diagram.hidden_layers
    buttons = w.guide_panel.choice_buttons
    assert not any(b.isChecked() for b in buttons)
    qtbot.mouseClick(buttons[2], Qt.LeftButton)           # output 3: right
    assert k in w.guide.done and not w.values.hidden
    for key in (Qt.Key_PageUp, Qt.Key_PageDown):
        qtbot.keyClick(w, key)
    settle()
    assert w.guide.index == k and k in w.guide.done
    assert not w.classroom.predicting or w.classroom.revealed
    assert not w.values.hidden and not w.diagram.hidden_layers
    assert "?" not in [w.values.error.text(), w.values.loss.text()]
    assert w.doc.lesson.pattern_index() == 2
    buttons = w.guide_panel.choice_buttons
    assert [b.isEnabled() for b in buttons] == [False] * 5        # answered: locked ...
    assert [b.isChecked() for b in buttons] == [False, False, True, False, False]  # ... marked
    assert buttons[2].accessibleDescription() == "your answer"
    assert "✓ Done" in w.guide_panel.done.text()


def test_an_answered_choice_stays_marked_after_back_and_next(qtbot):
    w = open_lesson(qtbot, "forward-pass")
    last = len(w.guide.steps) - 1                  # "What do the five outputs add up to?"
    w.guide.go(last, perform=True)
    buttons = w.guide_panel.choice_buttons
    qtbot.mouseClick(buttons[1], Qt.LeftButton)          # wrong: nothing marked, still open
    assert last not in w.guide.done and not any(b.isChecked() for b in buttons)
    qtbot.mouseClick(buttons[0], Qt.LeftButton)          # "1": right
    assert last in w.guide.done
    qtbot.mouseClick(w.guide_panel.back, Qt.LeftButton)
    qtbot.mouseClick(w.guide_panel.next, Qt.LeftButton)   # (Skip: the step before is open)
    assert w.guide.index == last
    buttons = w.guide_panel.choice_buttons
    assert [b.isChecked() for b in buttons] == [True, False, False]
    assert not any(b.isEnabled() for b in buttons)


def test_a_saturated_tanh_code_is_never_shown_as_plus_or_minus_one(qtbot):
    """tanh never reaches ±1 (float64 rounds tanh(30) to 1.0): the diagram, the
    Values panel and the Patterns table write ">0.999" / "<-0.999", as softmax
    outputs already were (">0.999")."""
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    m = load_preset("article-example")
    m.network.weights[0][0] = [30.0, -30.0]
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    qtbot.keyClick(w, Qt.Key_1)
    settle()
    assert list(w.doc.lesson.forward()[1][1][0]) == [1.0, -1.0]
    plain = lambda s: s.replace("\u2212", "-")           # the diagram may draw a true minus
    labels = [plain(w.diagram.neurons[1][j].label.text()) for j in range(2)]
    assert labels == [">0.999", "<-0.999"]
    assert [w.values.code.cell_text(j) for j in range(2)] == [">0.999", "<-0.999"]
    model = w.patterns.model()
    code = model.index(0, 1).data()
    assert code == "(>0.999, <-0.999)", code
    assert plain(w.diagram.neurons[0][0].label.text()) == "1.000"     # an input is data


def test_digits_step_three_keeps_the_code_space_on_stage_when_it_was_there_already(qtbot):
    """Rehearsal (a real window): digits-8x8 step 3 names Loss, then Code space,
    yet the Loss plot came on stage. Step 2 had put the code space there already:
    shown again, a visible dock sends no visibilityChanged, so the stage's
    "front" stayed the Loss plot that step 3 had just shown."""
    from PySide6.QtWidgets import QDockWidget
    w = open_lesson(qtbot, "digits-8x8")
    present(w, (1024, 768))
    settle()
    for answer in (1, 2):                               # steps 1 and 2: right answers
        w.guide_panel.choice_buttons[answer].click()
        qtbot.keyClick(w, Qt.Key_PageDown)
        settle()
        assert w.findChild(QDockWidget, "Code space").isVisible(), w.guide.index
    settle()                                            # the stage's fit (a zero-timer)
    assert w.guide.steps[w.guide.index].text.startswith("Train 300 epochs")
    assert w.findChild(QDockWidget, "Code space").isVisible()
    assert not w.findChild(QDockWidget, "Loss").isVisible()


def test_layer_titles_number_every_hidden_layer_the_code_included(qtbot):
    """Rehearsal: "hidden 1, code h, hidden 3" (no hidden 2). The hidden layers
    keep the numbers their units are named by (a1_j, a3_j) and the code says it is
    hidden layer 2; a net whose only hidden layer is the code keeps "code h"."""
    w = open_lesson(qtbot, "deep-hourglass")
    titles = [t.text().replace("\n", " ") for t in w.diagram.headers]   # wrapped: one title
    assert titles == ["input x (8)", "hidden 1 (tanh)", "code h = hidden 2 (tanh)",
                      "hidden 3 (tanh)", "output y (softmax)"], titles
    w.files.open_preset("train-5-2-5")
    settle()
    assert [t.text() for t in w.diagram.headers][1] == "code h (tanh)"


def test_the_stuck_lessons_step_says_where_the_stuck_detector_is_and_what_it_offers(qtbot):
    """Rehearsal (presenter mode): "the stuck detector blames the rate" named
    something not on stage. The step says where it is (the status bar, which
    presenter mode hides) and its button's text is the one the window shows."""
    from aeviz.core.files.presets import load_preset
    text = load_preset("stuck-5-2-5").guide[2].text
    assert "status bar" in text and "presenter mode hides it" in text
    w = open_lesson(qtbot, "stuck-5-2-5")
    w.training_ui.stuck_button.hide()
    w.guide.go(1, perform=True)                         # the app trains 300 epochs at rate 5
    qtbot.waitUntil(lambda: not w.controller.running and w.doc.lesson.epoch == 300,
                    timeout=20000)
    w.controller.run_epochs(100, "Train more at this rate")     # "Training more …"
    qtbot.waitUntil(lambda: not w.controller.running and w.doc.lesson.epoch == 400,
                    timeout=20000)
    w.training_ui.check_stuck(force=True)
    assert w.training_ui.stuck_button.isVisibleTo(w)
    assert f"“{w.training_ui.stuck_button.text()}”" in text
    present(w, (1024, 768))
    settle()
    assert not w.statusBar().isVisible()                # as the step says


def test_the_denoising_step_names_the_compare_button_as_the_window_does(qtbot):
    from PySide6.QtWidgets import QPushButton
    w = open_lesson(qtbot, "denoising-bars")
    page = w.guide.tabs.page("Denoising")               # built when first asked for
    names = {b.text() for b in page.findChildren(QPushButton)}
    step = w.guide.steps[2].text
    assert "Compare with a net trained without noise" in names
    assert "“Compare with a net trained without noise”" in step


def test_the_generate_readout_writes_a_saturated_output_as_what_it_is(qtbot):
    """The Generate panel's "largest output y…" follows the same rule: a softmax
    output float64 rounds to 1.0 is "> 0.999" ("y1 > 0.999", not "y1 = >0.999")."""
    import numpy as np
    w = open_lesson(qtbot, "train-5-2-5")
    panel = w.generate_panel                            # built on first use
    net = w.doc.lesson.network
    code = np.array([400.0, -400.0])                    # far out: a one-hot in float64
    y = net.decode(code[None, :])[0]
    assert y.max() == 1.0
    panel.show_decoded(code, y)
    text = panel.readout.text()
    assert f"largest output y{int(np.argmax(y)) + 1} > 0.999." in text, text
    assert "= >" not in text and "= 1.000." not in text, text


def test_the_chosen_answer_follows_the_text_size(qtbot):
    """Second rehearsal: after Ctrl+= twice the chosen answer kept the small font
    while the other buttons grew (and kept the large one after Esc)."""
    from aeviz.gui.window.screenshot import present
    w = open_lesson(qtbot, "article-example")
    present(w, (1024, 768))
    task = w.guide.step.task
    w.guide_panel.choice_buttons[task.answer].click()
    chosen = w.guide_panel.choice_buttons[task.answer]
    other = w.guide_panel.choice_buttons[1 - task.answer]
    assert chosen.accessibleDescription() == "your answer"
    for step in (w.classroom.font_step + 1, w.classroom.font_step + 2, 0):
        w.classroom.set_font_step(step)
        QApplication.processEvents()
        assert chosen.font().pointSizeF() == other.font().pointSizeF(), step
