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


MARGIN = 0.04       # the decoded manifold reaches this fraction of the codes' span past them


def tiles_for(side_px: float) -> int:
    """How many pictures a side of the decoded manifold has on a plot ``side_px``
    pixels across (its shorter side): each about TILE_PX, from MIN_TILES to TILES."""
    return int(min(TILES, max(MIN_TILES, side_px // TILE_PX)))


def grid_for(width_px: float, height_px: float, scale: float = 1.0) -> tuple[int, int]:
    """(columns, rows) of the decoded manifold on a plot of width_px x height_px:
    n = :func:`tiles_for` (shorter side / ``scale``) pictures along the shorter side
    and as many along the longer one as keep each picture square on screen, so the
    grid fills the plot; at most TILES² pictures in all (fewer, larger ones then)."""
    short, long = min(width_px, height_px), max(width_px, height_px)
    n = tiles_for(short / scale)
    if short <= 0:
        return n, n
    while True:
        m = max(n, int(round(long * n / short)))
        if n * m <= TILES * TILES or n == MIN_TILES:
            break
        n -= 1
    m = min(m, TILES * TILES // n)
    return (m, n) if width_px >= height_px else (n, m)


def codes_box(xy: np.ndarray, extent) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the box of the codes ``xy`` (P, 2) on the plane, MARGIN of
    its span wider each way; an axis along which the codes do not spread (or no
    finite code) takes the plane's ``extent`` on that axis."""
    box = list(extent)
    finite = xy[np.isfinite(xy).all(axis=1)] if len(xy) else xy
    if len(finite):
        lo, hi = finite.min(axis=0), finite.max(axis=0)
        for k in range(2):
            span = hi[k] - lo[k]
            if span > 1e-9 * max(1.0, abs(extent[2 * k + 1] - extent[2 * k])):
                box[2 * k], box[2 * k + 1] = lo[k] - MARGIN * span, hi[k] + MARGIN * span
    return tuple(float(v) for v in box)
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


def manifold_rect(box, grid: tuple[int, int], image: tuple[int, int]
                  ) -> tuple[float, float, float, float]:
    """(x, y, width, height) in plane units of the picture of
    :func:`aeviz.core.measures.generate.mosaic_at` for a ``grid`` (columns, rows) of
    ``image`` (h, w) tiles whose centres split ``box`` (x0, x1, y0, y1) evenly:
    tile c's centre at x0 + (c + ½)(x1 − x0)/columns (one source pixel is
    (x1 − x0)/(columns·(w + 1)); the picture lacks the last gutter, so it starts half
    a gutter in)."""
    x0, x1, y0, y1 = box
    (cols, rows), (h, w) = grid, image
    sx, sy = (x1 - x0) / (cols * (w + 1)), (y1 - y0) / (rows * (h + 1))
    return x0 + sx / 2, y0 + sy / 2, (cols * (w + 1) - 1) * sx, (rows * (h + 1) - 1) * sy


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
