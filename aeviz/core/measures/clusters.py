"""How well a 2-D code separates labelled patterns: leave-one-out k-nearest-
neighbour accuracy, and PCA's best plane to compare with (the linear lesson's
idea at scale).  Measured once per question, never per frame: O(P²) memory in
blocks of rows."""

from __future__ import annotations

import numpy as np


def knn_accuracy(points: np.ndarray, labels: np.ndarray, k: int = 5,
                 block: int = 1024) -> float:
    """Leave-one-out k-NN accuracy of ``points`` (P, d) for ``labels`` (P,): the
    share of patterns whose k nearest other points (Euclidean) vote for their
    own label by majority (ties: the smallest label among the most votes).
    A chance level is about 1 / (number of labels)."""
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels, dtype=np.int64)
    p = len(points)
    if p <= k:
        raise ValueError(f"{p} patterns are too few for {k} neighbours")
    sq = (points * points).sum(axis=1)
    hits = 0
    for start in range(0, p, block):
        rows = slice(start, min(start + block, p))
        d = sq[rows, None] - 2 * points[rows] @ points.T + sq[None, :]
        d[np.arange(d.shape[0]), np.arange(rows.start, rows.stop)] = np.inf   # not itself
        near = np.argpartition(d, k, axis=1)[:, :k]
        votes = labels[near]                                           # (b, k)
        counts = np.zeros((len(votes), labels.max() + 1), dtype=np.int64)
        np.add.at(counts, (np.arange(len(votes))[:, None], votes), 1)
        hits += int((counts.argmax(axis=1) == labels[rows]).sum())
    return hits / p


def pca_projection(x: np.ndarray, dims: int = 2) -> np.ndarray:
    """The patterns x (P, n) projected on their ``dims`` largest principal
    components (P, dims): the best linear code of that size for the squared error."""
    centred = x - x.mean(axis=0)
    return centred @ np.linalg.svd(centred, full_matrices=False)[2][:dims].T


def pca_plane(x: np.ndarray) -> np.ndarray:
    """:func:`pca_projection` to 2 dimensions (P, 2)."""
    return pca_projection(x, 2)
