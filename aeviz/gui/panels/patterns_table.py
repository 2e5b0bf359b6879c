"""The Patterns table: every pattern of the dataset with its code, what decides
whether it is reconstructed (argmax of y for a softmax output, else the output
units on the wrong side of 0.5: the rule of :func:`aeviz.core.model.is_reconstructed`),
d(x, y), reconstructed?, and the patterns that share its code.  Qt model/view: a
big dataset computes only the rows in view, and a new dataset is a model reset.
Pictures (a dataset with an image shape) show a thumbnail and their label in the
first column; labelled data gets a filter by label above the table (the view
shows a :class:`~aeviz.gui.panels.pattern_thumbs.LabelFilterProxy` of the model: a
view row is mapped to its pattern with :meth:`PatternsTable.pattern_at`)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QStyle, QTableView, QVBoxLayout, QWidget)

from aeviz.core.lessons import derived
from aeviz.core.model import twins_sentence
from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.drawing.diagram_items import fmt, output_formatter
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled
from aeviz.gui.panels.pattern_thumbs import PATTERN_ROLE, LabelFilterProxy, PictureDelegate
from aeviz.gui.panels.pattern_texts import (argmax_text, code_text, others_text,  # noqa: F401
                                           pattern_text, widest_code_text, wrong_text)
from aeviz.gui.panels.table_cells import warn_colors


def cell_margin(view: QTableView) -> int:
    """The space a cell leaves on each side of its text (Qt's item text margin)."""
    return view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1


TABLE_INTERVAL_MS = 100    # the rows redraw at most ~10 times a second
SMALL_TABLE = 64       # rows: a code that grows re-fits the columns (a big set's stay)
WHOLE_UNITS = 3        # a code of up to this many numbers is always shown whole
DISPLAY, TOOLTIP, FONT = (int(r.value) for r in (Qt.DisplayRole, Qt.ToolTipRole, Qt.FontRole))
BACKGROUND, FOREGROUND = int(Qt.BackgroundRole.value), int(Qt.ForegroundRole.value)
_ROLES = frozenset((DISPLAY, TOOLTIP, FONT, BACKGROUND, FOREGROUND, int(PATTERN_ROLE)))


class PatternsModel(QAbstractTableModel):
    """The rows of the Patterns table, computed when the view asks for them (only the
    rows in view: a 1,024-pattern dataset costs what a screenful does) and kept
    until the next ``show``."""

    COLUMNS = ["pattern x", "code h", "argmax y", "d(x, y)", "reconstructed", "shares code with"]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.n, self.code_width, self.third = 0, -1, self.COLUMNS[2]
        # (evaluation, data, shared, twin_of, fed pattern, by_argmax, hidden)
        self._shown: tuple | None = None
        self._rows: dict[int, list[str]] = {}
        self.code_text = fmt                  # a code value's text (tanh: ">0.999", never 1)
        self._bold_font: QFont | None = None   # the fed pattern's row

    def rowCount(self, parent=QModelIndex()) -> int:          # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else self.n

    def columnCount(self, parent=QModelIndex()) -> int:       # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Vertical:
            return str(section + 1)
        return self.third if section == 2 else self.COLUMNS[section]

    def show(self, shown: tuple) -> bool:
        """New values; returns whether the shape changed (a reset: the view re-sizes
        its columns), else every cell is redrawn in place."""
        ev, data, _shared, _twins, _fed, by_argmax, _hidden = shown
        third = "argmax y" if by_argmax else "y units wrong"
        new_shape = (self.n, self.code_width, self.third) != (len(data), ev.codes.shape[1], third)
        if new_shape:
            self.beginResetModel()
        self.n, self.code_width, self.third = len(data), ev.codes.shape[1], third
        self._shown, self._rows = shown, {}
        if new_shape:
            self.endResetModel()
        elif self.n:
            self.dataChanged.emit(self.index(0, 0), self.index(self.n - 1, len(self.COLUMNS) - 1))
        return new_shape

    def cells(self, p: int) -> list[str]:
        """Row p's texts (computed once per ``show``)."""
        row = self._rows.get(p)
        if row is None:
            ev, data, shared, twin_of, _fed, by_argmax, hidden = self._shown
            x = data[p]
            row = [
                pattern_text(x),
                code_text(ev.codes[p], self.code_text),
                argmax_text(ev.outputs[p]) if by_argmax else wrong_text(x, ev.outputs[p]),
                fmt(ev.errors[p]),
                "yes" if ev.reconstructed[p] else "no",
                others_text(p, shared.get(p, []))
                + (" (same weights)" if p in twin_of else ""),
            ]
            if hidden:
                row = row[:1] + ["?"] * (len(row) - 1)
            self._rows[p] = row
        return row

    def data(self, index: QModelIndex, role: int = DISPLAY):
        # called ~200 times a frame while training (cells in view x roles): roles are
        # compared as ints (reading ``Qt.DisplayRole`` costs ~3 us in PySide6)
        if role not in _ROLES or self._shown is None or not index.isValid():
            return None
        p, col = index.row(), index.column()
        if p >= self.n:
            return None
        if role == PATTERN_ROLE:                  # which pattern (through a proxy too)
            return p
        if role == DISPLAY:
            return self.cells(p)[col]
        ev, _data, shared, twin_of, fed, _by_argmax, hidden = self._shown
        if role == TOOLTIP:
            return (twins_sentence([(p, twin_of[p])])
                    if col == 5 and p in twin_of and not hidden else None)
        if role == FONT:
            return self._bold() if p == fed else None
        warn = not hidden and ((col == 4 and not ev.reconstructed[p])
                               or (col == 5 and p in shared))
        if warn:                                      # else the theme's own colours
            return warn_colors()[0 if role == BACKGROUND else 1]
        return None

    def _bold(self) -> QFont:
        if self._bold_font is None:
            self._bold_font = QFont()
            self._bold_font.setBold(True)
        return self._bold_font


class RowNumbers(QHeaderView):
    """The Patterns table's row numbers ("1" to "1797"): their width measured once
    per row count, font and style.  Qt's own header measures its first and last
    100 sections again (~800 calls of ``headerData``, 10-20 ms) whenever a column
    of the table is resized, as the code column is while a big set trains (#25:
    the longest pauses of the window)."""

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Vertical, parent)
        self._hint: tuple | None = None          # (count, font, style) -> size

    def sizeHint(self):                                        # noqa: N802 (Qt's name)
        key = (self.count(), self.font().key(), id(self.style()))
        if self._hint is None or self._hint[0] != key:
            self._hint = (key, super().sizeHint())
        return self._hint[1]


