"""Reconstruction losses: one object each, in a registry (TensorFlow
Playground's ``nn.ts`` style; the penalties on the code, and ``check_compatible``
which applies both registries' rules, are in :mod:`aeviz.core.engine.penalties`).
Every object holds its value, its gradient (as the compiled NumPy calls the
trainer runs), the rule saying which networks it fits, and the sentence the
Explain panel shows.  A name that is not registered is an error: nothing falls
through to a default.

Adding a loss is one class below, decorated with ``@register_loss``; the
settings, the file loader, the trainers and Explain pick it up from here, and
``tests/core/test_loss_registry.py`` checks its gradient against finite
differences and PyTorch.

Shapes: x (targets) and y (outputs) are (..., B, n_L); z is the output layer's
pre-activation; a leading axis holds seeds in the engine with S seeds.  Each
loss value equals its PyTorch counterpart with default reduction:

- ``cross_entropy`` + softmax:  mean_p  -sum_i x_pi log y_pi      (CrossEntropyLoss on z)
- ``cross_entropy`` + sigmoid:  mean_pi -[x log y + (1-x) log(1-y)]  (BCELoss, logs >= -100)
- ``mse``:                      mean_pi (y - x)^2                  (MSELoss)
- ``euclidean``:                mean_p ||y_p - x_p||_2             (the article's d(x, y))
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from aeviz.core.engine import activations as act
from aeviz.core.numbers import number


Op = Callable[[], object]


class ConfigError(ValueError):
    """Settings that do not fit the network; the message is one sentence."""


# --- losses -----------------------------------------------------------------------------

class Loss:
    """A reconstruction loss L(x, y).  Subclasses define ``value``, ``delta_ops``
    and ``explain``; ``check`` refuses output layers it does not fit."""

    name = ""

    def check(self, out_activation: str) -> None:
        """Raise ConfigError if the loss is not defined for this output layer."""

    def value(self, out_activation: str, z: np.ndarray, y: np.ndarray,
              x: np.ndarray) -> np.ndarray:
        """L averaged over the patterns (and units, per the module docstring): a
        number for (B, n), one per seed for (S, B, n)."""
        raise NotImplementedError

    def delta_ops(self, out_activation: str, y: np.ndarray, x: np.ndarray, s: np.ndarray,
                  d: np.ndarray, z: np.ndarray, scratch: np.ndarray, row: np.ndarray,
                  targets_sum_to_one: bool) -> list[Op]:
        """Calls writing dL/dz at the output layer into ``d`` (like y); ``s`` holds
        sum_i x_i per pattern, ``scratch`` is like z, ``row`` is (..., B, 1)."""
        raise NotImplementedError

    def formula(self, out_activation: str) -> str:
        """The loss's name and formula, one sentence (no value: shown also while a
        prediction hides the numbers)."""
        raise NotImplementedError

    def explain(self, out_activation: str, x: np.ndarray, y: np.ndarray,
                z: np.ndarray | None) -> str:
        """:meth:`formula` and the loss's value for one pattern x (n,) with output y."""
        raise NotImplementedError

    def gradient(self, out_activation: str, z: np.ndarray, x: np.ndarray) -> np.ndarray:
        """dL/dz for a batch z, x (B, n), by the very calls the trainer runs."""
        z, x = np.array(z, dtype=float), np.asarray(x, dtype=float)
        y = act.evaluate(out_activation, z)
        d, row = np.empty_like(z), np.empty((len(z), 1))
        s = x.sum(axis=1, keepdims=True)
        for op in self.delta_ops(out_activation, y, x, s, d, z, np.empty_like(z), row,
                                 bool(np.all(s == 1.0))):
            op()
        return d


LOSSES: dict[str, Loss] = {}


def register_loss(cls: type[Loss]) -> type[Loss]:
    LOSSES[cls.name] = cls()
    return cls


def loss_for(name: str) -> Loss:
    try:
        return LOSSES[name]
    except KeyError:
        raise ConfigError(f"unknown loss {name!r}; the losses are {', '.join(LOSSES)}") from None


