"""The diagram's columns: where each layer's neurons sit, the layer titles above
them ("input x (5)", "code h (tanh)", "output y (softmax)": one size for all, so
that no title looks more important for being shorter; the code's is set apart by
colour and weight), and the captions above and below the network."""

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


def header_title(net, layer: int) -> str:
    """The title of column ``layer`` (0: the input, net.depth: the output)."""
    if layer == 0:
        return f"input x ({net.sizes[0]})"
    if layer == net.depth:
        return f"output y ({net.activations[-1]})"
    if layer == net.code_layer and net.depth > 2:   # hidden 1, hidden 2 = code h, hidden 3
        return f"code h = hidden {layer} ({net.activations[layer - 1]})"
    if layer == net.code_layer:
        return f"code h ({net.activations[layer - 1]})"
    return f"hidden {layer} ({net.activations[layer - 1]})"


def make_header(net, layer: int, x: float, top: float, brush) -> QGraphicsSimpleTextItem:
    """The title item of column ``layer``, centred on ``x`` above ``top`` (scene
    units); its size is set by :func:`size_headers`."""
    text = QGraphicsSimpleTextItem(header_title(net, layer))
    text.setBrush(brush)
    text.setData(0, (x, top, layer == net.code_layer))     # where size_header puts it
    return text


def size_header(text: QGraphicsSimpleTextItem, px: float) -> None:
    """Set ``text`` in ``px`` pixels (scene units), centred above its column."""
    x, top, bold = text.data(0)
    font = QFont()
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    text.setFont(font)
    r = text.boundingRect()
    text.setPos(x - r.width() / 2, top - r.height() - 14)


def size_headers(headers: list[QGraphicsSimpleTextItem], px: float, widest: float) -> None:
    """Every title in one size: ``px``, or less so that the longest title is at most
    ``widest`` wide (it never runs into the next column's title)."""
    for text in headers:
        size_header(text, px)
    longest = max((t.boundingRect().width() for t in headers), default=0.0)
    if longest > widest:
        for text in headers:
            size_header(text, px * widest / longest)
