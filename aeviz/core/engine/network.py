"""The network: layer sizes, activations, weights and biases.

Layer 0 is the input; layers 1..L each have an activation.  For the layer pair
k -> k+1 the weights ``W[k]`` have shape (n_k, n_{k+1}) and the biases ``b[k]``
shape (n_{k+1},), so that z_{k+1} = a_k @ W[k] + b[k] and a_{k+1} = f(z_{k+1}).

All parameters live in one flat float64 vector ``params``.  Block k of it is the
bias-folded matrix P[k] of shape (n_k + 1, n_{k+1}): its first n_k rows are W[k],
its last row is b[k].  ``weights[k]`` and ``biases[k]`` are *views* into that
vector, so an optimiser updates every parameter in one NumPy call and the GUI's
edits land directly in what the engine trains.

A *variational* network (a VAE) has one more block at the end of ``params``:
``logvar_block`` (n_{c-1} + 1, n_c) for the code layer c.  The encoder then gives
for each code unit a mean mu = f(a_{c-1} W[c-1] + b[c-1]) (the block before the
code, with the code layer's activation) and a log-variance
log sigma^2 = a_{c-1} W_s + b_s (linear); training samples the code
z = mu + sigma * eps, eps ~ N(0, I), and the decoder reads z.  ``forward`` (the
app's display, evaluation and the code space) uses the mean code z = mu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from aeviz.core.engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, evaluate

MIN_LAYERS, MAX_LAYERS = 1, 9       # layers after the input
MIN_UNITS, MAX_UNITS = 1, 1024      # units in any layer


class NetworkError(ValueError):
    """A network that aeviz cannot build; the message is one sentence."""


def check_structure(sizes: Sequence[int], activations: Sequence[str]) -> None:
    """Raise NetworkError unless sizes/activations describe a valid network."""
    if not MIN_LAYERS + 1 <= len(sizes) <= MAX_LAYERS + 1:
        raise NetworkError(
            f"a network needs {MIN_LAYERS} to {MAX_LAYERS} layers after the input, "
            f"not {len(sizes) - 1}")
    for i, n in enumerate(sizes):
        if not MIN_UNITS <= n <= MAX_UNITS:
            raise NetworkError(
                f"layer {i} has {n} units; each layer needs {MIN_UNITS} to {MAX_UNITS}")
    if sizes[-1] != sizes[0]:
        raise NetworkError(
            f"an autoencoder's output layer must have as many units as its input "
            f"({sizes[0]}), not {sizes[-1]}")
    if len(activations) != len(sizes) - 1:
        raise NetworkError("there must be one activation for each layer after the input")
    for i, name in enumerate(activations, start=1):
        last = i == len(sizes) - 1
        allowed = ACTIVATIONS if last else HIDDEN_ACTIVATIONS
        if name not in allowed:
            where = "the output layer" if last else f"hidden layer {i}"
            raise NetworkError(
                f"activation {name!r} is not allowed on {where}; use one of "
                + ", ".join(allowed))


def glorot_uniform(sizes: Sequence[int], rng: np.random.Generator) -> list[np.ndarray]:
    """Weights W[k] ~ U(-r, r), r = sqrt(6 / (n_k + n_{k+1})) (Glorot & Bengio 2010)."""
    out = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        r = np.sqrt(6.0 / (n_in + n_out))
        out.append(rng.uniform(-r, r, size=(n_in, n_out)))
    return out


@dataclass(eq=False)
class Network:
    """Sizes, activations and the flat parameter vector (see module docstring)."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    params: np.ndarray  # flat float64, length sum_k (n_k + 1) * n_{k+1} (+ the log-variance block)
    variational: bool = False

    def __post_init__(self) -> None:
        self.sizes = tuple(int(n) for n in self.sizes)
        self.activations = tuple(self.activations)
        check_structure(self.sizes, self.activations)
        if self.variational and len(self.sizes) < 3:
            raise NetworkError("a variational code needs a hidden code layer")
        expected = self.param_count(self.sizes, self.variational)
        if self.params.shape != (expected,):
            raise NetworkError(f"expected {expected} parameters, got {self.params.shape}")
        self.blocks = self.split(self.params)   # P[k], (n_k + 1, n_{k+1}) views
        self.weights = [p[:-1] for p in self.blocks]   # W[k], (n_k, n_{k+1}) views
        self.biases = [p[-1] for p in self.blocks]     # b[k], (n_{k+1},) views
        self.logvar_block = self.split_logvar(self.params)   # (n_{c-1} + 1, n_c) or None

    # --- construction -------------------------------------------------------
    @staticmethod
    def code_index(sizes: Sequence[int]) -> int:
        """The code layer of a network of these sizes (see ``code_layer``)."""
        hidden = list(sizes[1:-1])
        return len(sizes) - 1 if not hidden else 1 + int(np.argmin(hidden))

    @staticmethod
    def param_count(sizes: Sequence[int], variational: bool = False) -> int:
        count = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
        if variational:
            c = Network.code_index(sizes)
            count += (sizes[c - 1] + 1) * sizes[c]
        return count

    @classmethod
    def create(cls, sizes: Sequence[int], activations: Sequence[str],
               weights: Sequence[np.ndarray] | None = None,
               biases: Sequence[np.ndarray] | None = None,
               rng: np.random.Generator | None = None,
               variational: bool = False,
               logvar: np.ndarray | None = None) -> "Network":
        """Build a network; missing weights come from Glorot-uniform with ``rng``,
        missing biases are zero.  A variational network's log-variance block
        ``logvar`` (rows W_s, last row b_s) is 0 when not given: sigma = 1."""
        sizes = tuple(int(n) for n in sizes)
        check_structure(sizes, activations)
        net = cls(sizes, tuple(activations), np.zeros(cls.param_count(sizes, variational)),
                  variational)
        if weights is None:
            if rng is None:
                raise NetworkError("weights were not given and no generator to draw them")
            weights = glorot_uniform(sizes, rng)
        for k, w in enumerate(weights):
            net.weights[k][...] = w
        if biases is not None:
            for k, b in enumerate(biases):
                net.biases[k][...] = b
        if logvar is not None and net.logvar_block is not None:
            net.logvar_block[...] = logvar
        return net

    def fresh(self, seed: int) -> "Network":
        """The same shape with new initial weights: Glorot-uniform drawn from
        ``default_rng(seed)``, zero biases (Reset weights, the seed study and
        ``aeviz train --seed`` all start this way); a variational code starts at
        log sigma^2 = 0."""
        return Network.create(self.sizes, self.activations, rng=np.random.default_rng(seed),
                              variational=self.variational)

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views of a vector laid out like ``params`` (e.g. a gradient) as the
        bias-folded blocks P[k], each (n_k + 1, n_{k+1}): rows W[k], last row b[k]."""
        out, start = [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (n_in + 1) * n_out
            out.append(flat[start:stop].reshape(n_in + 1, n_out))
            start = stop
        return out

    def split_logvar(self, flat: np.ndarray) -> np.ndarray | None:
        """The log-variance block's view of a vector laid out like ``params``."""
        if not self.variational:
            return None
        c = self.code_layer
        start = self.param_count(self.sizes)
        return flat[start:].reshape(self.sizes[c - 1] + 1, self.sizes[c])

    @property
    def all_weights(self) -> list[np.ndarray]:
        """Every weight matrix (views), the log-variance block's too: what weight
        decay acts on (biases excluded)."""
        extra = [] if self.logvar_block is None else [self.logvar_block[:-1]]
        return self.weights + extra

    def copy(self) -> "Network":
        return Network(self.sizes, self.activations, self.params.copy(), self.variational)

    def with_variational(self, on: bool) -> "Network":
        """The same weights with the code made variational (log sigma^2 = 0) or plain."""
        if on == self.variational:
            return self.copy()
        head = self.params[:self.param_count(self.sizes)]
        net = Network(self.sizes, self.activations,
                      np.zeros(self.param_count(self.sizes, on)), on)
        net.params[:head.size] = head
        return net

    # --- structure ----------------------------------------------------------
    @property
    def depth(self) -> int:
        """Number of layers after the input (L)."""
        return len(self.sizes) - 1

    @property
    def code_layer(self) -> int:
        """Index of the code layer: the smallest hidden layer (the first if tied).

        A network with no hidden layer has no code; then the output layer is
        returned, so that "the code" is at least defined.
        """
        return self.code_index(self.sizes)

    @property
    def code_size(self) -> int:
        return self.sizes[self.code_layer]

    @property
    def is_undercomplete(self) -> bool:
        """The code has fewer units than the input."""
        return self.code_size < self.sizes[0]

    # --- maths --------------------------------------------------------------
    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Forward pass for inputs x of shape (batch, n_0) or (n_0,).

        Returns (zs, activations): ``activations[k]`` is a_k for k = 0..L (a_0 = x)
        and ``zs[k]`` is the pre-activation z_k (``zs[0]`` is x itself).
        """
        a = np.atleast_2d(np.asarray(x, dtype=float))
        zs, acts = [a], [a]
        with np.errstate(over="ignore", invalid="ignore"):   # overflow shows as inf
            for k, name in enumerate(self.activations):
                z = a @ self.weights[k] + self.biases[k]
                a = evaluate(name, z)
                zs.append(z)
                acts.append(a)
        return zs, acts

    def logvar(self, x: np.ndarray) -> np.ndarray:
        """log sigma^2 of the code for inputs x, (batch, code_size) (variational only)."""
        a = self.forward(x)[1][self.code_layer - 1]
        with np.errstate(over="ignore", invalid="ignore"):
            return a @ self.logvar_block[:-1] + self.logvar_block[-1]

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """The decoder alone: outputs y for code values h (batch, code_size) set by
        hand (decode here, walks between codes, samples from the prior)."""
        a = np.atleast_2d(np.asarray(codes, dtype=float))
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(self.code_layer, self.depth):
                a = evaluate(self.activations[k], a @ self.weights[k] + self.biases[k])
        return a

    def output(self, x: np.ndarray) -> np.ndarray:
        """y = g(f(x)), shape (batch, n_L)."""
        return self.forward(x)[1][-1]

    def code(self, x: np.ndarray) -> np.ndarray:
        """h = f(x), the code layer's activation, shape (batch, code_size)."""
        return self.forward(x)[1][self.code_layer]
