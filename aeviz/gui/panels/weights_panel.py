"""The weight-matrix view: one table per layer pair, chosen by a tab (rows: units of
layer k and a last "bias" row; columns: units of layer k+1).  Type, paste a block
(tab/comma/space separated, as from a spreadsheet), or set the selected cells to
+1, −1, 0 or flip their sign.  Every change is one undoable Document edit, so the
table and the diagram stay in sync.

Qt model/view: :class:`WeightsModel` reads the network; the one :class:`MatrixTable`
view asks it only for the cells in view (a 1024 x 1024 block costs a screenful).
A structure change resets the model and a value change is ``dataChanged``; no
widget is created or destroyed after start-up, so an edit delivered while the tab
is in front never pulls a table from under Qt."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import (QAbstractTableModel, QEvent, QModelIndex, QSignalBlocker, Qt,
                            QTimer, Signal)
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QBoxLayout, QLineEdit, QPushButton,
                               QStyledItemDelegate, QTabBar, QTableView, QVBoxLayout, QWidget)

from aeviz.gui.runtime.document import Document, EditRefused, check_value
from aeviz.gui.panels.table_cells import value_colors


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


def weight_text(value: float) -> str:
    return f"{value:.3f}"


class WeightsModel(QAbstractTableModel):
    """Block k's parameters P[k] = [W[k]; b[k]], shape (n_k + 1, n_{k+1}): row i < n_k
    is W[k][i, :] (from unit i of layer k), the last row the biases b[k].  Typing a
    number sets one parameter as one undo step; a refused text emits ``refused``."""

    refused = Signal(str)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.block = 0
        self._shape = self._block_shape()          # what the views were told

    def _block_shape(self) -> tuple[int, int]:
        net = self.doc.lesson.network
        return net.blocks[self.block].shape if self.block < net.depth else (0, 0)

    def _value(self, row: int, col: int) -> float | None:
        """P[k][row, col], or None for a cell the network no longer has."""
        net = self.doc.lesson.network
        if self.block >= net.depth:
            return None
        p = net.blocks[self.block]
        return float(p[row, col]) if row < p.shape[0] and col < p.shape[1] else None

    # --- what the view asks -------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:           # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else self._shape[0]

    def columnCount(self, parent=QModelIndex()) -> int:        # noqa: N802
        return 0 if parent.isValid() else self._shape[1]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        v = self._value(index.row(), index.column())
        if v is None:
            return None
        if role in (Qt.DisplayRole, Qt.EditRole):
            return weight_text(v)
        if role == Qt.BackgroundRole:
            return value_colors(v)[0]
        if role == Qt.ForegroundRole:
            return value_colors(v)[1]
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role == Qt.UserRole:
            return v
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return f"to {section + 1}"
        return "bias" if section == self._shape[0] - 1 else f"from {section + 1}"

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:  # noqa: N802
        """A typed value: one Document edit (the document's signals redraw the cell)."""
        if role != Qt.EditRole or not index.isValid():
            return False
        old = self._value(index.row(), index.column())
        text = str(value)
        if old is None or text.strip() == weight_text(old):
            return False                      # opened and closed unchanged: no undo step
        try:
            self.doc.lesson.set_weight(self.block, index.row(), index.column(), parse_number(text))
        except EditRefused as e:
            self.refused.emit(str(e))         # the cell keeps the model's value
            return False
        return True

    # --- what the document says ---------------------------------------------------------
    def show_block(self, block: int) -> None:
        """Another block, or another structure: the views forget every cell."""
        self.beginResetModel()
        self.block = max(0, min(block, self.doc.lesson.network.depth - 1))
        self._shape = self._block_shape()
        self.endResetModel()

    def refresh(self) -> None:
        """New values, same shape: every cell is repainted from the network."""
        if self._block_shape() != self._shape:
            self.show_block(self.block)
        elif self._shape[0] and self._shape[1]:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._shape[0] - 1, self._shape[1] - 1))