@register_loss
class CrossEntropy(Loss):
    """Softmax: -sum_i x_i log y_i, dL/dz = (y sum_i x_i - x) / B (fused with the
    softmax).  Sigmoid: binary cross-entropy, dL/dz = (y - x) / (B n)."""

    name = "cross_entropy"

    def check(self, out_activation: str) -> None:
        if out_activation not in ("softmax", "sigmoid"):
            raise ConfigError(
                f"cross-entropy needs a softmax or sigmoid output layer, not {out_activation}; "
                "choose mse or euclidean, or change the output activation")

    def value(self, out_activation, z, y, x):
        if out_activation == "softmax":
            m = z.max(axis=-1, keepdims=True)
            lse = m[..., 0] + np.log(np.exp(z - m).sum(axis=-1))   # log sum_j exp z_j
            # -sum_i x_i (z_i - lse) = lse * sum_i x_i - x . z
            return _mean_rows(lse * x.sum(axis=-1) - np.einsum("...ij,...ij->...i", x, z))
        # log sigmoid(z) = -softplus(-z), log (1 - sigmoid(z)) = -softplus(z), with
        # softplus(v) = max(v, 0) + log(1 + e^-|v|): one exp and one log1p for both
        # (np.logaddexp(0, +-z) computes them twice, ~5x slower on the 1,797 digits)
        # (in place: three arrays, not twelve, for the 1,797 digits' 115,008 outputs;
        # the same operations in the same order, so the same bits)
        tail = np.abs(z)
        np.negative(tail, out=tail)
        np.exp(tail, out=tail)
        np.log1p(tail, out=tail)
        log_y = np.negative(z)
        np.maximum(log_y, 0.0, out=log_y)
        log_y += tail
        np.negative(log_y, out=log_y)
        np.maximum(log_y, -100.0, out=log_y)                        # log sigmoid(z)
        log_1my = np.maximum(z, 0.0)
        log_1my += tail
        np.negative(log_1my, out=log_1my)
        np.maximum(log_1my, -100.0, out=log_1my)                    # log (1 - sigmoid(z))
        log_y *= x                                                  # x log y
        np.subtract(1.0, x, out=tail)
        tail *= log_1my                                             # (1 - x) log (1 - y)
        log_y += tail
        return -_mean_all(log_y)

    def delta_ops(self, out_activation, y, x, s, d, z, scratch, row, targets_sum_to_one):
        B, count = d.shape[-2], d.shape[-2] * d.shape[-1]
        if out_activation == "softmax":      # (y * sum_i x_i - x) / B
            ops = [] if targets_sum_to_one else [partial(np.multiply, y, s, out=d)]
            ops.append(partial(np.subtract, d if ops else y, x, out=d))
            return ops + [partial(np.multiply, d, 1.0 / B, out=d)]
        return [partial(np.subtract, y, x, out=d),         # sigmoid + BCE
                partial(np.multiply, d, 1.0 / count, out=d)]

    def formula(self, out_activation):
        if out_activation != "softmax":
            return ("Binary cross-entropy: L = −mean[x log y + (1 − x) log(1 − y)] over the "
                    "outputs.")
        return "Cross-entropy: L = −Σ x log y."

    def explain(self, out_activation, x, y, z):
        if out_activation != "softmax":
            if z is not None:
                value = float(self.value(out_activation, z[None], y[None], x[None]))
            else:
                yc = np.clip(y, 1e-12, 1 - 1e-12)
                value = float(-np.mean(x * np.log(yc) + (1 - x) * np.log(1 - yc)))
            return f"{self.formula(out_activation)} For this pattern L = {number(value)}."
        if z is not None:
            m = z.max()
            log_y = z - (m + np.log(np.exp(z - m).sum()))          # log softmax(z), stable
        else:
            log_y = np.log(np.maximum(y, np.finfo(float).tiny))
        terms = [(xi, yi, li) for xi, yi, li in zip(x, y, log_y) if xi != 0]
        if not terms:
            return (f"{self.formula(out_activation)} This input is all zero, so every term "
                    "x log y is 0 and L = 0.000.")
        value = -sum(xi * li for xi, _, li in terms)
        parts = " + ".join(f"{xi:g}·log {yi:.3f}" if 0.0005 <= yi < 0.9995 else
                           f"{xi:g}·({li:.1f})" if yi < 0.0005 else f"{xi:g}·({li:.2g})"
                           for xi, yi, li in terms[:4])
        parts += " + …" if len(terms) > 4 else ""
        text = (f"{self.formula(out_activation)} For this pattern L = −({parts}) = "
                f"{number(value)}.")
        if any(yi < 0.0005 for _, yi, _ in terms[:4]):
            text += (" (An output too small to show has its log y computed from the "
                     "output's weighted sums z, as the loss is: log yᵢ = zᵢ − log Σⱼ "
                     "exp zⱼ.)")
        return text


