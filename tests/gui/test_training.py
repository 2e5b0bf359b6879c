"""Training you can watch: the worker thread, step, phases, rewind, stop rules,
divergence, settings while running, and shutdown."""

from __future__ import annotations


import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aeviz.core import Trainer
from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.session import TrainingSession
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT, readout, show_active


def test_space_trains_in_the_background_and_pauses(lesson, qtbot):
    w = lesson
    loss0 = float(readout(w, "Loss"))
    w.training.speed.setValue(w.training.speed.maximum())        # full speed
    qtbot.keyClick(w.diagram, Qt.Key_Space)
    assert w.controller.running and w.registry["play"].text() == "Pause"
    qtbot.waitUntil(lambda: int(readout(w, "Epoch")) > 0, timeout=WAIT)   # first frame shown
    qtbot.waitUntil(lambda: int(readout(w, "Epoch")) > 5000, timeout=WAIT)
    assert float(readout(w, "Loss")) < loss0
    qtbot.keyClick(w.diagram, Qt.Key_Space)
    assert not w.controller.running and w.registry["play"].text() == "Play"
    held = int(readout(w, "Epoch"))
    QApplication.processEvents()         # the joined worker's last queued frames: none count
    assert int(readout(w, "Epoch")) == held == w.doc.lesson.epoch
    # the shown weights are the trainer's, and the run is one undo step
    m = load_preset("train-5-2-5")
    trainer = Trainer(m.network, m.training, m.data())
    trainer.run(held)
    np.testing.assert_array_equal(w.doc.lesson.network.params, trainer.net.params)
    assert w.doc.lesson.undo_stack.text(w.doc.lesson.undo_stack.count() - 1).startswith("Train")
    w.doc.lesson.undo()
    assert int(readout(w, "Epoch")) == 0
    np.testing.assert_array_equal(w.doc.lesson.network.params, load_preset("train-5-2-5").network.params)


def test_space_in_a_number_field_applies_the_edit_and_plays_never_typed(lesson, qtbot):
    """A number never contains a space: Space in a Settings number field (being
    edited) is not typed into it; the edit is applied, as Return would, and Space
    stays Play/Pause.  Also in the spin boxes and the Training panel's fields."""
    w = lesson
    field = w.settings_panel.lr
    from aeviz.gui.window.screenshot import show_tab
    show_tab(w, "Settings")
    field.setFocus()
    assert field.hasFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.25")
    qtbot.keyClick(field, Qt.Key_Space)
    assert " " not in field.text()
    assert w.doc.lesson.model.training.learning_rate == 0.25      # applied first
    assert w.controller.running                                   # then played
    qtbot.keyClick(field, Qt.Key_Space)
    assert not w.controller.running and field.text() == "0.25"
    for tab, other in (("Settings", w.settings_panel.batch), ("Settings", w.settings_panel.seed),
                       ("Training", w.training.stop_epochs), ("Training", w.training.stop_loss)):
        show_tab(w, tab)
        other.setFocus()
        assert other.hasFocus(), other.accessibleName()
        before = other.text()
        qtbot.keyClick(other, Qt.Key_Space)
        assert w.controller.running, other.accessibleName()
        qtbot.keyClick(other, Qt.Key_Space)
        assert not w.controller.running and other.text() == before, other.accessibleName()


def test_step_advances_exactly_one_epoch(lesson, qtbot):
    w = lesson
    reference = load_preset("train-5-2-5")
    t = Trainer(reference.network, reference.training, reference.data())
    qtbot.keyClick(w.diagram, Qt.Key_Right)
    t.run(1)
    assert int(readout(w, "Epoch")) == 1
    np.testing.assert_array_equal(w.doc.lesson.network.params, t.net.params)
    qtbot.keyClick(w.diagram, Qt.Key_Right)
    t.run(1)
    np.testing.assert_array_equal(w.doc.lesson.network.params, t.net.params)