class PatternsTable(QTableView):
    """Every pattern of the dataset: its code, argmax of y (a softmax output) or the
    output units on the wrong side of 0.5 (other outputs), as "reconstructed" decides,
    d(x, y), reconstructed?  Patterns whose codes agree to 3 decimals are flagged as sharing
    a code.  Clicking a row feeds its pattern."""

    pattern_activated = Signal(int)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalHeader(RowNumbers(self))
        self.patterns_model = PatternsModel(self)
        dataset = lambda: doc.lesson.model.dataset           # noqa: E731 - read when drawn
        self.proxy = LabelFilterProxy(dataset, self)
        # a filter is applied when chosen, not re-run on every training frame's dataChanged
        self.proxy.setDynamicSortFilter(False)
        self.proxy.setSourceModel(self.patterns_model)
        self.setModel(self.proxy)
        self.pictures = PictureDelegate(dataset, self)
        self._plain = self.itemDelegateForColumn(0)
        self.panel = self._make_panel()               # the filter above the table
        self.setAccessibleName("Patterns")
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        # sized once per structure: ResizeToContents would re-measure on every change
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        # columns sized on the first 24 rows (100 cost ~0.3 s at every dataset change:
        # each cell asked for its text, font and colours; the rows are alike)
        self.horizontalHeader().setResizeContentsPrecision(24)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.hidden = False                     # predict, then reveal
        self.compact = False                    # on stage: rows a line of text high
        self.clicked.connect(lambda index: self.pattern_activated.emit(self.pattern_at(index.row())))
        self.doc = doc
        self._labels_for: tuple | None = None           # the labels the filter offers
        self._refit = zero_timer(self, self._fit_to_font)  # a new font (presenter mode)
        self._refit_columns = zero_timer(self, self.fit_columns)   # a new width
        self._code_text: str | None = None      # the widest code's text, measured last
        self._code_px = 0                       # its width in the bold font
        doc.structure_changed.connect(self._on_structure_changed)
        # another lesson starts from its own view: every label (its labels may be the same)
        doc.replaced.connect(lambda: self.set_label_filter(None))
        doc.lesson.add_derived("shared codes", derived.shared_code_groups)   # (module-level:
        doc.lesson.add_derived("twins", derived.twins)        # a training process computes them)
        # while training (~30 frames a second) the rows are redrawn ~10 times a second:
        # numbers that change faster cannot be read, and each redraw of the rows in
        # view asks the model ~200 times for a cell (~4 ms of the GUI thread a frame);
        # a single change (a step, an edit) is shown at once, the last state always
        self.throttled = Throttled(self.refresh, TABLE_INTERVAL_MS, self)
        doc.values_changed.connect(self._on_values)
        self._on_structure_changed()
        self.refresh()

    def _make_panel(self) -> QWidget:
        """The table with, above it, "Show: [all labels | 0 | 1 | ...]"."""
        panel = QWidget()
        panel.setObjectName("Patterns panel")
        panel.table = self                            # (flash_row finds the table)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.filter_row = QWidget()
        row = QHBoxLayout(self.filter_row)
        row.setContentsMargins(4, 2, 4, 0)
        row.addWidget(QLabel("Show"))
        self.label_filter = QComboBox()
        self.label_filter.setAccessibleName("Show label")
        self.label_filter.setToolTip("Only the patterns with this label")
        self.label_filter.currentIndexChanged.connect(self._on_filter_chosen)
        row.addWidget(self.label_filter)
        row.addStretch(1)
        column.addWidget(self.filter_row)
        column.addWidget(self, 1)
        return panel

    def _on_values(self) -> None:
        """New values: redrawn at most every TABLE_INTERVAL_MS, but other rows or
        another code width (a structure or dataset change) at once."""
        m, lesson = self.patterns_model, self.doc.lesson
        if (m.n, m.code_width) != (len(lesson.model.dataset), lesson.network.code_size):
            self.throttled.pending = False
            self.refresh()
        else:
            self.throttled()

    def _on_structure_changed(self) -> None:
        """A new dataset: pictures get thumbnails, labels a filter (reset to all)."""
        ds = self.doc.lesson.model.dataset
        pictures = ds.image is not None
        self.setItemDelegateForColumn(0, self.pictures if pictures else self._plain)
        # a picture's row is a little taller than a line of text (a 24-px thumbnail
        # at least), not THUMB_PX: eight rows must fit under the diagram on stage
        line = self.fontMetrics().height() + (3 if self.compact else 8)
        self.verticalHeader().setDefaultSectionSize(max(28, line) if pictures else line)
        labels = None
        if ds.labels is not None:
            # (not np.unique: its first call imports numpy.ma, ~0.1 s at start-up;
            # not bincount: a file may hold a label of 10^12)
            present = sorted(set(ds.labels.tolist()))
            labels = tuple((k, ds.label_names[k] if ds.label_names else str(k))
                           for k in present)
        self.filter_row.setVisible(labels is not None)
        if labels == self._labels_for:
            return
        self._labels_for = labels
        blocker = QSignalBlocker(self.label_filter)
        self.label_filter.clear()
        self.label_filter.addItem("all labels", None)
        for k, name in labels or ():
            self.label_filter.addItem(f"label {name}", k)
        self.label_filter.setCurrentIndex(0)
        del blocker
        self.proxy.set_labels(None)

    def set_compact(self, on: bool) -> None:
        """On stage: rows only a little taller than their text (every row of a
        lesson's patterns below the diagram)."""
        self.compact = on
        self._fit_to_font()

    def changeEvent(self, event) -> None:                      # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._refit.start()                 # sized after the event, not inside it

    def _fit_to_font(self) -> None:
        """Rows and columns measured again in the current font (the stage's is larger)."""
        self._on_structure_changed()
        self.fit_columns()

    def resizeEvent(self, event) -> None:                      # noqa: N802 (Qt's name)
        super().resizeEvent(event)                   # measures only: fitted a moment later
        if event.oldSize().width() != event.size().width():
            self._refit_columns.start()

    def fit_columns(self) -> None:
        """Columns as wide as their contents, a code of up to WHOLE_UNITS numbers
        at least as wide as the widest code of the whole set (:meth:`fit_code_column`:
        never cut to "(-5.161, …").  When they do not fit side by side, the widest
        column that may give up room (any but such a code) gives up the excess
        (60 px at least) and ends in "…" (a long code is a list cut after 8 units
        anyway); a narrow table (a 1024-px window) scrolls sideways to the columns
        that still do not fit."""
        self._code_text = None
        self.resizeColumnsToContents()
        self.fit_code_column()
        widths = [self.columnWidth(c) for c in range(self.model().columnCount())]
        excess = sum(widths) - self.viewport().width()
        short = self.patterns_model.code_width <= WHOLE_UNITS
        others = [c for c in range(len(widths)) if c != 1 or not short]
        if excess > 0 and others:
            widest = max(others, key=widths.__getitem__)
            self.setColumnWidth(widest, max(widths[widest] - excess, 60))

    def code_width_needed(self) -> int:
        """Pixels the code column needs to show every pattern's code whole: the text
        of the widest code (:func:`widest_code_text`, in the bold font of the fed
        pattern's row) and the cell's margins.  O(patterns) in NumPy, measured only
        when that text changes (a few times a run)."""
        ev = self._shown_evaluation()
        if ev is None or len(ev.codes) == 0:
            return 0
        text = widest_code_text(ev.codes, self.patterns_model.code_text)
        if text != self._code_text:
            self._code_text = text
            bold = QFont(self.font())            # the fed row's font: the table's, bold
            bold.setBold(True)
            self._code_px = QFontMetrics(bold).horizontalAdvance(text)
        return self._code_px + 2 * cell_margin(self) + 2

    def fit_code_column(self) -> None:
        """Widen the code column to :meth:`code_width_needed` (codes that grow while
        training: "(-0.182, 0.410)" becomes "(-5.161, -15.063)"): a short code (up
        to WHOLE_UNITS numbers) always, the table scrolls sideways rather than cut
        it; a longer one as far as the other columns leave room."""
        need = self.code_width_needed()
        if need <= self.columnWidth(1):
            return
        if self.patterns_model.code_width > WHOLE_UNITS:     # a long code: only the room
            last = self.model().columnCount() - 1            # the others leave (the last
            natural_last = max(self.sizeHintForColumn(last),  # at its own width)
                               self.horizontalHeader().sectionSizeHint(last))
            others = sum(self.columnWidth(c) for c in range(last) if c != 1)
            need = min(need, self.viewport().width() - others - natural_last)
        if need > self.columnWidth(1):
            self.setColumnWidth(1, need)

    def _shown_evaluation(self):
        shown = self.patterns_model._shown
        return None if shown is None or shown[6] else shown[0]     # hidden: "?" only

    def _on_filter_chosen(self, _index: int) -> None:
        k = self.label_filter.currentData()
        self.proxy.set_labels(None if k is None else {k})

    def set_label_filter(self, label: int | None) -> None:
        """Show only the patterns labelled ``label`` (None: all), as the combo does."""
        i = self.label_filter.findData(label) if label is not None else 0
        self.label_filter.setCurrentIndex(max(i, 0))

    def pattern_at(self, row: int) -> int:
        """The pattern a view row shows (rows of a filtered table are not patterns)."""
        return self.proxy.mapToSource(self.proxy.index(row, 0)).row()

    def row_of(self, pattern: int) -> int:
        """The view row of ``pattern``; a pattern the filter hides shows every
        label again first (a guide's ``row:Patterns.N`` always finds its row)."""
        index = self.proxy.mapFromSource(self.patterns_model.index(pattern, 0))
        if not index.isValid() and self.proxy.labels is not None:
            self.set_label_filter(None)
            index = self.proxy.mapFromSource(self.patterns_model.index(pattern, 0))
        return index.row() if index.isValid() else pattern

    def shared_codes(self) -> dict[int, list[int]]:
        """pattern -> its group: every pattern with the same code to display
        precision (itself included; one list per group, so O(patterns) even when
        1,797 codes coincide), for the patterns that share a code."""
        groups = self.doc.lesson.derived.get("shared codes")
        return {p: g for g in groups if len(g) > 1 for p in g}

    def refresh(self) -> None:
        twins = self.doc.lesson.derived.get("twins")
        twin_of = {p: q for i, j in twins for p, q in ((i, j), (j, i))}
        # the rule "reconstructed" uses: argmax for a softmax output, else each unit's side
        by_argmax = self.doc.lesson.network.activations[-1] == "softmax"
        net = self.doc.lesson.network
        self.patterns_model.code_text = output_formatter(net.activations[net.code_layer - 1])
        shown = (self.doc.lesson.evaluation(), self.doc.lesson.data(), self.shared_codes(), twin_of,
                 self.doc.lesson.pattern_index(), by_argmax, self.hidden)
        if self.patterns_model.show(shown):
            self.fit_columns()
        elif (self.patterns_model.n <= SMALL_TABLE and self.isVisible()
              and self.sizeHintForColumn(1) > self.columnWidth(1)):
            self._refit_columns.start()          # a code grew ("(>0.999, −0.988)"): re-fitted
        elif self.isVisible():
            self.fit_code_column()               # a big set's codes grew: shown whole
