"""No stale state (#14): Play after a rewind trains on from the epoch on screen
(one undo step), the timeline label follows training, the shown epoch is marked on
the loss curve, a new lesson resets the loss plot and its legend, the stuck offer
clears and its button trains again, and the class speed is one key away."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.session import TrainingSession
from aeviz.gui.window.main_window import MainWindow
from aeviz.gui.runtime.training import CLASS_SPEED

from .conftest import WAIT, readout


def test_play_after_a_rewind_starts_from_the_shown_epoch(lesson, qtbot):
    w = lesson
    w.controller.run_now(lambda session: session.advance(60), "Train", True)
    epochs = w.controller.snapshot_epochs()
    w.training.timeline.setValue(epochs.index(30))
    assert int(readout(w, "Epoch")) == 30
    assert w.loss_plot.marker.isVisible() and w.loss_plot.marker.value() == 30
    snapshot = w.doc.lesson.snapshots.at_or_before(30)
    w.training.stop_epochs.setValue(10)
    w.controller.play()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.epoch == 40                       # 30 + 10, not 60 + 10
    m = load_preset("train-5-2-5")
    straight = TrainingSession(m.network, m.training, m.data())
    straight.trainer.set_state(snapshot)
    straight.advance(10)
    np.testing.assert_array_equal(w.doc.lesson.network.params, straight.params)
    assert not w.loss_plot.marker.isVisible()
    assert w.doc.lesson.undo_stack.undo_text() == "Rewind to epoch 30, train 10 epochs"
    w.doc.lesson.undo()                                   # one undo step back to epoch 60
    assert w.doc.lesson.epoch == 60


def test_the_timeline_label_follows_training(lesson, qtbot):
    w = lesson
    w.controller.run_now(lambda session: session.advance(20), "Train", True)
    assert w.training.timeline_label.text() == "showing epoch 20 of 20"
    w.training.set_speed(30)
    w.controller.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch >= 23, timeout=WAIT)
    assert w.training.timeline_label.text().startswith("training: epoch ")
    assert int(w.training.timeline_label.text().split()[-1]) >= 23
    w.controller.pause()
    assert w.training.timeline_label.text() == f"showing epoch {w.doc.lesson.epoch} of {w.doc.lesson.epoch}"


def drawn(w) -> None:
    """The loss plot's latest state, its lazy auto-range applied."""
    w.loss_plot.refresh()
    w.loss_plot.plot.getViewBox().updateAutoRange()
    QApplication.processEvents()


def test_a_new_lesson_resets_the_loss_plot_and_its_legend(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.controller.run_now(lambda session: session.advance(300), "Train", True)
    drawn(w)
    assert w.loss_plot.plot.viewRange()[0][1] > 100
    w.doc.lesson.replace(load_preset("overcomplete-sparse"), None)
    drawn(w)
    assert w.loss_plot.plot.viewRange()[0][1] < 10        # not the old 300 epochs
    legend = [label.text for _sample, label in w.loss_plot.legend.items]
    assert "penalty Ω" in legend and not any("no penalty" in t for t in legend)


def test_the_stuck_offer_clears_and_its_button_trains_again(stuck_lesson, qtbot):
    w = stuck_lesson
    assert w.training_ui.stuck_button.isVisible()
    seed = w.doc.lesson.training.seed
    qtbot.mouseClick(w.training_ui.stuck_button, Qt.LeftButton)
    assert w.doc.lesson.training.seed == seed + 1
    assert w.controller.running                           # it trains again
    assert not w.training_ui.stuck_button.isVisible()
    assert "share a code" not in w.statusBar().currentMessage()
    w.controller.pause()


def test_class_speed_is_one_key_away(window, qtbot):
    w = window
    before = w.controller.speed
    assert before != CLASS_SPEED
    qtbot.keyClick(w.diagram, Qt.Key_C)
    assert w.controller.speed == CLASS_SPEED and 10 <= CLASS_SPEED <= 20
    assert w.training.speed_label.text() == f"{CLASS_SPEED} epochs/s"
    assert w.registry["class_speed"].isChecked()
    qtbot.keyClick(w.diagram, Qt.Key_C)
    assert w.controller.speed == before and not w.registry["class_speed"].isChecked()


def test_restart_clears_the_stuck_offer(stuck_lesson, qtbot):
    w = stuck_lesson
    assert w.training_ui.stuck_button.isVisible()
    qtbot.mouseClick(w.training.restart_button, Qt.LeftButton)
    assert w.doc.lesson.epoch == 0
    assert not w.training_ui.stuck_button.isVisible()
    assert "share a code" not in w.statusBar().currentMessage()


def test_the_loss_legend_names_the_penalty_as_the_values_panel_does(qtbot):
    """A VAE's penalty is β·KL (with weight decay: Ω + β·KL), in the legend and in
    the Loss readout alike; a sparse lesson's is Ω."""
    from .conftest import readout
    w = MainWindow(model=load_preset("vae-digits"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    for setting, name in ((0.0, "β·KL"), (0.01, "Ω + β·KL")):
        w.doc.lesson.set_training(w.doc.lesson.model.training.with_(weight_decay=setting))
        drawn(w)
        legend = [label.text for _sample, label in w.loss_plot.legend.items]
        assert f"penalty {name}" in legend, legend
        assert f"+ {name} " in readout(w, "Loss"), readout(w, "Loss")


def test_the_loss_legend_follows_a_variational_toggle_while_paused(qtbot):
    """Variational on or off is a structure change: the legend follows at once, and
    after it is turned off the old KL curve is not called Ω."""
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()

    def legend():
        drawn(w)
        return [label.text for _sample, label in w.loss_plot.legend.items]
    assert "loss L (no penalty: J = L)" in legend()
    w.registry["variational"].trigger()
    assert "penalty β·KL" in legend()
    w.controller.run_now(lambda session: session.advance(50), "Train", True)
    w.registry["variational"].trigger()                       # plain again
    assert "penalty (earlier epochs)" in legend()
    w.doc.lesson.undo()
    assert "penalty β·KL" in legend()


def test_at_rate_5_the_stuck_offer_lowers_the_rate_and_resets_in_one_click(qtbot):
    """#24 item 8: stuck-5-2-5's stall is the rate's doing; the offer says so and
    its one click sets rate 1 with fresh weights and trains again."""
    m = load_preset("stuck-5-2-5")
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.controller.run_now(lambda session: session.advance(600), "Train", True)
    w.training_ui.check_stuck(force=True)
    ui = w.training_ui
    assert ui.stuck_button.isVisible() and ui.stuck_button.text() == "Learning rate 1, fresh weights"
    assert "new seed would not help" in w.statusBar().currentMessage()
    seed = w.doc.lesson.training.seed
    qtbot.mouseClick(ui.stuck_button, Qt.LeftButton)
    lesson = w.doc.lesson
    assert lesson.training.learning_rate == 1.0 and lesson.training.seed == seed
    assert w.controller.running
    w.controller.pause()
    assert not ui.stuck_button.isVisible()
