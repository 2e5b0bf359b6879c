"""Penalties added to the loss: the sparsity penalties on the code, one object
each in a registry (as the losses are in :mod:`aeviz.core.engine.losses`),
weight decay, and a variational code's KL term; and the rule of which settings
fit a network.

Adding a sparsity penalty is one class below, decorated with
``@register_penalty``; the settings, the file loader, the trainers and Explain
pick it up from here, and ``tests/core/test_loss_registry.py`` checks its
gradient against finite differences and PyTorch.

Shapes: h is the code, (..., B, n_code); a leading axis holds seeds in the
engine with S seeds.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from aeviz.core.engine.losses import ConfigError, loss_for


class Sparsity(Protocol):
    """What a penalty reads of ``config.Sparsity`` (config imports the registry's
    names from here, so this module does not import config)."""

    penalty: str
    weight: float
    target: float

    @property
    def active(self) -> bool: ...


KL_CLIP = 1e-12   # mean code activations are kept in [KL_CLIP, 1 - KL_CLIP]


# --- penalties on the code --------------------------------------------------------------

class Penalty:
    """A sparsity penalty Omega(h) on the code h, weighted by ``sp.weight``.
    ``uses_target``: the setting ``sp.target`` (rho) means something to it."""

    name = ""
    uses_target = False
    code_activations: tuple[str, ...] | None = None    # None: any code activation

    def check(self, code_activation: str, hidden_code: bool) -> None:
        """Raise ConfigError if the penalty does not fit this code layer."""
        if not hidden_code:
            raise ConfigError("a sparsity penalty needs a hidden code layer")
        if self.code_activations is not None and code_activation not in self.code_activations:
            raise ConfigError(f"the {self.name.upper()} sparsity penalty needs a "
                              f"{' or '.join(self.code_activations)} code layer, "
                              f"not {code_activation}")

    def value(self, sp: Sparsity, code_activation: str, h: np.ndarray) -> float:
        raise NotImplementedError

    def add_gradient(self, sp: Sparsity, code_activation: str, h: np.ndarray,
                     out: np.ndarray) -> None:
        """out += dOmega/dh; h is (B, n_code) or (S, B, n_code) (means per seed)."""
        raise NotImplementedError

    def explain(self, sp: Sparsity) -> str:
        raise NotImplementedError


PENALTIES: dict[str, Penalty] = {}


def register_penalty(cls: type[Penalty]) -> type[Penalty]:
    PENALTIES[cls.name] = cls()
    return cls


def penalty_for(name: str) -> Penalty:
    try:
        return PENALTIES[name]
    except KeyError:
        raise ConfigError(f"unknown sparsity penalty {name!r}; the penalties are "
                          f"{', '.join(PENALTIES)}") from None


@register_penalty
class NoPenalty(Penalty):
    """Omega = 0."""

    name = "none"

    def check(self, code_activation, hidden_code):
        pass

    def value(self, sp, code_activation, h):
        return 0.0

    def add_gradient(self, sp, code_activation, h, out):
        pass

    def explain(self, sp):
        return ""


@register_penalty
class L1Sparsity(Penalty):
    """Omega = w * mean_p sum_j |h_pj|;  dOmega/dh = w * sign(h) / B."""

    name = "l1"

    def value(self, sp, code_activation, h):
        return float(sp.weight * np.abs(h).sum() / h.shape[0])

    def add_gradient(self, sp, code_activation, h, out):
        out += np.sign(h) * (sp.weight / h.shape[-2])

    def explain(self, sp):
        return (f"Sparsity: the objective adds Ω(h) = λ · mean Σ|h| with λ = {sp.weight:g}, "
                "which pushes code values towards 0.")


@register_penalty
class KLSparsity(Penalty):
    """Omega = w * sum_j [rho log(rho/r_j) + (1-rho) log((1-rho)/(1-r_j))],
    r_j = mean_p m(h_pj) with m(h) = scale h + shift mapping the code into (0, 1)
    (sigmoid as is, tanh (h+1)/2);  dOmega/dh = w (-rho/r_j + (1-rho)/(1-r_j)) scale / B."""

    name = "kl"
    uses_target = True
    code_activations = ("sigmoid", "tanh")

    @staticmethod
    def _mapping(code_activation: str) -> tuple[float, float]:
        return (0.5, 0.5) if code_activation == "tanh" else (1.0, 0.0)

    def value(self, sp, code_activation, h):
        scale, shift = self._mapping(code_activation)
        r = np.clip(h.mean(axis=0) * scale + shift, KL_CLIP, 1.0 - KL_CLIP)
        rho = sp.target
        kl = rho * np.log(rho / r) + (1.0 - rho) * np.log((1.0 - rho) / (1.0 - r))
        return float(sp.weight * kl.sum())

    def add_gradient(self, sp, code_activation, h, out):
        scale, shift = self._mapping(code_activation)
        r = np.clip(h.mean(axis=-2, keepdims=True) * scale + shift, KL_CLIP, 1.0 - KL_CLIP)
        rho = sp.target
        out += (sp.weight * scale / h.shape[-2]) * (-rho / r + (1.0 - rho) / (1.0 - r))

    def explain(self, sp):
        return (f"Sparsity: the objective adds Ω(h) = λ · Σⱼ KL(ρ ‖ ρ̂ⱼ) with λ = "
                f"{sp.weight:g} and ρ = {sp.target:g}: each code unit's mean activation "
                "ρ̂ⱼ is pulled towards ρ, so most units stay quiet for most patterns.")


# --- the functions the trainers, the model and the loader call ----------------------------

def check_compatible(config, activations: tuple[str, ...],
                     code_layer: int, variational: bool = False) -> None:
    """Refuse loss/penalty/activation combinations the maths does not define
    (each registered object's own rule) and unknown names; ``config`` is a
    ``config.TrainingConfig``."""
    loss, penalty = loss_for(config.loss), penalty_for(config.sparsity.penalty)
    if variational and config.sparsity.active:
        raise ConfigError("a variational code has its own penalty (the KL term to the prior "
                          "N(0, I)); turn the sparsity penalty off")
    loss.check(activations[-1])
    penalty.check(activations[code_layer - 1], code_layer < len(activations))


def sparsity_penalty(sp: Sparsity, code_activation: str, h: np.ndarray) -> float:
    """Omega(h) of the configured penalty (0 when it is not active)."""
    if not sp.active:
        return 0.0
    return penalty_for(sp.penalty).value(sp, code_activation, h)


def add_sparsity_gradient(sp: Sparsity, code_activation: str, h: np.ndarray,
                          out: np.ndarray) -> None:
    """out += dOmega/dh, shape (batch, n_code) (or (seeds, batch, n_code))."""
    if sp.active:
        penalty_for(sp.penalty).add_gradient(sp, code_activation, h, out)


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
