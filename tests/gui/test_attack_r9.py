"""Attacks of round 9: the monkeys (monkey_walk, monkey_data, monkey_focus,
monkey_phase) and targeted experiments with training running at full speed
during structure edits, dataset changes, lesson switches, undo/redo, the
step-through, files, presenter mode and resizes; each case found is kept here as
a plain GUI test."""

from __future__ import annotations

from .conftest import open_lesson

WAIT = 120_000          # ms: a bound on a busy machine (never a pass/fail time)


def test_the_training_panel_built_while_training_runs_has_a_timeline(qtbot):
    """The Training panel is built when first shown; shown while a run goes on,
    its timeline had no snapshot list until the run paused, and moving the slider
    then (monkey_phase digits-8x8 seed 401: the Training tab raised during a
    run) raised AttributeError in a Qt slot.  Moved during the run it shows
    nothing else; paused, it lists the run's snapshots."""
    w = open_lesson(qtbot, "encoder-8-3-8")       # its Training panel not yet built
    assert not w.training_dock.built()
    c = w.controller
    c.speed = 0
    c.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0, timeout=WAIT)
    panel = w.training                      # built now, during the run
    assert c.running and not panel.timeline.isEnabled()
    panel.timeline.setValue(panel.timeline.maximum() // 2)
    assert c.running
    c.pause()
    epochs = c.snapshot_epochs()
    assert len(epochs) > 1 and panel.timeline.isEnabled()
    assert panel.timeline.maximum() == len(epochs) - 1
    assert panel.timeline_epoch() == epochs[-1] == w.doc.lesson.epoch
