"""Data sets shipped with aeviz (``resources/data``), read once and kept.

``digits-8x8``: the UCI "Optical Recognition of Handwritten Digits" test set
(Alpaydin & Kaynak 1998, CC BY 4.0; the copy scikit-learn distributes, see
``resources/data/README.md``): 1,797 pictures of 8x8 grey levels 0..16, each
with its digit.  As a Dataset: rows x = grey / 16 in [0, 1], shape (1797, 64),
image (8, 8), labels (1797,) the digits 0..9.  Nothing is downloaded.
"""

from __future__ import annotations

import gzip

import numpy as np

FILES = {"digits-8x8": ("digits-8x8.csv.gz", (8, 8), 16.0)}


def read_digits(raw: bytes, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(rows / scale, labels) from the gzip CSV: each line the pixels then the label."""
    table = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",",
                       dtype=np.int64)
    return table[:, :-1] / scale, table[:, -1]


def read_shipped(name: str) -> tuple[np.ndarray, np.ndarray, tuple[int, int], tuple[str, ...]]:
    """(rows (P, n) in [0, 1], labels (P,), image (h, w), label names) of the shipped
    set ``name`` (a key of FILES); :func:`aeviz.core.files.datasets.builtin_dataset` makes
    the Dataset once."""
    from aeviz.paths import resource      # stdlib-only helper
    file, image, scale = FILES[name]
    rows, labels = read_digits(resource("data", file).read_bytes(), scale)
    return rows, labels, image, tuple(str(k) for k in range(10))
