"""Which of the diagram's connections are drawn and how: a strength bucket and a
sign for each drawn one, every connection or (above ``MAX_DRAWN_EDGES``) the
strongest.  NumPy only, so a big network's styles are computed off the GUI
thread (:class:`~aeviz.gui.drawing.edges.EdgesItem` draws them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHADE_BUCKETS = 6            # distinct strengths (colour and width) per sign
MAX_DRAWN_EDGES = 20_000     # above this, a summary: the strongest connections only


@dataclass(frozen=True)
class EdgeStyles:
    """Which connections are drawn (indices into the values) and, for each of
    those, its strength bucket (0..SHADE_BUCKETS-1) and sign (-1, 0, 1)."""

    shown: np.ndarray
    bucket: np.ndarray
    sign: np.ndarray


def strongest(a: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest of ``a`` (in no order), as ``np.argpartition(a,
    len(a) - k)[-k:]`` picks them, but without partitioning millions of values: a
    threshold from every s-th value keeps about 2k candidates (all of the k largest
    are among them whenever at least k pass it, else the full partition runs)."""
    n = len(a)
    if k >= n:
        return np.arange(n)
    step = n // (20 * k)
    if step >= 2:
        sample = a[::step]
        m = min(len(sample), max(1, 2 * k // step))          # ~2k of n above the m-th largest
        threshold = np.partition(sample, len(sample) - m)[len(sample) - m]
        candidates = np.flatnonzero(a >= threshold)
        if len(candidates) >= k:
            return candidates[np.argpartition(a[candidates], len(candidates) - k)[-k:]]
    return np.argpartition(a, n - k)[-k:]


def edge_styles(values: np.ndarray, scale: float | None = None,
                summarised: bool | None = None) -> EdgeStyles:
    """The drawn connections' styles: every connection, or (``summarised``, default
    above MAX_DRAWN_EDGES) the MAX_DRAWN_EDGES strongest, found by one
    ``argpartition``; buckets are computed for the drawn ones only.  NumPy only:
    a big network's run off the GUI thread."""
    if summarised is None:
        summarised = len(values) > MAX_DRAWN_EDGES
    biggest = float(np.abs(values).max()) if values.size else 0.0
    scale = max(1.0, biggest) if scale is None else max(scale, 1e-12)
    if summarised:
        shown = strongest(np.abs(values), MAX_DRAWN_EDGES)
        picked = values[shown]
    else:
        shown, picked = np.arange(len(values)), values
    strength = np.clip(np.abs(picked) / scale, 0, 1)
    bucket = np.minimum((strength * SHADE_BUCKETS).astype(int), SHADE_BUCKETS - 1)
    return EdgeStyles(shown, bucket, np.sign(picked).astype(int))
