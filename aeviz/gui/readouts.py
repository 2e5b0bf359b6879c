"""Readouts of the fed pattern (Input, Code, Output tables; d(x, y), loss, epoch)
and of the whole dataset (the per-pattern table).  They only show the
document's values: nothing here edits the model."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHeaderView,
                               QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from aeviz.core.losses import distances
from aeviz.core.model import (penalty_name, shared_codes, twin_units, twins_sentence, winners,
                              wrong_units)
from aeviz.gui import colors
from aeviz.gui.diagram_items import fmt, fmt_output
from aeviz.gui.document import Document



def wrong_text(x: np.ndarray, y: np.ndarray) -> str:
    """"none", or "2: y3, y7" (at most 2 named): the output units on the wrong side
    of 0.5, which decide "reconstructed" for outputs other than softmax."""
    units = wrong_units(x, y)
    if not units:
        return "none"
    named = ", ".join(f"y{u + 1}" for u in units[:2]) + (", …" if len(units) > 2 else "")
    return f"{len(units)}: {named}"


def argmax_text(y: np.ndarray) -> str:
    """"3", or "tie (1, 5)" when several outputs are within the margin of the
    largest (the same margin that decides "reconstructed")."""
    units = winners(y)
    return str(units[0] + 1) if len(units) == 1 else "tie (" + ", ".join(
        str(u + 1) for u in units) + ")"


FILL_ALL_ROWS = 100   # a patterns table with more rows fills only those in view
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
        self.output.set_values(y)
        self.error.setText(fmt(float(distances(x, y)[0])))
        ev = doc.evaluation()
        loss = doc.model.training.loss.replace("_", "-")
        self.loss_caption.setText(f"Loss ({loss}, all patterns)")
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


def pattern_text(x: np.ndarray) -> str:
    """``1 0 0 0 0``; long one-hot patterns as ``one-hot, unit 17``."""
    if len(x) <= 12:
        return " ".join(f"{v:g}" for v in x)
    if np.count_nonzero(x) == 1 and x.max() == 1:
        return f"one-hot, unit {int(np.argmax(x)) + 1}"
    return " ".join(f"{v:g}" for v in x[:12]) + " …"


class PatternsTable(QTableWidget):
    """Every pattern of the dataset: its code, argmax of y (a softmax output) or the
    output units on the wrong side of 0.5 (other outputs), as "reconstructed" decides,
    d(x, y), reconstructed?  Patterns whose codes agree to 3 decimals are flagged as sharing
    a code."""

    pattern_activated = Signal(int)
    COLUMNS = ["pattern x", "code h", "argmax y", "d(x, y)", "reconstructed", "shares code with"]

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setAccessibleName("Patterns")
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        # sized once per structure: ResizeToContents re-measures every row on every setText
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self._code_width = -1
        self.hidden = False                     # predict, then reveal
        self.cellClicked.connect(lambda row, _col: self.pattern_activated.emit(row))
        self._shown: tuple | None = None        # what the rows show (see fill_shown_rows)
        self._filled: set[int] = set()          # rows written since the last refresh
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.fill_shown_rows())
        self.doc = doc
        doc.add_derived("shared codes", lambda d: shared_codes(d.get("evaluation").codes))
        doc.add_derived("twins", lambda d: twin_units(d.model.network, d.model.data()))
        doc.values_changed.connect(self.refresh)
        self.refresh()

    def shared_codes(self) -> dict[int, list[int]]:
        """pattern -> other patterns with the same code to display precision."""
        groups = self.doc.derived("shared codes")
        return {p: [q for q in g if q != p] for g in groups for p in g if len(g) > 1}

    def refresh(self) -> None:
        ev = self.doc.evaluation()
        data = self.doc.data()
        shared = self.shared_codes()
        twins = self.doc.derived("twins")
        twin_of = {p: q for i, j in twins for p, q in ((i, j), (j, i))}
        new_shape = self.rowCount() != len(data) or self._code_width != ev.codes.shape[1]
        self._code_width = ev.codes.shape[1]
        # the rule "reconstructed" uses: argmax for a softmax output, else each unit's side
        by_argmax = self.doc.network.activations[-1] == "softmax"
        third = "argmax y" if by_argmax else "y units wrong"
        if self.horizontalHeaderItem(2).text() != third:
            self.setHorizontalHeaderItem(2, QTableWidgetItem(third))
            new_shape = True
        self.setUpdatesEnabled(False)
        self.setRowCount(len(data))
        self._shown = (ev, data, shared, twin_of, self.doc.pattern_index(), by_argmax)
        self._filled = set()
        self.fill_shown_rows()
        self.setVerticalHeaderLabels([str(p + 1) for p in range(len(data))])
        if new_shape:
            self.resizeColumnsToContents()
        self.setUpdatesEnabled(True)

    def rows_in_view(self) -> range:
        """The rows to fill: all of a small dataset, else those in view (and a screen
        more either side), so a 1,024-pattern table costs what a screenful does."""
        n = self.rowCount()
        if n <= FILL_ALL_ROWS:
            return range(n)
        height = max(self.verticalHeader().defaultSectionSize(), 1)
        first = max(self.rowAt(0), 0)
        page = max(self.viewport().height() // height, 1) + 1
        return range(max(0, first - page), min(n, first + 2 * page))

    def fill_shown_rows(self) -> None:
        """Write the cells of the rows in view that the last refresh has not filled."""
        if self._shown is None:
            return
        ev, data, shared, twin_of, fed, by_argmax = self._shown
        bold = QFont()
        bold.setBold(True)
        for p in self.rows_in_view():
            if p in self._filled or p >= len(data):
                continue
            self._filled.add(p)
            x = data[p]
            cells = [
                pattern_text(x),
                "(" + ", ".join(fmt(v) for v in ev.codes[p][:8])
                + (", …)" if ev.codes.shape[1] > 8 else ")"),
                argmax_text(ev.outputs[p]) if by_argmax else wrong_text(x, ev.outputs[p]),
                fmt(ev.errors[p]),
                "yes" if ev.reconstructed[p] else "no",
                ", ".join(str(q + 1) for q in shared.get(p, []))
                + (" (same weights)" if p in twin_of else ""),
            ]
            if self.hidden:
                cells = cells[:1] + ["?"] * (len(cells) - 1)
            for col, text in enumerate(cells):
                item = self.item(p, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(p, col, item)
                item.setText(text)
                item.setToolTip(twins_sentence([(p, twin_of[p])]) if col == 5 and p in twin_of
                                and not self.hidden else "")
                item.setFont(bold if p == fed else QFont())
                warn = not self.hidden and ((col == 4 and not ev.reconstructed[p])
                                            or (col == 5 and p in shared))
                if warn:                         # pale orange with dark text in any theme
                    item.setBackground(QColor(253, 219, 199))
                    item.setForeground(colors.INK)
                else:                            # the theme's own colours
                    item.setData(Qt.BackgroundRole, None)
                    item.setData(Qt.ForegroundRole, None)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fill_shown_rows()
