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


def _sample_picture(w) -> np.ndarray:
    """The Generate panel's grid of sample pictures, back as (N, h, w) outputs."""
    from aeviz.gui.panels.generate_panel import sample_columns
    panel, samples = w.generate_panel, w.generate.samples
    h, wd = w.doc.lesson.model.dataset.image
    n = min(len(samples.codes), 16)
    cols = sample_columns(n, (h, wd), panel.pictures.width(), panel.pictures.height())
    rgb = panel.picture.image.transpose(1, 0, 2)[..., 0].astype(float)
    return np.array([rgb[r * (h + 1):r * (h + 1) + h, c * (wd + 1):c * (wd + 1) + wd]
                     for r, c in (divmod(i, cols) for i in range(n))])


def test_samples_follow_training_as_a_decoded_code_does(qtbot):
    """Sample 16 codes, then train on (and undo the run): the panel's pictures,
    its "k of 16 decode to a pattern the network reconstructs" and the grey dots
    are the current decoder's, as for a code decoded by hand (they stayed those
    of the decoder at the moment of sampling while the text spoke of the
    network now)."""
    from aeviz.core.measures import codespace, generate
    w = open_lesson(qtbot, "digits-8x8-vae")
    c, lesson, g = w.controller, w.doc.lesson, w.generate
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    w.registry["sample"].trigger()
    codes = g.samples.codes.copy()
    panel = w.generate_panel

    def agrees() -> None:
        qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
        qtbot.waitUntil(lambda: not g.samples_throttled.pending, timeout=WAIT)
        net, data = lesson.network, lesson.data()
        np.testing.assert_array_equal(g.samples.codes, codes)
        fresh = generate.decode_codes(net, data, codes)
        np.testing.assert_array_equal(g.samples.outputs, fresh.outputs)
        np.testing.assert_array_equal(g.samples.nearest, fresh.nearest)
        grey = np.clip(fresh.outputs, 0, 1).reshape(-1, *lesson.model.dataset.image)
        np.testing.assert_array_equal(_sample_picture(w),
                                      (255 * (1 - grey)).astype(np.uint8).astype(float))
        close = int(generate.counted(fresh, net, data).sum())
        assert panel.sample_text.text().startswith(f"16 codes from N(0, I)")
        assert f" {close} of 16 decode to a pattern" in panel.sample_text.text()
        xy = codespace.project(g.plane(), codes)
        np.testing.assert_array_equal(np.column_stack(g.sample_points.getData()), xy)

    agrees()
    c.speed = 0
    c.run_epochs(5, "Train")
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    agrees()
    lesson.undo()
    agrees()


def _shows_decoding(w) -> None:
    """The Values panel shows the code decoded by hand and the decoder's output for
    it (no d(x, y): there is no input), as the diagram does."""
    from aeviz.core.measures import generate
    from aeviz.gui.drawing.diagram_items import fmt
    g, values, net = w.generate, w.values, w.doc.lesson.network
    assert g.code is not None and w.diagram.overlay is not None
    y = generate.layer_values(net, g.code)[-1]
    assert [values.code.cell_text(i) for i in range(values.code.count)] == \
        [values.code.model().text(v) for v in g.code]
    assert [values.output.cell_text(i) for i in range(values.output.count)] == \
        [values.output.model().text(v) for v in y]
    assert values.error.text() == "—"
    assert values.kind.text().startswith("Decoding a code set by hand")
    assert fmt(0.5) != values.error.text()


def test_the_values_panel_keeps_showing_a_decoded_code(qtbot):
    """Decoding a code by hand (G, Alt+Up), then what redrew the Values panel from
    the fed pattern while the diagram still decoded: a settings edit (the momentum:
    no value changes), Predict and Reveal, and a Pause after a run during which the
    panel was behind the Training tab. Each time the panel showed the fed pattern's
    h, y and d(x, y) beside a diagram of the decoder alone."""
    from PySide6.QtWidgets import QDockWidget
    w = open_lesson(qtbot, "denoising-bars")
    c, lesson = w.controller, w.doc.lesson
    w.registry["decode_here"].trigger()
    w.generate.nudge(0, 1)
    _shows_decoding(w)
    lesson.set_setting("momentum", 0.5)
    _shows_decoding(w)
    w.registry["predict"].trigger()          # (predict ends a decoding: it shows the output)
    assert w.generate.code is None
    w.registry["reveal"].trigger()
    w.registry["decode_here"].trigger()      # decoded again once revealed
    w.generate.nudge(0, 1)
    _shows_decoding(w)
    w.findChild(QDockWidget, "Training").raise_()       # the Values panel out of sight
    qtbot.waitUntil(lambda: w.values.out_of_sight())
    c.speed = 0
    c.play()
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(1))
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=WAIT)
    c.pause()
    w.findChild(QDockWidget, "Values").raise_()
    qtbot.waitUntil(lambda: not w.values.out_of_sight())
    _shows_decoding(w)
    w.registry["decode_here"].trigger()                 # G again: the fed pattern
    assert w.generate.code is None
    assert w.values.error.text() != "—"


