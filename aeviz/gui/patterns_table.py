"""The Patterns table: every pattern of the dataset with its code, what decides
whether it is reconstructed (argmax of y for a softmax output, else the output
units on the wrong side of 0.5: the rule of :func:`aeviz.core.model.is_reconstructed`),
d(x, y), reconstructed?, and the patterns that share its code.  A big dataset
fills only the rows in view."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from aeviz.core.model import shared_codes, twin_units, twins_sentence, winners, wrong_units
from aeviz.gui import colors
from aeviz.gui.diagram_items import fmt
from aeviz.gui.document import Document

FILL_ALL_ROWS = 100   # a patterns table with more rows fills only those in view


def pattern_text(x: np.ndarray) -> str:
    """``1 0 0 0 0``; long one-hot patterns as ``one-hot, unit 17``."""
    if len(x) <= 12:
        return " ".join(f"{v:g}" for v in x)
    if np.count_nonzero(x) == 1 and x.max() == 1:
        return f"one-hot, unit {int(np.argmax(x)) + 1}"
    return " ".join(f"{v:g}" for v in x[:12]) + " …"


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