class TypedCell(QStyledItemDelegate):
    """A cell being typed in keeps what is typed.  Qt refills an open editor from
    the model at every ``dataChanged``: while training ran, each frame replaced
    the text being typed with the cell's new value.  The editor is filled once, when
    it opens; closed with its text unchanged (Tab, a click elsewhere) it sets
    nothing, though training has moved the weight since (it wrote that old value
    back)."""

    SHOWN = "aeviz_shown"          # the editor's property: the text it opened with

    def setEditorData(self, editor, index) -> None:              # noqa: N802 (Qt's name)
        if editor.property(self.SHOWN) is not None:
            return                                     # open: what is typed stays
        super().setEditorData(editor, index)
        if isinstance(editor, QLineEdit):
            editor.setProperty(self.SHOWN, editor.text())

    def setModelData(self, editor, model, index) -> None:       # noqa: N802 (Qt's name)
        if isinstance(editor, QLineEdit) and editor.text() == editor.property(self.SHOWN):
            return                                     # opened and closed unchanged
        super().setModelData(editor, model, index)


class MatrixTable(QTableView):
    """The view of a :class:`WeightsModel`: selection edits and paste."""

    def __init__(self, model: WeightsModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(TypedCell(self))
        self.setAccessibleName("Weights")
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)

    @property
    def block(self) -> int:
        return self.model().block

    def set_selected(self, fn, text: str) -> None:
        """Apply fn(old value) to every selected cell, as one undo step."""
        model, doc = self.model(), self.model().doc
        changes = {}
        for i in self.selectedIndexes():
            v = model.data(i, Qt.UserRole)
            if v is not None:
                changes[doc.lesson.param_index(model.block, i.row(), i.column())] = fn(v)
        if changes:
            doc.lesson.set_params(changes, text)

    def paste(self) -> None:
        """Paste a block of numbers at the current cell, as one undo step."""
        model, doc = self.model(), self.model().doc
        text = QGuiApplication.clipboard().text()
        rows = [re.split(r"[\t;, ]+", line.strip()) for line in text.strip().splitlines()]
        current = self.currentIndex()
        r0, c0 = max(current.row(), 0), max(current.column(), 0)
        n_rows, n_cols = model.rowCount(), model.columnCount()
        changes = {}
        try:
            for di, row in enumerate(rows):
                for dj, cell in enumerate(row):
                    i, j = r0 + di, c0 + dj
                    if i < n_rows and j < n_cols:
                        changes[doc.lesson.param_index(model.block, i, j)] = parse_number(cell)
        except EditRefused as e:
            model.refused.emit(f"nothing pasted: {e}")
            return
        if changes:
            doc.lesson.set_params(changes, f"Paste {len(changes)} weights")

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.Paste):
            self.paste()
        else:
            super().keyPressEvent(event)


