"""Edit the dataset's patterns: draw them on a small grid (the picture's shape,
or one row), add, remove and duplicate patterns, import and export CSV.  OK
applies everything as one undoable change."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from aeviz.core.files.datasets import MAX_CSV_BYTES, Dataset, read_labelled_csv, to_csv
from aeviz.core.files.safeio import FileTooLarge, NotRegularFile, atomic_write, read_regular
from aeviz.gui.runtime.document import Document, EditRefused

ON, OFF = QColor(30, 30, 30), QColor(250, 250, 250)


def cell_colour(value: float) -> QColor:
    """A pixel's shade: OFF at 0, ON at 1, and a grey between for a grey level
    (the digits' 0.44 was drawn white: as if it were 0)."""
    t = min(max(float(value), 0.0), 1.0) if value == value else 0.0
    return QColor(*(round(o + (n - o) * t) for o, n in
                    ((OFF.red(), ON.red()), (OFF.green(), ON.green()), (OFF.blue(), ON.blue()))))


class PatternEditor(QDialog):
    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("Edit patterns")
        self.rows = doc.lesson.data().copy()
        self.image = doc.lesson.model.dataset.image
        # labels go with the rows while the rows are the file's (an added or removed
        # row drops them: which label a new row has is not known)
        self.labels = doc.lesson.model.dataset.labels
        self.label_names = doc.lesson.model.dataset.label_names
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Pattern list")
        self.list.currentRowChanged.connect(self._show_pattern)
        top.addWidget(self.list, 1)
        self.grid = QTableWidget()
        self.grid.setAccessibleName("Pattern grid")
        self.grid.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.NoSelection)
        self.grid.horizontalHeader().setVisible(False)
        self.grid.verticalHeader().setVisible(False)
        self.grid.cellClicked.connect(self.toggle)
        top.addWidget(self.grid, 2)
        layout.addLayout(top, 1)
        layout.addWidget(QLabel("Click a cell to switch it between 0 and 1."))
        buttons = QHBoxLayout()
        for text, slot in (("Add", self.add), ("Duplicate", self.duplicate),
                           ("Remove", self.remove), ("Import CSV…", self.import_csv),
                           ("Export CSV…", self.export_csv)):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, slot=slot: slot())
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b2182b")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.accepted.connect(self.apply)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._setup_grid()
        self._fill_list(0)
        # its rows are the lesson's it was opened on: another lesson (a lesson switch,
        # New, Open) closes it, so OK never puts them into that one
        doc.replaced.connect(self.reject)

    # --- grid ----------------------------------------------------------------------------
    def shape(self) -> tuple[int, int]:
        return self.image if self.image else (1, self.rows.shape[1])

    def _setup_grid(self) -> None:
        h, w = self.shape()
        self.grid.setRowCount(h)
        self.grid.setColumnCount(w)
        size = 28 if w <= 16 else 16
        for header in (self.grid.horizontalHeader(), self.grid.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.Fixed)
            header.setDefaultSectionSize(size)
        for r in range(h):
            for c in range(w):
                self.grid.setItem(r, c, QTableWidgetItem())

    def _show_pattern(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        h, w = self.shape()
        values = self.rows[index].reshape(h, w)
        for r in range(h):
            for c in range(w):
                item = self.grid.item(r, c)
                item.setBackground(cell_colour(values[r, c]))
                item.setToolTip(f"{values[r, c]:g}")

    def toggle(self, r: int, c: int) -> None:
        p = self.list.currentRow()
        if p < 0:
            return
        i = r * self.shape()[1] + c
        self.rows[p, i] = 0.0 if self.rows[p, i] >= 0.5 else 1.0
        self.list.item(p).setText(self._row_text(p))     # (1,797 rows: not the whole list)
        self._show_pattern(p)

    # --- the list ------------------------------------------------------------------------
    def _fill_list(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([self._row_text(p) for p in range(len(self.rows))])
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(max(current, 0), len(self.rows) - 1))
        self._show_pattern(self.list.currentRow())

    def _row_text(self, p: int) -> str:
        x = self.rows[p]
        return f"{p + 1}: " + " ".join(f"{v:g}" for v in x[:16]) + (" …" if len(x) > 16 else "")

    def add(self) -> None:
        self.rows = np.vstack([self.rows, np.zeros((1, self.rows.shape[1]))])
        self.labels = None
        self._fill_list(len(self.rows) - 1)

    def duplicate(self) -> None:
        p = self.list.currentRow()
        self.rows = np.insert(self.rows, p + 1, self.rows[p], axis=0)
        if self.labels is not None:                 # the copy shows what its original shows
            self.labels = np.insert(self.labels, p + 1, self.labels[p])
        self._fill_list(p + 1)

    def remove(self) -> None:
        if len(self.rows) == 1:
            self.error.setText("A dataset needs at least one pattern.")
            return
        p = self.list.currentRow()
        self.rows = np.delete(self.rows, p, axis=0)
        if self.labels is not None:
            self.labels = np.delete(self.labels, p)
        self._fill_list(p)

    # --- CSV -----------------------------------------------------------------------------
    def choose_import_path(self) -> str:
        return QFileDialog.getOpenFileName(self, "Import patterns", "", "CSV (*.csv *.txt)")[0]

    def choose_export_path(self) -> str:
        return QFileDialog.getSaveFileName(self, "Export patterns", "patterns.csv",
                                           "CSV (*.csv)")[0]

    def import_csv(self) -> None:
        path = self.choose_import_path()
        if not path:
            return
        try:
            raw = read_regular(path, MAX_CSV_BYTES)       # a FIFO or device is refused
            rows, labels, names = read_labelled_csv(raw.decode("utf-8", errors="replace"))
        except (NotRegularFile, FileTooLarge) as e:
            self.error.setText(f"Not imported: {e.strerror}.")
            return
        except OSError as e:
            self.error.setText(f"Not imported: {e.strerror or e}.")
            return
        except ValueError as e:
            self.error.setText(f"Not imported: {e}.")
            return
        if rows.shape[1] != self.rows.shape[1]:
            self.image = None                   # another width: a row of cells, no picture
        self.rows = rows
        self.labels, self.label_names = labels, names
        self._setup_grid()
        self._fill_list(0)
        self.error.setText("")

    def export_csv(self) -> None:
        path = self.choose_export_path()
        if path:
            try:
                atomic_write(path, to_csv(self.rows, *self._labels()).encode("utf-8"))
            except OSError as e:
                self.error.setText(f"Not exported: {e.strerror or e}.")

    def _labels(self) -> tuple:
        """(labels, names) while they still fit the rows, else (None, None)."""
        if self.labels is None or len(self.labels) != len(self.rows):
            return None, None
        return self.labels, self.label_names

    def apply(self) -> None:
        try:
            self.doc.lesson.set_dataset(Dataset.patterns(self.rows, self.image, *self._labels()),
                                 self.doc.lesson.model.name + " (edited patterns)"
                                 if "edited" not in self.doc.lesson.model.name else self.doc.lesson.model.name)
        except (EditRefused, ValueError) as e:
            self.error.setText(str(e))
            return
        self.accept()
