"""The one confirmed "solved": every pattern reconstructed after each of HOLD
epochs in a row.

"Reconstructed" is :func:`aeviz.core.model.is_reconstructed`; a chaotic run
(learning rate 5 on the 5-2-5) is right on scattered epochs only, so one
reconstructed epoch proves nothing.  A run is *solved* at epoch E when every
pattern is reconstructed after epoch E and after each of the HOLD - 1 epochs
that follow; a run that ends inside such a streak is *not confirmed*.  The seed
study, the stop rule, the guided tasks and the stuck detector all use this.

:class:`Streak` is what a training session knows about it: the length of the
current streak (epochs in a row, ending at ``epoch``, after which every
pattern was reconstructed) and the epochs at which recent streaks broke before
reaching HOLD (flickers) or at which fewer patterns were reconstructed than
the epoch before (drops: full-batch descent at a sane rate seldom loses a
pattern it has learnt; a rate too high loses them again and again).  It travels with the trainer state (key ``"streak"``)
so that undo, rewind and the worker's copy keep it; a streak whose ``epoch`` is
not the state's epoch (weights trained by another path) counts as none.
"""

from __future__ import annotations

from dataclasses import dataclass

HOLD = 100          # epochs in a row a run must be reconstructed to count as solved
KEEP_FLICKERS = 64  # how many recent flicker epochs a streak remembers


@dataclass(frozen=True)
class Streak:
    """Epochs in a row (``count``) ending at ``epoch`` with every pattern
    reconstructed; ``patterns`` reconstructed at ``epoch``; the epochs at which
    the last streaks shorter than HOLD broke (``flickers``) and at which fewer
    patterns were reconstructed than the epoch before (``drops``), oldest
    first, at most KEEP_FLICKERS of each."""

    count: int = 0
    epoch: int = -1
    flickers: tuple[int, ...] = ()
    patterns: int = 0
    drops: tuple[int, ...] = ()

    def after(self, epoch: int, reconstructed: int, total: int) -> "Streak":
        """The streak once the state after ``epoch`` has been checked:
        ``reconstructed`` of ``total`` patterns (epochs are checked in order; a
        gap starts counting afresh)."""
        if epoch <= self.epoch:
            return self
        follows = epoch == self.epoch + 1
        count = self.count if follows else 0
        drops = self.drops
        if follows and reconstructed < self.patterns:
            drops = (drops + (epoch,))[-KEEP_FLICKERS:]
        if reconstructed == total:
            return Streak(count + 1, epoch, self.flickers, reconstructed, drops)
        flickers = self.flickers
        if 0 < count < HOLD:
            flickers = (flickers + (epoch,))[-KEEP_FLICKERS:]
        return Streak(0, epoch, flickers, reconstructed, drops)

    def at(self, epoch: int) -> int:
        """Epochs in a row reconstructed, ending at ``epoch`` (0 if this streak
        was not checked up to ``epoch``)."""
        return self.count if epoch == self.epoch else 0

    def confirmed(self, epoch: int) -> bool:
        """Solved (HOLD epochs in a row) and still reconstructed at ``epoch``."""
        return self.at(epoch) >= HOLD

    def flickers_since(self, epoch: int) -> int:
        """Streaks shorter than HOLD that broke after ``epoch``."""
        return sum(e > epoch for e in self.flickers)

    def drops_since(self, epoch: int) -> int:
        """Epochs after ``epoch`` that lost a reconstructed pattern."""
        return sum(e > epoch for e in self.drops)

    @staticmethod
    def fingerprint(params) -> tuple[float, float]:
        """(Σp, Σp²) of the weights the streak was checked on: a hand edit of a
        weight changes it, so an edited network has no streak."""
        import numpy as np
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.sum(params)), float(np.dot(params, params))

    def to_state(self) -> tuple:
        return (self.count, self.epoch, self.flickers, self.patterns, self.drops)

    @classmethod
    def from_state(cls, state: dict | None) -> "Streak":
        value = (state or {}).get("streak")
        if not value:
            return cls()
        count, epoch, flickers, patterns, drops = value
        return cls(int(count), int(epoch), tuple(int(e) for e in flickers), int(patterns),
                   tuple(int(e) for e in drops))
