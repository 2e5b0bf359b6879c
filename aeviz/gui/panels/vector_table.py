"""A vector (x, h or y of the fed pattern) as a row of coloured cells: Qt model/view
(:class:`VectorModel` + :class:`VectorTable`).  A new length or a new number of cells
per row is a model reset; new values are ``dataChanged``; a new width is laid out a
moment after the resize, never inside it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QAbstractScrollArea, QHeaderView, QStyle,
                               QTableView)

from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.drawing.diagram_items import fmt
from aeviz.gui.panels.table_cells import hidden_colors, value_colors

MAX_ROWS = 4          # a vector wraps onto at most this many rows (see VectorTable)
# roles as ints: ``data`` is called ~7 times a cell at every paint (64 cells of a
# digit: ~450 calls), and reading ``Qt.DisplayRole`` costs ~3 us in PySide6; with
# the enums read at each call a paint of 64 cells took ~16 ms
DISPLAY, BACKGROUND, FOREGROUND = (int(r.value) for r in (
    Qt.DisplayRole, Qt.BackgroundRole, Qt.ForegroundRole))
ALIGNMENT, VALUE = int(Qt.TextAlignmentRole.value), int(Qt.UserRole.value)
_ROLES = frozenset((DISPLAY, BACKGROUND, FOREGROUND, ALIGNMENT, VALUE))
CENTRED = int(Qt.AlignCenter.value)
ENABLED, NO_FLAGS = Qt.ItemIsEnabled, Qt.NoItemFlags
HORIZONTAL = Qt.Horizontal


class VectorModel(QAbstractTableModel):
    """A vector v (n,) as rows of ``per_row`` cells: unit i sits at row i // per_row,
    column i % per_row.  When the cells wrap (n > per_row) each names its unit
    ("h6" above its value).  ``hidden``: every value shows "?" (predict, then reveal)."""

    def __init__(self, prefix: str, text, parent=None) -> None:
        super().__init__(parent)
        self.prefix, self.text = prefix, text
        self.values = np.zeros(0)
        self.texts: list[str] = []
        self._texts_by = text                   # the format ``texts`` were written in
        self.per_row = 1
        self.hidden = False
        self._colors: list | None = None        # (fill, ink) per unit, made when first asked

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def wrapped(self) -> bool:
        return self.count > self.per_row

    def unit(self, index: QModelIndex) -> int | None:
        """The unit a cell shows (None: an empty cell after the last unit)."""
        if not index.isValid():
            return None
        i = index.row() * self.per_row + index.column()
        return i if i < self.count else None

    def rowCount(self, parent=QModelIndex()) -> int:          # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else (-(-self.count // self.per_row) if self.count else 1)

    def columnCount(self, parent=QModelIndex()) -> int:       # noqa: N802
        return 0 if parent.isValid() or not self.count else self.per_row

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if role not in _ROLES:
            return None
        i = self.unit(index)
        if i is None:
            return None
        if role == DISPLAY:
            shown = "?" if self.hidden else self.texts[i]
            return f"{self.prefix}{i + 1}\n{shown}" if self.wrapped else shown
        if role == ALIGNMENT:
            return CENTRED
        if role == VALUE:
            return float(self.values[i])              # the value the text was written from
        if self._colors is None:                      # (fill, ink) of every unit, once a change
            self._colors = [hidden_colors()] * self.count if self.hidden else \
                [value_colors(v) for v in self.values.tolist()]
        return self._colors[i][0 if role == BACKGROUND else 1]

    def flags(self, index: QModelIndex):
        return ENABLED if self.unit(index) is not None else NO_FLAGS

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        # (~12,000 calls while a 1,024-unit vector is laid out: no enum read per call)
        if role == DISPLAY and orientation == HORIZONTAL and not self.wrapped:
            return f"{self.prefix}{section + 1}"
        return None

    def lay_out(self, values: np.ndarray, per_row: int, hidden: bool = False) -> None:
        """Another length or another number of cells per row: a reset."""
        self.beginResetModel()
        self.values, self.per_row, self.hidden = values, max(1, per_row), hidden
        self._colors = None
        self.texts = [self.text(v) for v in values.tolist()]
        self._texts_by = self.text
        self.endResetModel()

    def set_values(self, values: np.ndarray) -> None:
        """New values of the same length: the cells whose text changed are redrawn
        (the same values in the same format: nothing to do, as the input x on every
        frame of a run)."""
        if (not self.hidden and self._texts_by is self.text
                and np.array_equal(values, self.values, equal_nan=True)):
            self.values = values
            return
        self._texts_by = self.text
        texts = [self.text(v) for v in values.tolist()]
        changed = [i for i, (a, b) in enumerate(zip(texts, self.texts)) if a != b]
        was_hidden = self.hidden
        self.values, self.texts, self.hidden = values, texts, False
        self._colors = None
        if was_hidden:
            changed = list(range(self.count))
        if changed:
            self._changed(changed[0], changed[-1])

    def hide_values(self) -> None:
        self.hidden, self._colors = True, None
        if self.count:
            self._changed(0, self.count - 1)

    def _changed(self, first: int, last: int) -> None:
        """Units first..last changed: the rows that hold them are redrawn."""
        self.dataChanged.emit(self.index(first // self.per_row, 0),
                              self.index(last // self.per_row, self.per_row - 1))


class VectorTable(QTableView):
    """A vector (x, h or y) as coloured cells with 3 decimals.  When its cells do not
    fit side by side they wrap onto up to MAX_ROWS rows, each cell then naming its unit
    ("h6" above its value), so the code and output of the lessons never hide
    behind a scroll bar; a longer vector (a picture's pixels) keeps one row and
    scrolls.  ``cell(i)`` is unit i's index wherever it is; ``count`` the number of
    units.  A new width is laid out a moment after the resize (never inside it)."""

    def __init__(self, name: str, prefix: str, parent=None, text=fmt) -> None:
        super().__init__(parent)
        self.setModel(VectorModel(prefix, text, self))
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self._row_px = 20
        self._size_columns()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.NoFocus)
        self._font_changed = False
        self._relayout = zero_timer(self, self._on_relayout)

    @property
    def count(self) -> int:
        return self.model().count

    @property
    def per_row(self) -> int:
        return self.model().per_row

    @property
    def wrapped(self) -> bool:
        return self.model().wrapped

    def cell(self, i: int) -> QModelIndex:
        return self.model().index(i // self.per_row, i % self.per_row)

    def cell_text(self, i: int) -> str:
        """What unit i shows (its value, without the unit's name)."""
        return self.cell(i).data().split("\n")[-1]

    def set_formatter(self, text) -> None:
        """How a value is written (e.g. an output's "<0.001"); the next
        ``set_values`` redraws the cells whose text it changes."""
        self.model().text = text

    def set_values(self, values: np.ndarray) -> None:
        values = np.array(values, dtype=float)         # a copy: the cells' colours use it
        if len(values) != self.count:
            self._lay_out(values)
        else:
            self.model().set_values(values)

    def _per_row(self, n: int) -> int:
        """Cells per row for n units in the current width: all that fit side by side;
        MAX_ROWS rows at most: a long vector (a 35-pixel picture, seen in the Images
        tab) keeps one row and scrolls, rather than pushing the code and output off
        the panel."""
        cell = max(self.horizontalHeader().minimumSectionSize(), 1)
        fitting = max(1, min(n, self._width() // cell))
        return fitting if n <= MAX_ROWS * fitting else max(n, 1)

    def _width(self) -> int:
        """The width the cells may use, as if the panel's scroll area showed its
        vertical scroll bar.  Wrapping makes the panel taller, which may bring the
        bar, which narrows the panel: measured with the bar always, the choice does
        not depend on the bar, so it never flips back and forth with it."""
        width = max(self.viewport().width(), self.width() - 4, 1)
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None and area.verticalScrollBarPolicy() != Qt.ScrollBarAlwaysOff \
                and not area.verticalScrollBar().isVisible():
            width -= area.style().pixelMetric(QStyle.PM_ScrollBarExtent, None, area)
        return max(width, 1)

    def _lay_out(self, values: np.ndarray, hidden: bool = False) -> None:
        """One row with a header when the cells fit; else rows of named cells."""
        self.model().lay_out(values, self._per_row(len(values)), hidden)
        self.horizontalHeader().setVisible(not self.wrapped)
        self.verticalHeader().setDefaultSectionSize(self._row_px * (2 if self.wrapped else 1))
        self._fit_height()

    def _size_columns(self) -> None:
        """Never truncate a number: a column is at least as wide as "-0.000" or
        "<0.001" in the current font (the UI zoom changes it)."""
        metrics = self.fontMetrics()
        self.horizontalHeader().setMinimumSectionSize(
            max(metrics.horizontalAdvance(t) for t in ("-0.000", "<0.001")) + 12)
        self._row_px = metrics.height() + 8
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(self._row_px)

    def _fit_height(self) -> None:
        """Every row, and a scroll bar only for a vector too long to wrap."""
        rows = self.model().rowCount() * self.verticalHeader().defaultSectionSize()
        header = 0 if self.wrapped else self.horizontalHeader().sizeHint().height()
        scrolls = self.count * self.horizontalHeader().minimumSectionSize() > \
            self.viewport().width() and not self.wrapped
        bar = self.horizontalScrollBar().sizeHint().height() if scrolls else 0
        height = header + rows + 4 + bar
        if self.minimumHeight() != height or self.maximumHeight() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._font_changed = True
            self._relayout.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)                   # measures only: see _on_relayout
        if event.oldSize().width() != event.size().width():
            self._relayout.start()

    def _on_relayout(self) -> None:
        """After a resize or a font change (a zero-timer): the cells per row that
        fit the new width, and the height that shows every row."""
        model = self.model()                # a prediction's "?" stays hidden
        if self._font_changed:
            self._font_changed = False
            self._size_columns()
            self._lay_out(model.values, model.hidden)
        elif self.count and self._per_row(self.count) != self.per_row:
            self._lay_out(model.values, model.hidden)
        else:
            self._fit_height()

    def hide_values(self) -> None:
        """Predict, then reveal: "?" in every cell, no colour (until set_values)."""
        self.model().hide_values()

    def values(self) -> list[float]:
        return [float(self.cell_text(i)) for i in range(self.count)]
