"""The Codes tab fits the Patterns dock at 1024×768 (r8 screenshot review): the
"mean activity" plot ran past the dock's right edge (its title made the plot
wider than its widget: sparse's 8th bar and linear-pca's 2nd were cut) and the
charts' fixed minimum height pushed the colour bar's "−1" and the heat map's x
labels below the dock; in the shorter chart the pattern numbers must not pile
up (60 patterns: "1 13 25 37 49" in 25 px).  Checked on the widgets' and plot items' rects and on
where pyqtgraph draws each tick label, not on pixels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from aeviz.gui.window.screenshot import present, show_tab

from .test_axis_labels_inside import inside, label_rects, settle
from .test_presenter import open_lesson


@pytest.mark.parametrize("preset, epochs, presenter", [
    ("overcomplete-sparse", 800, False), ("linear-pca", 300, False), ("vae-digits", 0, False),
    ("overcomplete-sparse", 800, True)])
def test_the_codes_view_is_whole_inside_the_patterns_dock(qtbot, preset, epochs, presenter):
    w = open_lesson(qtbot, preset)
    if presenter:
        present(w, (1024, 768))
    w.controller.run_now(lambda session: session.advance(epochs), "Train", True)
    show_tab(w, "Codes")
    settle(w)
    view = w.codes_view
    page = QRectF(view.parentWidget().rect())              # what the tab shows of it
    assert QRectF(view.geometry()).width() <= page.width()
    assert QRectF(view.geometry()).height() <= page.height()
    area = QRectF(view.rect())
    for part in (view.summary, view.heat, view.colour_bar, view.bars):
        assert area.contains(QRectF(part.geometry())), part.accessibleName()
    for plot in (view.heat, view.bars):
        item = plot.getPlotItem()                          # the plot inside its widget
        assert QRectF(plot.rect()).adjusted(-1, -1, 1, 1).contains(
            item.mapRectToScene(item.boundingRect())), plot.accessibleName()
        for side in ("left", "bottom"):
            rects = label_rects(plot, side, view)
            assert rects, (plot.accessibleName(), side)
            assert not inside(rects, area), (plot.accessibleName(), side)
            for i, (a, ra) in enumerate(rects):              # and readable: none on another
                for b, rb in rects[i + 1:]:
                    assert not ra.intersects(rb), (plot.accessibleName(), side, a, b)


def test_whole_ticks_label_no_closer_than_the_room_allows():
    from aeviz.gui.panels.codes_view import whole_ticks
    assert whole_ticks(5) == [[(i, str(i)) for i in range(1, 6)], []]        # room: all
    major, minor = whole_ticks(5, room=2.5)          # 2.5 labels fit: every second one
    assert [v for v, _ in major] == [1, 3, 5] and [v for v, _ in minor] == [2, 4]
    major, _ = whole_ticks(60, room=1.8)             # 60 rows in a short chart
    assert [v for v, _ in major] == [1, 37]          # (a multiple of the finest step, 3)
    assert whole_ticks(60) == whole_ticks(60, room=10)                       # as before
