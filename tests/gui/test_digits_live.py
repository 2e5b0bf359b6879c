"""Training the 1,797 digits in the window (#25): the values are computed off the
GUI thread, and the readouts follow the training instead of staying at the epoch
Play started from (each snapshot waits until the previous one's values are shown)."""

from __future__ import annotations

import time

import numpy as np

from .conftest import open_lesson


def test_the_epoch_readout_follows_training_with_background_values(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    assert w.doc.in_background()                     # the case the issue saw stall
    assert w.values.epoch.text() == "0"
    # values that take longer than the 25 ms between snapshots, as on a busy machine
    # (the issue: "after 5 s the Epoch readout still shows epoch 0")
    w.doc.lesson.add_derived("slow", lambda d: time.sleep(0.1))
    w.controller.speed = 0
    w.controller.play()
    try:
        qtbot.waitUntil(lambda: int(w.values.epoch.text()) >= 3)
        shown = int(w.values.epoch.text())
        qtbot.waitUntil(lambda: int(w.values.epoch.text()) > shown)
    finally:
        w.controller.pause()
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    assert w.values.epoch.text() == str(w.doc.lesson.epoch)


def test_the_code_space_never_computes_values_that_are_being_computed_aside(qtbot):
    """A throttled refresh that fires while the next state's values are computed off
    the GUI thread would compute the 1,797 codes again on the GUI thread (~100 ms
    a time on a busy machine, every frame of training): it waits for them instead."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    cs = w.code_space
    w.doc.lesson.set_weight(0, 1, 1, 0.3)
    assert w.doc.values_pending
    cs.refresh()
    assert not w.doc.lesson.derived.has("code space")
    assert not w.doc.lesson.derived.has("evaluation")
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    cs.throttled.flush()
    qtbot.waitUntil(lambda: w.doc.lesson.derived.has("code space"))
    import numpy as np
    np.testing.assert_allclose(np.column_stack(cs.points.getData()), w.doc.lesson.evaluation().codes)


def test_training_frames_carry_their_values_so_the_gui_thread_never_computes_them(qtbot):
    """The 1,797 digits' evaluation, code space and diagram styles of a training frame
    are computed by the training thread with the frame: each frame is shown at once
    (no second thread, no GUI-thread evaluation), in step with the Epoch readout."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    jobs = w.doc.background.jobs
    shown = []
    w.doc.values_changed.connect(
        lambda: shown.append((w.doc.lesson.epoch, w.doc.lesson.derived.complete())))
    w.controller.speed = 0
    w.controller.play()
    try:
        qtbot.waitUntil(lambda: len(shown) >= 5 and int(w.values.epoch.text()) >= 3)
        assert w.doc.background.jobs == jobs          # nothing computed aside
        assert all(complete for _epoch, complete in shown)
        assert not w.doc.values_pending
        w.values.during_run.flush()                   # (the panel: at most 100 ms behind)
        assert w.values.epoch.text() == str(w.doc.lesson.epoch)
        import numpy as np
        from aeviz.core.model import evaluate
        ev = evaluate(w.doc.lesson.network, w.doc.lesson.model.training, w.doc.lesson.data())
        np.testing.assert_allclose(w.doc.lesson.evaluation().codes, ev.codes)   # this frame's
    finally:
        w.controller.pause()


def test_many_connections_are_repainted_at_most_every_interval_ending_on_the_latest(qtbot):
    """64-32-2-32-64 (4,224 connections): recolours while training are drawn at most
    every REPAINT_MS, and the last colours are always painted; a 5-2-5 repaints at once."""
    import numpy as np
    from aeviz.gui.drawing.edges import MANY_EDGES
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    e = w.diagram.edges
    assert e.drawn > MANY_EDGES
    painted = []
    paint = type(e).paint
    e.paint = lambda *a: (painted.append(e.values.copy()), paint(e, *a))
    qtbot.waitUntil(lambda: not e._repaint.isActive())
    first, last = np.full(e.count, 0.5), np.full(e.count, -0.5)
    e.set_values(first)
    e.set_values(last)                        # within the interval: drawn when it ends
    assert e._repaint_pending
    qtbot.waitUntil(lambda: not e._repaint_pending and painted
                    and np.array_equal(painted[-1], last))
    small = open_lesson(qtbot, "train-5-2-5").diagram.edges
    small.set_values(np.ones(small.count))
    assert not small._repaint.isActive() and not small._repaint_pending


class HandOvers:
    """Stands in for ``Pacing.display_ready`` and notes when the window let the
    worker hand over its next snapshot (``set``)."""

    def __init__(self, event) -> None:
        self.event, self.times = event, []

    def set(self) -> None:
        self.times.append(time.perf_counter())
        self.event.set()

    def __getattr__(self, name):
        return getattr(self.event, name)


def test_snapshots_are_asked_for_at_most_display_hz_a_second(qtbot):
    """The digits' training process makes frames faster than 40 a second once their
    values are cheap: the window asks for the next one no sooner than 1/DISPLAY_HZ
    after it asked for the last (a lower bound: a busy machine only makes it later),
    and still shows frames steadily."""
    from aeviz.gui.runtime.train_process import DISPLAY_HZ
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    pacing = w.controller.pacing
    hand_overs = HandOvers(pacing.display_ready)
    pacing.display_ready = hand_overs
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(w.doc.lesson.epoch))
    w.controller.speed = 0
    w.controller.play()
    try:
        qtbot.waitUntil(lambda: len(hand_overs.times) >= 12, timeout=30_000)
    finally:
        w.controller.pause()
        pacing.display_ready = hand_overs.event
    gaps = np.diff(hand_overs.times[1:])             # the first: Play's own
    assert gaps.min() >= 1.0 / DISPLAY_HZ - 0.001
    assert len(shown) >= 10 and shown == sorted(shown)
