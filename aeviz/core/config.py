"""Training settings: loss, optimiser, sparsity, noise, seed.

Plain dataclasses with their valid ranges declared once (``RANGES``), used by
the file loader, the command line and the GUI's fields alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from aeviz.core import losses as _losses

LOSSES = tuple(_losses.LOSSES)          # the registered losses and penalties (losses.py)
OPTIMIZERS = ("sgd", "adam")
PENALTIES = tuple(_losses.PENALTIES)
NOISE_KINDS = ("none", "gaussian", "masking", "salt_pepper")

# name: (low, high, low_inclusive, high_inclusive)
RANGES: dict[str, tuple[float, float, bool, bool]] = {
    "learning_rate": (0.0, 1e6, True, True),
    "momentum": (0.0, 1.0, True, False),
    "batch_size": (0, 1_000_000, True, True),
    "weight_decay": (0.0, 1e6, True, True),
    "sparsity.weight": (0.0, 1e6, True, True),
    "sparsity.target": (0.0, 1.0, False, False),
    "noise.level": (0.0, 1.0, True, True),       # probabilities; gaussian sigma below
    "noise.level.gaussian": (0.0, 100.0, True, True),
    "seed": (0, 2**63 - 1, True, True),
    "beta": (0.0, 1e6, True, True),
}


def describe_range(key: str) -> str:
    """Human text for a range, e.g. ``between 0 and 1 (exclusive)``."""
    lo, hi, lo_in, hi_in = RANGES[key]
    left = "[" if lo_in else "("
    right = "]" if hi_in else ")"
    return f"in {left}{lo:g}, {hi:g}{right}"


def in_range(key: str, value: float) -> bool:
    lo, hi, lo_in, hi_in = RANGES[key]
    return (lo <= value if lo_in else lo < value) and (value <= hi if hi_in else value < hi)


@dataclass(frozen=True)
class Sparsity:
    """Omega(h) on the code h: ``l1`` weight * mean_p sum_j |h_pj|;
    ``kl`` weight * sum_j KL(target || mean_p m(h_pj))."""

    penalty: str = "none"
    weight: float = 0.0
    target: float = 0.05

    @property
    def active(self) -> bool:
        return self.penalty != "none" and self.weight > 0.0


@dataclass(frozen=True)
class Noise:
    """Corruption of the input for denoising: x' = corrupt(x), the loss compares
    g(f(x')) with the clean x."""

    kind: str = "none"
    level: float = 0.0

    @property
    def active(self) -> bool:
        return self.kind != "none" and self.level > 0.0


@dataclass(frozen=True)
class TrainingConfig:
    """Every setting of a training run (the file's ``training`` object)."""

    loss: str = "cross_entropy"
    learning_rate: float = 0.5
    optimizer: str = "sgd"
    momentum: float = 0.0
    batch_size: int = 0          # 0 = full batch
    shuffle: bool = True
    weight_decay: float = 0.0    # adds 1/2 * weight_decay * sum W^2 (weights only)
    sparsity: Sparsity = field(default_factory=Sparsity)
    noise: Noise = field(default_factory=Noise)
    seed: int = 0
    beta: float = 1.0            # weight of KL(N(mu, sigma^2) || N(0, I)) for a variational code

    def with_(self, **changes) -> "TrainingConfig":
        """A copy with some fields changed (``sparsity``/``noise`` take objects)."""
        return replace(self, **changes)
