"""Axis tick labels are whole on screen (#23 rehearsal at 1024×768 in presenter
mode): the code space's x labels were cut at the bottom by the guide's outline,
the loss plot's last epoch label at the right edge.  Measured from pyqtgraph's
own draw specs (where each label's text goes), not from pixels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture
from PySide6.QtWidgets import QApplication, QDockWidget

from aeviz.gui.panels.plots import LEGEND_MAX_PT, plot_text_points
from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson

OUTLINE_PX = 5           # the guide's outline over a panel it points at (drawing.highlight)


def label_rects(plot, side: str, widget) -> list[tuple[str, QRectF]]:
    """Each tick label of ``plot``'s ``side`` axis as (text, rect in ``widget``)."""
    axis = plot.getPlotItem().getAxis(side)
    picture = QPicture()
    painter = QPainter(picture)
    if axis.style["tickFont"]:
        painter.setFont(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    out = []
    for rect, _flags, text in specs[2] if specs else []:
        scene = axis.mapRectToScene(QRectF(rect))
        view_rect = plot.mapFromScene(scene).boundingRect()
        top_left = plot.mapTo(widget, view_rect.topLeft())
        out.append((text, QRectF(top_left.x(), top_left.y(), view_rect.width(),
                                 view_rect.height())))
    return out


def settle(w) -> None:
    for _ in range(4):
        QApplication.processEvents()
    from aeviz.gui.runtime.throttle import Throttled
    for throttled in w.findChildren(Throttled):
        throttled.flush()
    for _ in range(2):
        QApplication.processEvents()


def inside(rects, area: QRectF) -> list[str]:
    """The labels not wholly inside ``area`` (one pixel of rounding allowed)."""
    area = area.adjusted(-1, -1, 1, 1)
    return [f"{text} {rect}" for text, rect in rects if not area.contains(rect)]


def test_the_code_space_labels_clear_the_guides_outline(qtbot):
    w = open_lesson(qtbot, "article-example")
    present(w, (1024, 768))
    w.findChild(QDockWidget, "Code space").show()
    settle(w)
    panel = w.code_space
    clear = QRectF(panel.rect()).adjusted(OUTLINE_PX, OUTLINE_PX, -OUTLINE_PX, -OUTLINE_PX)
    for side in ("bottom", "left"):
        rects = label_rects(panel.plot, side, panel)
        assert rects
        assert not inside(rects, clear), side


@pytest.mark.parametrize("epochs", [1, 300, 2500])
def test_the_last_epoch_label_is_whole(qtbot, epochs):
    w = open_lesson(qtbot, "six-steps")
    present(w, (1024, 768))
    w.findChild(QDockWidget, "Loss").show()
    w.controller.run_now(lambda session: session.advance(epochs), "Train", True)
    settle(w)
    plot = w.loss_plot.plot
    rects = label_rects(plot, "bottom", plot)
    assert rects and not inside(rects, QRectF(plot.rect()))


def test_the_codes_tab_ticks_whole_units_inside_and_its_colours_fit_the_codes(qtbot):
    """Linear vs PCA: code units 1 and 2 (not 1.0, 1.5, 2.0), their labels clear of
    the outline, and the heat map's scale reaches the codes (up to ~3.5, it was ±1)."""
    import numpy as np

    from aeviz.gui.window import colors
    w = open_lesson(qtbot, "linear-pca")
    present(w, (1024, 768))
    view = w.codes_view
    w.findChild(QDockWidget, "Patterns").show()
    w.data_tabs.setCurrentWidget(view)
    w.controller.run_now(lambda session: session.advance(200), "Train", True)
    settle(w)
    clear = QRectF(view.rect()).adjusted(OUTLINE_PX, OUTLINE_PX, -OUTLINE_PX, -OUTLINE_PX)
    for plot in (view.heat, view.bars):
        rects = label_rects(plot, "bottom", view)
        assert [text for text, _r in rects] == ["1", "2"]
        assert not inside(rects, clear)
    codes = w.doc.lesson.network.code(w.doc.lesson.data())
    top = float(np.abs(codes).max())
    assert top > 1.5                                      # a linear code, past ±1
    low, high = view.colour_bar.RANGE
    assert low == -high and top <= high < 2 * top
    shown = view.image.image.astype(float)                # (units, patterns, 3)
    expected = colors.rgb(codes.T, high)
    assert np.abs(shown - expected).max() <= 1            # no code saturates the scale
    assert colors.scale_for(np.array([0.2, -0.9])) == 1.0  # tanh, sigmoid: the one scale
    assert colors.scale_for(np.array([3.5])) == 4.0 and colors.scale_for(np.array([12])) == 15.0
    bar = view.colour_bar                                 # its end labels fit its width
    metrics = bar.fontMetrics()
    assert all(21 + metrics.horizontalAdvance(bar.end_text(v)) <= bar.width()
               for v in bar.RANGE)


def test_the_output_bars_tick_whole_units_and_reach_every_value(qtbot):
    """Linear vs PCA: x reaches −1.5 and 2 (bars were cut at 0 and 1), units 1, 2, 3."""
    import numpy as np
    w = open_lesson(qtbot, "linear-pca")
    present(w, (1024, 768))
    bars = w.output_bars
    w.findChild(QDockWidget, "Patterns").show()
    w.data_tabs.setCurrentWidget(w.tabs.page("Outputs"))
    settle(w)
    (_x0, _x1), (y0, y1) = bars.plot.getViewBox().viewRange()
    values = np.r_[w.doc.lesson.x, w.doc.lesson.forward()[1][-1][0]]
    assert values.min() < 0 and values.max() > 1
    assert y0 < values.min() and y1 > values.max()
    texts = [text for text, _r in label_rects(bars.plot, "bottom", bars.plot)]
    assert texts == ["1", "2", "3"]
    sizes = {label.opts.get("size") for _s, label in bars.plot.getPlotItem().legend.items}
    assert sizes == {f"{min(plot_text_points(), LEGEND_MAX_PT):.1f}pt"} and plot_text_points() > 9
