"""Generating in the window: decode here (drag in the code space, keys), walks
between codes, prior samples, and the VAE controls and views."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from aeviz.core.measures import codespace
from aeviz.core.measures.generate import sample_prior
from aeviz.core.files.presets import load_preset
from aeviz.gui.drawing.diagram_items import fmt_output
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT, show_active


def open_lesson(qtbot, name: str, epochs: int = 0) -> MainWindow:
    w = MainWindow(model=load_preset(name))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    show_active(qtbot, w)
    if epochs:
        w.controller.run_now(lambda s: s.advance(epochs), "Train", True)
    return w


def shown_outputs(w) -> np.ndarray:
    """The output neurons as the diagram shows them (the overlay's values)."""
    return np.asarray(w.diagram.overlay.neurons[-1])


def plane_point(w, pixel: QPoint) -> tuple[float, float]:
    plot = w.code_space.plot
    p = plot.getPlotItem().vb.mapSceneToView(plot.mapToScene(pixel))
    return p.x(), p.y()


def test_dragging_in_the_code_space_decodes_the_code_under_the_mouse(qtbot):
    w = open_lesson(qtbot, "train-5-2-5", epochs=300)
    w.code_space.throttled.flush()
    view = w.code_space.plot.viewport()
    start, end = QPoint(view.width() // 3, view.height() // 3), QPoint(2 * view.width() // 3,
                                                                       view.height() // 2)
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, start)
    net = w.doc.lesson.network
    x, y = plane_point(w, start)
    np.testing.assert_allclose(w.generate.code, [x, y], atol=1e-9)
    np.testing.assert_allclose(shown_outputs(w), net.decode([[x, y]])[0], atol=1e-12)
    assert w.diagram.overlay.neurons[0] is None                 # input and encoder unused
    table = w.values.output
    assert [table.cell_text(i) for i in range(table.count)] == [
        fmt_output(v) for v in net.decode([[x, y]])[0]]
    assert w.values.error.text() == "—"
    QTest.mouseMove(view, end)
    x2, y2 = plane_point(w, end)
    np.testing.assert_allclose(shown_outputs(w), net.decode([[x2, y2]])[0], atol=1e-12)
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, end)
    assert w.generate.code is None and w.diagram.overlay is None   # back to the fed pattern
    assert w.values.error.text() != "—"


def test_keys_decode_the_fed_patterns_code_and_move_it(qtbot):
    w = open_lesson(qtbot, "train-5-2-5", epochs=200)
    w.feed_pattern(2)
    QTest.keyClick(w, Qt.Key_G)
    code = w.doc.lesson.forward()[1][1][0]
    np.testing.assert_allclose(w.generate.code, code)
    assert w.registry["decode_here"].isChecked()
    QTest.keyClick(w, Qt.Key_Right, Qt.AltModifier)
    plane = codespace.plane_for(w.doc.lesson.network, w.doc.lesson.evaluation().codes)
    step = 0.05 * (plane.extent[1] - plane.extent[0])
    np.testing.assert_allclose(w.generate.code, code + [step, 0.0], atol=1e-12)
    np.testing.assert_allclose(shown_outputs(w), w.doc.lesson.network.decode(w.generate.code)[0])
    QTest.keyClick(w, Qt.Key_G)
    assert w.generate.code is None and not w.registry["decode_here"].isChecked()


def test_a_walk_starts_and_ends_at_the_two_patterns_decoded_codes(qtbot):
    w = open_lesson(qtbot, "generate-digits", epochs=500)
    panel, net = w.generate_panel, w.doc.lesson.network
    codes = w.doc.lesson.evaluation().codes
    panel.walk_from.setCurrentIndex(1)
    panel.walk_to.setCurrentIndex(7)
    panel.slider.setValue(1)
    panel.slider.setValue(0)
    np.testing.assert_allclose(shown_outputs(w), net.decode(codes[1])[0], atol=1e-12)
    panel.slider.setValue(100)
    np.testing.assert_allclose(shown_outputs(w), net.decode(codes[7])[0], atol=1e-12)
    panel.slider.setValue(50)
    np.testing.assert_allclose(w.generate.code, (codes[1] + codes[7]) / 2, atol=1e-12)
    w.registry["walk"].trigger()                         # Generate → Walk animates to the end
    qtbot.waitUntil(lambda: panel.slider.value() == 100, timeout=WAIT)
    np.testing.assert_allclose(shown_outputs(w), net.decode(codes[7])[0], atol=1e-12)


def test_sampling_is_reproducible_from_the_lessons_seed(qtbot):
    a = open_lesson(qtbot, "vae-digits")
    first = a.generate.sample()
    model = load_preset("vae-digits")
    expected = sample_prior(model.network, model.data(), 16,
                            np.random.default_rng(model.training.seed))
    np.testing.assert_array_equal(first.codes, expected.codes)
    np.testing.assert_allclose(first.outputs, expected.outputs)
    assert len(a.generate.sample_points.data) == 16
    assert "16 codes from N(0, I)" in a.generate_panel.sample_text.text()
    assert "by the Patterns table's rule" in a.generate_panel.sample_text.text()
    b = open_lesson(qtbot, "vae-digits")
    QTest.keyClick(b, Qt.Key_G, Qt.ControlModifier)     # Ctrl+G
    np.testing.assert_array_equal(b.generate.samples.codes, first.codes)


