"""Activation functions, each next to its derivative (TensorFlow Playground style).

The trainer runs a fixed list of NumPy calls per step, so each activation is
given here as a list of zero-argument calls ("ops") writing into preallocated
arrays.  Shapes: z, a, g are (batch, units), or (seeds, batch, units) for the
engine with S seeds; ``row`` is a (..., batch, 1) scratch.  Reductions run over the
last axis, so both shapes give the same numbers row by row.

    linear   a = z                         da/dz = 1
    tanh     a = tanh z                    da/dz = 1 - a^2
    sigmoid  a = 1 / (1 + e^-z)            da/dz = a (1 - a)
             (computed as (1 + tanh(z/2)) / 2, which never overflows)
    relu     a = max(z, 0)                 da/dz = [z > 0]
    softmax  a_i = e^(z_i - m) / sum_j e^(z_j - m), m = max_j z_j
             Jacobian applied to g = dJ/da:  dJ/dz = a * (g - sum_j g_j a_j)
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from aeviz.core.numbers import activation_value

ACTIVATIONS = ("linear", "tanh", "sigmoid", "relu", "softmax")
HIDDEN_ACTIVATIONS = ("linear", "tanh", "sigmoid", "relu")

Op = Callable[[], object]


def forward_ops(name: str, z: np.ndarray, a: np.ndarray, row: np.ndarray) -> list[Op]:
    """Calls that compute a = f(z) into ``a`` (which may be a strided view)."""
    if name == "tanh":
        return [partial(np.tanh, z, out=a)]
    if name == "sigmoid":
        return [partial(np.multiply, z, 0.5, out=a), partial(np.tanh, a, out=a),
                partial(np.multiply, a, 0.5, out=a), partial(np.add, a, 0.5, out=a)]
    if name == "relu":
        return [partial(np.maximum, z, 0.0, out=a)]
    if name == "linear":
        return [partial(np.copyto, a, z)]
    if name == "softmax":
        return [partial(np.maximum.reduce, z, axis=-1, keepdims=True, out=row),
                partial(np.subtract, z, row, out=a), partial(np.exp, a, out=a),
                partial(np.add.reduce, a, axis=-1, keepdims=True, out=row),
                partial(np.divide, a, row, out=a)]
    raise ValueError(f"unknown activation {name!r}")


def chain_ops(name: str, z: np.ndarray, a: np.ndarray, g: np.ndarray,
              scratch: np.ndarray, row: np.ndarray) -> list[Op]:
    """Calls that turn g = dJ/da into dJ/dz in place (``scratch`` is like z)."""
    if name == "linear":
        return []
    if name == "tanh":          # g *= 1 - a^2
        return [partial(np.multiply, a, a, out=scratch),
                partial(np.subtract, 1.0, scratch, out=scratch),
                partial(np.multiply, g, scratch, out=g)]
    if name == "sigmoid":       # g *= a (1 - a)
        return [partial(np.subtract, 1.0, a, out=scratch),
                partial(np.multiply, scratch, a, out=scratch),
                partial(np.multiply, g, scratch, out=g)]
    if name == "relu":          # g *= [z > 0]
        return [partial(np.greater, z, 0.0, out=scratch),
                partial(np.multiply, g, scratch, out=g)]
    if name == "softmax":       # g = a * (g - sum_j g_j a_j)
        return [partial(np.multiply, g, a, out=scratch),
                partial(np.add.reduce, scratch, axis=-1, keepdims=True, out=row),
                partial(np.subtract, g, row, out=g),
                partial(np.multiply, g, a, out=g)]
    raise ValueError(f"unknown activation {name!r}")


def evaluate(name: str, z: np.ndarray) -> np.ndarray:
    """a = f(z) for z of shape (batch, units), into a new array."""
    z = np.asarray(z, dtype=float)
    a = np.empty_like(z)
    for op in forward_ops(name, z, a, np.empty((z.shape[0], 1))):
        op()
    return a


def output_text(v: float, name: str) -> str:
    """A unit's value after activation ``name`` at three decimals.  Softmax and
    sigmoid values lie strictly between 0 and 1, tanh's between −1 and 1, but
    float64 rounds 1 - 1e-17 to 1.0 and e^-800 to 0.0: near a bound the text
    says ">0.999", "<0.001" or "<-0.999", so the window never shows a value the
    activation cannot reach (:func:`aeviz.core.numbers.activation_value`)."""
    return activation_value(v, name)


def symbol(name: str) -> str:
    """How the activation is written in formulas (empty for linear)."""
    return {"linear": "", "tanh": "tanh", "sigmoid": "σ", "relu": "relu",
            "softmax": "softmax"}[name]
