"""The code space at scale (#25): 1,797 labelled digits as small dots in one
scatter item, coloured by label with a legend; hover shows a picture and its
label, a click feeds it, the fed one is ringed; M shows the decoded manifold."""

from __future__ import annotations

import numpy as np
import pytest
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt

from aeviz.gui.panels import code_space_dots as dots

from .conftest import open_lesson


def _viewport_pos(w, p: int) -> QPoint:
    cs = w.code_space
    x, y = cs._xy[p]
    scene = cs.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return cs.plot.mapFromScene(scene)


def _hover(viewport, pos: QPoint) -> None:
    """A mouse move with no button (qtbot.mouseMove moves the cursor, which the
    offscreen platform does not turn into events)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    event = QMouseEvent(QEvent.MouseMove, QPointF(pos), QPointF(viewport.mapToGlobal(pos)),
                        Qt.NoButton, Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(viewport, event)


def test_thousands_of_labelled_dots_are_one_item_coloured_by_label(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    cs = w.code_space
    cs.throttled.flush()
    assert cs.many and cs.labels == [] and cs.trail_items == []
    x, _y = cs.points.getData()
    assert len(x) == 1797
    codes = w.doc.lesson.evaluation().codes
    np.testing.assert_allclose(np.column_stack(cs.points.getData()), codes)
    labels = w.doc.lesson.model.dataset.labels
    brushes = [b.color().getRgb()[:3] for b in cs.points.data["brush"]]
    want = [tuple(int(v) for v in dots.LABEL_COLORS[k]) for k in labels]
    assert brushes == want
    assert len(cs.legend.items) == 10 and cs.legend.isVisible()
    assert [label.text for _sample, label in cs.legend.items] == [str(k) for k in range(10)]
    assert not cs.image.isVisible()                # no "nearest of 1,797" background
    assert w.doc.lesson.derived.get("code space").grid is None
    scatters = [i for i in cs.plot.getPlotItem().items if isinstance(i, pg.ScatterPlotItem)
                and len(i.getData()[0]) > 100]
    assert scatters == [cs.points]


def test_hover_shows_the_picture_and_its_label_and_a_click_feeds_it(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    cs = w.code_space
    w.resize(1280, 800)
    cs.throttled.flush()
    qtbot.waitUntil(lambda: cs.plot.getPlotItem().vb.width() > 50)
    p = int(np.argmax(cs._xy[:, 0]))              # the rightmost dot
    pos = _viewport_pos(w, p)
    _hover(cs.plot.viewport(), pos)
    qtbot.waitUntil(lambda: cs.hovered() is not None)
    p = cs.hovered()                 # the mouse sits on a whole pixel: p or a dot as close
    vb = cs.plot.getPlotItem().vb
    assert np.hypot(*((cs._xy[p] - cs._xy[int(np.argmax(cs._xy[:, 0]))])
                      / np.array(vb.viewPixelSize()))) <= 2 * dots.NEAR_PX
    digit = str(w.doc.lesson.model.dataset.labels[p])
    assert cs.card.text.text().startswith(digit) and f"picture {p + 1}" in cs.card.text.text()
    assert not cs.card.picture.pixmap().isNull()
    qtbot.mouseClick(cs.plot.viewport(), Qt.LeftButton, pos=pos)
    assert w.doc.lesson.pattern_index() == p
    np.testing.assert_allclose(w.doc.lesson.x, w.doc.lesson.data()[p])
    qtbot.waitUntil(lambda: np.allclose(np.array(cs.fed_ring.getData()).ravel(), cs._xy[p]))


def test_m_toggles_the_decoded_manifold(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitUntil(lambda: w.window().windowHandle().isExposed())
    cs = w.code_space
    cs.throttled.flush()
    assert cs.pictures_button.isVisible() and not cs.manifold.isVisible()
    cs.pictures_button.click()
    assert cs.manifold.isVisible() and not cs.points.isVisible()
    image = cs.manifold.image                             # (width, height, 3) for pyqtgraph
    cols, rows = cs.decoded.grid
    assert dots.MIN_TILES <= cs.manifold_tiles == min(cols, rows) <= dots.TILES
    assert cols * rows <= dots.TILES ** 2
    assert image.shape[:2] == (cols * 9 - 1, rows * 9 - 1)
    # the tile at the top left is the decoder's picture at that code: half a tile
    # in from the corner of the codes' box
    view = w.doc.lesson.derived.get("code space")
    x0, x1, y0, y1 = dots.codes_box(view.xy, view.plane.extent)
    assert (x0, x1, y0, y1) == cs.decoded.box
    assert x0 <= view.xy[:, 0].min() and view.xy[:, 0].max() <= x1
    assert y0 <= view.xy[:, 1].min() and view.xy[:, 1].max() <= y1
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    y = w.doc.lesson.network.decode(np.array([[x0 + dx / 2, y1 - dy / 2]]))[0].reshape(8, 8)
    top_left = image.transpose(1, 0, 2)[::-1][:8, :8, 0]
    np.testing.assert_allclose(top_left, np.round(255 * (1 - y) - 0.5), atol=1)
    # ... and drawn there: its centre on the plot at that code
    rect = cs.manifold.mapRectToParent(cs.manifold.boundingRect())
    np.testing.assert_allclose([rect.left() + rect.width() * 4 / (cols * 9 - 1),
                                rect.bottom() - rect.height() * 4 / (rows * 9 - 1)],
                               [x0 + dx / 2, y1 - dy / 2], atol=1e-9 * (x1 - x0 + y1 - y0))
    assert "decoder's picture at a grid of codes" in cs.note.full_text
    cs.pictures_button.click()
    assert not cs.manifold.isVisible() and cs.points.isVisible()


def test_the_manifold_has_fewer_pictures_on_a_small_plot():
    assert dots.tiles_for(1000) == dots.TILES and dots.tiles_for(40) == dots.MIN_TILES
    assert dots.tiles_for(10 * dots.TILE_PX) == 10


def test_the_manifold_grid_fills_a_long_plot_with_square_pictures():
    """A wide or tall plot: as many pictures along its longer side as keep them
    square, at most TILES² in all."""
    assert dots.grid_for(10 * dots.TILE_PX, 10 * dots.TILE_PX) == (10, 10)
    assert dots.grid_for(410, 170) == (22, 9)             # the dock at 1280x800: 19 px each
    assert dots.grid_for(170, 410) == (9, 22)
    cols, rows = dots.grid_for(290, 640, 1.5)             # on stage: larger pictures
    assert 290 / cols >= 1.5 * dots.TILE_PX and abs(290 / cols - 640 / rows) < 2
    for w, h in [(2000, 300), (3000, 3000), (4000, 100), (0, 0)]:
        cols, rows = dots.grid_for(w, h)
        assert cols * rows <= dots.TILES ** 2 and min(cols, rows) >= dots.MIN_TILES


def test_the_codes_box_spans_the_codes_and_falls_back_to_the_plane():
    xy = np.array([[-2.0, 1.0], [3.0, 1.0], [np.nan, 0.0]])
    x0, x1, y0, y1 = dots.codes_box(xy, (-10.0, 10.0, -8.0, 8.0))
    assert x0 < -2 < 3 < x1 and (x1 - x0) == pytest.approx(5 * (1 + 2 * dots.MARGIN))
    assert (y0, y1) == (-8.0, 8.0)                        # no spread along y: the plane's
    assert dots.codes_box(np.empty((0, 2)), (0, 1, 2, 3)) == (0, 1, 2, 3)


def test_small_lessons_keep_big_labelled_points(window, qtbot):
    cs = window.code_space
    cs.throttled.flush()
    assert not cs.many and len(cs.labels) == 5 and not cs.pictures_button.isVisible()
    assert not cs.legend.isVisible()


def test_the_generate_panel_names_the_nearest_pictures_label(qtbot):
    w = open_lesson(qtbot, "digits-8x8-vae")
    s = w.generate.sample()
    labels = w.doc.lesson.model.dataset.labels
    text = w.generate_panel.sample_text.text()
    first = f"{s.nearest[0] + 1} (label {labels[s.nearest[0]]})"
    assert first in text, text
    w.generate.decode(np.zeros(2))
    y = w.doc.lesson.network.decode(np.zeros((1, 2)))[0]
    near = int(np.linalg.norm(w.doc.lesson.data() - y, axis=1).argmin())
    assert f"pattern {near + 1} (label {labels[near]}) (d = " in w.generate_panel.readout.text()


def test_the_feed_list_names_each_pictures_label(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    labels = w.doc.lesson.model.dataset.labels
    assert w.pattern_box.count() == 1797
    assert w.pattern_box.itemText(1796) == f"1797 ({labels[1796]})"     # its thumbnail beside
    w.pattern_box.activated.emit(1200)                 # the Feed list feeds it
    assert w.doc.lesson.pattern_index() == 1200
    qtbot.waitUntil(lambda: w.pattern_box.currentIndex() == 1200)   # values computed aside


def test_the_manifold_of_a_small_picture_lesson_hides_its_labels_and_trails(qtbot):
    w = open_lesson(qtbot, "generate-digits")
    cs = w.code_space
    cs.throttled.flush()
    assert cs.pictures_button.isVisible() and not cs.many
    cs.pictures_button.click()
    assert cs.manifold.isVisible()
    assert not any(i.isVisible() for i in [cs.points] + cs.labels + cs.trail_items)
    assert cs.fed_ring.isVisible()
    cs.pictures_button.click()
    assert all(i.isVisible() for i in [cs.points] + cs.labels + cs.trail_items)


def test_the_label_legend_keeps_its_size_and_names_sit_beside_their_dots(qtbot):
    """Text-size changes (presenter mode, Ctrl+=/−) re-size the legend: it stays as
    tall as its rows (pyqtgraph's own legend grew at every change, each name
    floating above its dot, until it filled the plot), in its row above the dots."""
    from aeviz.gui.panels.plots import scale_plot
    w = open_lesson(qtbot, "digits-8x8")
    cs = w.code_space
    legend = cs.legend
    for points in (9.0, 13.5, 9.0, 9.0, 9.0):
        scale_plot(cs.plot, points)
        for _ in range(3):
            from PySide6.QtWidgets import QApplication
            QApplication.processEvents()
        tops = sorted({round(label.mapRectToParent(label.boundingRect()).top())
                       for _s, label in legend.items})
        line = max(label.boundingRect().height() for _s, label in legend.items)
        assert legend.height() <= len(tops) * line + 1           # as tall as its rows
        assert cs.plot.getPlotItem().layout.rowMinimumHeight(0) == legend.height() + 2
        for sample, label in legend.items:
            dot = sample.mapRectToParent(sample.boundingRect()).center().y()
            text = label.mapRectToParent(label.item.mapRectToParent(
                label.item.boundingRect())).center().y()
            assert abs(dot - text) <= 2
    assert legend.height() <= 2 * 24                      # one or two rows at 9 pt
    small = legend.items[0][0].item.opts["size"]
    scale_plot(cs.plot, 18.0)                             # on stage: the dots grow with the names
    assert legend.items[0][0].item.opts["size"] > small >= 9


def test_growing_codes_move_the_axes_now_and_then_with_room_to_spare(qtbot):
    """While the digits train their codes grow a little at every frame: the range
    shown is fitted again only when a code leaves it, then with room to spare, so
    the axes (whose labels are re-measured at each new range) stay still between;
    every code stays inside the view.  When the run stops the range fits the
    codes' extent again (the dots as large as the plot allows)."""
    w = open_lesson(qtbot, "digits-8x8")
    cs = w.code_space
    cs.throttled.flush()
    box = cs.plot.getPlotItem().vb
    refresh, ranges, inside = cs.throttled.fn, [], []

    def recorded() -> None:
        refresh()
        if w.controller.running and not w.doc.values_pending:
            (x0, x1), (y0, y1) = box.viewRange()
            xy = cs._xy
            inside.append(bool(x0 <= xy[:, 0].min() and xy[:, 0].max() <= x1
                               and y0 <= xy[:, 1].min() and xy[:, 1].max() <= y1))
            ranges.append(cs._range)
    cs.throttled.fn = recorded
    w.controller.play(speed=0)                       # full speed
    qtbot.waitUntil(lambda: len(ranges) >= 16)
    w.controller.pause()
    assert all(inside)
    assert len(set(ranges)) > 1                      # the codes did grow out of the range
    changes = sum(a != b for a, b in zip(ranges, ranges[1:]))
    assert changes <= len(ranges) // 3, (changes, len(ranges))
    extent = lambda: w.doc.lesson.derived.get("code space").plane.extent   # noqa: E731

    def fitted() -> bool:
        cs.throttled.flush()
        return not w.doc.values_pending and cs._range == extent()
    qtbot.waitUntil(fitted)                          # at rest: fitted exactly