def test_the_vae_controls_change_the_lesson_in_undoable_steps_and_draw_its_codes(qtbot):
    w = open_lesson(qtbot, "generate-digits")
    panel = w.generate_panel
    assert not panel.beta.isEnabled() and not any(len(e.xData or []) for e in w.generate.ellipses)
    panel.variational.click()
    assert w.doc.lesson.network.variational and panel.beta.isEnabled()
    panel.beta.setValue(0.5)
    assert w.doc.lesson.model.training.beta == 0.5
    w.controller.run_now(lambda s: s.advance(20), "Train", True)
    x = w.doc.lesson.data()
    mu, sigma = w.doc.lesson.network.code(x), np.exp(w.doc.lesson.network.logvar(x) / 2)
    first = w.generate.ellipses[0]
    np.testing.assert_allclose([first.xData.max(), first.yData.max()], mu[0] + sigma[0],
                               atol=1e-6)
    assert len(w.generate.prior[0].xData) > 0               # the prior's circles
    assert "KL to N(0, I)" in panel.vae_note.text()
    for _ in range(3):
        w.doc.lesson.undo()
    assert not w.doc.lesson.network.variational and not panel.variational.isChecked()


def test_decoding_follows_training_while_it_runs(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.generate.decode(np.array([0.3, -0.2]))
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 50, timeout=WAIT)
    w.controller.pause()
    np.testing.assert_allclose(shown_outputs(w), w.doc.lesson.network.decode([[0.3, -0.2]])[0],
                               atol=1e-12)
    w.doc.lesson.add_neuron(1)                                   # a structure change ends it
    assert w.generate.code is None and w.diagram.overlay is None


def test_the_step_through_of_a_vae_shows_sampling_and_equals_one_engine_step(qtbot):
    from aeviz.core import Trainer
    w = open_lesson(qtbot, "vae-digits")
    w.phases.next()                                       # 1 input
    w.phases.next()                                       # 2 encode: mu, sigma, eps, z
    text = w.training.phase_text.text()
    assert "μ = [" in text and "ε = [" in text and "z = μ + σ·ε" in text
    w.phases.next()
    w.phases.next()                                       # 4 error: the KL term
    assert "β·KL(N(μ, σ²) ‖ N(0, I))" in w.training.phase_text.text()
    for _ in range(3):
        w.phases.next()
    m = load_preset("vae-digits")
    t = Trainer(m.network, m.training, m.data())
    t.step_next_batch()
    np.testing.assert_array_equal(w.doc.lesson.network.params, t.net.params)


def test_a_tab_opened_while_decoding_shows_the_decoded_picture(qtbot):
    w = open_lesson(qtbot, "vae-digits", epochs=200)
    QTest.keyClick(w, Qt.Key_G)
    QTest.keyClick(w, Qt.Key_Up, Qt.AltModifier)
    assert not w.tabs.built("Images")
    index = [w.data_tabs.tabText(i) for i in range(w.data_tabs.count())].index("Images")
    w.data_tabs.setCurrentIndex(index)
    view = w.images_view
    np.testing.assert_allclose(view.decoded, w.doc.lesson.network.decode(w.generate.code)[0])


def test_the_step_through_takes_the_diagram_over_from_decoding(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.generate.decode(np.array([0.5, 0.5]))
    w.phases.next()
    w.phases.next()
    assert w.generate.code is None and w.diagram.overlay is not None
    assert "Decoding" not in w.diagram.overlay.caption


def test_vae_controls_and_sampling_while_training_runs(qtbot):
    w = open_lesson(qtbot, "generate-digits")
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 5, timeout=WAIT)
    w.generate_panel.variational.click()               # a structure change while training
    assert w.doc.lesson.network.variational
    start = w.doc.lesson.epoch
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > start + 5, timeout=WAIT)   # training went on
    w.generate_panel.beta.setValue(0.2)
    w.generate.sample()
    QTest.keyClick(w, Qt.Key_G)
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > start + 15, timeout=WAIT)
    np.testing.assert_allclose(shown_outputs(w), w.doc.lesson.network.decode(w.generate.code)[0],
                               atol=1e-12)
    w.controller.pause()
    assert w.doc.lesson.model.training.beta == 0.2 and np.isfinite(w.doc.lesson.network.params).all()
    while w.doc.lesson.network.variational:
        w.doc.lesson.undo()
    assert not w.doc.lesson.network.variational and w.doc.lesson.epoch <= start


def test_the_generate_dock_is_built_when_first_shown_and_shows_what_is_going_on(qtbot):
    w = open_lesson(qtbot, "vae-digits", epochs=50)
    assert not w.generate_dock.built()                  # behind the Values tab at start
    QTest.keyClick(w, Qt.Key_G)                           # decode here, dock still unbuilt
    assert w.generate.code is not None and not w.generate_dock.built()
    code = w.generate.code.copy()
    w.findChild(type(w.generate_dock.dock), "Generate").raise_()     # a click on its tab
    assert w.generate_dock.built() and w.generate_panel.isVisible()
    shown = ", ".join(f"{v:.2f}" for v in code[:2])
    assert shown in w.generate_panel.readout.text()
    QTest.keyClick(w, Qt.Key_G)
    assert w.generate_panel.readout.text().startswith("Showing the output y of pattern 1 ")


