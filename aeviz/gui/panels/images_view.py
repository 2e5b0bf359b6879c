"""The Images tab, for pictures (a dataset with an image shape): the fed x and
the output y as images, and each first-layer unit's incoming weights."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from aeviz.gui.window import colors
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.plots import PLOT_INTERVAL_MS, label_row_px, plot_text_points
from aeviz.gui.runtime.throttle import Throttled


class ImagesView(QWidget):
    """For pictures (a dataset with an image shape): the fed x and the output y
    as images, and each first-layer unit's incoming weights as a small image
    (blue negative, orange positive), which shows what that unit looks for."""

    MAX_UNITS = 32
    MIN_PICTURE_PX = 40        # a picture's row never gets smaller: the canvas scrolls instead
    TITLE_PX = 16              # the row of names under the pictures

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.note = QLabel()
        self.note.setAccessibleName("Images note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setAccessibleName("Images")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.x_image = self.y_image = None
        self.unit_images: list[pg.ImageItem] = []
        self.decoded: np.ndarray | None = None     # y of a code set by hand (Generate)
        self.hidden = False                        # predict, then reveal: no picture of y
        self._built_for: tuple | None = None       # (image shape, unit pictures) of rebuild
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        doc.structure_changed.connect(self.rebuild)
        doc.values_changed.connect(self.throttled)
        self.rebuild()

    def _image_box(self, row: int, col: int, title: str) -> pg.ImageItem:
        box = self.canvas.addViewBox(row=row, col=col, lockAspect=True, invertY=True,
                                     enableMouse=False)
        item = pg.ImageItem()
        box.addItem(item)
        points = plot_text_points()                     # presenter mode, Ctrl+=
        self.canvas.addLabel(title, row=row + 1, col=col, size=f"{points:.1f}pt")
        grid = self.canvas.ci.layout
        grid.setRowMinimumHeight(row, self.MIN_PICTURE_PX)
        grid.setRowFixedHeight(row + 1, max(self.TITLE_PX, label_row_px(points)))
        return item

    def rebuild(self) -> None:
        grid = self.canvas.ci.layout
        for row in range(grid.rowCount()):        # another shape: no row keeps its old size
            grid.setRowMinimumHeight(row, 0)
            grid.setRowMaximumHeight(row, 1e6)
        self.canvas.clear()
        self.canvas.setMinimumHeight(0)
        self.unit_images = []
        self.x_image = self.y_image = None
        shape = self.doc.lesson.model.dataset.image
        if shape is None:
            self.note.setText("The dataset has no image shape. Choose Network → Dataset → "
                              "bars, letters or digits to see patterns and weights as pictures.")
            return
        units = min(self.doc.lesson.network.sizes[1], self.MAX_UNITS)
        self._built_for = (shape, units)
        self.note.setText(f"Top: the fed pattern x and the output y ({shape[0]}×{shape[1]} "
                          f"pixels). Below: the incoming weights of the first {units} units "
                          "of the first layer after the input.")
        cols = max(2, min(units, 8))
        self.x_image = self._image_box(0, 0, "x")
        self.y_image = self._image_box(0, 1, "y")
        self.y_image.setVisible(not self.hidden)
        for j in range(units):
            self.unit_images.append(self._image_box(2 + 2 * (j // cols), j % cols, f"h{j + 1}"))
        rows = 1 + -(-units // cols)             # x and y, then the units' rows
        title = max(self.TITLE_PX, label_row_px(plot_text_points()))
        self.canvas.setMinimumHeight(rows * (self.MIN_PICTURE_PX + title + 8) + 8)
        self.refresh()

    def refresh(self) -> None:
        shape = self.doc.lesson.model.dataset.image
        if shape is None or self.x_image is None or not self.isVisible():
            return
        if self._built_for != (shape, min(self.doc.lesson.network.sizes[1], self.MAX_UNITS)):
            return            # another structure, drawn by its rebuild (a slot called before it)
        gray = lambda v: np.repeat((255 * (1 - np.clip(v, 0, 1))).reshape(shape)[..., None],
                                   3, axis=2).astype(np.uint8)
        y = self.doc.lesson.forward()[1][-1][0] if self.decoded is None else self.decoded
        x = self.doc.lesson.x if self.decoded is None else np.zeros_like(self.doc.lesson.x)
        self.x_image.setImage(gray(x).transpose(1, 0, 2), levels=(0, 255))
        self.y_image.setImage(gray(y).transpose(1, 0, 2), levels=(0, 255))
        self.y_image.setVisible(not (self.hidden and self.decoded is None))   # (by hand: shown)
        w = self.doc.lesson.network.weights[0]
        scale = max(float(np.abs(w).max()), 1e-9)
        for j, item in enumerate(self.unit_images):
            rgb = colors.rgb(w[:, j].reshape(shape), scale).astype(np.uint8)
            item.setImage(rgb.transpose(1, 0, 2), levels=(0, 255))

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the fed pattern's output y is the answer."""
        self.hidden = hide
        self.refresh()

    def show_decoded(self, y: np.ndarray | None) -> None:
        """Show what the decoder makes of a code set by hand (None: the fed pattern)."""
        self.decoded = None if y is None else np.asarray(y, dtype=float)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
