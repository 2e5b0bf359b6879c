"""Attack round 14: the changes of round 13 (the guide's one look per lesson event,
the code space's hover card, decoding refused under "Predict, then reveal", the
code-space note under predict, the stage keeping the open step's panels).  Each
test reproduces a defect found in the real window (it fails until the defect is
fixed); the tests check the window's data, not pixels."""

from __future__ import annotations

import numpy as np

from .test_presenter import open_lesson


def _drawn(item) -> bool:
    """Whether a pyqtgraph curve is on screen with something to draw."""
    x, _y = item.getData()
    return item.isVisible() and x is not None and len(x) > 0


def test_predict_hides_a_vaes_sigma_ellipses_with_the_codes(qtbot):
    """vae-digits (10 digits, a 2-unit variational code) at 1280x800.  The
    teacher turns "Predict, then reveal" on (Ctrl+P) and asks the class where
    pattern 1's code will be.  The code space hides its dots (the note now says
    "The codes are hidden: predict, then reveal (R)"), but each pattern's
    1-sigma ellipse stays drawn, centred on that pattern's mean code μ: ten
    ellipses mark exactly where the ten hidden codes are (ellipse 1's centre is
    μ1 = (-0.317, -0.090)), and they go on following the codes while training
    runs.  The answer the class was to predict is on the screen, with no R
    pressed, under a note that says it is hidden."""
    w = open_lesson(qtbot, "vae-digits", (1280, 800))
    net = w.doc.lesson.network
    assert net.variational and net.code_size == 2
    w.registry["predict"].trigger()                      # Ctrl+P
    assert w.classroom.hiding and w.code_space.hidden
    assert not w.code_space.points.isVisible()           # the dots are hidden
    mu = net.code(w.doc.lesson.data())
    shown = []
    for item, m in zip(w.generate.ellipses, mu):
        if _drawn(item):
            x, y = item.getData()
            centre = ((x.max() + x.min()) / 2, (y.max() + y.min()) / 2)
            if np.allclose(centre, m, atol=1e-6):
                shown.append(m)
    assert not shown, (f"{len(shown)} σ ellipses drawn around the hidden codes μ, "
                       f"the first at {shown[0] if shown else None}")
    # training goes on (one frame): still none drawn while the prediction is hidden
    w.controller.run_now(lambda session: session.advance(5), "Train", True)
    qtbot.wait(50)
    assert w.classroom.hiding
    assert not any(_drawn(item) for item in w.generate.ellipses)
    w.registry["reveal"].trigger()                       # R: they come back with the dots
    assert sum(_drawn(item) for item in w.generate.ellipses) == len(mu)
