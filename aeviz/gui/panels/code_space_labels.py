"""The code space's pattern labels: one bold number per pattern beside its point.

Codes equal at the tables' precision (3 decimals) share one label ("1,5"); any others,
however near, get their own, placed on screen without overlap by
:func:`aeviz.core.measures.labels.place_labels`, with a leader line from the point to
the label's nearest edge when a label had to be pushed away.  Placement is done in
screen pixels: for a view range (vx0..vx1, vy0..vy1) shown on a box of bw x bh pixels,
``px = (xy - (vx0, vy0)) * (bw / (vx1 - vx0), bh / (vy1 - vy0))``."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from aeviz.core.measures import labels as placing

LABEL_PT = 12               # the labels' point size at text scale 1


class CodeLabels:
    """The labels of up to MAX_LABELLED patterns on one plot, and their leader lines.

    ``labels[p]`` is pattern p's TextItem ("" when it shares its group's label),
    ``groups`` the patterns sharing each label, ``placements`` where each group's
    label sits (screen pixels, :class:`aeviz.core.measures.labels.Placement`)."""

    def __init__(self, plot: pg.PlotWidget, point_px: float) -> None:
        self.plot = plot
        self.point_px = point_px                   # the points' diameter on screen
        self.text_scale = 1.0                      # presenter mode and Ctrl+=/−
        self.labels: list[pg.TextItem] = []
        self.groups: list[list[int]] = []
        self.placements: list = []
        self.names: list[str] = []                 # what each pattern's label says
        self.visible = True
        self._leaders: pg.PlotCurveItem | None = None
        self._last: tuple | None = None            # (xy, extent, codes) last placed
        # placed in screen pixels: a new range (set after the codes moved, or a zoom)
        # places them again (placed for the old ±2 range, overcomplete-sparse's labels
        # sat on their dots once it showed ±0.7)
        plot.getViewBox().sigRangeChanged.connect(self._on_range_changed)

    def rebuild(self, n: int, names: list[str] | None = None) -> None:
        """One label per pattern (n patterns; 0: none), saying ``names[p]`` (default:
        the pattern numbers "1" … "n"; see :func:`aeviz.core.measures.labels.point_names`)."""
        for item in self.labels:
            self.plot.removeItem(item)
        self.labels = []
        self._last = None
        self.names = list(names) if names is not None else [str(p + 1) for p in range(n)]
        for p in range(n):
            label = pg.TextItem(self.names[p], color="k", anchor=(-0.3, 1.1))
            font = label.textItem.font()
            font.setPointSizeF(LABEL_PT * self.text_scale)
            font.setBold(True)
            label.setFont(font)
            label.setZValue(12)                 # above every point: never hidden by one
            self.plot.addItem(label)
            self.labels.append(label)

    def set_visible(self, on: bool) -> None:
        self.visible = on
        for label in self.labels:
            label.setVisible(on)
        if self._leaders is not None:
            self._leaders.setVisible(on)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = scale
        for label in self.labels:
            font = label.textItem.font()
            font.setPointSizeF(LABEL_PT * scale)
            label.setFont(font)

    def _on_range_changed(self, *_args) -> None:
        if self._last is not None:
            self.place(*self._last)

    def place(self, xy: np.ndarray, extent, codes: np.ndarray) -> None:
        """Label the points ``xy`` (n, 2; plane coordinates) of the codes ``codes``
        (n, c) on the plot, whose view shows ``extent`` (x0, x1, y0, y1) until it is
        laid out."""
        if not self.labels or len(xy) != len(self.labels):
            return                                 # no labels, or codes of other patterns
        self._last = (xy, extent, codes)
        self.groups = placing.same_code_groups(codes)
        box = self.plot.getViewBox()
        (vx0, vx1), (vy0, vy1) = box.viewRange()
        if not (box.width() > 10 and box.height() > 10):      # not shown yet: a nominal box
            x0, x1, y0, y1 = extent
            (vx0, vx1), (vy0, vy1) = (x0, x1), (y0, y1)
        bw, bh = (box.width(), box.height()) if box.width() > 10 else (300.0, 300.0)
        scale = np.array([bw / max(vx1 - vx0, 1e-12), bh / max(vy1 - vy0, 1e-12)])
        origin = np.array([vx0, vy0])
        px = (xy - origin) * scale
        texts = [",".join(self.names[p] for p in group) for group in self.groups]
        metrics = QFontMetricsF(self.labels[0].textItem.font())
        sizes = [(metrics.horizontalAdvance(t) + 4, metrics.height()) for t in texts]
        placed = placing.place_labels(px[[g[0] for g in self.groups]], sizes, px,
                                      radius=self.point_px / 2)
        leaders = []
        for group, text, where in zip(self.groups, texts, placed):
            label = self.labels[group[0]]
            _set_text(label, text)
            label.setAnchor((0.5, 0.5))
            label.setPos(*(np.array(where.center) / scale + origin))
            for p in group[1:]:
                _set_text(self.labels[p], "")
                self.labels[p].setPos(*xy[p])
            if where.leader:                   # from the point to the label's nearest edge
                left, bottom, right, top = where.rect()
                a = np.array(where.anchor)
                edge = np.array([min(max(a[0], left), right), min(max(a[1], bottom), top)])
                leaders += [a / scale + origin, edge / scale + origin]
        self.placements = placed
        if self._leaders is None:
            self._leaders = pg.PlotCurveItem(pen=pg.mkPen((60, 60, 60), width=1),
                                             connect="pairs")
            self._leaders.setZValue(11)
            self.plot.addItem(self._leaders)
        pts = np.array(leaders).reshape(-1, 2)
        self._leaders.setData(pts[:, 0], pts[:, 1])
        self._leaders.setVisible(self.visible)

    def texts(self) -> list[str]:
        """What the labels say, in pattern order ("" for a pattern labelled with others)."""
        return [label.textItem.toPlainText() for label in self.labels]


def _set_text(label: pg.TextItem, text: str) -> None:
    if label.textItem.toPlainText() != text:         # a new text re-lays it out
        label.setText(text)
