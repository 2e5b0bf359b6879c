"""Pictures, labels and a label filter for pattern tables at scale (#25)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from aeviz.core.files.datasets import builtin_dataset
from aeviz.gui.panels.pattern_thumbs import LabelFilterProxy, PictureDelegate, picture_image


class Rows(QAbstractTableModel):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.n

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 1

    def data(self, index, role=Qt.DisplayRole):
        return f"pattern {index.row() + 1}" if role == Qt.DisplayRole else None


def test_the_label_filter_keeps_only_the_chosen_digits(qtbot):
    d = builtin_dataset("digits-8x8")
    proxy = LabelFilterProxy(lambda: d)
    proxy.setSourceModel(Rows(len(d)))
    assert proxy.rowCount() == 1797
    proxy.set_labels({3, 8})
    kept = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
    assert kept == np.flatnonzero(np.isin(d.labels, [3, 8])).tolist()
    proxy.set_labels(None)
    assert proxy.rowCount() == 1797


def test_the_delegate_draws_the_picture_in_a_virtual_view(qtbot):
    d = builtin_dataset("digits-8x8")
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(Rows(len(d)))
    delegate = PictureDelegate(lambda: d, view)
    view.setItemDelegateForColumn(0, delegate)
    view.resize(300, 400)
    view.show()
    qtbot.waitUntil(lambda: view.window().windowHandle().isExposed())
    view.verticalHeader().setDefaultSectionSize(36)
    image = view.viewport().grab().toImage()
    assert not image.isNull()
    img = picture_image(d.rows[0], (8, 8))
    assert img.width() == 8 and img.height() == 8
    # ink where the digit is: pixel (3, 1) of the first picture (a 0) is dark-ish
    assert img.pixelColor(1, 3).lightness() < 200 and img.pixelColor(4, 4).lightness() == 255


def test_the_delegate_makes_each_picture_once_and_a_new_dataset_anew(qtbot):
    """Pictures are cached per dataset (a cell repaints at every training frame):
    the same pattern is one image while the dataset stays, and the image of a new
    dataset shows its own rows, never the old set's."""
    d = builtin_dataset("digits-8x8")
    current = [d]
    delegate = PictureDelegate(lambda: current[0])
    first = delegate.image(d, 0, 32, 32)
    assert delegate.image(d, 0, 32, 32) is first
    assert (first.width(), first.height()) == (32, 32)
    # the scaled picture is the 8x8 one, each pixel a 4x4 block
    small = picture_image(d.rows[0], (8, 8))
    assert all(first.pixelColor(4 * c + 1, 4 * r + 2) == small.pixelColor(c, r)
               for r in range(8) for c in range(8))
    inverted = type(d).patterns(1 - d.rows, d.image, d.labels, d.label_names)
    again = delegate.image(inverted, 0, 32, 32)
    assert again is not first
    assert again.pixelColor(4 * 4 + 1, 4 * 4 + 2) != first.pixelColor(4 * 4 + 1, 4 * 4 + 2)


def test_on_a_hidpi_screen_the_picture_has_the_screens_pixels():
    d = builtin_dataset("digits-8x8")
    delegate = PictureDelegate(lambda: d)
    sharp = delegate.image(d, 3, 32, 32, 2.0)
    assert (sharp.width(), sharp.height()) == (64, 64) and sharp.devicePixelRatio() == 2.0
    assert delegate.image(d, 3, 32, 32, 1.0).width() == 32
