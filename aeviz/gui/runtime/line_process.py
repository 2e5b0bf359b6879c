"""The diagram's many lines drawn in a child process (see :mod:`.line_render`).

Why a process and not only a thread: PySide holds the GIL through every Qt
call, ``QPainter.drawLines`` included, so drawing the 4,224 lines of the digits
(~11 ms) on a thread of the window's process held up the GUI thread's Python
(measured: a Python loop ran at 0.45 of its speed while a thread drew; no
QPainter call tried released the lock).  The child has its own GIL.  With the
diagram recoloured 40 times a second, the 99th percentile of a 10 ms timer's
gaps fell from ~21 to ~16 ms (``aeviz bench``, the digits' lines row).

:class:`LineProcess` is the window's side: ``draw(specs, target)`` sends the
lines (:func:`paint`'s arguments: NumPy arrays and plain tuples) and returns the
child's image as a ``QImage``.  It is called from the renderer's one thread,
one drawing at a time.  Protocol (a duplex pipe):

- to the child: ``("draw", specs, target)``, answered by ``(width, height,
  bytes per line)`` and then the image's bytes (ARGB32, premultiplied);
  ``("quit",)``, or the pipe closing, ends the child.

:func:`paint` draws, in the child and (when it cannot be used) on the
renderer's thread.  The child imports Qt's GUI module only (no QApplication:
lines on an image need no fonts or screen).
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
from PySide6.QtCore import QLineF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

ANSWER_S = 5.0          # a drawing not back after this long: the child is not used again
START_S = 30.0          # the same for the first, which waits for the child to import Qt
LINES_NICE = 1          # after the window when the cores are busy (as the training frames)


def pen_spec(pen: QPen) -> tuple:
    """What of a QPen the lines are drawn with, as plain values a pipe carries:
    (ARGB colour, width, cap style, pen style)."""
    return (pen.color().rgba(), pen.widthF(), pen.capStyle().value, pen.style().value)


def paint(specs: list, target: tuple) -> QImage:
    """An image of ``specs`` (``[(pen_spec, lines (k, 4)), ...]``, drawn in
    order) for ``target`` (:func:`.line_render.target_of`): the same in the
    child process and on the thread."""
    matrix, (w, h), dpr = target
    image = QImage(QSize(max(1, round(w * dpr)), max(1, round(h * dpr))),
                   QImage.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setTransform(QTransform(*matrix))
    for (rgba, width, cap, style), lines in specs:
        pen = QPen(QColor.fromRgba(rgba), width)
        pen.setCapStyle(Qt.PenCapStyle(cap))
        pen.setStyle(Qt.PenStyle(style))
        painter.setPen(pen)
        painter.drawLines([QLineF(*row) for row in np.asarray(lines, float).tolist()])
    painter.end()
    return image


class LineProcess:
    """A spawned child that draws lines into images (``child_main``)."""

    def __init__(self) -> None:
        from aeviz.gui.runtime.process_worker import main_hidden
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=child_main, args=(child,), name="aeviz lines",
                                   daemon=True)
        with main_hidden():
            self.process.start()
        child.close()
        self.drawn = 0                  # images it drew (tests)

    def draw(self, specs: list, target: tuple):
        """The image of ``specs`` for ``target`` (see :func:`paint`).
        Raises ``OSError``/``EOFError``/``TimeoutError`` if the child cannot answer."""
        self.conn.send(("draw", specs, target))
        if not self.conn.poll(ANSWER_S if self.drawn else START_S):
            raise TimeoutError("the line drawing process did not answer")
        width, height, per_line = self.conn.recv()
        data = self.conn.recv_bytes()
        image = QImage(data, width, height, per_line, QImage.Format_ARGB32_Premultiplied).copy()
        image.setDevicePixelRatio(target[2])
        self.drawn += 1
        return image

    def close(self) -> None:
        try:
            self.conn.send(("quit",))
        except (OSError, ValueError):
            pass
        self.conn.close()
        self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def child_main(conn) -> None:
    """The child: draws until ``("quit",)`` or the window's end of the pipe closes."""
    try:
        os.nice(LINES_NICE)
    except (AttributeError, OSError):
        pass
    try:
        while True:
            msg = conn.recv()
            if msg[0] != "draw":
                return
            image = paint(msg[1], msg[2])
            conn.send((image.width(), image.height(), image.bytesPerLine()))
            conn.send_bytes(image.constBits())
    except (EOFError, OSError, KeyboardInterrupt):
        return
