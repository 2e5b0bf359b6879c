"""Export: the diagram and the plots as PNG or SVG, a picture to the clipboard,
and the training history as CSV.  SVG is written with QSvgGenerator (pyqtgraph
0.14's own SVG exporter fails with current PySide6).

Every export is rendered into memory first and then written with
:func:`aeviz.core.files.safeio.atomic_write`: nothing (not even an empty file) is left
behind when writing fails, a FIFO or device is refused instead of blocking, and
an error (OSError) names the file and the reason.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsView, QWidget

from aeviz.core.lessons.lesson import Lesson
from aeviz.core.model import evaluate
from aeviz.core.files.safeio import atomic_write, check_writable_target


PNG_QUALITY = 80     # Qt's zlib level 1-2: a window's PNG is as small as at the default, a third faster


def png_bytes(image: QImage | QPixmap) -> bytes:
    """The picture encoded as PNG in memory; OSError if it cannot be encoded."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    ok = image.save(buffer, "PNG", PNG_QUALITY)
    buffer.close()
    if not ok or data.size() == 0:
        raise OSError("the picture could not be encoded as PNG")
    return bytes(data)


def save_png(image: QImage | QPixmap, path: str | Path) -> None:
    """Write ``image`` as a PNG file, atomically (see the module docstring)."""
    check_writable_target(path)
    atomic_write(path, png_bytes(image))


def _svg(path: str | Path, size: QSize, view_box: QRectF, title: str, draw) -> None:
    """Render ``draw(painter)`` into an SVG in memory, then write it atomically."""
    from PySide6.QtSvg import QSvgGenerator      # (Qt's SVG library: loaded when first used)
    check_writable_target(path)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(view_box)
    generator.setTitle(title)
    painter = QPainter(generator)
    if not painter.isActive():
        raise OSError("the SVG could not be drawn")
    draw(painter)
    painter.end()
    buffer.close()
    if data.size() == 0:
        raise OSError("the SVG came out empty; nothing was written")
    atomic_write(path, bytes(data))


def scene_png(view: QGraphicsView, path: str | Path, scale: float = 2.0) -> None:
    """The whole diagram (not just the visible part) at ``scale`` x its size."""
    rect = view.scene().sceneRect()
    image = QImage(int(rect.width() * scale), int(rect.height() * scale),
                   QImage.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    view.scene().render(painter, QRectF(image.rect()), rect)
    painter.end()
    save_png(image, path)


def scene_svg(view: QGraphicsView, path: str | Path, title: str = "aeviz diagram") -> None:
    rect = view.scene().sceneRect()
    _svg(path, QSize(int(rect.width()), int(rect.height())),
         QRectF(0, 0, rect.width(), rect.height()), title,
         lambda painter: view.scene().render(
             painter, QRectF(0, 0, rect.width(), rect.height()), rect))


def widget_png(widget: QWidget, path: str | Path) -> None:
    save_png(widget.grab(), path)


def widget_svg(widget: QWidget, path: str | Path, title: str = "aeviz plot") -> None:
    _svg(path, widget.size(), QRectF(0, 0, widget.width(), widget.height()), title,
         widget.render)


def copy_picture(widget: QWidget) -> None:
    QGuiApplication.clipboard().setPixmap(widget.grab())


def history_csv(lesson: Lesson, path: str | Path) -> int:
    """One row per rewind snapshot: epoch, loss (clean data, no penalty), penalty,
    mean d(x, y) and d(x_p, y_p) for every pattern p.  Returns the rows written."""
    import csv
    check_writable_target(path)
    net, config, data = lesson.network.copy(), lesson.training, lesson.data()
    rows = 0
    with io.StringIO(newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "loss", "penalty", "mean_error"]
                        + [f"error_{p + 1}" for p in range(len(data))])
        for epoch, state in zip(lesson.snapshots.epochs, lesson.snapshots.states):
            np.copyto(net.params, state["params"])
            ev = evaluate(net, config, data)
            writer.writerow([epoch, f"{ev.loss:.6g}", f"{ev.penalty:.6g}", f"{ev.mean_error:.6g}"]
                            + [f"{e:.6g}" for e in ev.errors])
            rows += 1
        text = f.getvalue()
    atomic_write(path, text.encode("utf-8"))
    return rows


__all__ = ["copy_picture", "history_csv", "png_bytes", "save_png", "scene_png", "scene_svg",
           "widget_png", "widget_svg"]
