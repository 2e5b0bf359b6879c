"""Readouts of the fed pattern: the Input, Code and Output tables, d(x, y), the
loss and the epoch (the whole dataset's table is :mod:`aeviz.gui.patterns_table`).
They only show the document's values: nothing here edits the model."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHeaderView,
                               QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from aeviz.core.losses import distances
from aeviz.core.model import penalty_name
from aeviz.gui import colors
from aeviz.gui.diagram_items import fmt, fmt_output, output_formatter
from aeviz.gui.document import Document



MAX_ROWS = 4          # a vector wraps onto at most this many rows (see VectorTable)


class VectorTable(QTableWidget):
    """A vector (x, h or y) as coloured cells with 3 decimals.  When its cells do not
    fit side by side they wrap onto up to MAX_ROWS rows, each cell then naming its unit
    ("h6" above its value), so the code and output of the lessons never hide
    behind a scroll bar; a longer vector (a picture's pixels) keeps one row and
    scrolls.  ``cell(i)`` is
    unit i's item wherever it is; ``count`` the number of units."""

    def __init__(self, name: str, prefix: str, parent=None, text=fmt) -> None:
        super().__init__(1, 0, parent)
        self.setAccessibleName(name)
        self.prefix, self.text = prefix, text
        self.count, self.per_row = 0, 1
        self._values = np.zeros(0)
        self._filled = False                   # the cells show self._texts
        self._texts: list[str] = []
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self._size_columns()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.NoFocus)

    @property
    def wrapped(self) -> bool:
        return self.count > self.per_row

    def cell(self, i: int) -> QTableWidgetItem:
        return self.item(i // self.per_row, i % self.per_row)

    def cell_text(self, i: int) -> str:
        """What unit i shows (its value, without the unit's name)."""
        return self.cell(i).text().split("\n")[-1]

    def set_values(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=float)
        if len(values) != self.count:
            self.count = len(values)
            self._values = values
            self._lay_out()
        texts = [self.text(v) for v in values.tolist()]
        old = self._texts if self._filled else [None] * len(texts)
        self._values, self._texts, self._filled = values, texts, True
        for i, v in enumerate(values.tolist()):
            shown = texts[i]
            if shown == old[i]:       # unchanged (a 1024-unit layer: most cells)
                continue
            item = self.cell(i)
            item.setText(f"{self.prefix}{i + 1}\n{shown}" if self.wrapped else shown)
            item.setData(Qt.UserRole, v)          # the value when this text was written
            item.setBackground(colors.color(float(v)))
            item.setForeground(colors.text_color_for(float(v)))

    def _fitting(self) -> int:
        """How many cells fit side by side in the current width."""
        width = max(self.viewport().width(), self.width() - 4, 1)
        return max(1, width // max(self.horizontalHeader().minimumSectionSize(), 1))

    def _lay_out(self) -> None:
        """One row with a header when the cells fit; else rows of named cells."""
        self._filled = False                     # the cells are new: all written next
        n = self.count
        fitting = max(1, min(n, self._fitting())) if n else 1
        # MAX_ROWS at most: a long vector (a 35-pixel picture, seen in the Images tab)
        # keeps one row and scrolls, rather than pushing the code and output off the panel
        self.per_row = fitting if n <= MAX_ROWS * fitting else n
        rows = -(-n // self.per_row) if n else 1
        self.clear()
        self.setRowCount(rows)
        self.setColumnCount(self.per_row if n else 0)
        self.horizontalHeader().setVisible(not self.wrapped)
        if not self.wrapped:
            self.setHorizontalHeaderLabels([f"{self.prefix}{i + 1}" for i in range(n)])
        for r in range(rows):
            for c in range(self.per_row):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignCenter)
                item.setFlags(Qt.ItemIsEnabled if r * self.per_row + c < n else Qt.NoItemFlags)
                self.setItem(r, c, item)
        rows_px = self.verticalHeader().defaultSectionSize() * (2 if self.wrapped else 1)
        for r in range(rows):
            self.setRowHeight(r, rows_px)
        self._fit_height()

    def _size_columns(self) -> None:
        """Never truncate a number: a column is at least as wide as "-0.000" or
        "<0.001" in the current font (the UI zoom changes it)."""
        metrics = self.fontMetrics()
        self.horizontalHeader().setMinimumSectionSize(
            max(metrics.horizontalAdvance(t) for t in ("-0.000", "<0.001")) + 12)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 8)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._size_columns()
            if self.count:
                self._lay_out()
                self.set_values(self._values)

    def _fit_height(self) -> None:
        """Every row, and a scroll bar only for a vector too long to wrap."""
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        header = 0 if self.wrapped or not self.count else self.horizontalHeader().height()
        scrolls = self.count * self.horizontalHeader().minimumSectionSize() > \
            self.viewport().width() and not self.wrapped
        bar = self.horizontalScrollBar().sizeHint().height() if scrolls else 0
        self.setFixedHeight(header + rows + 4 + bar)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.count and event.oldSize().width() != event.size().width():
            fitting = max(1, min(self.count, self._fitting()))
            per_row = fitting if self.count <= MAX_ROWS * fitting else self.count
            if per_row != self.per_row:
                self._lay_out()
                self.set_values(self._values)
            else:
                self._fit_height()

    def hide_values(self) -> None:
        """Predict, then reveal: "?" in every cell, no colour."""
        self._filled = False                     # set_values writes every cell again
        for i in range(self.count):
            item = self.cell(i)
            item.setText(f"{self.prefix}{i + 1}\n?" if self.wrapped else "?")
            item.setBackground(colors.PAPER)
            item.setForeground(colors.MUTED)

    def values(self) -> list[float]:
        return [float(self.cell_text(i)) for i in range(self.count)]


class ValuesPanel(QWidget):
    """x, h, y of the fed pattern, d(x, y), the loss and the epoch."""

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.input = VectorTable("Input", "x")
        self.code = VectorTable("Code", "h")
        self.output = VectorTable("Output", "y", text=fmt_output)
        # the readouts first, so no scroll bar hides them; a long caption wraps above
        # its number, so the number is never clipped
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.error = self._readout("Reconstruction error")
        self.loss = self._readout("Loss")
        self.epoch = self._readout("Epoch")
        form.addRow("d(x, y) = ‖x − y‖", self.error)
        self.loss_caption = QLabel("Loss")
        self.loss_caption.setWordWrap(True)
        form.addRow(self.loss_caption, self.loss)
        form.addRow("Epoch", self.epoch)
        layout.addLayout(form)
        for title, table in (("Input x", self.input), ("Code h", self.code),
                             ("Output y", self.output)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box)
        self.kind = QLabel()
        self.kind.setAccessibleName("Network kind")
        self.kind.setWordWrap(True)
        layout.addWidget(self.kind)
        layout.addStretch(1)
        self.doc = doc
        self.hidden = False                     # predict, then reveal: values shown as "?"
        doc.values_changed.connect(self.refresh)
        doc.settings_changed.connect(self.refresh)
        self.refresh()

    def preferred_width(self) -> int:
        """Wide enough for every x, h and y cell side by side (no sideways scroll)."""
        return max(t.count * t.horizontalHeader().minimumSectionSize()
                   for t in (self.input, self.code, self.output)) + 64

    def _readout(self, name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._size_readout(label)
        return label

    def _size_readout(self, label: QLabel) -> None:
        """1.5× the panel's text, following the UI zoom and presenter mode; smaller
        (down to the panel's size) when the number would not fit the panel's
        width: the label shrinks, never the number."""
        font = QFont(self.font())
        base = self.font().pointSizeF()
        room = self.width() - 24
        font.setBold(True)
        size = base * 1.5
        while True:
            font.setPointSizeF(size)
            if size <= base or room <= 0 or \
                    QFontMetrics(font).horizontalAdvance(label.text()) <= room:
                break
            size = max(base, size * 0.9)
        if label.font() != font:
            label.setFont(font)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "epoch"):
            for label in (self.error, self.loss, self.epoch):
                self._size_readout(label)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "epoch"):
            for label in (self.error, self.loss, self.epoch):
                self._size_readout(label)

    def refresh(self) -> None:
        doc = self.doc
        net = doc.network
        zs, acts = doc.forward()
        x, y = doc.x, acts[-1][0]
        self.input.set_values(x)
        self.code.set_values(acts[net.code_layer][0])
        self.output.text = output_formatter(net.activations[-1])
        self.output.set_values(y)
        self.error.setText(fmt(float(distances(x, y)[0])))
        ev = doc.evaluation()
        loss = doc.model.training.loss.replace("_", "-")
        mean = ", at the mean code μ" if doc.network.variational else ""
        self.loss_caption.setText(f"Loss ({loss}, all patterns{mean})")
        penalty = penalty_name(net, doc.model.training)
        text = fmt(ev.loss) + (f" + {penalty} {fmt(ev.penalty)}" if ev.penalty else "")
        if len(text) != len(self.loss.text()):        # a penalty came or went: re-fit
            self.loss.setText(text)
            self._size_readout(self.loss)
        else:
            self.loss.setText(text)
        self.epoch.setText(str(doc.epoch))
        if self.hidden:                         # predict, then reveal
            for table in (self.code, self.output):
                table.hide_values()
            self.error.setText("?")
            self.loss.setText("?")
        c, n = net.code_size, net.sizes[0]
        if c < n:
            self.kind.setText(f"Undercomplete: the code ({c}) is smaller than the input ({n}).")
        else:
            t = doc.model.training
            regularised = t.sparsity.active or t.noise.active
            size = (f"Overcomplete: the code ({c}) is larger than the input ({n})" if c > n
                    else f"The code ({c}) is as large as the input")
            self.kind.setText(size + ("; the sparsity penalty or the noise keeps it from "
                                      "simply copying." if regularised else
                                      "; with no sparsity or noise it can learn to copy."))


    def show_decoded(self, code: np.ndarray, y: np.ndarray) -> None:
        """A code set by hand (decode here, walks, samples): the code and what the
        decoder makes of it; there is no input, so no d(x, y)."""
        self.code.set_values(code)
        self.output.set_values(y)
        self.error.setText("—")
        self.kind.setText("Decoding a code set by hand: the input and the encoder are not "
                          "used; the output is what the decoder makes of this code.")
