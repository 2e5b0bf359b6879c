"""The loss curve ends at the epoch the Values panel shows (#23): one step draws
one point, and the last point is the Values panel's loss."""

from __future__ import annotations

from aeviz.gui.drawing.diagram_items import fmt

from .test_presenter import open_lesson


def test_one_step_draws_one_point_at_the_values_panels_epoch(qtbot):
    w = open_lesson(qtbot, "article-example")
    assert w.doc.lesson.epoch == 0
    curve = w.loss_plot.curves["loss"]
    for k in (1, 2, 3):
        w.registry["step"].trigger()
        qtbot.waitUntil(lambda: w.doc.lesson.epoch == k and not w.controller.running)
        w.loss_plot.throttled.flush()
        x, y = curve.getData()
        assert len(x) == k + 1 and x[-1] == w.doc.lesson.epoch == int(w.values.epoch.text())
        assert fmt(float(y[-1])) == w.values.loss.text().split(" ")[0]
        assert curve.opts["symbol"] == "o"                # a few points: each one seen


def test_the_history_is_drawn_at_the_epoch_its_loss_was_measured_on(qtbot):
    """Full batch: the loss recorded for epoch e is the loss of the weights after
    e − 1 updates, so at x = e − 1 the curve shows what the Values panel showed
    then."""
    w = open_lesson(qtbot, "article-example")
    shown = [w.doc.lesson.evaluation().loss]
    for k in range(1, 4):
        w.registry["step"].trigger()
        qtbot.waitUntil(lambda: w.doc.lesson.epoch == k and not w.controller.running)
        shown.append(w.doc.lesson.evaluation().loss)
    w.loss_plot.throttled.flush()
    x, y = w.loss_plot.curves["loss"].getData()
    assert list(x) == [0, 1, 2, 3]
    assert abs(y - shown).max() < 1e-9


def test_the_epoch_axis_moves_in_steps_and_the_curve_fills_most_of_it(qtbot):
    """The epoch axis reaches to the next of 1, 1.25, 1.5, 2 ... x 10^k (an axis
    whose range changes redraws its labels: not at every frame of training), so the
    curve ends in the last quarter of the axis (its last fifth before the plot's
    padding) and more epochs inside the step
    leave the axis where it is."""
    from aeviz.gui.panels.plots import epoch_room
    assert [epoch_room(e) for e in (0, 1, 7, 10, 11, 101, 299, 301)] == \
        [0, 1, 8, 10, 12.5, 125, 300, 400]
    w = open_lesson(qtbot, "article-example")
    w.registry["step"].trigger()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch == 1 and not w.controller.running)

    def right_end():
        w.loss_plot.throttled.flush()
        vb = w.loss_plot.plot.getPlotItem().getViewBox()
        vb.updateAutoRange()
        return vb.viewRange()[0][1]

    ends = []
    for epochs in (101, 110, 124):        # the last point: the Values panel's epoch
        w.controller.run_epochs(epochs - w.doc.lesson.epoch, "Train")
        qtbot.waitUntil(lambda: w.doc.lesson.epoch == epochs and not w.controller.running)
        end = right_end()
        x, _ = w.loss_plot.curves["loss"].getData()
        assert 0.75 * end <= x[-1] <= end
        ends.append(end)
    assert ends[0] == ends[1] == ends[2]           # 101..124 inside one step: the axis stays
