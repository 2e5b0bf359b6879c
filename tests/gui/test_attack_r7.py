"""Attacks on the digits' training in a process while it plays (round 7): what a
person does with the window while the 1,797 digits train, and what each frame
then shows."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import open_lesson

WAIT = 120_000          # ms: a bound on a busy machine (never a pass/fail time)


def _frames(w) -> list:
    """(epoch, fed input) of every frame shown from now on."""
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(w.doc.lesson.epoch))
    return shown


@pytest.mark.parametrize("in_process", [True, False])
def test_a_pattern_fed_while_the_digits_train_is_the_one_each_frame_shows(
        qtbot, monkeypatch, in_process):
    """Feeding another digit during a run (not an edit: the run goes on): every
    frame after it shows that digit's forward pass and marks its row, not the
    digit fed at Play (the frames' values were computed for the input of Play).
    In the training process, and on the thread (a bundle)."""
    from aeviz.gui.runtime import process_keeper
    monkeypatch.setattr(process_keeper, "IN_PROCESS", in_process)
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    c.speed = 0
    c.play()
    try:
        qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        assert c.in_process == in_process
        lesson.feed_pattern(7)
        assert c.running
        shown = _frames(w)
        qtbot.waitUntil(lambda: len(set(shown)) >= 3, timeout=WAIT)
        qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
        _zs, acts = lesson.network.forward(lesson.x[None, :])
        np.testing.assert_array_equal(lesson.derived.get("forward")[1][-1], acts[-1])
        assert lesson.derived.get("pattern index") == 7
    finally:
        c.pause()


def test_the_fed_input_values_are_all_the_values_that_depend_on_the_fed_input(qtbot):
    """What a frame recomputes for a pattern fed during a run (FED_INPUT_VALUES):
    every value the digits' window registers that differs between two fed digits."""
    import pickle

    from aeviz.core.lessons.derived import FED_INPUT_VALUES, Derived
    for name in ("digits-8x8", "digits-8x8-vae"):
        w = open_lesson(qtbot, name)
        lesson = w.doc.lesson
        functions = lesson.derived.functions
        a, b = (Derived(lesson.model.copy(), lesson.data()[p].copy(), functions, 0)
                for p in (0, 7))
        a.compute_all()
        b.compute_all()
        differ = {k for k in functions
                  if pickle.dumps(a.values[k]) != pickle.dumps(b.values[k])}
        assert differ == set(FED_INPUT_VALUES), name


def _agrees(qtbot, w) -> None:
    """The Values panel's epoch and loss and the Patterns table's d(x, y) column
    are those of a fresh evaluation of the lesson's network (after a pause)."""
    from aeviz.core.model import evaluate
    from aeviz.gui.drawing.diagram_items import fmt
    lesson = w.doc.lesson
    assert not w.controller.running
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    qtbot.waitUntil(lambda: not w.patterns.throttled.pending, timeout=WAIT)
    ev = evaluate(lesson.network, lesson.training, lesson.data())
    assert w.values.epoch.text() == str(lesson.epoch)
    assert w.values.loss.text().split(" + ")[0] == fmt(ev.loss)
    model = w.patterns.patterns_model
    rows = range(0, len(ev.errors), 89)
    assert [model.cells(p)[3] for p in rows] == [fmt(ev.errors[p]) for p in rows]
    _zs, acts = lesson.network.forward(lesson.x[None, :])
    np.testing.assert_array_equal(lesson.forward()[1][-1], acts[-1])


@pytest.mark.parametrize("name", ["digits-8x8", "digits-8x8-vae"])
def test_pausing_and_playing_quickly_many_times_keeps_every_readout_true(qtbot, name):
    w = open_lesson(qtbot, name)
    c, lesson = w.controller, w.doc.lesson
    qtbot.waitExposed(w)
    c.speed = 0
    rng = np.random.default_rng(0)
    for i in range(12):
        c.play()
        assert c.in_process
        frames = int(rng.integers(0, 4))
        if frames:
            shown = _frames(w)
            qtbot.waitUntil(lambda: len(shown) >= frames, timeout=WAIT)
        c.pause()
        _agrees(qtbot, w)
    assert lesson.epoch > 0
    assert c.process.alive()


def _frame_checker(w):
    """Every frame shown: its evaluation is that of the lesson's network with the
    lesson's settings (not of another state, other settings or another run)."""
    from aeviz.core.model import evaluate
    lesson, bad, count = w.doc.lesson, [], [0]

    def check() -> None:
        if w.doc.values_pending:
            return
        count[0] += 1
        ev = evaluate(lesson.network, lesson.training, lesson.data())
        shown = lesson.evaluation()
        if not (np.allclose(shown.errors, ev.errors, rtol=1e-12, atol=1e-12)
                and np.isclose(shown.penalty, ev.penalty, rtol=1e-12, atol=1e-15)
                and np.isclose(shown.loss, ev.loss, rtol=1e-12, atol=1e-15)):
            bad.append((lesson.epoch, shown.loss, ev.loss, shown.penalty, ev.penalty))
    w.doc.values_changed.connect(check)
    return bad, count


@pytest.mark.parametrize("name", ["digits-8x8", "digits-8x8-vae"])
def test_settings_edits_undone_and_redone_while_training_show_no_stale_frame(qtbot, name):
    w = open_lesson(qtbot, name)
    c, lesson = w.controller, w.doc.lesson
    qtbot.waitExposed(w)
    bad, count = _frame_checker(w)
    c.speed = 0
    c.play()
    try:
        for name, value in (("learning_rate", 0.02), ("weight_decay", 0.01),
                            ("learning_rate", 3.0), ("weight_decay", 0.0)):
            at = count[0]
            lesson.set_setting(name, value)
            assert c.running
            qtbot.waitUntil(lambda: count[0] >= at + 3, timeout=WAIT)
        for move in ("undo", "undo", "redo", "undo", "redo", "redo"):
            at = count[0]
            getattr(lesson, move)()
            assert c.running
            qtbot.waitUntil(lambda: count[0] >= at + 3, timeout=WAIT)
    finally:
        c.pause()
    assert not bad, bad[:3]
    _agrees(qtbot, w)
    assert lesson.training.weight_decay == 0.0 and lesson.training.learning_rate == 3.0


def _digits_at_full_speed(qtbot):
    """digits-8x8 shown, at full speed: (window, controller, lesson, the controller's
    messages as they come)."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitExposed(w)
    messages = []
    w.controller.message.connect(messages.append)
    w.controller.speed = 0
    return w, w.controller, w.doc.lesson, messages


def test_a_child_killed_at_any_moment_is_reported_and_the_next_play_trains(qtbot):
    """Killed at once after Play, after a rate edit, during a run after earlier
    runs, and between two runs: each run it ends says so, the window shows the
    lesson as committed, and the next Play trains in a new child."""
    import os
    import signal

    from aeviz.gui.runtime import training
    w, c, lesson, messages = _digits_at_full_speed(qtbot)

    def kill() -> None:
        os.kill(c.process.process.pid, signal.SIGKILL)

    for when in ("at once", "after an edit", "after frames", "paused"):
        c.play()
        assert c.in_process
        qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        c.pause()
        committed = lesson.epoch
        dead = c.process
        if when == "paused":
            kill()
            qtbot.waitUntil(lambda: not dead.process.is_alive(), timeout=WAIT)
        c.play()
        if when == "after an edit":
            lesson.set_setting("learning_rate", lesson.training.learning_rate * 0.9)
        if when == "after frames":
            qtbot.waitUntil(lambda: c.latest is not None and lesson.epoch > committed,
                            timeout=WAIT)
        if when != "paused":
            assert c.process is dead
            kill()
            qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
            assert messages[-1] == training.PROCESS_FAILED
            assert w.statusBar().currentMessage() == training.PROCESS_FAILED
            assert lesson.epoch == committed
        else:
            assert c.running and c.process is not dead
            qtbot.waitUntil(lambda: lesson.epoch > committed, timeout=WAIT)
            c.pause()
        _agrees(qtbot, w)
    c.run_epochs(2, "Train")
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    assert c.process.alive() and messages.count(training.PROCESS_FAILED) == 3
    _agrees(qtbot, w)


def test_the_phase_walk_right_after_play_commits_the_run_and_steps_once(qtbot):
    """N at once after Play (before a frame), and again after frames: the run is
    committed, the walk goes through every phase and its update is one more
    step; Play in the middle of a walk ends it and trains on."""
    from aeviz.core.measures.phases import PHASES
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson, phase = w.controller, w.doc.lesson, w.registry["phase"]
    qtbot.waitExposed(w)
    c.speed = 0
    for wait_frames in (False, True, True):
        c.play()
        if wait_frames:
            qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        phase.trigger()
        assert not c.running
        epoch = lesson.epoch
        for _ in range(len(PHASES) - 1):
            qtbot.waitUntil(lambda: not c.steps.busy, timeout=WAIT)
            phase.trigger()
        qtbot.waitUntil(lambda: not c.steps.busy and w.phases.phase == len(PHASES) - 1,
                        timeout=WAIT)
        assert lesson.undo_stack.undo_text() == "Step one update"
        _agrees(qtbot, w)
        assert lesson.epoch in (epoch, epoch + 1)
    phase.trigger()                                   # back to the normal view
    assert w.phases.trace is None
    phase.trigger()                                   # a new walk, stopped by Play
    qtbot.waitUntil(lambda: not c.steps.busy and w.phases.trace is not None, timeout=WAIT)
    c.play()
    assert c.running and w.phases.trace is None
    at = lesson.epoch
    qtbot.waitUntil(lambda: lesson.epoch > at, timeout=WAIT)
    c.pause()
    _agrees(qtbot, w)


def test_closing_the_window_or_opening_another_lesson_while_training(qtbot):
    """Another lesson and back while the digits train, then closing the window:
    no thread or child is left, and the lesson shown agrees with itself."""
    w = open_lesson(qtbot, "digits-8x8")
    c = w.controller
    qtbot.waitExposed(w)
    c.speed = 0
    children = []
    for name in ("digits-8x8-vae", "train-5-2-5", "digits-8x8", "digits-8x8"):
        c.play()
        qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        if c.process is not None:
            children.append(c.process)
        w.files.open_preset(name)
        assert not c.running
        assert w.doc.lesson.model.name == load_name(name)
        _agrees_any(qtbot, w)
    c.play()
    qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
    children.append(c.process)
    w.close()
    assert not c.running
    for child in children:
        qtbot.waitUntil(lambda: not child.process.is_alive(), timeout=WAIT)


def load_name(name: str) -> str:
    from aeviz.core.files.presets import load_preset
    return load_preset(name).name


def _agrees_any(qtbot, w) -> None:
    """:func:`_agrees` for a lesson that may have no pictures (the 5-2-5)."""
    if w.doc.in_background():
        _agrees(qtbot, w)
    else:
        assert w.values.epoch.text() == str(w.doc.lesson.epoch)


def test_undo_and_redo_while_the_digits_train(qtbot):
    """Undo during a run commits it and undoes it (back to Play's epoch), Redo
    brings it back; a weight edit made during a run and undone during the next."""
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    qtbot.waitExposed(w)
    c.speed = 0
    c.run_epochs(3, "Train")
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    c.play()
    qtbot.waitUntil(lambda: lesson.epoch > 4, timeout=WAIT)
    lesson.undo()
    assert not c.running and lesson.epoch == 3
    _agrees(qtbot, w)
    lesson.redo()
    trained = lesson.epoch
    assert trained > 4
    _agrees(qtbot, w)
    c.play()
    qtbot.waitUntil(lambda: lesson.epoch > trained, timeout=WAIT)
    lesson.set_weight(0, 0, 0, 0.5)                  # the run goes on after it
    assert c.running
    qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
    lesson.undo()                                     # the run after the edit
    lesson.undo()                                     # the edit
    assert not c.running
    _agrees(qtbot, w)
    assert lesson.network.weights[0][0, 0] != 0.5


def test_pause_with_a_training_process_that_hangs_ends_it_and_says_so(qtbot, monkeypatch):
    """A child that stops answering (stopped by the system, at any moment: also
    in the middle of sending a frame): Pause ends it after STOP_WAIT_S, says the
    run was not kept, and the next Play trains in a new child."""
    import os
    import signal

    from aeviz.gui.runtime import process_worker, training
    monkeypatch.setattr(process_worker, "STOP_WAIT_S", 0.3)
    w, c, lesson, messages = _digits_at_full_speed(qtbot)
    for frames in (1, 2, 3, 5, 8):
        before = lesson.epoch
        c.play()
        shown = _frames(w)
        qtbot.waitUntil(lambda: len(shown) >= frames, timeout=WAIT)
        hung = c.process
        os.kill(hung.process.pid, signal.SIGSTOP)
        c.pause()
        assert messages and messages[-1] == training.PROCESS_FAILED
        assert lesson.epoch == before
        messages.clear()
        qtbot.waitUntil(lambda: not hung.process.is_alive(), timeout=WAIT)
        _agrees(qtbot, w)
    c.run_epochs(2, "Train")
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    assert c.process.alive() and not messages


def test_a_message_that_stops_coming_midway_lets_the_reader_give_up():
    """The child stopped in the middle of a frame: the reader looks again every
    poll and asks ``waiting`` (which may end the wait) instead of blocking."""
    import os
    import pickle
    import struct
    from multiprocessing import Pipe

    from aeviz.gui.runtime.pipe_reader import PipeReader
    parent, child = Pipe(duplex=True)
    payload = pickle.dumps(np.zeros(10_000))
    os.write(child.fileno(), struct.pack("!i", len(payload)) + payload[:100])
    calls = []

    def waiting() -> None:
        calls.append(1)
        if len(calls) == 3:
            raise TimeoutError("given up")
    reader = PipeReader(parent, waiting, poll_s=0.001)
    with pytest.raises(TimeoutError):
        reader.recv()
    assert len(calls) == 3
    child.close()


def test_pause_at_once_after_the_child_died_says_the_run_was_not_kept(qtbot):
    """Killed, then Pause before the worker noticed: the run that failed is
    reported as for a child that died during the run."""
    import os
    import signal

    from aeviz.gui.runtime import training
    w, c, lesson, messages = _digits_at_full_speed(qtbot)
    for _ in range(3):
        before = lesson.epoch
        c.play()
        qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        os.kill(c.process.process.pid, signal.SIGKILL)
        c.pause()
        assert messages[-1:] == [training.PROCESS_FAILED] and lesson.epoch == before
        messages.clear()
        _agrees(qtbot, w)