def test_next_phase_walks_six_phases_and_ends_with_one_engine_step(lesson, qtbot):
    w = lesson
    reference = load_preset("train-5-2-5")
    t = Trainer(reference.network.copy(), reference.training, reference.data())
    before = w.doc.lesson.network.params.copy()
    titles = []
    for n in range(6):
        qtbot.keyClick(w.diagram, Qt.Key_N)
        titles.append(w.training.phase_title.text())
        if n < 5:
            np.testing.assert_array_equal(w.doc.lesson.network.params, before)
    assert [title[0] for title in titles] == list("123456")
    # the diagram showed the code after phase 2 and δ in phase 5; now Δw on the edges
    t.step_next_batch()
    np.testing.assert_array_equal(w.doc.lesson.network.params, t.net.params)
    np.testing.assert_allclose(w.diagram.edges.values,
                               np.concatenate([(a - b).ravel() for a, b in zip(
                                   t.net.weights, reference.network.weights)]))
    assert int(readout(w, "Epoch")) == 1
    qtbot.keyClick(w.diagram, Qt.Key_N)                  # back to the normal view
    assert w.diagram.overlay is None
    np.testing.assert_array_equal(w.diagram.edges.values,
                                  np.concatenate([x.ravel() for x in t.net.weights]))


def test_phase_two_reveals_the_code_and_hides_the_output(lesson, qtbot):
    w = lesson
    qtbot.keyClick(w.diagram, Qt.Key_N)
    qtbot.keyClick(w.diagram, Qt.Key_N)
    code = [n.label.text() for n in w.diagram.neurons[1]]
    out = [n.label.text() for n in w.diagram.neurons[2]]
    expected = w.doc.lesson.network.code(w.doc.lesson.x[None, :])[0]
    assert code == [f"{v:.3f}".replace("-", "−") for v in expected]
    assert out == ["?"] * 5
    assert "Code h = [" in w.training.phase_text.text()


def test_online_step_through_feeds_the_pattern_trained_on(qtbot):
    m = load_preset("train-5-2-5")
    m.training = m.training.with_(batch_size=1, shuffle=False)
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.doc.lesson.feed_pattern(3)
    w.phases.next()
    np.testing.assert_array_equal(w.doc.lesson.x, np.eye(5)[0])     # batch 1 is pattern 1
    for _ in range(5):
        w.phases.next()
    t = Trainer(load_preset("train-5-2-5").network, m.training, m.data())
    t.step_next_batch()
    np.testing.assert_array_equal(w.doc.lesson.network.params, t.net.params)
    assert w.doc.lesson.epoch == 0                                   # 1 of 5 updates of epoch 1


def test_rewind_then_continue_equals_training_straight_from_that_snapshot(lesson, qtbot):
    w = lesson
    for _ in range(60):
        w.controller.step_epoch()
    epochs = w.controller.snapshot_epochs()
    assert 30 in epochs
    w.training.timeline.setValue(epochs.index(30))
    assert int(readout(w, "Epoch")) == 30                      # shown, not yet branched
    qtbot.mouseClick(w.training.continue_button, Qt.LeftButton)
    assert w.doc.lesson.epoch == 30
    snapshot = w.doc.lesson.snapshots.at_or_before(30)
    for _ in range(20):
        w.controller.step_epoch()
    m = load_preset("train-5-2-5")
    straight = TrainingSession(m.network, m.training, m.data())
    straight.trainer.set_state(snapshot)
    straight.advance(20)
    np.testing.assert_array_equal(w.doc.lesson.network.params, straight.params)
    w.controller.restart()
    np.testing.assert_array_equal(w.doc.lesson.network.params, m.network.params)


def test_a_rate_edit_keeps_the_rewind_preview_and_its_timeline_place(lesson, qtbot):
    """A settings edit changes only the settings: the preview of epoch 30 stays on
    screen and the timeline stays on it (it follows the snapshots, not every
    undo step); Continue then branches from epoch 30 with the new rate."""
    w = lesson
    for _ in range(60):
        w.controller.step_epoch()
    epochs = w.controller.snapshot_epochs()
    w.training.timeline.setValue(epochs.index(30))
    assert w.doc.lesson.epoch == 30 and w.doc.lesson.live
    w.settings_panel.lr.setText("0.25")
    w.settings_panel.lr.editingFinished.emit()
    assert w.doc.lesson.training.learning_rate == 0.25
    assert w.training.timeline_epoch() == 30 and w.doc.lesson.epoch == 30
    assert w.training.continue_button.isEnabled()
    qtbot.mouseClick(w.training.continue_button, Qt.LeftButton)
    assert w.doc.lesson.epoch == 30 and not w.doc.lesson.live


