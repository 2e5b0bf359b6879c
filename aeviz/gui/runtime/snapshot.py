"""What a run in progress sends the GUI thread to show (from a training thread
or a training process alike)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of what the display needs from a run in progress."""

    run: int                 # which run sent it (stale ones are dropped)
    epoch: int
    params: np.ndarray
    rows_start: int          # history rows from this index on ...
    rows: np.ndarray         # ... (n, 4), since the previous snapshot
    stuck: str | None        # the stuck detector's sentence (checked about once a second)
    streak: tuple = ()       # the run's reconstruction streak (aeviz.core.measures.solved.Streak state)
    values: dict | None = None   # derived values of this state, computed by the worker
    training: object = None      # the settings (TrainingConfig) ``values`` were computed with

