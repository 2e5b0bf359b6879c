"""The loss legend of the digits VAE (#23 rehearsal: "ctive J", "ction L, with a
sampled code", cut off on the left, no line samples): every entry, its line
sample and its whole text, inside the plot, in the normal window and on stage,
and it stays so however often the plot is resized (the legend's width never
creeps)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QDockWidget

from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


def settle(w) -> None:
    for _ in range(4):
        QApplication.processEvents()
    w.loss_plot.throttled.flush()


def entries_inside(panel) -> None:
    """Each sample and label lies inside the plot widget; a label is about as wide as
    its text (not stretched to a creeping legend width)."""
    plot = panel.plot
    bounds = QRectF(plot.rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    legend = plot.getPlotItem().legend
    assert legend.items
    for sample, label in legend.items:
        for part in (sample, label):
            rect = plot.mapFromScene(part.mapRectToScene(part.boundingRect())).boundingRect()
            assert bounds.contains(QRectF(rect)), (label.text, rect, plot.rect())
        text = label.item.document().idealWidth()         # its words' width, as laid out
        assert label.width() < text + 30, (label.text, label.width(), text)
    view = plot.getPlotItem().vb
    assert view.height() > 0.35 * plot.height()             # rows of names, not a tower


@pytest.mark.parametrize("stage", [False, True])
def test_the_vae_loss_legend_is_whole_inside_its_plot(qtbot, stage):
    w = open_lesson(qtbot, "digits-8x8-vae")
    w.findChild(QDockWidget, "Loss").show()
    if stage:
        present(w, (1024, 768))
        w.findChild(QDockWidget, "Loss").show()
    settle(w)
    assert len(w.loss_plot.legend.items) == 3
    entries_inside(w.loss_plot)
    for width in (300, 260, 420, 330):                       # the dock resized, again and again
        w.loss_plot.plot.resize(width, w.loss_plot.plot.height())
        settle(w)
    entries_inside(w.loss_plot)
