"""Many connections (a 64-32-2-32-64's 4,224) are drawn into an image on a
background thread; the GUI thread only copies it."""

from __future__ import annotations

import os

import numpy as np

from aeviz.gui.runtime import line_render
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
        qtbot.waitUntil(lambda: e._image is not None and e._image[1] == (e._version, e._target))
        qtbot.waitUntil(line_render.idle)       # no image for another view still to come
        QApplication.processEvents()
        if e._image is None or e._image[1] != (e._version, e._target):
            return False
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
        qtbot.waitUntil(lambda: e._image is not None and e._image[1] == (e._version, e._target))
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
    # (taken by the drawing thread before the colours move on: a request not yet
    # taken is replaced by the next, only the latest is drawn)
    qtbot.waitUntil(lambda: e._renderer.id not in line_render._jobs)
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


def test_a_recolour_that_moves_no_connection_to_another_pen_draws_nothing_again(qtbot, monkeypatch):
    """While the digits train, most frames move no connection to another strength
    bucket: the drawn picture is the same, so nothing is regrouped or drawn again;
    a change that does move one is drawn."""
    from aeviz.gui.drawing.edge_styles import SHADE_BUCKETS

    e, view, _ = _digits_edges(qtbot, monkeypatch)
    view.grab()
    qtbot.waitUntil(lambda: not e._repaint.isActive())
    rng = np.random.default_rng(1)
    base = rng.uniform(-0.9, 0.9, e.count)
    e.set_values(base, scale=1.0)
    qtbot.waitUntil(lambda: not e._repaint.isActive())
    version, jobs = e._version, e._renderer.jobs
    width = 1.0 / SHADE_BUCKETS
    inside = base - np.sign(base) * 1e-6 * (np.abs(base) % width > 1e-5)   # same bucket
    e.set_values(inside, scale=1.0)
    assert e._version == version and e._renderer.jobs == jobs
    assert np.array_equal(e.values, inside)           # the tooltips' numbers still follow
    moved = base.copy()
    moved[7] = -moved[7]                                # one connection changes sign
    e.set_values(moved, scale=1.0)
    assert e._version == version + 1
    pens = {(p.color().name(), round(p.widthF(), 6)) for p, lines in e._groups
            for line in lines if line == e._lines[7]}
    assert len(pens) == 1


def test_the_pens_group_every_connection_by_its_bucket_and_sign_weak_ones_first(qtbot, monkeypatch):
    """Each drawn line is in exactly one group, the group of its strength bucket
    and sign; groups come weak buckets first (strong lines stay on top)."""
    from aeviz.gui.drawing.edge_styles import edge_styles

    e, view, _ = _digits_edges(qtbot, monkeypatch)
    values = np.random.default_rng(2).normal(0, 1, e.count)
    e.set_values(values)
    styles = edge_styles(values)
    widths = [p.widthF() for p, _ in e._groups]
    assert widths == sorted(widths)
    where = {}
    for g, (_, lines) in enumerate(e._groups):
        for line in lines:
            where.setdefault((line.x1(), line.y1(), line.x2(), line.y2()), []).append(g)
    keys = {}
    for i, line in enumerate(e._lines):
        groups = where[(line.x1(), line.y1(), line.x2(), line.y2())]
        assert len(groups) == 1
        keys.setdefault(groups[0], set()).add((int(styles.bucket[i]), int(styles.sign[i])))
    assert all(len(k) == 1 for k in keys.values())     # one bucket and sign per group
    assert sum(len(lines) for _, lines in e._groups) == e.count


