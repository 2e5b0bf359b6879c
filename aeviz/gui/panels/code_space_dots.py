"""The code space at scale (thousands of patterns): colours by label, the legend,
the card a hovered dot shows (its picture and label), the nearest dot to a mouse
position and the decoded-manifold picture.  One ScatterPlotItem draws every dot
(pxMode, a brush array, setData per frame); nothing here costs O(P²)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from aeviz.core.files.datasets import Dataset

DOT = 5              # px: a dot of the many-patterns scatter
GREY = (120, 120, 120)
NEAR_PX = 7          # a dot within this many pixels of the mouse is hovered / clicked
CARD_PX = 72         # the hovered picture's side on screen
TILES = 15           # decoded manifold: at most TILES x TILES pictures over the plane
MIN_TILES, TILE_PX = 5, 18     # ... and at least MIN_TILES, each about TILE_PX on screen


def tiles_for(side_px: float) -> int:
    """How many pictures a side of the decoded manifold has on a plot ``side_px``
    pixels across (its shorter side): each about TILE_PX, from MIN_TILES to TILES."""
    return int(min(TILES, max(MIN_TILES, side_px // TILE_PX)))
# ten colours told apart at a glance (Tableau 10), one per label; more labels cycle
LABEL_COLORS = np.array([(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40),
                         (148, 103, 189), (140, 86, 75), (227, 119, 194), (90, 90, 90),
                         (188, 189, 34), (23, 190, 207)], dtype=float)


def label_colors(n: int) -> np.ndarray:
    """(n, 3) RGB, one per label value."""
    return LABEL_COLORS[np.arange(n) % len(LABEL_COLORS)]


def dot_colors(dataset: Dataset) -> np.ndarray:
    """(P, 3) RGB: each pattern's label colour, or one grey without labels."""
    if dataset.labels is None:
        return np.tile(np.array(GREY, dtype=float), (len(dataset), 1))
    return label_colors(dataset.label_count())[dataset.labels]


def dot_brushes(dataset: Dataset) -> np.ndarray:
    """An object array of P QBrushes sharing one brush per label (pyqtgraph caches
    a symbol per distinct brush, so 10 labels draw as 10 sprites)."""
    if dataset.labels is None:
        return np.array([pg.mkBrush(*GREY)] * len(dataset), dtype=object)
    palette = np.array([pg.mkBrush(*c) for c in label_colors(dataset.label_count())],
                       dtype=object)
    return palette[dataset.labels]


def fill_legend(legend: pg.LegendItem, dataset: Dataset) -> None:
    """One entry per label value (its colour and name); none without labels."""
    legend.clear()
    if dataset.labels is None:
        return
    for k, c in enumerate(label_colors(dataset.label_count())):
        name = dataset.label_names[k] if dataset.label_names else str(k)
        legend.addItem(pg.ScatterPlotItem(size=9, pen=None, brush=pg.mkBrush(*c)), name)


def move_dots(item: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> bool:
    """Move the dots of ``item`` to (x, y) keeping every dot's style (brush, size):
    no per-point style pass, which is most of ``setData``'s cost for thousands
    of dots.  False (nothing done) when the count differs: then call setData."""
    data = item.data
    if len(data) != len(x) or len(x) == 0:
        return False
    data["x"] = x
    data["y"] = y
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item.invalidate()
    item.sigPlotChanged.emit(item)
    return True


def nearest_dot(xy: np.ndarray, point: tuple[float, float], pixel: tuple[float, float],
                within: float = NEAR_PX) -> int | None:
    """The index of the dot of ``xy`` (P, 2) closest on screen to ``point`` (plane
    coordinates), if within ``within`` pixels; ``pixel`` is one pixel's size in
    plane units (x, y).  O(P) per call."""
    if len(xy) == 0 or not (pixel[0] > 0 and pixel[1] > 0):
        return None
    d = ((xy[:, 0] - point[0]) / pixel[0]) ** 2 + ((xy[:, 1] - point[1]) / pixel[1]) ** 2
    i = int(np.argmin(d))
    return i if d[i] <= within * within else None


def grey_rgb(image: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] (NaN: a gutter) as RGB uint8, dark ink on white (as the
    Images tab draws pictures); gutters light grey."""
    rgb = np.where(np.isnan(image), 200, 255 * (1 - np.clip(np.nan_to_num(image), 0, 1)))
    return np.repeat(rgb[..., None], 3, axis=2).astype(np.uint8)


def manifold_rect(extent, tiles: int = TILES) -> tuple[float, float, float, float]:
    """(x, y, width, height) in plane units of :func:`aeviz.core.measures.generate.mosaic`'s
    picture: tile centres at extent[0] + dx·(c + 1), dx = span / (tiles + 1)."""
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) / (tiles + 1), (y1 - y0) / (tiles + 1)
    return x0 + dx / 2, y0 + dy / 2, tiles * dx, tiles * dy


class HoverCard(QFrame):
    """A small card over the plot: the hovered pattern's picture and its label."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Box)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignCenter)
        self.text = QLabel()
        self.text.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.picture)
        layout.addWidget(self.text)
        self.pattern: int | None = None
        self.hide()

    def show_pattern(self, p: int, dataset: Dataset, row: np.ndarray, at: QPoint) -> None:
        self.pattern = p
        label = dataset.label_text(p)
        self.text.setText(f"{label}  (picture {p + 1})" if label else f"pattern {p + 1}")
        if dataset.image is not None:
            rgb = np.ascontiguousarray(grey_rgb(row.reshape(dataset.image)))
            h, w = dataset.image
            img = QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888).copy()
            self.picture.setPixmap(QPixmap.fromImage(img).scaled(
                CARD_PX, CARD_PX * h // w, Qt.KeepAspectRatio, Qt.FastTransformation))
            self.picture.show()
        else:
            self.picture.hide()
        self.adjustSize()
        parent = self.parentWidget()
        x = min(at.x() + 14, parent.width() - self.width() - 2)
        y = min(at.y() + 14, parent.height() - self.height() - 2)
        self.move(max(x, 0), max(y, 0))
        self.show()
        self.raise_()

    def clear(self) -> None:
        self.pattern = None
        self.hide()
