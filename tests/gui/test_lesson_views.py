"""The lesson views: codes heat map and activity, PCA angle, denoising."""

from __future__ import annotations

import numpy as np

from aeviz.core.measures import analysis
from aeviz.core.config import Noise

from .conftest import WAIT, open_lesson, readout


def test_codes_view_shows_every_code_and_the_kl_target(qtbot):
    w = open_lesson(qtbot, "overcomplete-sparse")
    w.data_tabs.setCurrentWidget(w.codes_view)
    for _ in range(4):
        w.controller.step_epoch()
    w.codes_view.throttled.flush()
    view = w.codes_view
    a = analysis.code_activity(w.doc.lesson.network, w.doc.lesson.data())
    assert view.image.image.shape[:2] == (8, 5)              # unit x pattern
    np.testing.assert_allclose(view.bar_item.opts["height"], a.mean)
    assert view.target.isVisible() and view.target.value() == 0.1
    assert "Active units (|h| > 0.5) per pattern: 1:" in view.summary.text()
    assert "keeps it from simply copying" in readout(w, "Network kind")


def test_overcomplete_without_regulariser_says_it_can_copy(qtbot):
    w = open_lesson(qtbot, "overcomplete-5-8-5")
    assert "can learn to copy" in readout(w, "Network kind")
    assert not w.codes_view.target.isVisible()


def test_pca_angle_is_reported_and_shrinks(qtbot):
    w = open_lesson(qtbot, "linear-pca")
    w.data_tabs.setCurrentWidget(w.codes_view)
    first = analysis.principal_angle(w.doc.lesson.network, w.doc.lesson.data())
    assert f"{first:.2f}°" in w.codes_view.summary.text()
    for _ in range(30):
        w.controller.step_epoch()
    w.codes_view.throttled.flush()
    now = analysis.principal_angle(w.doc.lesson.network, w.doc.lesson.data())
    assert now < first and f"{now:.2f}°" in w.codes_view.summary.text()


def test_denoising_view_shows_x_corrupted_and_output(qtbot):
    w = open_lesson(qtbot, "denoising-bars")
    view = w.noise_view
    w.data_tabs.setCurrentWidget(view)
    x_bars, noisy_bars, y_bars = (item for item, _dx in view.items.values())
    np.testing.assert_array_equal(x_bars.opts["height"], w.doc.lesson.x)
    noisy = np.array(noisy_bars.opts["height"])
    assert set(np.unique(noisy)) <= {0.0, 1.0} and noisy.sum() <= w.doc.lesson.x.sum()
    np.testing.assert_allclose(y_bars.opts["height"], w.doc.lesson.network.output(noisy[None, :])[0])
    for _ in range(20):                                      # a resample draws new noise
        view.resample.click()
        if not np.array_equal(view.x_noisy, noisy):
            break
    assert not np.array_equal(view.x_noisy, noisy)
    assert "recovers the clean pattern from" in view.status.text()
    view.compare.click()
    qtbot.waitUntil(lambda: "trained 1 epoch from the same start without noise recovers"
                    in view.status.text(), timeout=WAIT)


def test_denoising_view_when_noise_is_off(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    assert "Denoising is off" in w.noise_view.status.text()
    assert not w.noise_view.compare.isEnabled()
    w.doc.lesson.set_training(w.doc.lesson.model.training.with_(noise=Noise("salt_pepper", 0.2)))
    assert "salt pepper noise, level 0.2" in w.noise_view.status.text()


def test_tabs_are_built_when_first_shown_and_show_the_lesson_as_it_is_then(qtbot):
    w = open_lesson(qtbot, "overcomplete-sparse")
    assert not w.tabs.built("Codes") and not w.tabs.built("Denoising")
    for _ in range(5):                                   # the lesson changes while unbuilt
        w.controller.step_epoch()
    index = [w.data_tabs.tabText(i) for i in range(w.data_tabs.count())].index("Codes")
    w.data_tabs.setCurrentIndex(index)                   # a click on the tab
    assert w.tabs.built("Codes") and w.data_tabs.currentWidget() is w.codes_view
    assert w.data_tabs.tabText(index) == "Codes" and w.codes_view.isVisible()
    a = analysis.code_activity(w.doc.lesson.network, w.doc.lesson.data())
    np.testing.assert_allclose(w.codes_view.bar_item.opts["height"], a.mean)
    assert not w.tabs.built("Denoising")
    assert w.noise_view is w.noise_view                  # asking builds it once
    assert w.tabs.built("Denoising") and w.data_tabs.currentWidget() is w.codes_view


def test_pictures_keep_their_size_in_a_small_dock_and_scroll(qtbot):
    """At 1024×768 the bottom dock is ~170 px tall: the 24 units' pictures of the
    denoising bars keep MIN_PICTURE_PX rows (the canvas scrolls) instead of being
    squashed to nothing under their names."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.panels.images_view import ImagesView
    w = open_lesson(qtbot, "denoising-bars")
    w.resize(1024, 768)
    w.fit_docks()
    view = w.images_view
    w.data_tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.isVisible())
    QApplication.processEvents()
    boxes = [i for i in view.canvas.ci.items if isinstance(i, pg.ViewBox)]
    assert len(boxes) == 2 + 24
    assert min(b.height() for b in boxes) >= ImagesView.MIN_PICTURE_PX - 1
    assert view.scroll.verticalScrollBar().maximum() > 0       # it scrolls instead
    assert view.x_image.image is not None and view.unit_images[-1].image is not None
    w.doc.lesson.replace(load_preset("generate-digits"), None)        # another shape
    QApplication.processEvents()
    boxes = [i for i in view.canvas.ci.items if isinstance(i, pg.ViewBox)]
    assert min(b.height() for b in boxes) >= ImagesView.MIN_PICTURE_PX - 1


def test_heat_map_ticks_come_in_two_levels_so_crowded_labels_are_dropped():
    from aeviz.gui.panels.codes_view import MAJOR_TICKS, MAX_TICKS, whole_ticks
    for n in (1, 5, 8, 20, 60, 1024):
        major, minor = whole_ticks(n)
        values = [v for v, _ in major + minor]
        assert len(major) <= max(MAJOR_TICKS, n if n <= 2 * MAJOR_TICKS else 0)
        assert len(values) <= MAX_TICKS
        assert major[0] == (1, "1") and len(set(values)) == len(values)
        assert all(1 <= v <= n for v in values)
    assert whole_ticks(8) == [[(i, str(i)) for i in range(1, 9)], []]   # few: all, always
    assert [v for v, _ in whole_ticks(60)[0]] == [1, 13, 25, 37, 49]