def _specs(seed: int = 0, count: int = 300) -> list:
    """Three pens' worth of random lines, as the renderer's jobs carry them."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPen

    from aeviz.gui.runtime.line_process import pen_spec
    rng = np.random.default_rng(seed)
    specs = []
    for k, (colour, width) in enumerate([("#3060c0", 0.8), ("#c03030", 1.2), ("#808080", 2.5)]):
        pen = QPen(QColor(colour), width)
        pen.setCapStyle(Qt.FlatCap if k else Qt.RoundCap)
        if k == 2:
            pen.setStyle(Qt.DashLine)
        specs.append((pen_spec(pen), rng.uniform(-20, 220, (count, 4))))
    return specs


TARGET = ((1.5, 0.0, 0.0, 0.0, 1.5, 0.0, 10.0, -5.0, 1.0), (300, 200), 1.0)


def test_the_child_process_draws_the_same_image_as_the_thread_would(qapp):
    """The lines are drawn in a child process (PySide holds the GIL through a
    QPainter call: on a thread they held up the GUI thread's Python): its image
    is the one drawing them here gives, pixel for pixel, and the pens keep their
    colour, width, caps and dashes."""
    from PySide6.QtGui import QImage

    from aeviz.gui.runtime.line_process import LineProcess
    from aeviz.gui.runtime.line_process import paint
    process = LineProcess()
    try:
        for seed in range(3):
            specs = _specs(seed)
            there = process.draw(specs, TARGET)
            here = paint(specs, TARGET)
            assert (there.width(), there.height()) == (300, 200)
            assert there.format() == QImage.Format_ARGB32_Premultiplied
            assert np.array_equal(_pixels(there), _pixels(here))
            assert _pixels(here).any()                    # (something was drawn)
        assert process.drawn == 3
    finally:
        process.close()
    assert not process.process.is_alive()


def test_a_child_that_died_is_replaced_by_drawing_on_the_thread(qtbot, monkeypatch):
    """If the drawing process is gone (killed, crashed), the next image is drawn
    on the renderer's thread instead, and the diagram keeps getting images."""
    from aeviz.gui.runtime import line_process, line_render
    from aeviz.gui.runtime.line_process import LineProcess

    process = LineProcess()
    monkeypatch.setitem(line_render._state, "process", process)
    monkeypatch.setitem(line_render._state, "failed", False)
    got = []
    renderer = line_render.LineRenderer(lambda image, key: got.append((image, key)))
    specs = _specs(4)
    groups = [(_pen_of(spec), lines) for spec, lines in specs]
    renderer.render(groups, TARGET, "first")
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    assert process.drawn == 1
    process.process.kill()
    process.process.join()
    renderer.render(groups, TARGET, "second")
    qtbot.waitUntil(lambda: len(got) == 2, timeout=10_000)
    assert [key for _, key in got] == ["first", "second"]
    assert line_render._state["failed"] and line_render._state["process"] is None
    assert np.array_equal(_pixels(got[1][0]), _pixels(line_process.paint(specs, TARGET)))
    assert np.array_equal(_pixels(got[0][0]), _pixels(got[1][0]))


def _pen_of(spec):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPen
    rgba, width, cap, style = spec
    pen = QPen(QColor.fromRgba(rgba), width)
    pen.setCapStyle(Qt.PenCapStyle(cap))
    pen.setStyle(Qt.PenStyle(style))
    return pen


def test_the_child_ends_when_the_window_side_of_its_pipe_closes(qapp):
    """No drawing process outlives the window's: it ends when asked, and also
    when its pipe closes without a word (the window's process was killed)."""
    from aeviz.gui.runtime.line_process import LineProcess
    process = LineProcess()
    process.draw(_specs(5, 10), TARGET)
    process.conn.close()                      # no ("quit",): only the pipe closes
    process.process.join(10)
    assert not process.process.is_alive() and process.process.exitcode == 0


def test_when_no_drawing_process_can_be_started_the_thread_draws(qtbot, monkeypatch):
    """A child that cannot be started (out of processes or file handles) is not
    an error: the renderer's thread draws the lines, the same image."""
    from aeviz.gui.runtime import line_process, line_render

    def refuse():
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(line_render, "LineProcess", refuse)
    monkeypatch.setitem(line_render._state, "process", None)
    monkeypatch.setitem(line_render._state, "failed", False)
    got = []
    renderer = line_render.LineRenderer(lambda image, key: got.append(image))
    specs = _specs(6)
    renderer.render([(_pen_of(spec), lines) for spec, lines in specs], TARGET, "k")
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert line_render._state["failed"] and line_render._state["process"] is None
    assert np.array_equal(_pixels(got[0]), _pixels(line_process.paint(specs, TARGET)))


def test_exiting_while_lines_are_drawn_aside_ends_cleanly():
    """Python exits while the renderer draws (on its thread, or waiting for the
    child): the process ends with code 0.  Before ``shutdown``, a daemon thread
    caught inside a Qt call at finalization aborted it ("terminate called without
    an active exception"): 3 of 4 screenshots of the digits, and here 9 of these
    20 runs (10 a mode, 0.1-0.5 s).  Each runs in a child process, where a crash is
    an exit code."""
    import subprocess
    import sys
    from pathlib import Path
    script = Path(__file__).with_name("exit_while_drawing.py")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    for mode in ("thread", "process"):
        for seconds in ("0.1", "0.2", "0.3"):
            run = subprocess.run([sys.executable, "-X", "faulthandler", str(script), mode,
                                  seconds], env=env, capture_output=True, text=True,
                                 timeout=120)
            assert run.returncode == 0, (mode, seconds, run.stderr[-2000:])
            assert "exiting" in run.stdout


def test_an_image_carried_to_a_moved_view_lands_where_the_lines_are(qapp):
    """``draw_image(painter, image, made_for)``: an image drawn for one view,
    painted for another, puts each line where the new view has it: moved, it is
    what drawing there gives; scaled 2x, a line from (10, 50) to (90, 50) lands
    from (20, 100) to (180, 100)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

    from aeviz.gui.runtime.line_process import paint, pen_spec
    specs = [(pen_spec(QPen(QColor("#c03030"), 1.0)), np.array([[10.0, 50.0, 90.0, 50.0],
                                                                 [30.0, 10.0, 30.0, 70.0]]))]
    here = (1, 0, 0, 0, 1, 0, 0, 0, 1)
    image = paint(specs, (here, (200, 200), 1.0))

    def carried(to: QTransform) -> np.ndarray:
        out = QImage(200, 200, QImage.Format_ARGB32_Premultiplied)
        out.fill(Qt.transparent)
        painter = QPainter(out)
        painter.setWorldTransform(to)
        draw_image(painter, image, here)
        painter.end()
        return _pixels(out)

    moved = QTransform.fromTranslate(25, -15)
    drawn = paint(specs, ((1, 0, 0, 0, 1, 0, 25, -15, 1), (200, 200), 1.0))
    assert np.abs(carried(moved) - _pixels(drawn)).max() <= 2
    twice = carried(QTransform.fromScale(2, 2))
    red = (twice[:, :, 2] > 100) & (twice[:, :, 0] < 100)        # (pixels are B, G, R)
    rows, cols = np.nonzero(red)
    assert set(rows[cols >= 70]) <= {99, 100, 101}               # the horizontal line at y 100
    assert cols.min() <= 21 and cols.max() >= 178                 # from x 20 to 180
    assert set(cols[rows < 90]) <= {59, 60, 61, 62}               # the vertical one at x 60


def test_a_resized_diagram_carries_its_last_image_until_one_for_the_new_view_is_back(qtbot, monkeypatch):
    """Resizing the window while an image of the 4,224 lines is shown does not
    draw them on the GUI thread (5-16 ms a paint): the last image is carried to
    the new view and one drawn for it is asked for, then shown."""
    e, view, copied = _digits_edges(qtbot, monkeypatch)
    rng = np.random.default_rng(3)

    def exact() -> bool:
        view.grab()
        qtbot.waitUntil(lambda: not e._repaint.isActive())
        e.set_values(rng.normal(0, 1, e.count))
        qtbot.waitUntil(lambda: e._image is not None and e._image[1] == (e._version, e._target))
        view.grab()
        return e._image[1][1] == e._target

    qtbot.waitUntil(exact)
    window = view.window()
    before, moved = e.direct_draws, e.moved_draws
    jobs = e._renderer.jobs
    window.resize(window.width() + 160, window.height() + 90)
    qtbot.waitUntil(lambda: e._image[1][1] != e._target or e.moved_draws > moved)
    view.grab()
    assert e.moved_draws > moved and e.direct_draws == before     # carried, not drawn here
    assert e._renderer.jobs > jobs                                # a new image asked for
    qtbot.waitUntil(lambda: e._image[1] == (e._version, e._target))
    copied.clear()
    shown = e.moved_draws
    view.grab()
    assert copied and e.moved_draws == shown and e.direct_draws == before
