"""The classic experiment: train the same network from many seeds and count how
often it learns to reconstruct every pattern, and how fast.

Each run starts from fresh Glorot-uniform weights drawn with its seed (biases
0) and the lesson's settings; it stops when every pattern is reconstructed, when
the weights blow up, or after ``max_epochs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from aeviz.core.model import Model, evaluate, shared_codes
from aeviz.core.network import Network
from aeviz.core.trainer import Trainer

# Published figures to compare with (Ackley, Hinton & Sejnowski 1985, Boltzmann
# machine learning cycles, which are not backprop epochs): sizes -> sentence.
PUBLISHED = {
    (4, 2, 4): "Ackley, Hinton & Sejnowski (1985): all 250 runs solved, median 110 "
               "learning cycles (Boltzmann machine, not backprop).",
    (8, 3, 8): "Ackley, Hinton & Sejnowski (1985): 16 of 20 runs found all 8 codes, median "
               "1,570 learning cycles (Boltzmann machine, not backprop).",
}


@dataclass(frozen=True)
class SeedRun:
    seed: int
    solved: bool
    epochs: int               # when solved, else the epochs trained
    distinct_codes: int       # codes that differ to 1 decimal at the end
    loss: float
    diverged: bool


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
        """(counts, bin edges) of the epochs needed by the solved runs."""
        e = self.epochs_to_solve or [0]
        return np.histogram(e, bins=bins, range=(0, max(max(e), 1)))

    def stuck(self) -> list[SeedRun]:
        return [r for r in self.runs if not r.solved]


def run_seed(model: Model, seed: int, max_epochs: int, check_every: int = 10,
             cancelled: Callable[[], bool] = lambda: False) -> SeedRun:
    """One run (see the module docstring); ``cancelled`` is polled every
    ``check_every`` epochs and ends the run early."""
    net0 = model.network
    net = Network.create(net0.sizes, net0.activations, rng=np.random.default_rng(seed))
    config = model.training.with_(seed=seed)
    data = model.data()
    trainer = Trainer(net, config, data)
    solved = diverged = False
    while trainer.epoch < max_epochs and not cancelled():
        if trainer.run_guarded(min(check_every, max_epochs - trainer.epoch)) is not None:
            diverged = True
            break
        if evaluate(net, config, data).reconstructed.all():
            solved = True
            break
    ev = evaluate(net, config, data)
    return SeedRun(seed, solved, trainer.epoch, len(shared_codes(ev.codes)), ev.loss, diverged)


def run_study(model: Model, seeds: Sequence[int], max_epochs: int,
              progress: Callable[[int, int], None] | None = None) -> Study:
    runs = []
    for i, seed in enumerate(seeds):
        runs.append(run_seed(model, seed, max_epochs))
        if progress is not None:
            progress(i + 1, len(seeds))
    return Study(runs, max_epochs)
