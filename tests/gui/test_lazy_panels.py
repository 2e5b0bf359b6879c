"""The panels behind another tab at start (Settings, Explain, the Weights tab) are
built when first shown or asked for, and then show the lesson as it is: a lesson
switch or a structure edit while they were unbuilt is not lost."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QDockWidget

from aeviz.core.guides.guide_targets import Target
from aeviz.core.measures import explain
from aeviz.gui.panels.explain_panel import ExplainPanel
from aeviz.gui.panels.settings_panel import SettingsPanel
from aeviz.gui.panels.training_panel import TrainingPanel
from aeviz.gui.runtime import settings
from aeviz.gui.runtime.training import CLASS_SPEED
from aeviz.gui.panels.weights_panel import WeightsPanel

from .conftest import open_lesson


def _unbuilt(w) -> dict[str, bool]:
    return {"Training": not w.training_dock.built(), "Settings": not w.settings_dock.built(),
            "Explain": not w.explain_dock.built(), "Weights": not w.tabs.built("Weights")}


def _change_lesson_while_unbuilt(w) -> None:
    """Another lesson (other settings, another shape), then a neuron more."""
    w.files.open_preset("deep-hourglass")            # 8-4-2-4-8, its own settings
    w.doc.lesson.add_neuron(1)                       # 8-5-2-4-8
    assert list(w.doc.lesson.network.sizes) == [8, 5, 2, 4, 8]
    assert all(_unbuilt(w).values())


def test_hidden_panels_are_not_built_at_start(qtbot):
    w = open_lesson(qtbot, "article-example")
    qtbot.waitUntil(lambda: w.isVisible())
    assert all(_unbuilt(w).values()), _unbuilt(w)
    assert not w.findChildren(SettingsPanel) and not w.findChildren(ExplainPanel)
    assert not w.findChildren(WeightsPanel) and not w.findChildren(TrainingPanel)


def test_settings_shown_after_a_lesson_switch_shows_the_new_lesson(qtbot):
    w = open_lesson(qtbot, "article-example")
    _change_lesson_while_unbuilt(w)
    dock = w.findChild(QDockWidget, "Settings")
    dock.raise_()                                    # a click on its tab
    qtbot.waitUntil(lambda: w.settings_dock.built())
    panel = w.settings_panel
    assert panel.isVisible() and dock.widget().widget() is panel     # in its scroll area
    t, net = w.doc.lesson.model.training, w.doc.lesson.network
    assert panel.lr.text() == f"{t.learning_rate:g}"
    assert panel.loss.currentText() == t.loss and panel.optimizer.currentText() == t.optimizer
    assert [b.currentText() for b in panel.activation_rows] == list(net.activations)
    # built once: it follows later edits like any panel
    w.doc.lesson.set_training(t.with_(learning_rate=0.125))
    assert w.settings_panel is panel and panel.lr.text() == "0.125"


def test_a_refusal_in_the_lazily_built_settings_reaches_the_status_bar(qtbot):
    w = open_lesson(qtbot, "article-example")
    panel = w.settings_panel                         # asked for: built now
    panel.lr.setText("-3")
    panel.lr.editingFinished.emit()
    assert "learning rate" in w.statusBar().currentMessage().lower()


def test_weights_tab_shown_after_an_edit_shows_the_current_blocks(qtbot):
    w = open_lesson(qtbot, "article-example")
    _change_lesson_while_unbuilt(w)
    index = [w.data_tabs.tabText(i) for i in range(w.data_tabs.count())].index("Weights")
    w.data_tabs.setCurrentIndex(index)               # a click on the tab
    assert w.tabs.built("Weights") and w.data_tabs.currentWidget() is w.weights
    net = w.doc.lesson.network
    assert w.weights.tabs.count() == net.depth       # a tab per layer pair
    model = w.weights.model
    assert (model.rowCount(), model.columnCount()) == net.blocks[model.block].shape
    assert model.data(model.index(0, 0)) is not None


def test_explain_shown_after_a_lesson_switch_explains_the_new_lesson(qtbot):
    w = open_lesson(qtbot, "article-example")
    _change_lesson_while_unbuilt(w)
    w.show_explain()                                 # F1
    assert w.explain_dock.built() and w.explain.isVisible()
    zs, acts = w.doc.lesson.forward()
    expected = explain.loss_text(w.doc.lesson.model.training, w.doc.lesson.network,
                                 w.doc.lesson.x, acts[-1][0], zs[-1][0])
    assert expected.split(".")[0] in w.explain.toPlainText()


def test_a_guide_step_pointing_at_an_unbuilt_dock_outlines_its_real_panel(qtbot):
    w = open_lesson(qtbot, "article-example")
    target = Target("panel", panel="Settings", source="panel:Settings")
    widget = w.guide.widget_for(target)
    assert w.settings_dock.built() and widget.widget() is w.settings_panel


def test_panels_built_on_stage_are_built_compact(qtbot):
    w = open_lesson(qtbot, "article-example")
    w.classroom.set_presenter(True)
    assert all(_unbuilt(w).values())
    assert w.weights.compact and w.explain.compact
    panel = w.training                               # the step-through is the strip's on stage
    assert panel.buttons.direction() == panel.buttons.Direction.TopToBottom
    assert panel.phase_title.parentWidget().isHidden()
    w.classroom.set_presenter(False)
    assert not w.weights.compact and not w.explain.compact
    assert panel.buttons.direction() == panel.buttons.Direction.LeftToRight
    assert not panel.phase_title.parentWidget().isHidden()


def test_training_panel_built_late_shows_the_speed_set_before(qtbot):
    """The saved speed, then C (class speed), while the panel was unbuilt."""
    settings.write(settings.SPEED, 30)
    w = open_lesson(qtbot, "article-example")
    assert not w.training_dock.built() and w.controller.speed == 30
    w.training_ui.toggle_class_speed()                # C
    assert not w.training_dock.built() and w.controller.speed == CLASS_SPEED
    w.findChild(QDockWidget, "Training").raise_()    # a click on its tab
    qtbot.waitUntil(lambda: w.training_dock.built())
    assert w.training.speed_label.text() == f"{CLASS_SPEED} epochs/s"
    w.training_ui.toggle_class_speed()                # C again: back to 30, on the slider
    assert w.controller.speed == 30 and w.training.speed_label.text() == "30 epochs/s"


def test_training_panel_built_late_shows_the_message_and_the_phase(qtbot):
    w = open_lesson(qtbot, "article-example")
    w.controller.message.emit("Training stopped: a test message")
    w.phases.next()                                   # N: the step-through's first phase
    title = w.training_ui.phase[0]
    assert title                                      # (its dock raised: built now)
    qtbot.waitUntil(lambda: w.training_dock.built())
    panel = w.training
    assert panel.message.text() == "Training stopped: a test message"
    assert panel.phase_title.text() == title
    w.files.open_preset("encoder-8-3-8")              # another lesson: the message goes
    assert panel.message.text() == "" and w.training_ui.message == ""


def test_a_message_cleared_while_unbuilt_is_not_shown_later(qtbot):
    w = open_lesson(qtbot, "article-example")
    w.controller.message.emit("an old message")
    w.files.open_preset("encoder-8-3-8")              # cleared with its run
    assert w.training.message.text() == ""


def test_a_first_step_pointing_at_the_training_dock_builds_it_with_the_window(qtbot):
    """The 5-2-5 lesson's first step looks at the Training panel: built while the
    window is (before the stage exists), in its dock, at the default speed."""
    w = open_lesson(qtbot, "train-5-2-5")
    assert w.training_dock.built()
    dock = w.findChild(QDockWidget, "Training")
    assert dock.widget().widget() is w.training
    assert w.training.speed_label.text() == f"{w.controller.speed} epochs/s"


def test_the_prior_circles_are_drawn_once_a_2d_vae_is_open(qtbot):
    """The code space's prior circles (a 2-unit VAE's) are made when first needed."""
    w = open_lesson(qtbot, "article-example")
    assert w.generate.prior == []
    w.files.open_preset("vae-digits")
    net = w.doc.lesson.network
    assert net.variational and net.code_size == 2
    qtbot.waitUntil(lambda: len(w.generate.prior) == 2 and len(w.generate.prior[0].xData) > 0)
    radius = np.hypot(w.generate.prior[1].xData, w.generate.prior[1].yData)
    np.testing.assert_allclose(radius, 2.0)
    # drawn over the codes' dots (the digits' 1,797 dots hid the circle of radius 1),
    # under the fed pattern's ring
    points, ring = w.code_space.points.zValue(), w.code_space.fed_ring.zValue()
    assert all(points < item.zValue() < ring for item in w.generate.prior)
    w.files.open_preset("article-example")            # not a VAE: the circles empty
    assert all(item.xData is None or len(item.xData) == 0 for item in w.generate.prior)
