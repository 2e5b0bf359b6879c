"""Throttled refreshes: at most one per interval, always ending on the latest
state, and while training shows frames a trailing refresh keeps out of a
frame's paint (it waits until FRAME_CLEAR_MS after the frame)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject

from aeviz.gui.runtime import throttle
from aeviz.gui.runtime.throttle import FRAME_CLEAR_MS, Throttled, frame_shown


def test_a_trailing_refresh_waits_for_a_frame_painted_just_before_it_and_then_runs(qtbot):
    parent = QObject()
    calls = []
    t = Throttled(lambda: calls.append(time.monotonic()), 30, parent)
    t()                                             # leading edge: at once
    t()                                             # trailing: pending
    assert len(calls) == 1 and t.pending
    t.timer.stop()
    frame_shown()                                   # a frame just before it falls due
    shown = throttle._last[0]
    t._on_timeout()                                 # due now: it waits for the frame's paint
    assert len(calls) == 1 and t.pending and t.timer.isActive()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    assert calls[1] >= shown + FRAME_CLEAR_MS / 1000 - 1e-3
    assert not t.pending
    t()                                             # pending again
    t.timer.stop()
    throttle._last[0] = float("-inf")               # long after any frame: at once
    t._on_timeout()
    assert len(calls) == 3 and not t.pending


def test_two_views_due_together_refresh_in_turn_and_both_end_on_the_latest(qtbot):
    parent = QObject()
    a, b = [], []
    ta = Throttled(lambda: a.append(time.monotonic()), 20, parent)
    tb = Throttled(lambda: b.append(time.monotonic()), 20, parent)
    for t in (ta, tb):
        t()
        t()                                         # both pending, due at the same time
    qtbot.waitUntil(lambda: len(a) == 2 and len(b) == 2, timeout=2000)
    assert abs(a[1] - b[1]) >= FRAME_CLEAR_MS / 1000 - 1e-3