def test_stop_after_n_epochs_pauses_and_says_so(lesson, qtbot):
    w = lesson
    w.training.stop_epochs.setValue(37)
    w.controller.play()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.epoch == 37 and int(readout(w, "Epoch")) == 37
    assert "stopped after 37 epochs" in w.training.message.text().lower()
    assert "stopped after 37 epochs" in w.statusBar().currentMessage().lower()


def test_stop_when_all_reconstructed(lesson, qtbot):
    w = lesson
    w.training.stop_all.setChecked(True)
    w.controller.play()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.evaluation().accuracy == 1.0 and w.doc.lesson.solved
    assert "solved: every pattern reconstructed for 100 epochs in a row" in \
        w.training.message.text().lower()


def test_divergence_pauses_restores_and_explains(qtbot):
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    net = Network.create([4, 3, 4], ["relu", "linear"], rng=np.random.default_rng(0))
    start = net.copy()
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse", learning_rate=50.0),
                               Dataset.one_hot(4)))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    said = []
    w.controller.message.connect(said.append)
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    # once, at the epoch the engine's one rule names (as `aeviz train` would), in
    # the window's unchanged words
    from aeviz.core import Trainer
    bad = Trainer(start, TrainingConfig(loss="mse", learning_rate=50.0),
                  np.eye(4)).run_guarded(10_000, check_every=1)
    expected = (f"Learning rate 50 made the weights blow up (NaN or infinity) at epoch {bad}; "
                f"the last finite weights, from epoch {bad - 1}, are back")
    assert [m for m in said if "blow up" in m] == [expected]
    assert w.training.message.text() == expected and w.doc.lesson.epoch == bad - 1
    assert np.isfinite(w.doc.lesson.network.params).all()
    assert np.isfinite(w.values.output.values()).all()


def test_settings_change_while_running_applies_and_is_undoable(lesson, qtbot):
    """A rate edit during a run changes the rate of the running session: the same
    worker, session and run go on (no stop, no restart), the optimiser's state
    kept; it is one undo step, and undo during the run brings the old rate back."""
    w = lesson
    lesson_ = w.doc.lesson
    w.controller.play()
    qtbot.waitUntil(lambda: lesson_.epoch > 5, timeout=WAIT)
    worker, run_id = w.controller._worker, w.controller._run_id
    session = worker.session
    started = []
    w.controller.running_changed.connect(started.append)
    w.settings_panel.lr.setText("0.25")
    w.settings_panel.lr.editingFinished.emit()
    assert lesson_.training.learning_rate == 0.25
    stack = lesson_.undo_stack
    assert stack.undo_text() == "Set learning rate 1 → 0.25"     # the run is not committed
    qtbot.waitUntil(lambda: session.config.learning_rate == 0.25, timeout=WAIT)
    assert session.trainer.optimizer.lr == 0.25             # the trainer's rate
    at_edit = lesson_.epoch
    qtbot.waitUntil(lambda: lesson_.epoch > at_edit + 5, timeout=WAIT)
    assert (w.controller._worker, w.controller._run_id, started) == (worker, run_id, [])
    lesson_.undo()                                   # during the run: the rate goes back
    assert lesson_.training.learning_rate == 1.0 and w.settings_panel.lr.text() == "1"
    qtbot.waitUntil(lambda: session.config.learning_rate == 1.0, timeout=WAIT)
    at_undo = lesson_.epoch
    qtbot.waitUntil(lambda: lesson_.epoch > at_undo + 5, timeout=WAIT)
    assert (w.controller._worker, started) == (worker, [])
    w.controller.pause()
    assert stack.undo_text().startswith("Train") and stack.count() == 1   # one run, one step
    lesson_.undo()
    assert lesson_.training.learning_rate == 1.0 and lesson_.epoch == 0
    np.testing.assert_array_equal(lesson_.network.params, load_preset("train-5-2-5").network.params)
    for bad in ("nan", "-1", "", "fast"):
        w.settings_panel.lr.setText(bad)
        w.settings_panel.lr.editingFinished.emit()
        assert lesson_.model.training.learning_rate == 1.0
        assert w.settings_panel.lr.text() == "1"