@register_loss
class MeanSquaredError(Loss):
    """mean (y - x)^2, dL/dy = 2 (y - x) / (B n), then through f'(z)."""

    name = "mse"

    def value(self, out_activation, z, y, x):
        diff = y - x
        return _mean_all(diff * diff)

    def delta_ops(self, out_activation, y, x, s, d, z, scratch, row, targets_sum_to_one):
        count = d.shape[-2] * d.shape[-1]
        return ([partial(np.subtract, y, x, out=d), partial(np.multiply, d, 2.0 / count, out=d)]
                + act.chain_ops(out_activation, z, y, d, scratch, row))

    def formula(self, out_activation):
        return "Mean squared error: L = mean (y − x)²."

    def explain(self, out_activation, x, y, z):
        value = float(np.mean((y - x) ** 2))
        return f"{self.formula(out_activation)} For this pattern L = {number(value)}."


@register_loss
class Euclidean(Loss):
    """mean_p ||y_p - x_p||, dL/dy_p = (y_p - x_p) / (||y_p - x_p|| B) (0 where y_p = x_p)."""

    name = "euclidean"

    def value(self, out_activation, z, y, x):
        diff = y - x
        return _mean_rows(np.sqrt(np.einsum("...ij,...ij->...i", diff, diff)))

    def delta_ops(self, out_activation, y, x, s, d, z, scratch, row, targets_sum_to_one):
        return ([partial(np.subtract, y, x, out=d),
                 partial(_scale_rows_by_inverse_norm, d, row, d.shape[-2])]
                + act.chain_ops(out_activation, z, y, d, scratch, row))

    def formula(self, out_activation):
        return "Euclidean loss: L = ‖x − y‖, the article's d(x, y)."

    def explain(self, out_activation, x, y, z):
        d = float(np.linalg.norm(x - y))
        return f"{self.formula(out_activation)} For this pattern L = {number(d)}."


def _mean_rows(v: np.ndarray):
    """Mean over the last axis: a float for one network, (S,) for seeds."""
    m = np.mean(v, axis=-1)
    return float(m) if np.ndim(m) == 0 else m


def _mean_all(v: np.ndarray):
    """Mean over the last two axes: a float for one network, (S,) for seeds."""
    return float(np.mean(v)) if v.ndim == 2 else np.mean(v, axis=(-2, -1))


def _scale_rows_by_inverse_norm(d: np.ndarray, row: np.ndarray, batch: int) -> None:
    """d_p <- d_p / (||d_p|| * batch), and 0 where d_p = 0 (euclidean loss)."""
    np.sqrt(np.einsum("...j,...j->...", d, d), out=row[..., 0])
    row *= batch
    np.divide(1.0, row, out=row, where=row > 0)
    row[row == 0] = 0.0
    d *= row


# --- the functions the trainers, the model and the loader call ----------------------------

def reconstruction_loss(loss: str, out_activation: str, z: np.ndarray,
                        y: np.ndarray, x: np.ndarray) -> float:
    """The loss L(x, y) averaged as in the module docstring."""
    return loss_for(loss).value(out_activation, z, y, x)


def distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d(x, y) = ||x_p - y_p||_2 for each pattern p, shape (batch,)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.linalg.norm(np.atleast_2d(y) - np.atleast_2d(x), axis=1)

