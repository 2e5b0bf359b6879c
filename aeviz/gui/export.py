"""Export: the diagram and the plots as PNG or SVG, a picture to the clipboard,
and the training history as CSV.  SVG is written with QSvgGenerator (pyqtgraph
0.14's own SVG exporter fails with current PySide6)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget

from aeviz.core.model import evaluate
from aeviz.core.lesson import Lesson


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
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def scene_svg(view: QGraphicsView, path: str | Path, title: str = "aeviz diagram") -> None:
    rect = view.scene().sceneRect()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(rect.width()), int(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle(title)
    painter = QPainter(generator)
    view.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()


def widget_png(widget: QWidget, path: str | Path) -> None:
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def widget_svg(widget: QWidget, path: str | Path, title: str = "aeviz plot") -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
    generator.setTitle(title)
    painter = QPainter(generator)
    widget.render(painter)
    painter.end()


def copy_picture(widget: QWidget) -> None:
    QGuiApplication.clipboard().setPixmap(widget.grab())


def history_csv(lesson: Lesson, path: str | Path) -> int:
    """One row per rewind snapshot: epoch, loss (clean data, no penalty), penalty,
    mean d(x, y) and d(x_p, y_p) for every pattern p.  Returns the rows written."""
    net, config, data = lesson.network.copy(), lesson.training, lesson.data()
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "loss", "penalty", "mean_error"]
                        + [f"error_{p + 1}" for p in range(len(data))])
        for epoch, state in zip(lesson.snapshots.epochs, lesson.snapshots.states):
            np.copyto(net.params, state["params"])
            ev = evaluate(net, config, data)
            writer.writerow([epoch, f"{ev.loss:.6g}", f"{ev.penalty:.6g}", f"{ev.mean_error:.6g}"]
                            + [f"{e:.6g}" for e in ev.errors])
            rows += 1
    return rows


__all__ = ["copy_picture", "history_csv", "scene_png", "scene_svg", "widget_png", "widget_svg"]
