"""The Values panel while training runs: ~40 frames a second reach it, and it
refreshes at most every RUN_INTERVAL_MS (its tables and readouts repainted at
every frame cost the GUI thread ~2.5 ms a frame of the digits), always ending on
the last frame; outside a run every change is shown at once."""

from __future__ import annotations

import numpy as np

from .conftest import engine_forward, open_lesson, table_values


def test_frames_in_a_run_are_shown_at_most_every_interval_and_the_last_one_always(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    panel = w.values
    calls = []
    refresh = panel.during_run.fn
    panel.during_run.fn = lambda: (calls.append(1), refresh())
    panel.skip_out_of_sight = lambda: True               # as while a run goes on
    qtbot.waitUntil(lambda: not panel.during_run.timer.isActive())
    for _ in range(2):                                   # two frames: a new epoch and its
        w.doc.epoch_changed.emit()                       # values; the second one soon
        w.doc.values_changed.emit()                      # after the first: it waits
    assert len(calls) == 1 and panel.during_run.pending
    qtbot.waitUntil(lambda: len(calls) == 2)             # ... and is shown
    assert not panel.during_run.pending


def test_outside_a_run_each_change_is_shown_at_once(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    for k in (1, 2, 3):                                   # three patterns fed in a row
        w.doc.lesson.set_input(np.eye(5)[k])
        code, _ = engine_forward(w, np.eye(5)[k])
        np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)


def test_after_a_run_the_panel_shows_the_trained_network(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    frames = []
    w.doc.values_changed.connect(lambda: frames.append(1))
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 10)
    w.controller.pause()
    qtbot.waitUntil(lambda: not w.controller.running and not w.values.during_run.pending)
    assert int(w.values.epoch.text()) == w.doc.lesson.epoch > 0
    code, out = engine_forward(w, w.doc.lesson.x)
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)


def _training_with_values_in_sight(qtbot, speed: int):
    """train-5-2-5 training at ``speed`` with the Values panel's tables in sight,
    a few frames in, and a frame "just shown" (its next one would wait)."""
    from PySide6.QtWidgets import QDockWidget
    w = open_lesson(qtbot, "train-5-2-5")
    w.findChild(QDockWidget, "Values").raise_()
    qtbot.waitUntil(lambda: not w.values.out_of_sight())
    frames = []
    w.doc.values_changed.connect(lambda: frames.append(1))
    w.controller.speed = speed
    w.controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 3)
    assert w.values.skip_out_of_sight()                  # (a run: frames are throttled)
    return w


def test_a_pattern_fed_while_training_runs_is_shown_at_once(qtbot):
    w = _training_with_values_in_sight(qtbot, speed=0)
    try:
        for k in (3, 1):
            w.values.during_run()                         # as if a frame was just shown
            w.doc.lesson.set_input(np.eye(5)[k])          # no wait for the next refresh
            np.testing.assert_allclose(table_values(w, "Input"), np.eye(5)[k])
    finally:
        w.controller.pause()


def test_a_weight_edited_while_training_runs_is_shown_at_once(qtbot):
    w = _training_with_values_in_sight(qtbot, speed=1)   # slow: the edit is not
    try:                                                  # overtaken by the next frame
        for value in (3.0, -3.0):
            w.values.during_run()                         # as if a frame was just shown
            w.doc.lesson.set_weight(0, 0, 0, value)       # no wait for the next refresh
            code, _ = engine_forward(w, w.doc.lesson.x)
            np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    finally:
        w.controller.pause()
