"""The weight-matrix view: one editable table per layer pair (rows: units of
layer k and a last "bias" row; columns: units of layer k+1).  Type, paste a block
(tab/comma/space separated, as from a spreadsheet), or set the selected cells to
+1, −1, 0 or flip their sign.  Every change is one undoable Document edit, so the
tables and the diagram stay in sync."""

from __future__ import annotations

import math
import re

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from aeviz.gui import colors
from aeviz.gui.document import Document, EditRefused, check_value


FILL_ALL_CELLS = 5_000      # a bigger weight matrix fills only the cells in view


def parse_number(text: str) -> float:
    """A typed number; refuses empty, non-finite and out-of-range values."""
    text = text.strip().replace("−", "-").replace(",", ".")
    if not text:
        raise EditRefused("empty: type a number")
    try:
        value = float(text)
    except ValueError:
        raise EditRefused(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise EditRefused(f"{text} is not a finite number")
    check_value(value)
    return value


class MatrixTable(QTableWidget):
    """The parameters of block k: W[k] (n_k x n_{k+1}) with b[k] as the last row."""

    refused = Signal(str)

    def __init__(self, doc: Document, block: int, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.block = doc, block
        self.setAccessibleName(f"Weights {block}")
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self._updating = False
        self._filled = np.zeros((0, 0), dtype=bool)     # cells written since the last refresh
        self.itemChanged.connect(self._on_item_changed)
        for bar in (self.verticalScrollBar(), self.horizontalScrollBar()):
            bar.valueChanged.connect(lambda _v: self.fill_shown_cells())

    def refresh(self) -> None:
        p = self.doc.network.blocks[self.block]
        if (self.rowCount(), self.columnCount()) != p.shape:
            self._updating = True
            try:
                self.setRowCount(p.shape[0])
                self.setColumnCount(p.shape[1])
                self.setVerticalHeaderLabels([f"from {i + 1}" for i in range(p.shape[0] - 1)]
                                             + ["bias"])
                self.setHorizontalHeaderLabels([f"to {j + 1}" for j in range(p.shape[1])])
            finally:
                self._updating = False
        self._filled = np.zeros(p.shape, dtype=bool)
        self.fill_shown_cells()

    def cells_in_view(self) -> tuple[range, range]:
        """(rows, columns) to fill: every cell of a small matrix; of a big one (a
        1024 x 1024 block has a million) those in view and a screen more around."""
        n_rows, n_cols = self.rowCount(), self.columnCount()
        if n_rows * n_cols <= FILL_ALL_CELLS:
            return range(n_rows), range(n_cols)

        def around(first: int, size: int, extent: int, n: int) -> range:
            page = max(extent // max(size, 1), 1) + 1
            first = max(first, 0)
            return range(max(0, first - page), min(n, first + 2 * page))
        return (around(self.rowAt(0), self.rowHeight(0), self.viewport().height(), n_rows),
                around(self.columnAt(0), self.columnWidth(0), self.viewport().width(), n_cols))

    def fill_shown_cells(self) -> None:
        """Write the values of the cells in view not written since the last refresh."""
        p = self.doc.network.blocks[self.block]
        if self._filled.shape != p.shape:
            return
        rows, cols = self.cells_in_view()
        self._updating = True
        try:
            for i in rows:
                todo = [j for j in cols if not self._filled[i, j]]
                for j in todo:
                    item = self.item(i, j)
                    if item is None:
                        item = QTableWidgetItem()
                        item.setTextAlignment(Qt.AlignCenter)
                        self.setItem(i, j, item)
                    v = float(p[i, j])
                    item.setText(f"{v:.3f}")
                    item.setBackground(colors.color(v))
                    item.setForeground(colors.text_color_for(v))
                self._filled[i, todo] = True
        finally:
            self._updating = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fill_shown_cells()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        try:
            value = parse_number(item.text())
            self.doc.set_weight(self.block, item.row(), item.column(), value)
        except EditRefused as e:
            self.refused.emit(str(e))
            self.refresh()                      # put the model's value back

    def set_selected(self, fn, text: str) -> None:
        """Apply fn(old value) to every selected cell, as one undo step."""
        p = self.doc.network.blocks[self.block]
        changes = {self.doc.param_index(self.block, i.row(), i.column()):
                   fn(float(p[i.row(), i.column()])) for i in self.selectedIndexes()}
        if changes:
            self.doc.set_params(changes, text)

    def paste(self) -> None:
        """Paste a block of numbers at the current cell, as one undo step."""
        text = QGuiApplication.clipboard().text()
        rows = [re.split(r"[\t;, ]+", line.strip()) for line in text.strip().splitlines()]
        r0, c0 = max(self.currentRow(), 0), max(self.currentColumn(), 0)
        p = self.doc.network.blocks[self.block]
        changes = {}
        try:
            for di, row in enumerate(rows):
                for dj, cell in enumerate(row):
                    i, j = r0 + di, c0 + dj
                    if i < p.shape[0] and j < p.shape[1]:
                        changes[self.doc.param_index(self.block, i, j)] = parse_number(cell)
        except EditRefused as e:
            self.refused.emit(f"nothing pasted: {e}")
            return
        if changes:
            self.doc.set_params(changes, f"Paste {len(changes)} weights")

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.Paste):
            self.paste()
        else:
            super().keyPressEvent(event)


class WeightsPanel(QWidget):
    """Tabs of MatrixTables, rebuilt on structure changes, refreshed on values."""

    refused = Signal(str)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._stale = False                 # values changed while hidden: refresh on show
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        buttons = QHBoxLayout()
        for label, fn, text in (("+1", lambda v: 1.0, "Set weights to +1"),
                                ("−1", lambda v: -1.0, "Set weights to −1"),
                                ("0", lambda v: 0.0, "Set weights to 0"),
                                ("Flip sign", lambda v: -v, "Flip weights' sign")):
            b = QPushButton(label)
            b.setToolTip(f"{text} in the selected cells")
            b.clicked.connect(lambda _checked=False, fn=fn, text=text: self._apply(fn, text))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        doc.structure_changed.connect(self.rebuild)
        doc.params_changed.connect(self.refresh)       # not the fed input: no weight shows it
        self.rebuild()

    def tables(self) -> list[MatrixTable]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def rebuild(self) -> None:
        current = self.tabs.currentIndex()
        while self.tabs.count():
            w = self.tabs.widget(0)
            self.tabs.removeTab(0)
            w.deleteLater()
        net = self.doc.network
        for k in range(net.depth):
            table = MatrixTable(self.doc, k)
            table.refused.connect(self.refused)
            self.tabs.addTab(table, f"layer {k} → {k + 1}")
        self.tabs.setCurrentIndex(min(max(current, 0), net.depth - 1))
        self.refresh()                    # fills the tables now, or when first shown

    def refresh(self) -> None:
        """Refresh the table on show (a hidden panel costs nothing while training)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        for t in self.tables():
            if t.block < self.doc.network.depth:
                t.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()


    def _apply(self, fn, text: str) -> None:
        table = self.tabs.currentWidget()
        if table is not None:
            table.set_selected(fn, text)