def test_a_rate_edit_during_a_run_trains_as_a_restart_with_it_would(lesson, qtbot):
    """The run after the edit is bitwise the trainer's: N epochs at the old rate,
    then on at the new one with the same optimiser state and generator."""
    w = lesson
    lesson_ = w.doc.lesson
    w.controller.speed = 100                 # epochs/s: few enough to try every switch
    w.controller.play()
    qtbot.waitUntil(lambda: lesson_.epoch > 5, timeout=WAIT)
    session = w.controller._worker.session
    w.settings_panel.lr.setText("0.25")
    w.settings_panel.lr.editingFinished.emit()
    qtbot.waitUntil(lambda: session.config.learning_rate == 0.25, timeout=WAIT)
    w.controller.pause()
    # the epoch the worker took the edit at: where the history's step size changes
    m = load_preset("train-5-2-5")
    epochs = lesson_.epoch
    found = False
    for switch in range(epochs + 1):       # the one switch epoch that reproduces the run
        t = Trainer(m.network.copy(), m.training, m.data())
        t.run(switch)
        t.set_config(m.training.with_(learning_rate=0.25))
        t.run(epochs - switch)
        if np.array_equal(t.net.params, lesson_.network.params):
            found = True
            break
    assert found and 0 < switch < epochs


def test_worker_values_computed_with_the_old_settings_are_not_shown(lesson, qtbot):
    """A frame the worker valued before it took a settings edit is shown with
    values of the lesson's settings (the GUI computes them), never the stale ones."""
    from aeviz.core.model import evaluate
    from aeviz.gui.runtime.training import Snapshot
    w = lesson
    c, lesson_ = w.controller, w.doc.lesson
    c.speed = 1                                     # its own frames: one a second
    c.play()
    old = lesson_.training
    lesson_.set_setting("weight_decay", 0.01)
    params = lesson_.network.params + 0.01

    def frame(training) -> Snapshot:
        values = {"evaluation": evaluate(lesson_.network, training, lesson_.data())}
        return Snapshot(c._run_id, lesson_.epoch, params.copy(), 0, None, None, None,
                        values, training)
    c._on_snapshot(frame(old))                      # valued before the edit was taken
    assert lesson_.evaluation().penalty == evaluate(lesson_.network, lesson_.training,
                                                    lesson_.data()).penalty > 0
    shown = frame(lesson_.training)
    c._on_snapshot(shown)                           # valued with the lesson's settings
    assert lesson_.evaluation() is shown.values["evaluation"]
    c.pause()


def test_a_shape_change_during_a_run_still_stops_and_restarts_it(lesson, qtbot):
    w = lesson
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 5, timeout=WAIT)
    worker = w.controller._worker
    started = []
    w.controller.running_changed.connect(started.append)
    w.doc.lesson.add_neuron(1)
    assert started == [False, True] and w.controller._worker is not worker
    stack = w.doc.lesson.undo_stack
    assert stack.text(stack.count() - 2).startswith("Train")   # the run up to the edit
    w.controller.pause()


def test_activation_change_while_running_keeps_training(lesson, qtbot):
    w = lesson
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 5, timeout=WAIT)
    box = w.settings_panel.activation_rows[0]
    box.setCurrentText("sigmoid")
    box.activated.emit(box.currentIndex())
    assert w.doc.lesson.network.activations == ("sigmoid", "softmax")
    assert w.controller.running
    at_edit = w.doc.lesson.epoch
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > at_edit + 5, timeout=WAIT)
    w.controller.pause()
    assert w.doc.lesson.network.activations == ("sigmoid", "softmax")