def test_sampling_shows_the_unbuilt_generate_dock_with_its_samples(qtbot):
    w = open_lesson(qtbot, "vae-digits")
    assert not w.generate_dock.built()
    w.controller.play()                                 # built while training runs
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 5, timeout=WAIT)
    QTest.keyClick(w, Qt.Key_G, Qt.ControlModifier)
    assert w.generate_dock.built() and w.generate_panel.isVisible()
    assert "16 codes from N(0, I)" in w.generate_panel.sample_text.text()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 20, timeout=WAIT)
    w.controller.pause()
    assert w.generate_panel.beta.value() == w.doc.lesson.model.training.beta
    assert w.generate_panel.variational.isChecked() == w.doc.lesson.network.variational


def test_a_late_built_generate_panel_shows_the_decoding_over_earlier_samples(qtbot):
    """Samples and a decoding both under way when the dock is first built: the
    picture is the decoded digit (what the diagram and Values show), not the grid."""
    w = open_lesson(qtbot, "vae-digits")
    model = load_preset("vae-digits")
    w.generate.samples = sample_prior(model.network, model.data(), 16,
                                      np.random.default_rng(0))     # drawn earlier
    QTest.keyClick(w, Qt.Key_G)                                      # then decoding
    assert not w.generate_dock.built()
    assert w.generate_panel.picture.image.shape[:2] == (5, 7)


def test_the_vae_step_through_writes_out_its_kl_and_log_variance_terms(qtbot):
    """#24 items 2 and 15: phase 5 names β·μ/B and the log σ² path with values,
    phase 6 the log σ² weights' Δw; the Δw tooltip says the weight is after the update."""
    w = open_lesson(qtbot, "vae-digits")
    for _ in range(5):
        w.phases.next()
    text = w.training.phase_text.text()
    assert "β·μ/B = 0.01 · μ / 10 = [" in text and "∂J/∂log σ² W_σᵀ = [" in text
    assert "The log σ² weights get ∂J/∂w" in text
    w.phases.next()
    assert "The log σ² weights (dashed) move too: largest Δw" in w.training.phase_text.text()
    edges = w.diagram.edges
    assert edges.value_name == "Δw"
    assert "after the update)" in edges.tooltip(0)


def test_the_vae_names_its_two_losses(qtbot):
    """#24 item 12: the curve's L is with a sampled code, the Values panel's at μ."""
    w = open_lesson(qtbot, "vae-digits", epochs=20)
    w.loss_plot.refresh()
    legend = [label.text for _sample, label in w.loss_plot.legend.items]
    assert "reconstruction L, with a sampled code" in legend
    w.values.refresh() if hasattr(w.values, "refresh") else None
    assert "at the mean code μ" in w.values.loss_caption.text()
    plain = open_lesson(qtbot, "generate-digits", epochs=5)
    plain.loss_plot.refresh()
    assert "at the mean code" not in plain.values.loss_caption.text()
    assert not any("sampled" in label.text for _s, label in plain.loss_plot.legend.items)


def test_the_vae_step_through_draws_the_log_variance_path(qtbot):
    """#24 item 2: phase 5 draws the log σ² weights' ∂J/∂w (dashed), phase 6 their Δw."""
    w = open_lesson(qtbot, "vae-digits")
    for _ in range(5):
        w.phases.next()
    side, trace = w.diagram.side_edges, w.phases.trace
    assert side is not None and side.dashed and side.isVisible()
    np.testing.assert_allclose(side.values, trace.logvar["grad"][:-1].ravel())
    assert "dashed: the log σ² weights' ∂J/∂w" in w.diagram.caption.text()
    w.phases.next()
    n = trace.logvar["before"].size
    change = (trace.params_after[-n:] - trace.params_before[-n:]).reshape(
        trace.logvar["before"].shape)[:-1]
    np.testing.assert_allclose(w.diagram.side_edges.values, change.ravel())
    assert side.tooltip(0).startswith("Δw (log σ²)")
    w.phases.next()                                       # the walk ends: no dashed path
    assert w.diagram.side_edges is None


def test_space_in_the_beta_field_plays_and_is_never_typed(qtbot):
    """β is a number field like the others: Space applies the edit and plays/pauses."""
    w = open_lesson(qtbot, "vae-digits")
    from aeviz.gui.window.screenshot import show_tab
    show_tab(w, "Generate")
    field = w.generate_panel.beta
    field.setFocus()
    assert field.hasFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field, "0.5")
    qtbot.keyClick(field, Qt.Key_Space)
    assert " " not in field.text()
    assert w.doc.lesson.model.training.beta == 0.5                 # applied first
    assert w.controller.running                                    # then played
    qtbot.keyClick(field, Qt.Key_Space)
    assert not w.controller.running and " " not in field.text()
