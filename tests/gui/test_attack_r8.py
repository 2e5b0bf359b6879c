"""Attacks of round 8: a monkey that checks data (tests/monkey_data.py style walks
on the digits, the VAE, sparse and denoising lessons, training at full and at
normal speed) found each case below; each is kept as a plain GUI test."""

from __future__ import annotations

import numpy as np

from .conftest import open_lesson

WAIT = 120_000          # ms: a bound on a busy machine (never a pass/fail time)


def test_a_new_dataset_while_decoding_over_samples_shows_no_old_sample(qtbot):
    """Decode here (G), Sample (Ctrl+G), then another dataset while training runs:
    ending the decoding showed the samples again, drawn for the 1,797 digits, over
    the 8 bars (``IndexError`` in a Qt slot). The new dataset shows no sample and
    the Generate panel's text is about the fed pattern."""
    from aeviz.core.files.datasets import BUILT_IN
    w = open_lesson(qtbot, "digits-8x8")
    c, g = w.controller, w.generate
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    c.speed = 0
    c.play()
    w.registry["decode_here"].trigger()
    assert g.code is not None
    w.registry["sample"].trigger()
    assert g.samples is not None and g.panel is not None
    assert max(g.samples.nearest) >= 8           # a digit the bars do not have
    title = "Bars 4×4 (8 patterns)"
    w.datasets.use_dataset(BUILT_IN[title](), title, pictures=True)
    assert len(w.doc.lesson.data()) == 8 and c.running
    assert g.code is None and g.samples is None
    assert "N(0, I)" not in g.panel.readout.text()
    c.pause()
