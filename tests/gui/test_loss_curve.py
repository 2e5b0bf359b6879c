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
