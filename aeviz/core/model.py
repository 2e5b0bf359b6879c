"""A model: everything an .aeviz file holds (network, training settings, dataset,
name and lesson text), and the evaluation of a network on its dataset."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aeviz.core.config import TrainingConfig
from aeviz.core.files.datasets import Dataset
from aeviz.core.engine.losses import distances, reconstruction_loss
from aeviz.core.engine.network import Network
from aeviz.core.engine.penalties import sparsity_penalty, vae_kl, weight_decay_penalty


@dataclass(eq=False)
class Model:
    """One autoencoder lesson: what is saved, loaded and trained."""

    network: Network
    training: TrainingConfig = field(default_factory=TrainingConfig)
    dataset: Dataset = field(default_factory=Dataset)
    name: str = "Untitled"
    description: str = ""              # the lesson text shown when opened
    extra: dict = field(default_factory=dict)   # unknown keys from the file, kept
    guide: tuple = ()                  # the guided lesson's steps (aeviz.core.guides.guide.Step)

    def copy(self) -> "Model":
        return Model(self.network.copy(), self.training, self.dataset, self.name,
                     self.description, dict(self.extra), self.guide)

    def data(self) -> np.ndarray:
        return self.dataset.matrix()


def default_model() -> Model:
    """The article's 5-2-5: tanh code, softmax output, Glorot weights from seed 0."""
    config = TrainingConfig()
    net = Network.create([5, 2, 5], ["tanh", "softmax"],
                         rng=np.random.default_rng(config.seed))
    return Model(net, config, Dataset.one_hot(5), "Train the 5-2-5")


@dataclass(frozen=True)
class Evaluation:
    """A network on clean inputs x (P, n_0): codes h, outputs y and scores."""

    codes: np.ndarray          # (P, code_size)
    outputs: np.ndarray        # (P, n_L)
    errors: np.ndarray         # d(x_p, y_p) = ||x_p - y_p||, (P,)
    reconstructed: np.ndarray  # bool (P,)
    loss: float                # reconstruction loss, no penalties
    penalty: float             # Omega(h) + weight decay

    @property
    def accuracy(self) -> float:
        return float(self.reconstructed.mean())

    @property
    def mean_error(self) -> float:
        return float(self.errors.mean())


MARGIN = 1e-3     # "reconstructed" must be visible at the 3 decimals the tables show


def is_reconstructed(x: np.ndarray, y: np.ndarray, out_activation: str,
                     margin: float = MARGIN) -> np.ndarray:
    """The one definition of "reconstructed", shape (P,) bool.

    softmax output: the target's unit (argmax x) is the unique largest output by
    more than ``margin`` (a tie, as in the article's network where y1 == y5, is
    not a reconstruction).  Other outputs: every y_i lies on x_i's side of 0.5
    by more than ``margin``, i.e. |y_i - x_i| < 0.5 - margin.

    x, y: (P, n), or (S, P, n) for S seeds at once (then (S, P))."""
    x, y = np.atleast_2d(x), np.atleast_2d(y)
    if out_activation == "softmax":
        target = np.broadcast_to(x.argmax(axis=-1)[..., None], y.shape[:-1] + (1,))
        mine = np.take_along_axis(y, target, axis=-1)
        others = y.copy()
        np.put_along_axis(others, target, -np.inf, axis=-1)
        return (mine[..., 0] - others.max(axis=-1, initial=-np.inf)) > margin
    return np.all(_target_side(x, y, margin), axis=-1)


