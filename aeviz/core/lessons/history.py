"""What a training run leaves behind: the loss curve and rewind snapshots.

``LossHistory`` keeps (epoch, objective, loss, penalty) rows in growing NumPy
buffers (doubled when full), so 10^6 epochs cost 32 MB and appending is O(1).
``Snapshots`` keeps trainer states for rewinding at a bounded cost: when full it
drops every other snapshot of its older half, so recent epochs stay dense and
old ones thin out roughly logarithmically.  "Full" is at most ``capacity``
snapshots *and* at most ``max_bytes`` of arrays (weights, optimiser state), so
a 1024-1024-1024 network (~34 MB a snapshot with SGD) keeps a few, not 1,000.
"""

from __future__ import annotations

import bisect

import numpy as np


class LossHistory:
    COLUMNS = ("epoch", "objective", "loss", "penalty")

    def __init__(self, capacity: int = 1024) -> None:
        self._data = np.empty((capacity, 4))
        self.size = 0
        self.low = 0            # the fewest rows since creation or copy (see truncate)

    def append(self, epoch: int, loss: float, penalty: float) -> None:
        if self.size == len(self._data):
            grown = np.empty((2 * len(self._data), 4))
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        self._data[self.size] = (epoch, loss + penalty, loss, penalty)
        self.size += 1

    def column(self, name: str) -> np.ndarray:
        """A read-only view of one column (valid until the next append)."""
        view = self._data[:self.size, self.COLUMNS.index(name)]
        view.flags.writeable = False
        return view

    def truncate_after(self, epoch: int) -> None:
        """Forget rows after ``epoch`` (when training continues from a rewind)."""
        self.truncate(int(np.searchsorted(self._data[:self.size, 0], epoch, side="right")))

    def truncate(self, size: int) -> None:
        """Keep the first ``size`` rows; ``low`` remembers the fewest rows kept."""
        self.size = min(self.size, size)
        self.low = min(self.low, self.size)

    def rows(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """A copy of rows [start, stop), shape (n, 4) in COLUMNS order."""
        return self._data[start:self.size if stop is None else min(stop, self.size)].copy()

    def extend(self, rows: np.ndarray) -> None:
        """Append rows of shape (n, 4) as returned by :meth:`rows`."""
        n = len(rows)
        if self.size + n > len(self._data):
            grown = np.empty((max(2 * len(self._data), self.size + n), 4))
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        self._data[self.size:self.size + n] = rows
        self.size += n

    def copy(self) -> "LossHistory":
        """An independent copy (``low`` starts at its size)."""
        new = LossHistory(max(1024, self.size))
        new.extend(self.rows())
        new.low = new.size
        return new

    def thinned(self, max_points: int = 4000) -> dict[str, np.ndarray]:
        """Copies of the columns, at most ``max_points`` rows (the last one kept)."""
        n = self.size
        stride = max(1, -(-n // max_points))
        idx = np.arange(0, n, stride)
        if n and idx[-1] != n - 1:            # (not np.unique: it imports numpy.ma, 0.1 s
            idx = np.r_[idx, n - 1]           # on the GUI thread at the first frame)
        return {c: self.column(c)[idx].copy() for c in self.COLUMNS}

    def __len__(self) -> int:
        return self.size


MAX_SNAPSHOT_BYTES = 256 * 2**20
MIN_SNAPSHOTS = 4          # the start, and a few recent states, whatever their size


def state_bytes(value) -> int:
    """Bytes of the NumPy arrays in a (nested) trainer state."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(state_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(state_bytes(v) for v in value)
    return 0


class Snapshots:
    """Trainer states by epoch, at most ``capacity`` of them and at most
    ``max_bytes`` of arrays (but always ``MIN_SNAPSHOTS``)."""

    def __init__(self, capacity: int = 1000, max_bytes: int | None = None) -> None:
        self.capacity = max(MIN_SNAPSHOTS, capacity)
        self.max_bytes = MAX_SNAPSHOT_BYTES if max_bytes is None else max_bytes
        self.epochs: list[int] = []
        self.states: list[dict] = []

    def limit(self) -> int:
        """How many snapshots fit: the count cap, or fewer for big states."""
        if not self.states:
            return self.capacity
        size = max(1, state_bytes(self.states[-1]))
        return max(MIN_SNAPSHOTS, min(self.capacity, self.max_bytes // size))

    def nbytes(self) -> int:
        return sum(state_bytes(s) for s in self.states)

    def add(self, state: dict) -> None:
        epoch = state["epoch"]
        if self.epochs and epoch <= self.epochs[-1]:
            self.truncate_after(epoch - 1)
        self.epochs.append(epoch)
        self.states.append(state)
        while len(self.epochs) > self.limit():
            half = len(self.epochs) // 2
            keep = list(range(0, half, 2)) + list(range(half, len(self.epochs)))
            self.epochs = [self.epochs[i] for i in keep]
            self.states = [self.states[i] for i in keep]

    def copy(self) -> "Snapshots":
        """A copy of the lists (the states themselves are never mutated: shared)."""
        new = Snapshots(self.capacity, self.max_bytes)
        new.epochs, new.states = list(self.epochs), list(self.states)
        return new

    def at_or_before(self, epoch: int) -> dict | None:
        i = bisect.bisect_right(self.epochs, epoch) - 1
        return self.states[i] if i >= 0 else None

    def truncate_after(self, epoch: int) -> None:
        i = bisect.bisect_right(self.epochs, epoch)
        del self.epochs[i:], self.states[i:]

    def __len__(self) -> int:
        return len(self.epochs)
