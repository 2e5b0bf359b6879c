"""Measurements the lessons show: code activity (sparsity), recovery of noisy
inputs (denoising), and the angle between a linear autoencoder's code space and
the PCA subspace."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.config import Noise
from aeviz.core.model import is_reconstructed
from aeviz.core.engine.network import Network
from aeviz.core.engine.noise import corrupt


@dataclass(frozen=True)
class CodeActivity:
    codes: np.ndarray        # (P, c) the code of every pattern
    mean: np.ndarray         # (c,) mean activation per unit, mapped to (0, 1) where the
                             # KL penalty maps it (sigmoid as is, tanh (h+1)/2), else mean |h|
    active: np.ndarray       # (P,) units with |h| > 0.5 (sigmoid: h > 0.5) per pattern
    mapped: bool             # True if ``mean`` is on the KL penalty's (0, 1) scale


def code_activity(net: Network, x: np.ndarray) -> CodeActivity:
    h = net.code(x)
    act = net.activations[net.code_layer - 1]
    if act == "sigmoid":
        return CodeActivity(h, h.mean(axis=0), (h > 0.5).sum(axis=1), True)
    if act == "tanh":
        return CodeActivity(h, ((h + 1) / 2).mean(axis=0), (np.abs(h) > 0.5).sum(axis=1), True)
    return CodeActivity(h, np.abs(h).mean(axis=0), (np.abs(h) > 0.5).sum(axis=1), False)


def recovery_rate(net: Network, x: np.ndarray, noise: Noise, rng: np.random.Generator,
                  draws: int = 50) -> float:
    """Fraction of corrupted inputs x' whose output g(f(x')) reconstructs the clean x
    (argmax for softmax outputs, else every unit within 0.5), over ``draws`` draws."""
    hits = 0
    for _ in range(draws):
        y = net.output(corrupt(x, noise, rng))
        hits += int(is_reconstructed(x, y, net.activations[-1]).sum())
    return hits / (draws * len(x))


def is_linear(net: Network) -> bool:
    return all(a == "linear" for a in net.activations)


def principal_angle(net: Network, x: np.ndarray) -> float:
    """Largest principal angle (degrees) between the subspace a linear autoencoder
    reconstructs into (the row space of its decoder) and the top-c PCA subspace of x."""
    c = net.code_size
    centred = x - x.mean(axis=0)
    pca = np.linalg.svd(centred, full_matrices=False)[2][:c].T            # (n, c)
    decoder = net.weights[net.code_layer - 1 + 1:] if net.code_layer < net.depth else []
    m = np.eye(c)
    for w in decoder:
        m = m @ w                                                          # (c, n)
    learned = np.linalg.qr(m.T)[0]
    cosines = np.linalg.svd(pca.T @ learned)[1]
    return float(np.degrees(np.arccos(np.clip(cosines.min(), -1.0, 1.0))))
