"""The Denoising view's comparison: does training *with* noise help?

The same start (the lesson's first weights) is trained the same number of
epochs with the same settings but no noise, and measured on the same kind of
noisy inputs as the lesson's network (:func:`aeviz.core.measures.analysis.recovery_rate`).
It trains through the training session (:class:`aeviz.core.lessons.session.TrainingSession`:
the same steps, divergence rule and clock as Play), on copies only, so it can
run on any thread; ``cancelled()`` is checked between chunks of about
``CHUNK_WORK`` multiply-adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aeviz.core.measures.analysis import recovery_rate
from aeviz.core.config import Noise, TrainingConfig
from aeviz.core.engine.network import Network
from aeviz.core.lessons.session import TrainingSession

DRAWS = 50                    # noisy draws per pattern (as the view's own rate)
RATE_SEED = 1                 # the same noisy inputs for both networks
CHUNK_WORK = 2_000_000        # parameters x patterns x epochs between two cancel checks
RECORD_EVERY = 100            # the loss row is only kept every 100th epoch (never shown)


@dataclass(frozen=True)
class ComparisonResult:
    """What the copy trained without noise reached."""

    epochs: int               # epochs it trained (fewer if it blew up)
    asked: int                # epochs it was asked to train (the lesson's)
    rate: float               # fraction of noisy inputs it reconstructs, 0..1
    diverged: bool = False

    def sentence(self) -> str:
        n = self.epochs
        if self.diverged:
            return (f"The same network trained from the same start without noise blew up "
                    f"(NaN or infinity) after epoch {n} of {self.asked}; its last finite "
                    f"weights recover {100 * self.rate:.0f} %.")
        return (f"The same network trained {n} epoch{'s' if n != 1 else ''} from the same "
                f"start without noise recovers {100 * self.rate:.0f} %.")


@dataclass(frozen=True)
class NoiseComparison:
    """A comparison to run: copies of everything it needs (safe on another thread)."""

    start: Network            # the lesson's first weights
    training: TrainingConfig  # the lesson's settings with the noise off
    data: np.ndarray          # (P, n_0) the clean patterns
    noise: Noise              # the noise both networks are measured on
    epochs: int               # as many epochs as the lesson has trained (at least 1)

    @classmethod
    def of(cls, lesson) -> "NoiseComparison":
        """The comparison for ``lesson`` (a :class:`aeviz.core.lessons.lesson.Lesson`) as it is now."""
        start = lesson.network.copy()
        np.copyto(start.params, lesson.snapshots.states[0]["params"])
        training = lesson.training
        return cls(start, training.with_(noise=Noise("none", 0.0)), lesson.data().copy(),
                   training.noise, max(lesson.epoch, 1))

    def run(self, cancelled: Callable[[], bool] = lambda: False,
            progress: Callable[[int, int], None] | None = None) -> ComparisonResult | None:
        """Train and measure; None if ``cancelled()`` turned true first.
        ``progress(done, epochs)`` after each chunk."""
        session = TrainingSession(self.start, self.training, self.data)
        work = max(self.start.params.size * len(self.data), 1)
        chunk = max(1, CHUNK_WORK // work)
        diverged = False
        while session.epoch < self.epochs:
            if cancelled():
                return None
            event = session.advance(min(chunk, self.epochs - session.epoch), RECORD_EVERY)
            if progress is not None:
                progress(session.epoch, self.epochs)
            if event is not None and event.kind == "diverged":
                diverged = True
                break
        if cancelled():
            return None
        net = session.trainer.net
        rate = recovery_rate(net, self.data, self.noise, np.random.default_rng(RATE_SEED), DRAWS)
        return ComparisonResult(session.epoch, self.epochs, rate, diverged)
