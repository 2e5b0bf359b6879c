"""The panels behind another tab at start (Settings, Explain, the Weights tab) are
built when first shown or asked for, and then show the lesson as it is: a lesson
switch or a structure edit while they were unbuilt is not lost."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from aeviz.core.guides.guide_targets import Target
from aeviz.core.measures import explain
from aeviz.gui.panels.explain_panel import ExplainPanel
from aeviz.gui.panels.settings_panel import SettingsPanel
from aeviz.gui.panels.weights_panel import WeightsPanel

from .conftest import open_lesson


def _unbuilt(w) -> dict[str, bool]:
    return {"Settings": not w.settings_dock.built(), "Explain": not w.explain_dock.built(),
            "Weights": not w.tabs.built("Weights")}


def _change_lesson_while_unbuilt(w) -> None:
    """Another lesson (other settings, another shape), then a neuron more."""
    w.files.open_preset("deep-hourglass")            # 8-4-2-4-8, its own settings
    w.doc.lesson.add_neuron(1)                       # 8-5-2-4-8
    assert list(w.doc.lesson.network.sizes) == [8, 5, 2, 4, 8]
    assert all(_unbuilt(w).values())


def test_hidden_panels_are_not_built_at_start(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    qtbot.waitUntil(lambda: w.isVisible())
    assert all(_unbuilt(w).values()), _unbuilt(w)
    assert not w.findChildren(SettingsPanel) and not w.findChildren(ExplainPanel)
    assert not w.findChildren(WeightsPanel)


def test_settings_shown_after_a_lesson_switch_shows_the_new_lesson(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
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
    w = open_lesson(qtbot, "train-5-2-5")
    panel = w.settings_panel                         # asked for: built now
    panel.lr.setText("-3")
    panel.lr.editingFinished.emit()
    assert "learning rate" in w.statusBar().currentMessage().lower()


def test_weights_tab_shown_after_an_edit_shows_the_current_blocks(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
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
    w = open_lesson(qtbot, "train-5-2-5")
    _change_lesson_while_unbuilt(w)
    w.show_explain()                                 # F1
    assert w.explain_dock.built() and w.explain.isVisible()
    zs, acts = w.doc.lesson.forward()
    expected = explain.loss_text(w.doc.lesson.model.training, w.doc.lesson.network,
                                 w.doc.lesson.x, acts[-1][0], zs[-1][0])
    assert expected.split(".")[0] in w.explain.toPlainText()


def test_a_guide_step_pointing_at_an_unbuilt_dock_outlines_its_real_panel(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    target = Target("panel", panel="Settings", source="panel:Settings")
    widget = w.guide.widget_for(target)
    assert w.settings_dock.built() and widget.widget() is w.settings_panel


def test_panels_built_on_stage_are_built_compact(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.classroom.set_presenter(True)
    assert all(_unbuilt(w).values())
    assert w.weights.compact and w.explain.compact
    w.classroom.set_presenter(False)
    assert not w.weights.compact and not w.explain.compact