class ReconstructedCount:
    """:func:`is_reconstructed` for one fixed set of patterns ``x`` (P, n),
    prepared once: ``count(y)`` is how many of the P outputs y are reconstructed
    (an output that is not finite never is).  A few NumPy calls, no allocation
    beyond small temporaries: the training session checks every epoch with it."""

    def __init__(self, x: np.ndarray, out_activation: str, margin: float = MARGIN) -> None:
        self.x = np.atleast_2d(np.asarray(x, dtype=float))
        self.softmax, self.margin = out_activation == "softmax", margin
        self.rows = np.arange(len(self.x))
        self.target = self.x.argmax(axis=1)
        self.tmp = np.empty_like(self.x)

    def count(self, y: np.ndarray) -> int:
        if self.softmax:
            np.copyto(self.tmp, y)
            mine = self.tmp[self.rows, self.target]
            self.tmp[self.rows, self.target] = -np.inf
            ok = mine - self.tmp.max(axis=1, initial=-np.inf) > self.margin
        else:
            np.subtract(y, self.x, out=self.tmp)
            np.abs(self.tmp, out=self.tmp)
            ok = (self.tmp < 0.5 - self.margin).all(axis=1)
        return int(ok.sum())


def _target_side(x: np.ndarray, y: np.ndarray, margin: float) -> np.ndarray:
    """Which outputs lie on their target's side of 0.5 by more than ``margin``."""
    return np.abs(y - x) < 0.5 - margin


