"""Reconstruction losses and penalties: their values, and the gradient terms the
trainer cannot fuse into its output layer.

Shapes: x (targets) and y (outputs) are (batch, n_L); z is the output layer's
pre-activation; h is the code, (batch, n_code).  Each value equals its PyTorch
counterpart with default reduction:

- ``cross_entropy`` + softmax:  mean_p  -sum_i x_pi log y_pi      (CrossEntropyLoss on z)
- ``cross_entropy`` + sigmoid:  mean_pi -[x log y + (1-x) log(1-y)]  (BCELoss, logs >= -100)
- ``mse``:                      mean_pi (y - x)^2                  (MSELoss)
- ``euclidean``:                mean_p ||y_p - x_p||_2             (the article's d(x, y))
"""

from __future__ import annotations

import numpy as np

from aeviz.core.config import Sparsity, TrainingConfig

KL_CLIP = 1e-12   # mean code activations are kept in [KL_CLIP, 1 - KL_CLIP]


class ConfigError(ValueError):
    """Settings that do not fit the network; the message is one sentence."""


def check_compatible(config: TrainingConfig, activations: tuple[str, ...],
                     code_layer: int, variational: bool = False) -> None:
    """Refuse loss/activation combinations the maths does not define."""
    if variational and config.sparsity.active:
        raise ConfigError("a variational code has its own penalty (the KL term to the prior "
                          "N(0, I)); turn the sparsity penalty off")
    out = activations[-1]
    if config.loss == "cross_entropy" and out not in ("softmax", "sigmoid"):
        raise ConfigError(
            f"cross-entropy needs a softmax or sigmoid output layer, not {out}; "
            "choose mse or euclidean, or change the output activation")
    sp = config.sparsity
    if sp.penalty != "none" and code_layer == len(activations):
        raise ConfigError("a sparsity penalty needs a hidden code layer")
    if sp.penalty == "kl":
        code_act = activations[code_layer - 1]
        if code_act not in ("sigmoid", "tanh"):
            raise ConfigError(
                f"the KL sparsity penalty needs a sigmoid or tanh code layer, not {code_act}")


def reconstruction_loss(loss: str, out_activation: str, z: np.ndarray,
                        y: np.ndarray, x: np.ndarray) -> float:
    """The loss L(x, y) averaged as in the module docstring."""
    if loss == "cross_entropy":
        if out_activation == "softmax":
            m = z.max(axis=1, keepdims=True)
            lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))   # log sum_j exp z_j
            # -sum_i x_i (z_i - lse) = lse * sum_i x_i - x . z
            return float(np.mean(lse * x.sum(axis=1) - np.einsum("ij,ij->i", x, z)))
        log_y = np.maximum(-np.logaddexp(0.0, -z), -100.0)       # log sigmoid(z)
        log_1my = np.maximum(-np.logaddexp(0.0, z), -100.0)      # log (1 - sigmoid(z))
        return float(-np.mean(x * log_y + (1.0 - x) * log_1my))
    diff = y - x
    if loss == "mse":
        return float(np.mean(diff * diff))
    if loss == "euclidean":
        return float(np.mean(np.sqrt(np.einsum("ij,ij->i", diff, diff))))
    raise ConfigError(f"unknown loss {loss!r}")


def distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d(x, y) = ||x_p - y_p||_2 for each pattern p, shape (batch,)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.linalg.norm(np.atleast_2d(y) - np.atleast_2d(x), axis=1)


def _kl_mapping(code_activation: str) -> tuple[float, float]:
    """m(h) = scale * h + shift maps the code into (0, 1): sigmoid as is, tanh (h+1)/2."""
    return (0.5, 0.5) if code_activation == "tanh" else (1.0, 0.0)


def sparsity_penalty(sp: Sparsity, code_activation: str, h: np.ndarray) -> float:
    """Omega(h): l1 -> w * mean_p sum_j |h_pj|;
    kl -> w * sum_j [rho log(rho/r_j) + (1-rho) log((1-rho)/(1-r_j))], r_j = mean_p m(h_pj)."""
    if not sp.active:
        return 0.0
    if sp.penalty == "l1":
        return float(sp.weight * np.abs(h).sum() / h.shape[0])
    scale, shift = _kl_mapping(code_activation)
    r = np.clip(h.mean(axis=0) * scale + shift, KL_CLIP, 1.0 - KL_CLIP)
    rho = sp.target
    kl = rho * np.log(rho / r) + (1.0 - rho) * np.log((1.0 - rho) / (1.0 - r))
    return float(sp.weight * kl.sum())


def add_sparsity_gradient(sp: Sparsity, code_activation: str, h: np.ndarray,
                          out: np.ndarray) -> None:
    """out += dOmega/dh, shape (batch, n_code) (or (seeds, batch, n_code): the
    mean r_j is then taken per seed).

    l1: w * sign(h) / B;  kl: w * (-rho/r_j + (1-rho)/(1-r_j)) * scale / B.
    """
    if not sp.active:
        return
    batch = h.shape[-2]
    if sp.penalty == "l1":
        out += np.sign(h) * (sp.weight / batch)
        return
    scale, shift = _kl_mapping(code_activation)
    r = np.clip(h.mean(axis=-2, keepdims=True) * scale + shift, KL_CLIP, 1.0 - KL_CLIP)
    rho = sp.target
    out += (sp.weight * scale / batch) * (-rho / r + (1.0 - rho) / (1.0 - r))


def weight_decay_penalty(weight_decay: float, weights: list[np.ndarray]) -> float:
    """1/2 * weight_decay * sum of squared weights (biases excluded)."""
    if weight_decay == 0.0:
        return 0.0
    return 0.5 * weight_decay * float(sum(np.vdot(w, w) for w in weights))


def vae_kl(mu: np.ndarray, logvar: np.ndarray) -> float:
    """KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)
    for each pattern, averaged over the patterns (the closed form)."""
    with np.errstate(over="ignore", invalid="ignore"):
        per_unit = mu * mu + np.exp(logvar) - 1.0 - logvar
    return float(0.5 * per_unit.sum() / mu.shape[0])
