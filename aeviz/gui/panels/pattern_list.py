"""The Feed list's model: one line per pattern ("5 (4): 0 0 0.0625 …", the label
in brackets for labelled data), made when Qt asks for a row, so 100,000
patterns cost only the rows the popup shows (no 100,000 strings at a dataset
change); pictures also show as a thumbnail.  ``reset()`` on a structure or
dataset change."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QIcon, QPixmap

from aeviz.core.files.datasets import Dataset


def _values_text(x) -> str:
    from aeviz.gui.panels.pattern_texts import pattern_text      # one definition of the text
    return pattern_text(x)


class PatternListModel(QAbstractListModel):
    def __init__(self, dataset: Callable[[], Dataset], parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset           # read when asked: always the lesson's own
        self._count = len(dataset())

    def reset(self) -> None:
        self.beginResetModel()
        self._count = len(self.dataset())
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def text(self, p: int) -> str:
        ds = self.dataset()
        x = ds.rows[p] if ds.kind == "patterns" else ds.matrix()[p]
        label = ds.label_text(p)
        return f"{p + 1}{f' ({label})' if label else ''}:  {_values_text(x)}"

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not 0 <= index.row() < self._count:
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self.text(index.row())
        if role == Qt.DecorationRole:
            ds = self.dataset()
            if ds.image is not None and ds.kind == "patterns":
                from aeviz.gui.panels.pattern_thumbs import THUMB_PX, picture_image
                h, w = ds.image
                return QIcon(QPixmap.fromImage(picture_image(ds.rows[index.row()], ds.image)
                                               .scaled(THUMB_PX * w // h, THUMB_PX)))
        return None