def _tab(w, title: str):
    index = [w.data_tabs.tabText(i) for i in range(w.data_tabs.count())].index(title)
    w.data_tabs.setCurrentIndex(index)
    return w.tabs.page(title)


def test_the_outputs_tab_keeps_a_prediction_hidden(qtbot):
    """The forward-pass lesson's question "Which output is largest for pattern 3?
    (the outputs are hidden until you answer)" with the Outputs tab in front: its
    orange bars drew y (the answer) while the diagram and the Values panel showed
    "?". Hidden, they come back with R, built before or after Ctrl+P."""
    w = open_lesson(qtbot, "forward-pass")
    bars = _tab(w, "Outputs")
    w.feed_pattern(2)
    w.registry["predict"].trigger()
    assert w.values.output.cell_text(0) == "?"
    assert not bars.y_bars.isVisible()
    w.feed_pattern(0)                                    # still hidden for a new input
    bars.refresh()
    assert not bars.y_bars.isVisible()
    assert bars.x_bars.isVisible()                       # the input is no answer
    w.registry["reveal"].trigger()
    assert bars.y_bars.isVisible()
    np.testing.assert_array_equal(bars.y_bars.opts["height"], w.doc.lesson.forward()[1][-1][0])


def test_the_images_tab_keeps_a_prediction_hidden(qtbot):
    """Predict, then reveal on the digits with the Images tab built after Ctrl+P:
    its picture of y (the reconstruction the class is to predict) is blank until R;
    so is the Generate panel's picture of the fed pattern's output."""
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    w.registry["predict"].trigger()
    assert w.values.output.cell_text(0) == "?"
    view = _tab(w, "Images")
    qtbot.waitUntil(lambda: view.isVisible())
    view.refresh()
    assert not view.y_image.isVisible()
    assert view.x_image.isVisible()
    w.registry["reveal"].trigger()
    view.refresh()
    assert view.y_image.isVisible()
    w.feed_pattern(1)                                  # a new input: hidden again
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    w.generate_dock.show()
    panel = w.generate_panel
    assert panel.picture.image is None and "hidden" in panel.readout.text()
    w.registry["reveal"].trigger()
    assert panel.picture.image is not None and "hidden" not in panel.readout.text()


def test_a_neuron_removed_while_decoding_with_the_images_tab_in_front(qtbot):
    """Decode here (G) with the Images tab in front, then Remove neuron in the first
    hidden layer (32 units, 31 after): ending the decoding redrew the Images tab
    before it was rebuilt for the new network, one unit picture too many
    (``IndexError`` in a Qt slot). Each unit picture shows its unit's weights."""
    from aeviz.gui.window import colors
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    view = _tab(w, "Images")
    qtbot.waitUntil(lambda: view.isVisible())
    w.registry["decode_here"].trigger()
    assert w.generate.code is not None
    units = w.doc.lesson.network.sizes[1]
    w.editing.remove_neuron(1, units - 1)
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    net = w.doc.lesson.network
    assert net.sizes[1] == units - 1 and w.generate.code is None
    weights, shape = net.weights[0], w.doc.lesson.model.dataset.image
    assert len(view.unit_images) == min(units - 1, view.MAX_UNITS)
    scale = max(float(np.abs(weights).max()), 1e-9)
    for j in (0, len(view.unit_images) - 1):
        rgb = colors.rgb(weights[:, j].reshape(shape), scale).astype(np.uint8)
        np.testing.assert_array_equal(view.unit_images[j].image, rgb.transpose(1, 0, 2))


def test_the_codes_tab_keeps_a_prediction_hidden(qtbot):
    """Predict, then reveal hides every pattern's code in the Patterns table ("?"):
    the Codes tab's heat map of those codes, its mean activity and its summary
    of active units showed them. Hidden until R, then the codes again."""
    from aeviz.core.measures import analysis
    w = open_lesson(qtbot, "overcomplete-sparse")
    view = _tab(w, "Codes")
    w.registry["predict"].trigger()
    assert w.patterns.patterns_model.cells(0)[1] == "?"
    assert not view.image.isVisible() and not view.bar_item.isVisible()
    assert "?" in view.summary.text() and "Active units" not in view.summary.text()
    w.registry["reveal"].trigger()
    assert view.image.isVisible() and view.bar_item.isVisible()
    a = analysis.code_activity(w.doc.lesson.network, w.doc.lesson.data())
    np.testing.assert_array_equal(view.bar_item.opts["height"], a.mean)
    assert "Active units" in view.summary.text()
