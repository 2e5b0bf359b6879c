"""Attacks on the digits' training in a process while it plays (round 7): what a
person does with the window while the 1,797 digits train, and what each frame
then shows."""

from __future__ import annotations

import numpy as np

from .conftest import open_lesson

WAIT = 120_000          # ms: a bound on a busy machine (never a pass/fail time)


def _frames(w) -> list:
    """(epoch, fed input) of every frame shown from now on."""
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(w.doc.lesson.epoch))
    return shown


def test_a_pattern_fed_while_the_digits_train_is_the_one_each_frame_shows(qtbot):
    """Feeding another digit during a run (not an edit: the run goes on): every
    frame after it shows that digit's forward pass and marks its row, not the
    digit fed at Play (the frames' values were computed for the input of Play)."""
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    c.speed = 0
    c.play()
    try:
        qtbot.waitUntil(lambda: c.latest is not None, timeout=WAIT)
        assert c.in_process
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
