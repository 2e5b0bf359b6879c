"""Optimisers with PyTorch's semantics, updating the flat parameter vector in place.

- ``sgd``:  v <- mu v + g  (v starts at 0, so the first step is v = g);  p <- p - lr v
            (torch.optim.SGD, dampening 0, no Nesterov; plain p <- p - lr g when mu = 0)
- ``adam``: m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
            p <- p - lr m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps)
            (torch.optim.Adam defaults: b1 0.9, b2 0.999, eps 1e-8)
"""

from __future__ import annotations

import math
from functools import partial
from typing import Callable

import numpy as np

from aeviz.core.config import TrainingConfig


class Optimizer:
    """``step(params, grad)`` updates params in place; ``state()`` is a copy."""

    def __init__(self, size: int) -> None:
        self._tmp = np.empty(size)
        self.lr = 0.0

    def configure(self, config: TrainingConfig) -> None:
        self.lr = config.learning_rate

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def step_ops(self, params: np.ndarray, grad: np.ndarray) -> list[Callable[[], object]]:
        """The step as zero-argument calls (for the trainer's compiled plan)."""
        return [partial(self.step, params, grad)]

    def state(self) -> dict:
        raise NotImplementedError

    def set_state(self, state: dict) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.velocity = np.zeros(size)   # momentum buffer v
        self.momentum = 0.0

    def configure(self, config: TrainingConfig) -> None:
        super().configure(config)
        self.momentum = config.momentum

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        g = grad
        if self.momentum:
            self.velocity *= self.momentum
            self.velocity += grad
            g = self.velocity
        np.multiply(g, self.lr, out=self._tmp)
        params -= self._tmp

    def step_ops(self, params: np.ndarray, grad: np.ndarray) -> list[Callable[[], object]]:
        g = grad
        ops: list[Callable[[], object]] = []
        if self.momentum:              # v = momentum v + g, as ``step``
            g = self.velocity
            ops = [partial(np.multiply, g, self.momentum, out=g), partial(np.add, g, grad, out=g)]
        # p -= lr * g  (two ufunc calls, nothing else)
        return ops + [partial(np.multiply, g, self.lr, out=self._tmp),
                partial(np.subtract, params, self._tmp, out=params)]

    def state(self) -> dict:
        return {"velocity": self.velocity.copy()}

    def set_state(self, state: dict) -> None:
        np.copyto(self.velocity, state["velocity"])


class Adam(Optimizer):
    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.t = 0                 # steps taken
        self.m = np.zeros(size)    # first moment
        self.v = np.zeros(size)    # second moment
        self._den = np.empty(size)

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.m *= b1
        np.multiply(grad, 1.0 - b1, out=self._tmp)
        self.m += self._tmp
        self.v *= b2
        np.multiply(grad, grad, out=self._tmp)
        self._tmp *= 1.0 - b2
        self.v += self._tmp
        np.sqrt(self.v, out=self._den)
        self._den /= math.sqrt(1.0 - b2 ** self.t)
        self._den += self.eps
        np.divide(self.m, self._den, out=self._tmp)
        self._tmp *= self.lr / (1.0 - b1 ** self.t)
        params -= self._tmp

    def state(self) -> dict:
        return {"t": self.t, "m": self.m.copy(), "v": self.v.copy()}

    def set_state(self, state: dict) -> None:
        self.t = state["t"]
        np.copyto(self.m, state["m"])
        np.copyto(self.v, state["v"])


def make_optimizer(config: TrainingConfig, size: int) -> Optimizer:
    kinds = {"sgd": SGD, "adam": Adam}
    if config.optimizer not in kinds:
        raise ValueError(f"unknown optimizer {config.optimizer!r}")
    opt = kinds[config.optimizer](size)
    opt.configure(config)
    return opt


def update_rule(optimizer: str, learning_rate: float, momentum: float = 0.0) -> str:
    """The update the optimiser in use makes, in symbols with its numbers."""
    if optimizer == "adam":
        return (f"Adam: m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g² with g = ∂J/∂w, "
                f"then w ← w − η·m̂/(√v̂ + ε) (η = {learning_rate:g}, β₁ = {Adam.beta1:g}, "
                f"β₂ = {Adam.beta2:g}; m̂, v̂ bias-corrected), so a step is about η in size "
                "whatever the gradient's scale")
    if momentum:
        return (f"SGD with momentum: v ← μv + ∂J/∂w, then w ← w − η·v (μ = {momentum:g}, "
                f"η = {learning_rate:g}): each step also carries the velocity of the earlier "
                "steps, so it can be many times η·∂J/∂w")
    return f"w ← w − η·∂J/∂w (η = {learning_rate:g})"
