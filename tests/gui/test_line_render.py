"""Many connections (a 64-32-2-32-64's 4,224) are drawn into an image on a
background thread; the GUI thread only copies it."""

from __future__ import annotations

import numpy as np

from aeviz.gui.runtime.line_render import draw_image

from .conftest import open_lesson


def _pixels(image) -> np.ndarray:
    from PySide6.QtGui import QImage
    image = image.convertToFormat(QImage.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return rows[:, :image.width(), :3].astype(int)


def _digits_edges(qtbot, monkeypatch):
    """The digits lesson's 4,224 connections shown: (edges item, the diagram's
    viewport, a list that gets an entry whenever an image drawn aside is copied)."""
    from aeviz.gui.drawing import edges
    copied = []
    monkeypatch.setattr(edges, "draw_image", lambda *a: (copied.append(1), draw_image(*a)))
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitExposed(w)
    return w.diagram.edges, w.diagram.viewport(), copied


def test_many_connections_are_drawn_off_the_gui_thread_as_drawing_them_directly_would(qtbot, monkeypatch):
    """A recolour is drawn into an image on a background thread (the GUI thread
    then only copies it): the picture drawing the lines directly gives (up to
    the rounding of compositing: 2 of 255)."""
    from PySide6.QtWidgets import QApplication

    e, view, copied = _digits_edges(qtbot, monkeypatch)
    rng = np.random.default_rng(0)
    pictures = []

    def recolour_and_grab() -> bool:        # (the diagram refits once laid out: the
        view.grab()                         # image is for where it painted last)
        qtbot.waitUntil(lambda: not e._repaint.isActive())
        jobs = e._renderer.jobs
        e.set_values(rng.normal(0, 1, e.count))
        assert e._renderer.jobs == jobs + 1
        qtbot.waitUntil(lambda: e._image is not None and e._image[1][0] == e._version)
        QApplication.processEvents()
        copied.clear()
        pictures[:] = [view.grab().toImage()]
        return bool(copied)                 # the image was what it painted

    qtbot.waitUntil(recolour_and_grab)
    aside = pictures[0]
    e._image = None                                    # the direct way
    direct = view.grab().toImage()
    a, b = _pixels(aside), _pixels(direct)
    assert a.shape == b.shape
    assert np.abs(a - b).max() <= 2     # (composited from premultiplied ARGB: rounding)


def test_while_colours_change_faster_than_images_come_back_the_image_is_still_used(qtbot, monkeypatch):
    """Training recolours ~30 times a second, an image is drawn every REPAINT_MS:
    when one is back the colours have moved on.  It is shown all the same (not
    older than what is on screen), so the GUI thread copies images instead of
    drawing the 4,224 lines itself at every frame; the last colours follow."""
    e, view, copied = _digits_edges(qtbot, monkeypatch)
    rng = np.random.default_rng(1)

    def settled() -> bool:                        # an image of the latest colours, copied
        view.grab()
        qtbot.waitUntil(lambda: not e._repaint.isActive())
        e.set_values(rng.normal(0, 1, e.count))   # (for where it painted last)
        qtbot.waitUntil(lambda: e._image is not None and e._image[1][0] == e._version)
        copied.clear()
        view.grab()
        return bool(copied)

    qtbot.waitUntil(settled)
    qtbot.waitUntil(lambda: not e._repaint.isActive())
    back = []
    ready = e._renderer.ready
    e._renderer.ready = lambda image, key: (back.append(key[0]), ready(image, key))
    e.set_values(rng.normal(0, 1, e.count))      # drawn aside at once ...
    first = e._version
    e.set_values(rng.normal(0, 1, e.count))      # ... and the colours move on before it is back
    assert e._version == first + 1 and e._repaint.isActive()
    qtbot.waitUntil(lambda: first in back)
    copied.clear()
    view.grab()
    assert copied                                 # the first image, copied: no lines drawn
    qtbot.waitUntil(lambda: e._version in back)   # the latest colours' image follows
    copied.clear()
    view.grab()
    assert copied and e._painted == e._version
