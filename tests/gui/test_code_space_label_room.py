"""The code space's number labels sit beside their dots (r8 screenshot review):
in overcomplete-sparse after 800 epochs (range ±0.7) "3" and "4" covered their
own dots and "1", "2", "5" piled up, because the labels were placed for the
range shown before the new one was set.  Measured on screen from the items'
rects: each label's text (its QGraphicsTextItem without the document margin)
against every dot (a circle of the points' size) and every other label."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF

from .test_axis_labels_inside import settle
from .test_presenter import open_lesson


def text_rects(w) -> list[tuple[str, QRectF]]:
    """Each shown label's text as (text, rect in the view box's pixels)."""
    box = w.code_space.plot.getViewBox()
    out = []
    for label in w.code_space.code_labels.labels:
        text = label.textItem.toPlainText()
        if not text or not label.isVisible():
            continue
        margin = label.textItem.document().documentMargin()
        rect = label.textItem.boundingRect().adjusted(margin, margin, -margin, -margin)
        out.append((text, label.textItem.mapRectToItem(box, rect)))
    return out


def dot_centres(w) -> np.ndarray:
    box = w.code_space.plot.getViewBox()
    x, y = w.code_space.points.getData()
    return np.array([[p.x(), p.y()] for p in (box.mapFromView(QPointF(a, b))
                                               for a, b in zip(x, y))])


@pytest.mark.parametrize("preset, epochs", [("overcomplete-sparse", 800), ("train-5-2-5", 3000),
                                            ("encoder-8-3-8", 2000), ("denoising-bars", 300)])
def test_labels_cover_no_dot_and_no_other_label(qtbot, preset, epochs):
    w = open_lesson(qtbot, preset)
    w.controller.run_now(lambda session: session.advance(epochs), "Train", True)
    settle(w)
    rects = text_rects(w)
    assert rects
    radius = w.code_space.code_labels.point_px / 2
    for text, rect in rects:
        for i, (x, y) in enumerate(dot_centres(w)):
            near_x = min(max(x, rect.left()), rect.right())
            near_y = min(max(y, rect.top()), rect.bottom())
            assert np.hypot(x - near_x, y - near_y) >= radius - 0.5, (text, i + 1)
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            assert not ra.intersects(rb), (a, b)
