"""Remembered guide progress with fresh weights (#23): reopening a lesson offers
the remembered step, but shows "✓ Done" for a training task only when the
weights in the window have done it."""

from __future__ import annotations

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active


def open_preset(qtbot, name: str) -> MainWindow:
    w = MainWindow(model=load_preset(name))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    return w


def test_a_reopened_lesson_with_fresh_weights_shows_its_training_task_open(qtbot):
    w = open_preset(qtbot, "train-5-2-5")
    step = w.guide.step
    assert step.task is not None and step.task.kind == "reconstructed"
    w.controller.run_now(lambda s: s.advance(400), "Train", True)
    assert 0 in w.guide.done and w.guide_panel.done.isVisible()
    w.close()
    again = open_preset(qtbot, "train-5-2-5")           # the app reopened: fresh weights
    assert again.doc.lesson.epoch == 0
    assert again.guide.index == 0 and 0 not in again.guide.done
    assert not again.guide_panel.done.isVisible()
    assert "tasks done: 0 of" in again.guide_panel.counter.text()
    # the lesson chosen again from File → Lessons: the same
    again.files.open_preset("train-5-2-5")
    assert 0 not in again.guide.done and not again.guide_panel.done.isVisible()
    again.controller.run_now(lambda s: s.advance(400), "Train", True)
    assert 0 in again.guide.done                        # done by these weights: shown


def test_reset_weights_reopens_a_training_task_and_undo_brings_it_back(qtbot):
    """In the window: Reset weights (epoch 0, fresh weights) is not the state the
    task was done in and the run is not solved: no "✓ Done … epoch 0"."""
    w = open_preset(qtbot, "train-5-2-5")
    w.controller.run_now(lambda s: s.advance(400), "Train", True)
    assert 0 in w.guide.done
    w.registry["reset"].trigger()                       # Ctrl+R
    assert w.doc.lesson.epoch == 0
    assert 0 not in w.guide.done and not w.guide_panel.done.isVisible()
    w.doc.lesson.undo()                                 # the trained weights again
    assert w.doc.lesson.epoch == 400
    assert 0 in w.guide.done and w.guide_panel.done.isVisible()
