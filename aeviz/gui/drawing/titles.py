"""The diagram's layer titles above its columns ("input x (5)", "code h (tanh)",
"output y (softmax)"): one size for all, so that no title looks more important
for being shorter; the code's is set apart by colour and weight.  A title wraps
before "=" or "(" only when on one line it would come closer than TITLE_GAP (an em)
to a neighbour's title; an outer title, which has a neighbour on one side only, first
slides outwards a little.  Only when even the narrowest ways collide are all set
smaller."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSimpleTextItem

from aeviz.gui.drawing.columns import LAYER_GAP

HEADER_PX = 22.0           # a layer's title (scene units), at least MIN_LABEL_PX on screen
TITLE_GAP = 1.0            # the least room between two neighbouring titles, in ems (× px)
SLIDE = 0.25               # an outer title may sit off its column's centre by this of its width


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


def _ways(text: QGraphicsSimpleTextItem, px: float) -> list[tuple[int, float, int]]:
    """(lines − 1, width, form) of each way to write ``text`` in ``px`` that is
    narrower than every way with fewer or as many lines (the ways worth trying,
    from one line on)."""
    measured = []
    for form, title in enumerate(text.data(1)):
        size_header(text, px, form)
        measured.append((title.count("\n"), text.boundingRect().width(), form))
    ways = []
    for way in sorted(measured):
        if not ways or way[1] < ways[-1][1]:
            ways.append(way)
    return ways


def size_headers(headers: list[QGraphicsSimpleTextItem], px: float,
                 pitch: float = LAYER_GAP) -> None:
    """Every title in one size, ``px``, on one line unless it would come closer
    than TITLE_GAP ems to a neighbour's title (the columns' centres ``pitch`` apart; an
    outer title may slide outwards by up to SLIDE of its width for it, still over
    its column): of two titles that collide the wider takes its next way (more
    lines, or as many and narrower) until none collide.  Only when even the
    narrowest ways collide are all set smaller, so that they fit."""
    n, gap = len(headers), TITLE_GAP * px
    ways = [_ways(text, px) for text in headers]
    level = [0] * n

    def width(i: int) -> float:
        return ways[i][level[i]][1]

    def excess(i: int, scale: float = 1.0) -> float:
        """How far titles i and i + 1 (at ``scale``) overlap the room they have."""
        slide = SLIDE * scale * sum(width(j) for j in {0, n - 1} & {i, i + 1})
        return scale * (width(i) + width(i + 1)) / 2 - slide - (pitch - gap)

    while True:
        movable = next((p for p in ([j for j in (i, i + 1) if level[j] + 1 < len(ways[j])]
                                    for i in range(n - 1) if excess(i) > 0) if p), None)
        if movable is None:
            break
        level[max(movable, key=width)] += 1
    shrink = 1.0
    for i in range(n - 1):             # the scale at which even the narrowest ways fit
        if excess(i) > 0:
            outer = SLIDE * sum(width(j) for j in {0, n - 1} & {i, i + 1})
            shrink = min(shrink, (pitch - gap) / ((width(i) + width(i + 1)) / 2 - outer))
    for text, way, chosen in zip(headers, ways, level):
        size_header(text, px * shrink, way[chosen][2])
    if n > 1:                          # the outer titles slide out as far as they must
        for i, outer, sign in ((0, 0, -1), (n - 2, n - 1, 1)):
            inner = [t.boundingRect().width() for t in (headers[i], headers[i + 1])]
            overlap = sum(inner) / 2 - (pitch - gap)
            if overlap > 0:
                share = 1.0 if n > 2 else 0.5      # two columns: both titles slide
                headers[outer].moveBy(sign * overlap * share, 0)


class LayerTitles:
    """The titles of a diagram's columns: built with its scene, sized with its
    labels, recoloured with the theme (never rebuilt for it)."""

    def __init__(self) -> None:
        self.items: list[QGraphicsSimpleTextItem] = []

    def build(self, scene: QGraphicsScene, net, xs: list[float], top: float, ink, accent) -> None:
        """One title per column, centred on ``xs`` above ``top`` (the scene's items
        were cleared with it: the old titles are gone)."""
        self.items = []
        for layer, x in enumerate(xs):
            text = make_header(net, layer, x, top, accent if layer == net.code_layer else ink)
            self.items.append(text)
            scene.addItem(text)
        self.size(HEADER_PX)

    def size(self, px: float) -> None:
        size_headers(self.items, px)

    def top(self) -> float:
        """The highest title's top edge (scene units)."""
        return min(t.sceneBoundingRect().top() for t in self.items)

    def set_ink(self, ink) -> None:
        for text in self.items:
            if not text.data(0)[2]:              # the code's title keeps its accent
                text.setBrush(ink)
