"""Legends above their plot's view, laid out as text flows (the loss plot's
curves, the code space's label colours): each entry, its sample then its name,
after the one before while the row has room, else on a new row; a name longer
than the row wraps.  pyqtgraph's own grid cannot do this (see :func:`flow_legend`)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtWidgets import QGraphicsItem
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol

SAMPLE_PX = 20              # a legend's line sample (pyqtgraph's ItemSample is 20 x 20)
SAMPLE_GAP, ENTRY_GAP = 4, 14    # px between a sample and its name; between two entries


def flow_legend(legend: pg.LegendItem, room: float) -> None:
    """Lay ``legend``'s entries out as text flows: each entry (its line sample, then
    its name at its own width) after the one before while the row has ``room``
    pixels, else on a new row; the legend exactly as large as its rows.

    Placed by hand, not by pyqtgraph's grid: its ``setColumnCount`` cannot take
    columns away (the grid keeps its old column count, so entries land in
    columns past the end), and its ``updateSize`` measures the widths the grid
    stretched the names to, so every call made the legend wider (the VAE's
    legend crept to 1,500 px and was cut off on the left)."""
    sample_px = getattr(legend, "sample_px", SAMPLE_PX)      # a dot legend's are smaller
    entry_gap = getattr(legend, "entry_gap", ENTRY_GAP)
    layout = legend.layout
    for i in range(layout.count() - 1, -1, -1):      # no grid: each entry where it is put
        layout.removeAt(i)
    entries = [(sample, label, _label_size(label, room - sample_px - SAMPLE_GAP))
               for sample, label in legend.items]
    rows = _rows(entries, room, sample_px, entry_gap, len(entries))
    if len(rows) > 1 and getattr(legend, "balanced", False):   # "0 … 4 / 5 … 9", not
        rows = _rows(entries, room, sample_px, entry_gap,      # "0 … 7 / 8 9"
                     -(-len(entries) // len(rows)))
    y = widest = 0.0
    for row in rows:
        height = max([sample_px] + [hint.height() for _s, _l, hint, _x in row])
        for sample, label, hint, left in row:
            sample.setGeometry(QRectF(left, y + (height - sample_px) / 2, sample_px, sample_px))
            label.setGeometry(QRectF(left + sample_px + SAMPLE_GAP, y + (height - hint.height()) / 2,
                                     hint.width(), hint.height()))
            widest = max(widest, left + sample_px + SAMPLE_GAP + hint.width())
        y += height
    legend.setGeometry(QRectF(0, 0, widest, y if legend.items else 0))


def _rows(entries: list[tuple], room: float, sample_px: float, entry_gap: float,
          most: int) -> list[list[tuple]]:
    """Entries (sample, label, size) in rows of at most ``most`` entries and
    ``room`` pixels, each entry as (sample, label, size, left)."""
    rows: list[list[tuple]] = [[]]
    x = 0.0
    for sample, label, hint in entries:
        width = sample_px + SAMPLE_GAP + hint.width()
        if rows[-1] and (x + entry_gap + width > room or len(rows[-1]) >= most):
            rows.append([])
            x = 0.0
        x += (entry_gap if rows[-1] else 0.0) + width
        rows[-1].append((sample, label, hint, x - width))
    return rows


def _label_size(label: pg.LabelItem, room: float) -> QSizeF:
    """A legend name's size on one line, or wrapped to ``room`` pixels when its
    line is longer (a long name on a narrow stage plot is never cut off)."""
    label.item.setTextWidth(-1)                      # its natural width first
    label.updateMin()
    hint = label.effectiveSizeHint(Qt.PreferredSize)
    if hint.width() > room:
        label.item.setTextWidth(max(room, 40.0))
        label.item.setTextWidth(np.ceil(label.item.document().idealWidth()) + 1)  # no slack
        label.updateMin()
        hint = label.effectiveSizeHint(Qt.PreferredSize)
    return hint


class LegendAbove(pg.LegendItem):
    """A legend in a row of its own above a plot's view, right-aligned: it never
    covers a curve (a loss curve starts at the top left, where a legend inside
    sits), a bar or a dot (the code space's digits fill their plot).  :meth:`fit`
    lays its entries out in rows as wide as the plot (:func:`flow_legend`) and
    gives the row above the view (under a title) its height, none while the
    legend is hidden; it runs when the view is resized."""

    above = True
    _top = 0.0                  # px above the legend: a title's row, or none
    _row = 0                    # the plot's layout row it takes (1: under a title)

    def _removeItemFromLayout(self, *items) -> None:        # noqa: N802 (pyqtgraph's name)
        """Entries placed by :func:`flow_legend` are not in the grid: put back in it
        first, so pyqtgraph's removal (``clear``) finds them (no "invalid index")."""
        for item in items:
            self.layout.addItem(item, self.layout.rowCount(), 0)
        super()._removeItemFromLayout(*items)

    def fit(self, *_args) -> None:
        item = self.parentItem()
        if not isinstance(item, pg.PlotItem):
            return
        flow_legend(self, item.width() - 8)
        height = self.height() + 2 if self.items and self.isVisible() else 0
        # a plot with a title (the Outputs tab's "pattern 1: x and y"): the row under
        # it, the hidden top axis's, so the legend never sits on the title either
        titled = item.titleLabel.isVisible()
        row, top = (1, item.layout.rowMinimumHeight(0)) if titled else (0, 0.0)
        if row != self._row and self._row == 1:       # a title gone: its row under it too
            item.layout.setRowFixedHeight(1, 0)
        self._row = row
        if abs(item.layout.rowMinimumHeight(row) - height) > 0.5:
            item.layout.setRowFixedHeight(row, height)
        if top != self._top:
            self._top = top
            self.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, 1 + top))