def wrong_units(x: np.ndarray, y: np.ndarray, margin: float = MARGIN) -> list[int]:
    """The output units on the wrong side of 0.5 for target ``x`` (one pattern, (n,)):
    |y_i - x_i| >= 0.5 - margin.  None wrong is "reconstructed" for outputs that are
    not softmax (see :func:`is_reconstructed`)."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    return [int(i) for i in np.flatnonzero(~_target_side(x, y, margin))]


def winners(y: np.ndarray, margin: float = MARGIN) -> list[int]:
    """The output units within ``margin`` of the largest (more than one: a tie)."""
    y = np.asarray(y, dtype=float)
    return [int(i) for i in np.flatnonzero(y >= y.max() - margin)]


CODE_DECIMALS = 3      # codes equal to this many decimals are "the same code"


def shared_codes(codes: np.ndarray, decimals: int = CODE_DECIMALS) -> list[list[int]]:
    """Patterns grouped by code (rounded to ``decimals``), in order of first
    appearance; a group of more than one means those patterns share a code.
    The one definition of "shares a code" used by the table, the stuck
    detector and the seed study."""
    rounded = np.round(np.atleast_2d(np.asarray(codes, dtype=float)), decimals) + 0.0
    n = len(rounded)                                              # + 0.0 above: -0 -> 0
    if n < 2:
        return [[p] for p in range(n)]
    # equal codes have equal bits (NaN aside: a code with a NaN equals no other, as a
    # tuple key): sorted by their bits, a new code starts where the bits change
    nan = np.isnan(rounded).any(axis=1)
    keep = np.flatnonzero(~nan)
    bits = np.ascontiguousarray(rounded[keep]).view(np.int64)
    order = np.lexsort(bits.T[::-1])                   # stable: equal codes in pattern order
    step = np.any(bits[order[1:]] != bits[order[:-1]], axis=1)
    if step.all():
        return [[p] for p in range(n)]                            # every code distinct
    label = np.empty(len(keep), dtype=np.intp)
    label[order] = np.concatenate([[0], np.cumsum(step)])
    first = keep[order[np.flatnonzero(np.concatenate([[True], step]))]]
    group_of = np.empty(n, dtype=np.intp)
    group_of[keep] = label
    group_of[nan] = len(first) + np.arange(n - len(keep))
    first = np.concatenate([first, np.flatnonzero(nan)])
    rank = np.empty(len(first), dtype=np.intp)        # groups in order of their first pattern
    rank[np.argsort(first)] = np.arange(len(first))
    group = rank[group_of]
    members = np.argsort(group, kind="stable").tolist()            # in pattern order
    ends = np.cumsum(np.bincount(group)).tolist()
    return [members[a:b] for a, b in zip([0] + ends[:-1], ends)]


def evaluate(net: Network, config: TrainingConfig, x: np.ndarray,
             forward: tuple[list[np.ndarray], list[np.ndarray]] | None = None) -> Evaluation:
    """Forward pass on clean inputs and every score the app and CLI show.
    ``forward``: ``net.forward(x)`` when it was computed already (a training
    process's reconstruction check of the same state), not computed again."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    with np.errstate(over="ignore", invalid="ignore"):   # huge weights: inf, not a warning
        return _evaluate(net, config, x, forward)


def penalty_name(net: Network, config: TrainingConfig) -> str:
    """What the penalty term of :func:`evaluate` holds, as the window names it:
    "Ω" (sparsity, weight decay), "β·KL" (a VAE's KL term alone) or "Ω + β·KL"."""
    other = config.weight_decay > 0 or (config.sparsity.active and net.code_layer < net.depth)
    if not net.variational:
        return "Ω"
    return "Ω + β·KL" if other else "β·KL"


def _evaluate(net: Network, config: TrainingConfig, x: np.ndarray,
              forward: tuple[list[np.ndarray], list[np.ndarray]] | None) -> Evaluation:
    zs, acts = net.forward(x) if forward is None else forward
    y, c = acts[-1], net.code_layer
    loss = reconstruction_loss(config.loss, net.activations[-1], zs[-1], y, x)
    penalty = weight_decay_penalty(config.weight_decay, net.all_weights)
    if config.sparsity.active and c < net.depth:
        penalty += sparsity_penalty(config.sparsity, net.activations[c - 1], acts[c])
    if net.variational:                  # the mean code is shown; the KL term is its cost
        penalty += config.beta * vae_kl(acts[c], net.logvar(x))
    errors = distances(x, y)
    # a pattern whose distance or loss is not a finite number is not reconstructed
    reconstructed = is_reconstructed(x, y, net.activations[-1]) & np.isfinite(errors)
    if not np.isfinite(loss):
        reconstructed[:] = False
    return Evaluation(acts[c], y, errors, reconstructed, loss, penalty)


def twin_units(net: Network, data: np.ndarray,
               tolerance: float = 1e-9) -> list[tuple[int, int]]:
    """For one-hot patterns (``data`` the identity): pairs (i, j), i < j, of
    patterns whose input units have identical outgoing weights and whose output
    units have identical incoming weights and biases (to ``tolerance``).  Such
    patterns are exchangeable: their codes are equal, their outputs tie, and
    gradient descent keeps the weights identical — only rounding error ever
    separates them (the article's ±1 net: patterns 1 and 5)."""
    first, last = net.blocks[0], net.blocks[-1]          # (n_0 + 1, n_1), (n_{L-1} + 1, n_L)
    n = net.sizes[0]
    if net.sizes[-1] != n or not np.array_equal(data, np.eye(n)):
        return []
    # one row per unit: its outgoing weights and its output unit's incoming weights and
    # bias; units whose rows agree after rounding to the tolerance are twins (O(n))
    decimals = int(round(-np.log10(tolerance)))
    with np.errstate(over="ignore", invalid="ignore"):     # weights near 1e308 (diverged)
        keys = np.round(np.hstack([first[:n], last.T]), decimals) + 0.0
    groups: dict[bytes, list[int]] = {}
    for i, row in enumerate(keys):
        groups.setdefault(row.tobytes(), []).append(i)
    return sorted((g[a], g[b]) for g in groups.values()
                  for a in range(len(g)) for b in range(a + 1, len(g)))


def twins_sentence(pairs: list[tuple[int, int]]) -> str:
    """"Patterns 1 and 5 have identical weights: ..." (empty without pairs)."""
    if not pairs:
        return ""
    names = "; ".join(f"{i + 1} and {j + 1}" for i, j in pairs)
    return (f"Patterns {names} have identical weights: they share a code and their outputs "
            "tie, and gradient descent keeps the weights identical — only rounding error "
            "separates them, after thousands of epochs. Change one of their weights by hand "
            "or use Reset weights.")
