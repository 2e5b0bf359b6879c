"""The diagram's columns: where each layer's neurons sit, the layer titles above
them ("input x (5)", "code h (tanh)", "output y (softmax)": one size for all, so
that no title looks more important for being shorter; the code's is set apart by
colour and weight; a title too long for its column wraps before "=" or "(" instead
of shrinking every title), and the captions above and below the network."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
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


def title_forms(title: str) -> list[str]:
    """``title`` on one line, then wrapped before " = " or " (" (each break point,
    then all of them): "code h = hidden 2 (linear)" → …, "code h = hidden 2\n(linear)",
    "code h\n= hidden 2\n(linear)".  Joining the lines with spaces gives the title."""
    words = title.split(" ")
    breaks = [i for i, word in enumerate(words) if i and word[:1] in ("=", "(")]
    def wrapped(at: list[int]) -> str:
        return "".join(("\n" if i in at else " " if i else "") + word
                       for i, word in enumerate(words))
    forms = [title] + [wrapped([b]) for b in breaks]
    return forms + ([wrapped(breaks)] if len(breaks) > 1 else [])


class TitleItem(QGraphicsSimpleTextItem):
    """A layer title whose lines are each centred (a wrapped title reads as one)."""

    def paint(self, painter, option, widget=None) -> None:
        painter.setFont(self.font())
        painter.setPen(self.brush().color())
        painter.drawText(self.boundingRect(), int(Qt.AlignHCenter | Qt.AlignTop), self.text())


def make_header(net, layer: int, x: float, top: float, brush) -> QGraphicsSimpleTextItem:
    """The title item of column ``layer``, centred on ``x`` above ``top`` (scene
    units); its size and wrapping are set by :func:`size_headers`."""
    title = header_title(net, layer)
    text = TitleItem(title)
    text.setBrush(brush)
    text.setData(0, (x, top, layer == net.code_layer))     # where size_header puts it
    text.setData(1, title_forms(title))                    # the ways it may be written
    return text


def size_header(text: QGraphicsSimpleTextItem, px: float, form: int = 0) -> None:
    """Set ``text`` in ``px`` pixels (scene units), written its ``form``-th way
    (:func:`title_forms`), its last line 14 units above its column's top."""
    x, top, bold = text.data(0)
    font = QFont()
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    text.setFont(font)
    text.setText(text.data(1)[form])
    r = text.boundingRect()
    text.setPos(x - r.width() / 2, top - r.height() - 14)


def size_headers(headers: list[QGraphicsSimpleTextItem], px: float, widest: float) -> None:
    """Every title in one size, ``px``, each on as few lines as keep it at most
    ``widest`` wide (it never runs into the next column's title; of equal line
    counts the narrowest); only when even the narrowest way of some title is
    wider, all are set smaller so that it fits."""
    chosen = []
    for text in headers:
        measured = []                        # (lines, width, form) of each way to write it
        for form, title in enumerate(text.data(1)):
            size_header(text, px, form)
            measured.append((title.count("\n"), text.boundingRect().width(), form))
        fitting = [m for m in measured if m[1] <= widest]
        chosen.append(min(fitting)[2] if fitting else min(measured, key=lambda m: m[1])[2])
        size_header(text, px, chosen[-1])
    longest = max((t.boundingRect().width() for t in headers), default=0.0)
    if longest > widest:
        for text, form in zip(headers, chosen):
            size_header(text, px * widest / longest, form)