class WeightsPanel(QWidget):
    """A tab per layer pair over one table; the tabs follow the structure."""

    refused = Signal(str)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = WeightsModel(doc, self)
        self.model.refused.connect(self.refused)
        self.compact = False                 # on stage: see set_compact
        layout = QBoxLayout(QBoxLayout.TopToBottom, self)
        self._margins = None                 # the style's, kept when the stage takes them
        self.tabs = QTabBar()
        self.tabs.setAccessibleName("Weight blocks")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.table = MatrixTable(self.model)
        self.button_bar = QWidget()          # below the table; on stage beside it
        buttons = QBoxLayout(QBoxLayout.LeftToRight, self.button_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        for label, fn, text in (("+1", lambda v: 1.0, "Set weights to +1"),
                                ("−1", lambda v: -1.0, "Set weights to −1"),
                                ("0", lambda v: 0.0, "Set weights to 0"),
                                ("Flip sign", lambda v: -v, "Flip weights' sign")):
            b = QPushButton(label)
            b.setToolTip(f"{text} in the selected cells")
            b.clicked.connect(lambda _checked=False, fn=fn, text=text: self._apply(fn, text))
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.side = QWidget()                # on stage: the block tabs over the buttons
        QVBoxLayout(self.side).setContentsMargins(0, 0, 0, 0)
        self.side.hide()
        self._arrange(False)
        self._rearrange_later = QTimer(self)
        self._rearrange_later.setSingleShot(True)
        self._rearrange_later.timeout.connect(self._rearrange)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        doc.structure_changed.connect(self._on_structure_changed)
        doc.params_changed.connect(self.model.refresh)   # not the fed input: no weight shows it
        self._on_structure_changed()
        self._fit_rows()

    def set_compact(self, on: bool) -> None:
        """On stage the tab sits below the diagram: rows a line of text high, thin
        margins, and the block tabs and buttons in a column at the right of the
        table (the table is narrow, the stage's height is short), so that every
        row of a block shows while the diagram keeps its share."""
        if on and self._margins is None:
            m = self.layout().contentsMargins()
            self._margins = (m.left(), m.top(), m.right(), m.bottom(), self.layout().spacing())
        if not on and self._margins is None:
            return
        self.compact = on
        self.layout().setContentsMargins(*((2, 0, 2, 0) if on else self._margins[:4]))
        self.layout().setSpacing(2 if on else self._margins[4])
        self._fit_rows()
        self._arrange(on and self.fits_beside())

    def fits_beside(self) -> bool:
        """Whether the block's whole width and the tabs-and-buttons column fit the
        panel's width side by side (a wide block, e.g. 64 inputs, keeps the width
        for its columns: the tabs and buttons then stay above and below)."""
        t = self.table
        bar = t.verticalScrollBar().sizeHint().width()
        table = (t.verticalHeader().sizeHint().width() + t.horizontalHeader().length()
                 + 2 * t.frameWidth() + bar)
        side = max(self.tabs.sizeHint().width(), self.button_bar.sizeHint().width())
        m = self.layout().contentsMargins()
        return table + side + self.layout().spacing() + m.left() + m.right() <= self.width()

    def _rearrange(self) -> None:
        """On stage, after a resize or another block: beside or not (see fits_beside)."""
        if self.compact:
            beside = self.fits_beside()
            if beside != self.side.isVisibleTo(self) or beside != (
                    self.layout().direction() == QBoxLayout.LeftToRight):
                self._arrange(beside)

    def resizeEvent(self, event) -> None:                      # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.compact and event.oldSize().width() != event.size().width():
            self._rearrange_later.start(0)       # a moment later: never laid out in a resize

    def _arrange(self, beside: bool) -> None:
        """Off stage: the block tabs, the table, the buttons in a row below it.
        On stage (``beside``): the table, then at its right the tabs over the
        row of buttons."""
        layout = self.layout()
        while layout.count():
            layout.takeAt(0)
        side = self.side.layout()
        while side.count():
            side.takeAt(0)
        if beside:
            layout.setDirection(QBoxLayout.LeftToRight)
            side.addWidget(self.tabs)
            side.addWidget(self.button_bar)
            side.addStretch(1)
            layout.addWidget(self.table, 1)
            layout.addWidget(self.side)
            self.side.show()
        else:
            layout.setDirection(QBoxLayout.TopToBottom)
            layout.addWidget(self.tabs)
            layout.addWidget(self.table, 1)
            layout.addWidget(self.button_bar)
            self.side.hide()
        self.tabs.show()
        self.button_bar.show()
        # the new least size at once: Esc restores the docks' sizes right after this
        # (a stale least width, the stage's, kept the Patterns dock 60 px wider)
        side.activate()
        layout.activate()
        self.updateGeometry()

    def _fit_rows(self) -> None:
        header = self.table.verticalHeader()
        top = self.table.horizontalHeader()
        if self.compact:                              # a line of text high (digits have
            line = self.table.fontMetrics().height()  # no descenders: they never touch)
            header.setMinimumSectionSize(line)        # (the style's least is taller)
            header.setDefaultSectionSize(line)
            top.setFixedHeight(line + 2)
        else:
            header.setMinimumSectionSize(-1)          # the style's, as before the stage
            header.resetDefaultSectionSize()
            top.setMinimumHeight(0)
            top.setMaximumHeight(16777215)

    def changeEvent(self, event) -> None:                      # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_rows()

    def _on_structure_changed(self) -> None:
        """One tab per block (tabs are not widgets: none is destroyed), then a reset."""
        depth = self.doc.lesson.network.depth
        blocker = QSignalBlocker(self.tabs)
        while self.tabs.count() > depth:
            self.tabs.removeTab(self.tabs.count() - 1)
        while self.tabs.count() < depth:
            k = self.tabs.count()
            self.tabs.addTab(f"layer {k} → {k + 1}")
        blocker.unblock()
        self.model.show_block(max(self.tabs.currentIndex(), 0))
        if hasattr(self, "_rearrange_later"):
            self._rearrange_later.start(0)

    def _on_tab_changed(self, index: int) -> None:
        if index >= 0:
            self.model.show_block(index)
            self._rearrange_later.start(0)       # another block: another width

    def _apply(self, fn, text: str) -> None:
        self.table.set_selected(fn, text)
