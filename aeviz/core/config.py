"""Training settings: loss, optimiser, sparsity, noise, seed.

Plain dataclasses with their valid ranges declared once (``RANGES``), used by
the file loader, the command line and the GUI's fields alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from aeviz.core.engine import losses as _losses, penalties as _penalties

LOSSES = tuple(_losses.LOSSES)          # the registered losses (losses.py)
OPTIMIZERS = ("sgd", "adam")
PENALTIES = tuple(_penalties.PENALTIES)   # ... and penalties (penalties.py)
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

    def get(self, name: str) -> object:
        """One setting by its name in :data:`SETTINGS` (``noise.level``)."""
        part, _, key = name.partition(".")
        value = getattr(self, part)
        return getattr(value, key) if key else value

    def with_setting(self, name: str, value: object) -> "TrainingConfig":
        """A copy with one setting (a name in :data:`SETTINGS`) changed, every
        other field as it was."""
        part, _, key = name.partition(".")
        if key:
            return replace(self, **{part: replace(getattr(self, part), **{key: value})})
        return replace(self, **{part: value})


# Every setting a control may change alone: name -> (what the undo step calls it,
# its type, its choices or range key).  ``noise.level``'s range depends on the kind.
SETTINGS: dict[str, tuple[str, type, object]] = {
    "learning_rate": ("learning rate", float, "learning_rate"),
    "optimizer": ("optimiser", str, OPTIMIZERS),
    "momentum": ("momentum", float, "momentum"),
    "batch_size": ("batch size", int, "batch_size"),
    "shuffle": ("shuffle", bool, None),
    "loss": ("loss", str, LOSSES),
    "weight_decay": ("weight decay", float, "weight_decay"),
    "seed": ("seed", int, "seed"),
    "sparsity.penalty": ("sparsity penalty", str, PENALTIES),
    "sparsity.weight": ("sparsity weight λ", float, "sparsity.weight"),
    "sparsity.target": ("sparsity target ρ", float, "sparsity.target"),
    "noise.kind": ("noise", str, NOISE_KINDS),
    "noise.level": ("noise level", float, "noise.level"),
    "beta": ("β", float, "beta"),
}


def noise_range(kind: str) -> str:
    """The range key of the noise level for a kind (a gaussian sigma, or a probability)."""
    return "noise.level.gaussian" if kind == "gaussian" else "noise.level"


def show_setting(name: str, value: object) -> str:
    """A setting's value as the undo step names it: ``0.02``, ``on``, ``full batch``."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if name == "batch_size" and value == 0:
        return "full batch"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def setting_problem(training: TrainingConfig, name: str, value: object) -> str | None:
    """Why ``value`` cannot be setting ``name`` of ``training`` (one sentence), or None."""
    if name not in SETTINGS:
        return f"there is no setting called {name!r}"
    label, kind, allowed = SETTINGS[name]
    if kind is bool:
        return None if isinstance(value, bool) else f"{label} is on or off"
    if kind is str:
        if value not in allowed:
            return f"{label} must be one of {', '.join(allowed)}, not {value!r}"
        if name == "noise.kind" and not in_range(noise_range(value), training.noise.level):
            return (f"a noise level of {training.noise.level:g} does not fit {value} noise "
                    f"({describe_range(noise_range(value))}); change the level first")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            kind is int and not isinstance(value, int)):
        return f"{label} must be a {'whole ' if kind is int else ''}number"
    key = noise_range(training.noise.kind) if name == "noise.level" else allowed
    if value != value or not in_range(key, value):
        return f"{label} must be a number {describe_range(key)}"
    return None
