"""The diagram's layer titles above each column ("input x (5)", "code h (tanh)",
"output y (softmax)"): one size for all of them, so that no title looks more
important for being shorter (the code's title is set apart by colour and weight)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsSimpleTextItem


def header_title(net, layer: int) -> str:
    """The title of column ``layer`` (0: the input, net.depth: the output)."""
    if layer == 0:
        return f"input x ({net.sizes[0]})"
    if layer == net.depth:
        return f"output y ({net.activations[-1]})"
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
