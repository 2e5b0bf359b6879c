"""The small views made legible (#14): the Codes heat map ticks every pattern
1…P and every unit and has a colour bar; the denoising legend sits outside the
bars and the chart keeps its height after Compare; the shortcut sheet lists each
action once, without row numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from aeviz.gui.panels.codes_view import MIN_CHART_HEIGHT

from .conftest import WAIT, open_lesson


def test_codes_heat_map_ticks_each_pattern_and_has_a_colour_bar(qtbot):
    w = open_lesson(qtbot, "overcomplete-sparse")
    w.data_tabs.setCurrentWidget(w.codes_view)
    w.codes_view.throttled.flush()
    heat = w.codes_view.heat
    qtbot.waitUntil(lambda: heat.getAxis("left")._tickLevels is not None)   # fitted (zero timer)
    def ticked(axis):              # every pattern and unit has a tick (labelled where it fits)
        return sorted(tick for level in heat.getAxis(axis)._tickLevels for tick in level)
    assert ticked("left") == [(p, str(p)) for p in range(1, 6)]
    assert ticked("bottom") == [(u, str(u)) for u in range(1, 9)]
    bar = w.codes_view.colour_bar
    assert bar.isVisible() and bar.RANGE == (-1.0, 1.0)
    least = heat.getPlotItem().effectiveSizeHint(Qt.MinimumSize)   # never cut (r8)
    assert heat.minimumHeight() >= least.height() and heat.minimumWidth() >= least.width()


def test_denoising_legend_is_outside_the_bars_and_compare_keeps_the_height(qtbot):
    w = open_lesson(qtbot, "denoising-bars")
    view = w.noise_view
    w.data_tabs.setCurrentWidget(view)
    assert view.plot.getPlotItem().legend is None            # nothing drawn over the bars
    for name in ("clean x", "corrupted x′", "output y = g(f(x′))"):
        assert name in view.legend.text()
    assert view.plot.getViewBox().viewRange()[1][1] < 1.2    # no headroom kept for a legend
    w.controller.run_now(lambda session: session.advance(5), "Train", True)
    view.compare.click()
    qtbot.waitUntil(lambda: "without noise recovers" in view.status.text(), timeout=WAIT)
    assert view.plot.height() >= MIN_CHART_HEIGHT


def test_shortcut_sheet_lists_each_action_once_without_row_numbers(window):
    w = window
    w.registry["keys"].trigger()
    table = w.classroom.shortcut_sheet.findChild(QTableWidget)
    texts = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert len(texts) == len(set(texts)) and texts.count("Redo") == 1
    assert not table.verticalHeader().isVisible()
