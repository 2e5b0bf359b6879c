"""The code space for a class (#14): coincident or near points are labelled once
("1,5"), and the fed pattern's point is ringed."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from aeviz.core.measures.codespace import label_groups


def points(w) -> np.ndarray:
    x, y = w.code_space.points.getData()
    return np.column_stack([x, y])


def test_coincident_codes_share_one_label(window, qtbot):
    w = window                                    # the article: patterns 1 and 5 share a code
    w.code_space.throttled.flush()
    texts = w.code_space.label_texts()
    assert texts[0] == "1,5" and texts[4] == ""
    assert texts[1:4] == ["2", "3", "4"]
    w.doc.lesson.set_weight(0, 4, 0, 0.0)               # pattern 5 gets a code of its own
    w.code_space.throttled.flush()
    assert w.code_space.label_texts() == ["1", "2", "3", "4", "5"]


def test_the_fed_pattern_is_ringed(window, qtbot):
    w = window
    w.code_space.throttled.flush()
    for key, p in ((Qt.Key_2, 1), (Qt.Key_5, 4), (Qt.Key_3, 2)):
        qtbot.keyClick(w.diagram, key)
        w.code_space.throttled.flush()
        x, y = w.code_space.fed_ring.getData()
        np.testing.assert_allclose([x[0], y[0]], points(w)[p])
    qtbot.keyClick(w, Qt.Key_P, Qt.ControlModifier)    # predict: the ring hides too
    assert not w.code_space.fed_ring.isVisible()


def test_label_groups_are_transitive_and_ordered():
    xy = np.array([[0, 0], [1, 1], [0.01, 0], [0.02, 0.0], [1, 1.5]])
    assert label_groups(xy, 0.015) == [[0, 2, 3], [1], [4]]
    assert label_groups(np.zeros((0, 2)), 0.1) == []


def test_the_background_map_is_drawn_only_where_it_names_something(qtbot):
    """argmax for one-hot patterns and a softmax/sigmoid output; the nearest pattern
    for pictures; no map for the linear-PCA points (60 pale patches named nothing)
    and the note says why.  The map's values are what its rule says they are."""
    from aeviz.core.measures import codespace
    from aeviz.core.files.presets import load_preset

    from .conftest import open_lesson
    expected = {"train-5-2-5": "argmax", "encoder-8-3-8": "argmax", "stuck-8-3-8": "argmax",
                "denoising-bars": "nearest", "vae-digits": "nearest", "linear-pca": None}
    for name, kind in expected.items():
        assert codespace.map_kind(load_preset(name)) == kind, name
    for name, kind in (("linear-pca", None), ("generate-digits", "nearest"),
                       ("train-5-2-5", "argmax")):
        w = open_lesson(qtbot, name)
        panel = w.code_space
        panel.throttled.flush()
        view = w.doc.lesson.derived.get("code space")
        assert panel.image.isVisible() == (kind is not None)
        assert (view.grid is None) == (kind is None) and view.kind == kind
        if kind is None:
            assert "(No map: the output is not softmax or sigmoid.)" in panel.note.toolTip()
            continue
        net, plane = w.doc.lesson.network, view.plane
        x0, x1, y0, y1 = plane.extent
        corner = plane.origin + np.array([x0, y0]) @ plane.axes    # grid cell [0, 0]
        y = net.decode(corner[None])[0]
        if kind == "argmax":
            assert view.grid[0, 0] == int(np.argmax(y))
        else:
            d = np.linalg.norm(w.doc.lesson.data() - y, axis=1)
            assert view.grid[0, 0] == int(np.argmin(d))


def test_the_A_button_restores_a_zoomed_code_space(qtbot):
    """A click on the plot's "A" button (shown after a zoom) restores the view; the
    code space's click-to-decode does not swallow it (nor clicks on the axes)."""
    from .conftest import open_lesson, show_active
    w = open_lesson(qtbot, "train-5-2-5")
    show_active(qtbot, w)
    plot = w.code_space.plot
    item = plot.getPlotItem()
    item.vb.scaleBy((0.3, 0.3))
    assert not any(item.vb.autoRangeEnabled())
    item.autoBtn.show()
    pos = plot.mapFromScene(item.autoBtn.sceneBoundingRect().center())
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=pos)
    assert all(item.vb.autoRangeEnabled()) and w.generate.code is None
    centre = plot.mapFromScene(item.vb.sceneBoundingRect().center())
    qtbot.mousePress(plot.viewport(), Qt.LeftButton, pos=centre)   # on the plane: decodes
    assert w.generate.code is not None
    qtbot.mouseRelease(plot.viewport(), Qt.LeftButton, pos=centre)


def test_labels_are_honest_and_never_overprint_in_the_real_panel(qtbot):
    """8-3-8 and the VAE (#23): a shared label only for codes equal at 3 decimals;
    the labels' screen rectangles never overlap."""
    import itertools

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow

    from .conftest import show_active
    for name in ("encoder-8-3-8", "vae-digits", "overcomplete-sparse"):
        w = MainWindow(model=load_preset(name))
        qtbot.addWidget(w)
        w.files.ask_unsaved = lambda: "discard"
        show_active(qtbot, w)
        w.code_space.throttled.flush()
        codes = np.round(w.doc.lesson.network.code(w.doc.lesson.data()), 3) + 0.0
        for group in w.code_space.label_groups:
            assert all((codes[p] == codes[group[0]]).all() for p in group), (name, group)
        for a, b in itertools.combinations(w.code_space.placements, 2):
            ra, rb = a.rect(), b.rect()
            assert ra[2] <= rb[0] or rb[2] <= ra[0] or ra[3] <= rb[1] or rb[3] <= ra[1], name
        w.close()
