"""The diagram's columns: where each layer's neurons sit, and the captions above
and below the network (the layer titles: :mod:`aeviz.gui.drawing.titles`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsSimpleTextItem

LAYER_GAP = 300.0          # horizontal distance between layers (scene units)
MAX_COLUMN = 440.0         # height the tallest layer may take


def column_positions(sizes: list[int]) -> tuple[list[np.ndarray], list[float], float]:
    """(centres, spacings, radius): the centres (n_k, 2) of each layer's neurons,
    each layer's vertical spacing (a small layer spreads out) and the common
    radius (from the tallest layer; it leaves room for the bias badge below)."""
    spacing = min(100.0, MAX_COLUMN / max(sizes))
    spacings = [min(140.0, MAX_COLUMN / max(n, 1), spacing * 2) for n in sizes]
    out = []
    for k, n in enumerate(sizes):
        ys = (np.arange(n) - (n - 1) / 2) * spacings[k]
        out.append(np.column_stack([np.full(n, k * LAYER_GAP), ys]))
    return out, spacings, spacing * 0.30


def caption_item(text: str, x: float, y: float, brush) -> QGraphicsSimpleTextItem:
    """A 20-px line of text at (x, y): the step-through's legend below the network,
    or the note above it that a big network's connections are summarised."""
    item = QGraphicsSimpleTextItem(text)
    font = QFont()
    font.setPixelSize(20)
    item.setFont(font)
    item.setBrush(brush)
    item.setPos(x, y)
    return item
