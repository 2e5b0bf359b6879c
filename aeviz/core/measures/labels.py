"""Honest labels for the code space's points.

Two patterns share a label only when their codes are equal at the tables'
precision (3 decimals); codes that differ, however near, get labels of their
own, placed beside their points without overlapping one another (a leader line
joins a label pushed away from its point).  Pure functions of arrays: the panel
converts between plot and screen coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DECIMALS = 3                  # the tables' precision: codes equal here share a label

# directions tried around a point, in order of preference: upper right first
# (where the panel's labels have always sat), then right, up, and the others
_DIRECTIONS = [(1, 1), (1, 0), (0, 1), (-1, 1), (1, -1), (-1, 0), (0, -1), (-1, -1)]


def same_code_groups(codes: np.ndarray, decimals: int = DECIMALS) -> list[list[int]]:
    """Patterns whose codes are equal at ``decimals`` (each unit rounded), in
    order of their first member.  codes: (P, c).  [[0, 4], [1], [2], [3]]: the
    article's patterns 1 and 5 share the code (0.762, 0.762)."""
    codes = np.asarray(codes, float).reshape(len(codes), -1)
    rounded = np.round(codes, decimals) + 0.0          # -0.000 and 0.000 are one value
    groups: dict[tuple, list[int]] = {}
    for p, row in enumerate(rounded):
        groups.setdefault(tuple(row.tolist()), []).append(p)
    return list(groups.values())


def point_names(label_texts: list[str]) -> list[str]:
    """What each of P points is called: its pattern's label ("0" … "9" for the 5×7
    digits, where pattern 1 is the digit 0) when every pattern has one and no two
    share it, else its pattern number ("1" … "P").  label_texts: (P,) the labels
    as a student reads them, "" for none."""
    if all(label_texts) and len(set(label_texts)) == len(label_texts):
        return list(label_texts)
    return [str(p + 1) for p in range(len(label_texts))]


@dataclass(frozen=True)
class Placement:
    """One label: its centre (screen pixels), its size, the point it names, and
    whether it sits away from the point (draw a leader line)."""

    center: tuple[float, float]
    size: tuple[float, float]
    anchor: tuple[float, float]
    leader: bool

    def rect(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in the same (y up) coordinates as ``center``."""
        (cx, cy), (w, h) = self.center, self.size
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _overlap(a, b, gap: float = 1.0) -> bool:
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1]
                or b[3] + gap <= a[1])


def _covers_point(r, points: np.ndarray, radius: float) -> bool:
    if not len(points):
        return False
    x, y = points[:, 0], points[:, 1]
    return bool(np.any((x + radius > r[0]) & (x - radius < r[2]) &
                       (y + radius > r[1]) & (y - radius < r[3])))


def _own_point_nearest(center, anchor, points: np.ndarray) -> bool:
    """No other point is nearer the label's centre than its own: a label is
    never read as another point's."""
    own = float(np.hypot(center[0] - anchor[0], center[1] - anchor[1]))
    others = np.hypot(points[:, 0] - center[0], points[:, 1] - center[1])
    return bool(np.all(others >= own - 0.5))


def place_labels(anchors: np.ndarray, sizes: list[tuple[float, float]],
                 points: np.ndarray | None = None, radius: float = 6.0,
                 rings: int = 8) -> list[Placement]:
    """Place one label beside each anchor (screen pixels, y up), in order, so
    that no two labels overlap and none covers a point (``points``, drawn with
    ``radius``) nor sits nearer another point than its own.  Each label tries the eight places around its point, nearest
    first, then the same places further out (one label height per ring); a label
    not in the first ring gets a leader line.  If nothing is free within
    ``rings`` it takes the first place that overlaps no label (or else its first
    place), with a leader line.  anchors: (L, 2); sizes: (w, h) per label."""
    anchors = np.asarray(anchors, float).reshape(-1, 2)
    pts = np.asarray(points if points is not None else anchors, float).reshape(-1, 2)
    placed: list[Placement] = []
    for a, (w, h) in zip(anchors, sizes):
        choice, fallback = None, None
        for ring in range(rings):
            step = ring * (h + 2)
            for dx, dy in _DIRECTIONS:
                cx = a[0] + dx * (radius + 2 + step + w / 2)
                cy = a[1] + dy * (radius + 2 + step + h / 2)
                rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                free = not any(_overlap(rect, p.rect()) for p in placed)
                if free and fallback is None:
                    fallback = (cx, cy, ring)
                if free and not _covers_point(rect, pts, radius) and \
                        _own_point_nearest((cx, cy), a, pts):
                    choice = (cx, cy, ring)
                    break
            if choice is not None:
                break
        leader = choice is None               # a crowd: the line says whose label it is
        if choice is None:
            choice = fallback or (a[0] + radius + 2 + w / 2, a[1] + radius + 2 + h / 2, 0)
        cx, cy, ring = choice
        placed.append(Placement((float(cx), float(cy)), (float(w), float(h)),
                                (float(a[0]), float(a[1])), leader or ring > 0))
    return placed