def test_reset_weights_and_new_seed(lesson, qtbot):
    w = lesson
    w.controller.step_epoch()
    qtbot.keyClick(w.diagram, Qt.Key_R, Qt.ControlModifier)
    np.testing.assert_array_equal(w.doc.lesson.network.params, load_preset("train-5-2-5").network.params)
    assert int(readout(w, "Epoch")) == 0
    w.controller.new_seed()
    assert w.doc.lesson.model.training.seed == 1
    assert not np.array_equal(w.doc.lesson.network.params, load_preset("train-5-2-5").network.params)


def test_loss_curve_and_code_space_follow_training(lesson, qtbot):
    w = lesson
    for _ in range(40):
        w.controller.step_epoch()
    w.loss_plot.throttled.flush()                # plots redraw at most ~7 times a second
    w.code_space.throttled.flush()
    x, y = w.loss_plot.curves["loss"].getData()
    assert list(x[-3:]) == [38, 39, 40] and y[-1] < y[0]
    codes = w.doc.lesson.evaluation().codes
    px, py = w.code_space.points.getData()
    np.testing.assert_allclose(np.column_stack([px, py]), codes)
    assert len(w.code_space.trails[0]) > 1
    w.data_tabs.setCurrentWidget(w.output_bars)          # a hidden tab redraws when shown
    heights = w.output_bars.y_bars.opts["height"]
    np.testing.assert_allclose(heights, w.doc.lesson.forward()[1][-1][0])


def test_closing_while_training_exits_cleanly(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 100, timeout=WAIT)
    assert w.close()              # a worker that did not stop would hang (test timeout)
    assert not w.controller.running
    assert w.doc.lesson.epoch > 100      # the run was committed before closing


def test_stuck_detector_offers_a_new_seed(stuck_lesson, qtbot):
    w = stuck_lesson
    assert "share a code" in w.statusBar().currentMessage()
    assert w.training_ui.stuck_button.isVisible()


def test_training_keys_are_typing_keys_inside_a_text_field(lesson, qtbot):
    w = lesson
    field = w.settings_panel.lr
    field.setFocus()
    field.setCursorPosition(0)
    for key in (Qt.Key_Right, Qt.Key_N):
        qtbot.keyClick(field, key)
    qtbot.keyClick(field, Qt.Key_Right, Qt.ShiftModifier)
    assert w.doc.lesson.epoch == 0 and w.phases.trace is None
    assert field.text() == "1n"                 # the cursor moved, the N was typed
    w.diagram.setFocus()
    qtbot.keyClick(w.diagram, Qt.Key_Right)
    assert w.doc.lesson.epoch == 1


def walk_to(w, qtbot, phase: int) -> str:
    for _ in range(phase):
        qtbot.keyClick(w.diagram, Qt.Key_N)
    return w.training.phase_text.text()


@pytest.mark.parametrize("preset, changes, expected", [
    ("train-5-2-5", {}, "w ← w − η·∂J/∂w (η = 1)"),
    ("stuck-8-3-8", {}, "v ← μv + ∂J/∂w, then w ← w − η·v (μ = 0.9, η = 0.5)"),
    ("train-5-2-5", {"optimizer": "adam", "learning_rate": 0.01}, "w ← w − η·m̂/(√v̂ + ε)"),
])
def test_the_update_phase_states_the_rule_of_the_optimiser_in_use(qtbot, preset, changes,
                                                                   expected):
    m = load_preset(preset)
    m.training = m.training.with_(**changes)
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    text = walk_to(w, qtbot, 6)
    assert expected in text
    # the tooltip of a connection names Δw and gives the weight beside it
    tip = w.diagram.edges.tooltip(0)
    change = w.diagram.edges.values[0]
    assert tip.startswith("Δw x1 → h1 = ") and f"{change:+.4f}" in tip
    assert f"(w = {w.doc.lesson.network.weights[0][0, 0]:.3f} after the update)" in tip
    # the badges show Δb, equal to the engine's change of each bias
    trace = w.phases.trace
    db = w.doc.lesson.network.split(trace.params_after - trace.params_before)[0][-1]
    assert w.diagram.neurons[1][0].bias_label.text().startswith("Δb ")
    assert abs(float(w.diagram.neurons[1][0].bias_label.text().split()[1].replace("−", "-")) - db[0]) < 1e-3 \
        or abs(db[0]) < 1e-3


