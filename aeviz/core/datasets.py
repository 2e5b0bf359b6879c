"""Datasets: the patterns an autoencoder learns to reproduce, as a (P, n) array."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DATASET_KINDS = ("one_hot", "patterns")
MAX_PATTERNS = 100_000


@dataclass(frozen=True, eq=False)
class Dataset:
    """``one_hot``: the N unit vectors of size N; ``patterns``: explicit rows."""

    kind: str = "one_hot"
    size: int = 5
    rows: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))

    @classmethod
    def one_hot(cls, size: int) -> "Dataset":
        return cls("one_hot", int(size))

    @classmethod
    def patterns(cls, rows: np.ndarray) -> "Dataset":
        rows = np.array(rows, dtype=float, ndmin=2)
        return cls("patterns", rows.shape[1], rows)

    def matrix(self) -> np.ndarray:
        """The patterns x, shape (P, n), a fresh array."""
        if self.kind == "one_hot":
            return np.eye(self.size)
        return self.rows.copy()

    @property
    def width(self) -> int:
        return self.size

    def __len__(self) -> int:
        return self.size if self.kind == "one_hot" else len(self.rows)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Dataset) and self.kind == other.kind
                and self.size == other.size and np.array_equal(self.rows, other.rows))

    def to_dict(self) -> dict:
        if self.kind == "one_hot":
            return {"kind": "one_hot", "size": self.size}
        return {"kind": "patterns", "rows": self.rows.tolist()}
