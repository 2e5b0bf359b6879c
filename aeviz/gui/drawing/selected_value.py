"""On stage the toolbar's value field is hidden: the selected connection's weight
is written on the diagram itself, in a box on the (highlighted) connection ("w = −0.426")."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QFont, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from aeviz.core.numbers import number
from aeviz.gui.drawing.diagram_items import minus
from aeviz.gui.window import colors

AT = 0.5                       # where on the connection the box sits (0: its start)


class SelectedValue(QGraphicsRectItem):
    """A box with the selected weight's value, over the connection from ``start`` to
    ``end`` (scene points), AT of the way from its start (halfway: clear of both
    neurons)."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(50)                      # over the connections and the neurons
        self.setPen(QPen(colors.ACCENT, 2))
        self.setBrush(QBrush(colors.PAPER))
        self.text = QGraphicsSimpleTextItem(self)
        self.text.setBrush(colors.INK)
        self.hide()

    def show_value(self, name: str, value: float, start: np.ndarray, end: np.ndarray,
                   px: float) -> None:
        """Write "``name`` = value" in ``px`` pixels (scene units) on the connection."""
        font = QFont()
        font.setPixelSize(max(6, round(px)))
        font.setBold(True)
        self.text.setFont(font)
        self.text.setText(f"{name} = {minus(number(value, 3))}")
        r = self.text.boundingRect()
        at = start + AT * (end - start)
        pad = px * 0.3
        self.setRect(at[0] - r.width() / 2 - pad, at[1] - r.height() / 2 - pad / 2,
                     r.width() + 2 * pad, r.height() + pad)
        self.text.setPos(QPointF(at[0] - r.width() / 2, at[1] - r.height() / 2))
        self.show()