def test_backprop_phase_names_the_batch_factor_and_the_penalty(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    text = walk_to(w, qtbot, 5)
    x, y = w.doc.lesson.x, w.doc.lesson.forward()[1][-1][0]
    assert "(y − x)/B with B = 5" in text
    assert "y − x = [" + ", ".join(f"{v:.3f}" for v in (y - x)) + "]" in text
    assert "sparsity penalty" not in text
    tip = w.diagram.edges.tooltip(0)
    assert tip.startswith("∂J/∂w x1 → h1 = ") and "(w = " in tip
    grad_b = w.doc.lesson.network.split(w.phases.trace.grad)[0][-1]
    assert w.diagram.neurons[1][1].bias_label.text() == f"∂J/∂b {grad_b[1]:+.3f}".replace("-", "−")
    assert w.diagram.neuron_tooltip(1, 0).startswith("h1: δ = ∂J/∂z = ")
    sparse = MainWindow(model=load_preset("overcomplete-sparse"))
    qtbot.addWidget(sparse)
    show_active(qtbot, sparse)
    assert "the sparsity penalty (KL) adds ∂Ω/∂h = [" in walk_to(sparse, qtbot, 5)


def test_step_through_after_a_divergence_never_applies_or_shows_nan(qtbot):
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    from .test_reliability import visible_numbers
    net = Network.create([4, 3, 4], ["relu", "linear"], rng=np.random.default_rng(0))
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse", learning_rate=50.0),
                               Dataset.one_hot(4)))
    qtbot.addWidget(w)
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    held = w.doc.lesson.network.params.copy()
    epoch = w.doc.lesson.epoch
    for _ in range(6):
        w.phases.next()
        assert not any("nan" in t.lower() for t in visible_numbers(w))
    # the last finite weights are so large that the loss overflows (inf) and the
    # next update makes a weight infinite: by the one divergence rule (weights and
    # outputs) phase 6 is refused and nothing is applied (the window's "inf"
    # readouts are #12's item 18)
    assert "would blow the weights up" in w.statusBar().currentMessage()
    np.testing.assert_array_equal(w.doc.lesson.network.params, held)
    assert w.doc.lesson.epoch == epoch and w.phases.trace is None


def test_a_step_whose_gradient_is_not_finite_is_refused_before_it_is_shown(qtbot):
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    # h = 1e160, y = 1e150: the loss 1e300 is finite, ∂J/∂w = h·∂J/∂y ~ 1e310 is not
    net = Network.create([2, 1, 2], ["linear", "linear"],
                         weights=[np.full((2, 1), 1e160), np.full((1, 2), 1e-10)])
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse", learning_rate=0.1),
                               Dataset.one_hot(2)))
    qtbot.addWidget(w)
    held = w.doc.lesson.network.params.copy()
    w.phases.next()
    assert "gradient of this step is not finite" in w.statusBar().currentMessage()
    np.testing.assert_array_equal(w.doc.lesson.network.params, held)
    assert w.doc.lesson.epoch == 0 and w.phases.trace is None and w.diagram.overlay is None


def test_an_update_that_would_overflow_is_refused_at_phase_six(qtbot):
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    # y = a·b: loss ~ 1e306 and ∂J/∂b ~ 1e303 are finite; η·∂J/∂b = 1e309 is not
    net = Network.create([2, 1, 2], ["linear", "linear"],
                         weights=[np.full((2, 1), 1e150), np.full((1, 2), 1e3)])
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse", learning_rate=1e6),
                               Dataset.one_hot(2)))
    qtbot.addWidget(w)
    held = w.doc.lesson.network.params.copy()
    for _ in range(5):
        w.phases.next()
    assert w.phases.trace is not None and np.isfinite(w.phases.trace.grad).all()
    w.phases.next()                                  # 6: update
    assert "would blow the weights up" in w.statusBar().currentMessage()
    np.testing.assert_array_equal(w.doc.lesson.network.params, held)
    assert w.doc.lesson.epoch == 0 and w.phases.trace is None and w.diagram.overlay is None
