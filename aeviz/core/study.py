"""The classic experiment: train the same network from many seeds and count how
often it learns to reconstruct every pattern, and how fast.

Each run starts from fresh Glorot-uniform weights drawn with its seed (biases
0) and the lesson's settings, and is checked after every epoch.  It is *solved*
at epoch E when every pattern is reconstructed at E and stays so for HOLD epochs
(or to the end of the run): a chaotic run that is right on scattered epochs
only (a flicker) is not solved.  A run that is not solved within ``max_epochs``
is *stuck* if its loss has stopped falling, else *not finished*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from aeviz.core.model import Model, evaluate, shared_codes
from aeviz.core.trainer import Trainer

# Published figures to compare with (Ackley, Hinton & Sejnowski 1985, Boltzmann
# machine learning cycles, which are not backprop epochs): sizes -> sentence.
PUBLISHED = {
    (4, 2, 4): "Ackley, Hinton & Sejnowski (1985): all 250 runs solved, median 110 "
               "learning cycles (Boltzmann machine, not backprop).",
    (8, 3, 8): "Ackley, Hinton & Sejnowski (1985): 16 of 20 runs found all 8 codes, median "
               "1,570 learning cycles (Boltzmann machine, not backprop).",
}


HOLD = 100             # epochs a run must stay reconstructed to count as solved
FLAT_WINDOW = 300      # a run is stuck if its loss fell by less than
FLAT_TOLERANCE = 0.01  # this fraction over the last FLAT_WINDOW epochs (as the window's detector)
STATUSES = ("solved", "not finished", "stuck", "diverged")


@dataclass(frozen=True)
class SeedRun:
    """One seed's run.  ``status``: *solved* (every pattern reconstructed at
    ``epochs`` and every epoch after it, for HOLD epochs or to the end of the
    run), *not finished* (not solved, but the loss still falls), *stuck* (not
    solved and the loss is flat) or *diverged* (the weights blew up)."""

    seed: int
    status: str
    epochs: int               # the epoch it was solved at, else the epochs trained
    distinct_codes: int       # codes that differ at 3 decimals, at the end
    loss: float
    flickers: int = 0         # reconstructed streaks that did not last (chaotic runs)

    @property
    def solved(self) -> bool:
        return self.status == "solved"

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"


@dataclass(frozen=True)
class Study:
    runs: list[SeedRun]
    max_epochs: int

    @property
    def fraction_solved(self) -> float:
        return sum(r.solved for r in self.runs) / len(self.runs)

    @property
    def epochs_to_solve(self) -> list[int]:
        return sorted(r.epochs for r in self.runs if r.solved)

    @property
    def median_epochs(self) -> float | None:
        e = self.epochs_to_solve
        return float(np.median(e)) if e else None

    def histogram(self, bins: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(counts, bin edges) of the epochs needed by the solved runs; the edges
        are whole epochs and a bin is never narrower than one epoch."""
        e = np.array(self.epochs_to_solve or [0])
        lo, hi = int(e.min()), int(e.max()) + 1
        width = max(1, -(-(hi - lo) // bins))
        edges = lo + width * np.arange(-(-(hi - lo) // width) + 1)
        return np.histogram(e, bins=edges)[0], edges

    def with_status(self, status: str) -> list[SeedRun]:
        return [r for r in self.runs if r.status == status]

    def stuck(self) -> list[SeedRun]:
        """The runs that did not learn every pattern (stuck, not finished, diverged)."""
        return [r for r in self.runs if not r.solved]


def run_seed(model: Model, seed: int, max_epochs: int,
             cancelled: Callable[[], bool] = lambda: False) -> SeedRun:
    """One run (see the module docstring), checked after every epoch with the
    app's one definition of "reconstructed"; ``cancelled`` is polled before every
    epoch (an epoch of a 10 x 1024 network takes a tenth of a second: Stop must
    not wait for 64 of them) and ends the run early."""
    net = model.network.fresh(seed)
    config = model.training.with_(seed=seed)
    data = model.data()
    trainer = Trainer(net, config, data)
    losses = np.full(FLAT_WINDOW + 1, np.nan)        # the last FLAT_WINDOW + 1 epochs
    streak, flickers = None, 0
    while trainer.epoch < max_epochs:
        if cancelled():
            break
        if trainer.run_guarded(1, check_every=1) is not None:
            ev = evaluate(net, config, data)
            return SeedRun(seed, "diverged", trainer.epoch, len(shared_codes(ev.codes)),
                           ev.loss, flickers)
        ev = evaluate(net, config, data)
        losses[trainer.epoch % len(losses)] = ev.loss + ev.penalty
        if ev.reconstructed.all():
            streak = trainer.epoch if streak is None else streak
            if trainer.epoch - streak + 1 >= HOLD:
                break
        elif streak is not None:
            streak, flickers = None, flickers + 1
    ev = evaluate(net, config, data)
    codes = len(shared_codes(ev.codes))
    if streak is not None:
        return SeedRun(seed, "solved", streak, codes, ev.loss, flickers)
    then = losses[(trainer.epoch - FLAT_WINDOW) % len(losses)]
    now = losses[trainer.epoch % len(losses)]
    flat = (trainer.epoch >= FLAT_WINDOW and np.isfinite(then)
            and then - now <= FLAT_TOLERANCE * abs(then))
    return SeedRun(seed, "stuck" if flat else "not finished", trainer.epoch, codes, ev.loss,
                   flickers)


def run_study(model: Model, seeds: Sequence[int], max_epochs: int,
              progress: Callable[[int, int], None] | None = None) -> Study:
    runs = []
    for i, seed in enumerate(seeds):
        runs.append(run_seed(model, seed, max_epochs))
        if progress is not None:
            progress(i + 1, len(seeds))
    return Study(runs, max_epochs)
