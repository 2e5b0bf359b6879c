"""Attack round 13: the two digits lessons (digits-8x8, digits-8x8-vae) with
training running: the code space's dots under the mouse, Predict then reveal,
the Generate panel, lesson switches.  Each test reproduces a defect found in the
real window (it fails until the defect is fixed)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from aeviz.core.numbers import vector

from .test_code_space_many import _hover, _viewport_pos as _dot_pos   # (shared set-up)
from .test_presenter import open_lesson as open_at_size


def _shown(qtbot, w) -> None:
    """The lesson's values computed (off the GUI thread for the digits) and the code
    space drawn from them."""
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    w.code_space.throttled.flush()


def test_the_hover_card_names_the_dot_under_the_mouse_while_the_dots_move(qtbot):
    """digits-8x8 at 1280x800, training (Space).  The teacher rests the mouse on a
    dot: the card says "8  (picture 700)".  The mouse stays where it is while the
    codes move with training; the card keeps saying "8  (picture 700)" although
    that dot has long moved away and another dot (a 1, say) now lies under the
    mouse.  The teacher clicks "to feed the 8 the card shows" and picture 124 (an
    8 or a 1, whatever moved under the mouse) is fed: the card and the click
    disagree, and the card names a picture that is nowhere near the mouse."""
    w = open_at_size(qtbot, "digits-8x8", (1280, 800))
    cs = w.code_space
    _shown(qtbot, w)
    qtbot.waitUntil(lambda: cs.plot.getPlotItem().vb.width() > 50)
    p = int(np.argmax(cs._xy[:, 0]))                    # the rightmost dot
    pos = _dot_pos(w, p)
    _hover(cs.plot.viewport(), pos)
    qtbot.waitUntil(lambda: cs.hovered() is not None)
    carded = cs.hovered()
    # training moves the codes (here 30 epochs as one step, as a run's frames do)
    w.controller.run_now(lambda session: session.advance(30), "Train", True)
    _shown(qtbot, w)
    under = cs.dot_at(QPointF(pos))
    assert under != carded                               # that dot left the mouse
    # the card names what is under the mouse (or nothing), as a click would feed
    assert cs.hovered() in (None, under), (cs.card.text.text(), carded, under)


def test_decode_here_keeps_a_hidden_prediction_hidden(qtbot):
    """digits-8x8, training; the teacher feeds picture 5 and turns "Predict, then
    reveal" on (Ctrl+P): the Values panel's loss and d(x, y) are "?", the code is
    hidden on the diagram.  A student asks "what does the decoder make of it?" and
    the teacher presses G (Decode here, "starts at the fed pattern's code").  The
    diagram's caption now reads "Decoding the code h = (-0.01, -5.61) set by hand"
    (the fed picture's hidden code), the output neurons and the Values panel show
    the decoder's output for it (the hidden reconstruction) and the Loss readout
    shows 0.317 (the hidden loss over all patterns), while predict is still on:
    the answers the class was to predict are on the screen, with no R pressed."""
    w = open_at_size(qtbot, "digits-8x8", (1280, 800))
    w.feed_pattern(4)
    w.controller.run_now(lambda session: session.advance(20), "Train", True)
    _shown(qtbot, w)
    w.registry["predict"].trigger()
    assert w.classroom.hiding and w.values.loss.text() == "?"
    lesson = w.doc.lesson
    code = lesson.forward()[1][lesson.network.code_layer][0]
    w.registry["decode_here"].trigger()                  # G
    qtbot.wait(50)
    caption = w.diagram.overlay.caption if w.diagram.overlay is not None else ""
    assert vector(code[:2], 2)[1:-1] not in caption, caption     # the hidden code
    # training goes on: the next frame redraws the Values panel (here one epoch)
    w.controller.run_now(lambda session: session.advance(1), "Train", True)
    _shown(qtbot, w)
    assert w.classroom.hiding                            # still predicting
    assert w.values.loss.text() == "?", w.values.loss.text()    # the hidden loss


def test_a_lesson_switch_does_not_carry_the_label_filter(qtbot):
    """digits-8x8, training; the teacher filters the Patterns table to label 4
    ("Show: label 4", 181 rows) to show the class the fours.  Then File → Lessons
    → "Handwritten digits: a variational code": the code space comes back to dots
    and the data tab to Patterns (a lesson switch starts from the new lesson's own
    view, nothing carried over), but the Patterns table of the new lesson still
    shows only "label 4", 181 of 1,797 rows: the old lesson's filter, which the
    class did not see chosen for this lesson."""
    w = open_at_size(qtbot, "digits-8x8", (1280, 800))
    w.controller.speed = 0
    w.controller.play()
    table = w.patterns
    table.set_label_filter(4)
    assert table.model().rowCount() < 1797
    w.files.open_preset("digits-8x8-vae")
    QApplication.processEvents()
    assert w.doc.lesson.model.name.endswith("variational code")
    assert table.label_filter.currentData() is None, table.label_filter.currentText()
    assert table.model().rowCount() == 1797


def test_the_hover_card_goes_when_the_mouse_leaves_the_code_space(qtbot):
    """digits-8x8 at 1280x800.  The teacher points at a dot to show the class its
    picture (the card: "4  (picture 1409)"), then moves the mouse out of the code
    space, to the toolbar's Play or into the diagram.  The card stays over the
    dots, for good: nothing hides it until the mouse comes back onto the plot
    (and with training running it goes on naming a picture whose dot has moved
    away), covering the dots the class is watching."""
    w = open_at_size(qtbot, "digits-8x8", (1280, 800))
    cs = w.code_space
    _shown(qtbot, w)
    qtbot.waitUntil(lambda: cs.plot.getPlotItem().vb.width() > 50)
    p = int(np.argmax(cs._xy[:, 0]))
    _hover(cs.plot.viewport(), _dot_pos(w, p))
    qtbot.waitUntil(lambda: cs.hovered() is not None)
    # the mouse leaves the plot (Qt sends Leave to the widgets it leaves) for the diagram
    QApplication.sendEvent(cs.plot.viewport(), QEvent(QEvent.Leave))
    QApplication.sendEvent(cs.plot, QEvent(QEvent.Leave))
    _hover(w.diagram.viewport(), QPoint(40, 40))
    qtbot.wait(50)
    assert cs.hovered() is None and not cs.card.isVisible(), cs.card.text.text()


def test_predict_ends_a_decoding_and_reveal_lets_g_decode_again(qtbot):
    """The rules behind the fix above, on the article's 5-2-5: a code decoded by
    hand (G) when the teacher turns predict on goes back to the fed pattern (its
    output would be the answer); G under predict says why it does nothing; after
    R, G decodes again and the refusal is off the status bar."""
    from aeviz.gui.controllers.classroom import DECODE_PREDICT_FIRST
    w = open_at_size(qtbot, "train-5-2-5", (1280, 800))
    w.registry["decode_here"].trigger()                   # G: decoding
    assert w.generate.code is not None
    w.registry["predict"].trigger()                       # Ctrl+P ends it
    assert w.classroom.hiding and w.generate.code is None
    assert not w.registry["decode_here"].isChecked()
    w.registry["decode_here"].trigger()                   # refused, with the reason
    assert w.generate.code is None and not w.registry["decode_here"].isChecked()
    assert w.statusBar().currentMessage() == DECODE_PREDICT_FIRST
    w.registry["reveal"].trigger()                        # R
    assert w.statusBar().currentMessage() != DECODE_PREDICT_FIRST
    w.registry["decode_here"].trigger()
    assert w.generate.code is not None


def test_the_code_space_note_says_the_codes_are_hidden_and_names_a_vaes_means(qtbot):
    """Under predict the code space was an empty plot whose note still said "Each
    pattern's code h; colour: its label" (and its tooltip: hover a dot, click it):
    it now says the codes are hidden until R.  A VAE's dots are its means μ, and
    its note says so (it said "code h", the sampled code)."""
    from aeviz.gui.panels.code_space_note import HIDDEN_SHORT, HOVER
    w = open_at_size(qtbot, "digits-8x8-vae", (1280, 800))
    _shown(qtbot, w)
    note = w.code_space.note
    assert "mean code μ" in note.toolTip() and "code h" not in note.toolTip()
    w.registry["predict"].trigger()
    assert note.toolTip().startswith('"Predict, then reveal" is on')
    assert HIDDEN_SHORT in note.text() and HOVER.strip() not in note.toolTip()
    w.registry["reveal"].trigger()
    assert "mean code μ" in note.text() and HOVER.strip() in note.toolTip()
