"""The results of a seed study (:mod:`aeviz.core.measures.study`): each seed's
run (:class:`SeedRun`), the study (:class:`Study`: fractions, epochs to solve,
their histogram) and the published figures to compare with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Published figures to compare with (Ackley, Hinton & Sejnowski 1985, Boltzmann
# machine learning cycles, which are not backprop epochs): sizes -> sentence.
PUBLISHED = {
    (4, 2, 4): "Ackley, Hinton & Sejnowski (1985): all 250 runs solved, median 110 "
               "learning cycles (Boltzmann machine, not backprop).",
    (8, 3, 8): "Ackley, Hinton & Sejnowski (1985): 16 of 20 runs found all 8 codes, median "
               "1,570 learning cycles (Boltzmann machine, not backprop).",
}


STATUSES = ("solved", "not confirmed", "not finished", "stuck", "diverged")


@dataclass(frozen=True)
class SeedRun:
    """One seed's run.  ``status``: *solved* (every pattern reconstructed after
    epoch ``epochs`` and after each of the HOLD - 1 epochs that follow, all
    within the run), *not confirmed* (every pattern reconstructed from epoch
    ``epochs`` to the end of the run, fewer than HOLD epochs in a row), *not
    finished* (not solved, but the loss still falls), *stuck* (not solved and
    the loss is flat) or *diverged* (the weights blew up)."""

    seed: int
    status: str
    epochs: int               # the first epoch of the (unconfirmed) streak, else the epochs trained
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
    """The runs of a study (sorted by seed when it is complete).  While it runs,
    ``runs`` holds the seeds finished so far, ``planned`` all of them and
    ``epoch`` how far the seeds still training have got."""

    runs: list[SeedRun]
    max_epochs: int
    planned: int = 0
    epoch: int = 0

    @property
    def complete(self) -> bool:
        return len(self.runs) >= self.planned

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
        width = round_width((hi - lo) / bins)
        lo = (lo // width) * width                 # round edges: 400, 500, 600 …
        edges = lo + width * np.arange(-(-(hi - lo) // width) + 1)
        return np.histogram(e, bins=edges)[0], edges

    def with_status(self, status: str) -> list[SeedRun]:
        return [r for r in self.runs if r.status == status]

    def stuck(self) -> list[SeedRun]:
        """The runs that did not learn every pattern (stuck, not finished, diverged)."""
        return [r for r in self.runs if not r.solved]


def round_width(least: float) -> int:
    """The smallest whole 1, 2 or 5 × 10^k that is ≥ ``least`` (at least 1): bin
    widths and tick steps a reader can add up (437 → 500, 12 → 20, 0.3 → 1)."""
    if least <= 1:
        return 1
    power = 10 ** int(np.floor(np.log10(least)))
    for step in (1, 2, 5, 10):
        if step * power >= least:
            return int(step * power)
    return int(10 * power)