class DotSample(pg.ItemSample):
    """A legend's sample for a scatter of dots: one dot of the scatter's size and
    brush, centred in a square just larger than it (pyqtgraph's sample is 20 px
    wide whatever it shows, which spreads ten digit names over two rows)."""

    def boundingRect(self) -> QRectF:                       # noqa: N802 (Qt's name)
        side = self.item.opts["size"] + 2
        return QRectF(0, 0, side, side)

    def paint(self, painter, *_args) -> None:
        opts = self.item.opts
        side = opts["size"] + 2
        painter.translate(side / 2, side / 2)
        drawSymbol(painter, opts["symbol"], opts["size"], pg.mkPen(opts["pen"]),
                   pg.mkBrush(opts["brush"]))


class DotLegendAbove(LegendAbove):
    """The code space's label colours ("● 0  ● 1  …  ● 9") in a row of their own
    above the dots, wrapped to the plot's width: never over a dot, whatever the
    codes do.  Each dot grows with its name's text (presenter mode, Ctrl+=):
    half its line's height, 9 px at least."""

    entry_gap = 8                 # px between entries: ten digits in one row of a 1024-px window
    balanced = True               # rows of equal length: "0 … 4 / 5 … 9"

    def __init__(self, **options) -> None:
        super().__init__(sampleType=DotSample, **options)

    @property
    def sample_px(self) -> float:
        return max([sample.item.opts["size"] + 2 for sample, _label in self.items] or [SAMPLE_PX])

    def fit(self, *_args) -> None:
        # drawn once into pixmaps and copied after: the plot under it repaints at
        # every frame of training and the legend never changes meanwhile
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        for sample, label in self.items:
            label.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            if label.item.document().documentMargin() != 1:  # Qt's 4 px around "0": the ten
                label.item.document().setDocumentMargin(1)  # digits in one row at 1024 px
                label.updateMin()
            size = max(9, round(label.item.boundingRect().height() / 2))
            if sample.item.opts["size"] != size:
                sample.item.setSize(size)
                sample.prepareGeometryChange()
                sample.update()
        super().fit()
