"""Rehearsal round 13: the guided lessons followed as a student would, in the
real window, on stage (F5) at 1024x768 and in the normal window at 1280x800,
with training where a step asks for it.  Each test reproduces a defect seen in
the window (it fails until the defect is fixed); they check the window's data
(which panels are shown, what scrolls, what the texts say), not pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from aeviz.core.guides.guide import DOCKS
from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson
from .test_stage import check_stage, fits

LAYOUT_BOUND = 10_000      # ms: a bound for the stage's zero-timer layout, not a speed claim


def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _step_docks(w) -> list[str]:
    """The docked panels the current guide step points at."""
    return [t.panel for t in w.guide.step.look_at if t.panel in DOCKS]


def _f5(qtbot, w) -> None:
    qtbot.keyClick(w, Qt.Key_F5)
    qtbot.waitUntil(lambda: w.statusBar().isHidden())
    settle()


def test_f5_keeps_the_panel_the_open_step_points_at_on_stage(qtbot):
    """The teacher starts the app (the default lesson, article-example) and
    presses F5 before class, at guide step 1: "Feed pattern 1 and read y = ...";
    the step points at the Values panel (outlined in the normal window).  On
    stage the Values panel is gone: the diagram alone, nothing outlined.  After
    Next and Back to the same step 1 the Values panel is on stage: the same step
    shows different panels depending on whether F5 came before or after it.
    Likewise digits-8x8 step 1 ("its code, one dot in the Code space"): F5 sends
    the Code space off, and the class never sees the dots the step talks about."""
    for name in ("article-example", "digits-8x8"):
        w = open_lesson(qtbot, name)
        named = _step_docks(w)
        assert named, name
        assert all(w.findChild(QDockWidget, n).isVisible() for n in named)
        _f5(qtbot, w)
        shown = [n for n in named if w.findChild(QDockWidget, n).isVisible()]
        assert shown, (name, "step 1 names", named, "none of them on stage after F5")
        w.close()


def _fits_within_bound(qtbot, w) -> bool:
    try:
        qtbot.waitUntil(lambda: fits(w), timeout=LAYOUT_BOUND)
    except Exception:                       # (pytest-qt's TimeoutError)
        return False
    return True


def test_the_denoising_step_and_its_done_mark_fit_the_stage(qtbot):
    """denoising-bars on stage at 1024x768.  Step 2: the student sets Denoising
    noise to masking in Settings (done).  Step 3 brings the Denoising tab below
    the diagram; its text ("Train 800 epochs, then look at the Denoising tab ...
    Noise makes filling in the task from the start ...") fills the guide pane
    and the pane scrolls: the line "Task: Train to epoch 800 or later." is cut
    in half at the pane's lower edge, and after training 800 epochs the
    "✓ Done." below it is out of sight (scroll range 34 px).  The class cannot
    read the task nor see that it is done; the stage promises every word of a
    step without scrolling (test_stage.check_stage), and this lesson is not in
    test_every_step_with_its_answer_fits_the_stage's list."""
    w = open_lesson(qtbot, "denoising-bars")
    present(w, (1024, 768))
    settle()
    qtbot.mouseClick(w.guide_panel.next, Qt.LeftButton)        # step 2: noise off
    combo = w.settings_panel.noise
    combo.setCurrentText("masking")
    combo.activated.emit(combo.currentIndex())
    settle()
    assert 1 in w.guide.done
    qtbot.mouseClick(w.guide_panel.next, Qt.LeftButton)        # step 3: train 800
    settle()
    assert w.findChild(QDockWidget, "Patterns").isVisible()
    w.controller.run_now(lambda session: session.advance(800), "Train", True)
    settle()
    assert 2 in w.guide.done and w.guide_panel.done.isVisibleTo(w.guide_panel)
    _fits_within_bound(qtbot, w)
    body = w.guide_panel.body
    assert body.verticalScrollBar().maximum() == 0, (
        "the guide pane scrolls by", body.verticalScrollBar().maximum(), "px")
    check_stage(w, "denoising-bars step 3, trained")
    # the step's next words: "Then press “Compare with a net trained without noise”"
    page = w.data_tabs.currentWidget()
    qtbot.mouseClick(page.compare, Qt.LeftButton)
    qtbot.waitUntil(lambda: not page.computing, timeout=60_000)
    assert "without noise recovers" in page.status.text()
    _fits_within_bound(qtbot, w)
    assert body.verticalScrollBar().maximum() == 0
    check_stage(w, "denoising-bars step 3, compared")
