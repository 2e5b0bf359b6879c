"""Plots that present (#23, the stage): the loss legend sits above the curve (never
over it), the loss axis starts at 0, and the code space's digit legend follows
presenter mode and Ctrl+= like every other plot text, and comes back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def legend_clear_of_view(panel) -> bool:
    item = panel.plot.getPlotItem()
    legend = item.legend.mapRectToScene(item.legend.boundingRect())
    view = item.vb.mapRectToScene(item.vb.boundingRect())
    return legend.height() > 0 and not legend.intersects(view)


def test_the_loss_legend_sits_above_the_curve_and_fits(qtbot):
    w = open_lesson(qtbot, "overcomplete-sparse")          # three entries: J, L, penalty
    settle()
    assert len(w.loss_plot.legend.items) == 3
    assert legend_clear_of_view(w.loss_plot)
    present(w, (1024, 768))
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    settle()
    panel = w.loss_plot
    assert legend_clear_of_view(panel)
    legend = panel.plot.getPlotItem().legend
    assert legend.width() <= panel.plot.width()
    qtbot.keyClick(w, Qt.Key_0, Qt.ControlModifier)
    settle()
    assert legend_clear_of_view(panel)


def test_the_loss_axis_starts_at_zero_and_log_scale_leaves_it(qtbot):
    w = open_lesson(qtbot, "article-example")
    for k in (1, 2, 3):
        w.registry["step"].trigger()
        qtbot.waitUntil(lambda: w.doc.lesson.epoch == k and not w.controller.running)
    w.loss_plot.throttled.flush()
    settle()
    vb = w.loss_plot.plot.getViewBox()
    y0, y1 = vb.viewRange()[1]
    lowest = w.loss_plot.curves["loss"].getData()[1].min()
    assert lowest > 0.1 and y0 <= 0 < y1            # not zoomed onto the curve alone
    w.loss_plot.log.setChecked(True)
    settle()
    assert not w.loss_plot.zero.isVisible()


def test_the_digit_legend_follows_presenter_mode_and_comes_back(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    legend = w.code_space.legend

    def sizes() -> set[str]:
        return {label.opts.get("size") for _sample, label in legend.items}
    assert len(legend.items) == 10
    before = sizes()
    assert before == {"9.0pt"}
    present(w, (1024, 768))
    on_stage = sizes()
    assert len(on_stage) == 1 and float(on_stage.pop()[:-2]) > 9
    qtbot.keyClick(w, Qt.Key_Escape)
    assert sizes() == before


def test_the_epoch_axis_ticks_whole_epochs_only(qtbot):
    """At epoch 0 (one point) and after a few steps: no "epoch 0.2" tick."""
    w = open_lesson(qtbot, "encoder-4-2-4")
    axis = w.loss_plot.plot.getPlotItem().getAxis("bottom")

    def ticks() -> list[float]:
        (x0, x1), _ = w.loss_plot.plot.getViewBox().viewRange()
        return [v for _spacing, values in axis.tickValues(x0, x1, axis.width())
                for v in values]
    w.loss_plot.throttled.flush()
    settle()
    assert ticks() == [0.0]
    for k in (1, 2, 3):
        w.registry["step"].trigger()
        qtbot.waitUntil(lambda: w.doc.lesson.epoch == k and not w.controller.running)
    w.loss_plot.throttled.flush()
    settle()
    assert ticks() and all(float(v).is_integer() for v in ticks())
