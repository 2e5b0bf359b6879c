"""A legend laid out as text flows (the loss plot's legend above its curve):
each entry, its line sample then its name, after the one before while the row
has room, else on a new row; a name longer than the row wraps.  pyqtgraph's own
grid cannot do this (see :func:`flow_legend`)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtWidgets import QGraphicsItem

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
    layout = legend.layout
    for i in range(layout.count() - 1, -1, -1):      # no grid: each entry where it is put
        layout.removeAt(i)
    rows: list[list[tuple]] = [[]]
    x = 0.0
    for sample, label in legend.items:
        hint = _label_size(label, room - SAMPLE_PX - SAMPLE_GAP)
        width = SAMPLE_PX + SAMPLE_GAP + hint.width()
        if rows[-1] and x + ENTRY_GAP + width > room:
            rows.append([])
            x = 0.0
        x += (ENTRY_GAP if rows[-1] else 0.0) + width
        rows[-1].append((sample, label, hint, x - width))
    y = widest = 0.0
    for row in rows:
        height = max([SAMPLE_PX] + [hint.height() for _s, _l, hint, _x in row])
        for sample, label, hint, left in row:
            sample.setGeometry(QRectF(left, y + (height - SAMPLE_PX) / 2, SAMPLE_PX, SAMPLE_PX))
            label.setGeometry(QRectF(left + SAMPLE_PX + SAMPLE_GAP, y + (height - hint.height()) / 2,
                                     hint.width(), hint.height()))
            widest = max(widest, left + SAMPLE_PX + SAMPLE_GAP + hint.width())
        y += height
    legend.setGeometry(QRectF(0, 0, widest, y if legend.items else 0))


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


class GridLegend(pg.LegendItem):
    """pyqtgraph's legend in its grid (the code space's label colours, 2 columns),
    sized to its entries' preferred sizes.

    pyqtgraph's ``updateSize`` adds up the sizes the grid has stretched its
    entries to, so every call (each text-size change) made the legend taller:
    the digits' legend grew to fill its plot, each name floating above its dot.
    Here each column is as wide as its widest entry and each row as tall as its
    tallest (a name's text, or its 20 px sample), plus the layout's spacing and
    margins; samples and names are centred in their row.  A dot sample grows with
    its name's text (presenter mode, Ctrl+=): half its line's height, 9 px at least."""

    def updateSize(self) -> None:                            # noqa: N802 (pyqtgraph's name)
        # drawn once into pixmaps and copied after: the plot under it repaints at
        # every frame of training and the legend never changes meanwhile (its
        # background, samples and names cost ~1 ms a paint when drawn anew)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        for sample, label in self.items:
            sample.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            label.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            if isinstance(sample.item, pg.ScatterPlotItem):
                size = max(9, round(label.item.boundingRect().height() / 2))
                if sample.item.opts["size"] != size:
                    sample.item.setSize(size)
                    sample.update()
        layout = self.layout
        rows, cols = layout.rowCount(), layout.columnCount()
        widths, heights = [0.0] * cols, [0.0] * rows
        for r in range(rows):
            for c in range(cols):
                item = layout.itemAt(r, c)
                if item is not None:
                    hint = item.effectiveSizeHint(Qt.PreferredSize)
                    widths[c] = max(widths[c], hint.width())
                    heights[r] = max(heights[r], hint.height())
                    layout.setAlignment(item, Qt.AlignLeft | Qt.AlignVCenter)
        for r, h in enumerate(heights):                  # no row stretched past its entries
            layout.setRowFixedHeight(r, h)
        left, top, right, bottom = layout.getContentsMargins()
        width = sum(widths) + max(cols - 1, 0) * layout.horizontalSpacing() + left + right
        height = sum(heights) + max(rows - 1, 0) * layout.verticalSpacing() + top + bottom
        self.setGeometry(QRectF(0, 0, width, height) if self.items else QRectF())
