"""Pictures and labels for pattern lists at scale (#25), apart from any one table:
a delegate that draws a pattern's picture (and its label) in a cell, and a proxy
model that keeps only the rows of chosen labels.  Both read the row's pattern
index from the source model (``PATTERN_ROLE``, else the row number) and the
pictures from the Dataset, so a 100,000-row model costs only the rows in view.

Hooking them into a QTableView over a QAbstractTableModel of patterns::

    proxy = LabelFilterProxy(dataset)            # before the view's model
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setItemDelegateForColumn(0, PictureDelegate(lambda: doc.lesson.model.dataset, view))
    proxy.set_labels({3, 8})                     # a filter by label (None: all)
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from aeviz.core.files.datasets import Dataset

PATTERN_ROLE = Qt.UserRole + 25      # the 0-based pattern a row shows (optional)
THUMB_PX = 32                        # the picture's height in a cell
FRAME = QColor(160, 160, 160)        # a picture's frame
LABEL_ALIGN = Qt.AlignVCenter | Qt.AlignLeft
IMAGE_CACHE = 4096                   # pictures kept (a few pages of rows in view)


def pattern_of(index: QModelIndex) -> int:
    """The pattern a row shows: PATTERN_ROLE if the model gives it, else the row."""
    value = index.data(PATTERN_ROLE)
    return int(value) if value is not None else index.row()


def picture_image(row: np.ndarray, shape: tuple[int, int]) -> QImage:
    """A pattern (values in [0, 1]) as a grey picture, dark ink on white, (w x h) px."""
    h, w = shape
    grey = (255 * (1 - np.clip(np.asarray(row, dtype=float).reshape(h, w), 0, 1)))
    grey = np.ascontiguousarray(grey.astype(np.uint8))
    return QImage(grey.data, w, h, w, QImage.Format_Grayscale8).copy()


class PictureDelegate(QStyledItemDelegate):
    """Draws the row's pattern as a THUMB_PX picture and, beside it, its label."""

    def __init__(self, dataset: Callable[[], Dataset], parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset              # read at paint time: always the lesson's own
        self._images: dict[tuple, QImage] = {}   # (pattern, w, h) -> picture, one dataset
        self._images_of: Dataset | None = None

    def image(self, ds: Dataset, p: int, width: int, height: int, dpr: float = 1.0) -> QImage:
        """Pattern p's picture at width x height px (logical; made at the screen's
        device pixels, ``dpr`` per px, so a HiDPI screen gets it sharp), made once
        per dataset and size (a cell is repainted at every training frame; the
        pictures never change, and drawing one at its own size is a copy, not a
        scaling)."""
        if ds is not self._images_of or len(self._images) > IMAGE_CACHE:
            self._images, self._images_of = {}, ds
        key = (p, width, height, dpr)
        image = self._images.get(key)
        if image is None:
            image = picture_image(ds.rows[p], ds.image).scaled(
                round(width * dpr), round(height * dpr), Qt.IgnoreAspectRatio,
                Qt.FastTransformation)
            image.setDevicePixelRatio(dpr)
            self._images[key] = image
        return image

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        ds = self.dataset()
        if ds.image is None:
            return super().sizeHint(option, index)
        h, w = ds.image
        return QSize(THUMB_PX * w // h + 8 + (40 if ds.labels is not None else 0), THUMB_PX + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        ds = self.dataset()
        p = pattern_of(index)
        if ds.image is None or not 0 <= p < len(ds):
            super().paint(painter, option, index)
            return
        h, w = ds.image
        rect = option.rect
        side = min(THUMB_PX, rect.height() - 4)
        target = QRect(rect.left() + 4, rect.top() + (rect.height() - side) // 2,
                       side * w // h, side)
        painter.save()
        painter.drawImage(target.topLeft(), self.image(ds, p, target.width(), target.height(),
                                                      painter.device().devicePixelRatioF()))
        painter.setPen(FRAME)
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        label = ds.label_text(p)
        if label:
            painter.setPen(option.palette.text().color())
            painter.drawText(rect.adjusted(target.width() + 10, 0, 0, 0),
                             LABEL_ALIGN, label)
        painter.restore()


class LabelFilterProxy(QSortFilterProxyModel):
    """Only the rows whose pattern has one of the chosen labels (None: every row)."""

    def __init__(self, dataset: Callable[[], Dataset], parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self.labels: frozenset[int] | None = None

    def set_labels(self, labels) -> None:
        labels = None if labels is None else frozenset(int(k) for k in labels)
        if hasattr(self, "endFilterChange"):          # Qt 6.9 and later
            self.beginFilterChange()
            self.labels = labels
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.labels = labels
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        if self.labels is None:
            return True
        ds = self.dataset()
        if ds.labels is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        p = pattern_of(index)
        return 0 <= p < len(ds) and int(ds.labels[p]) in self.labels
