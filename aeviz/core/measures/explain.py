"""Plain-words explanations with the current numbers, for the Explain panel.
Every sentence must hold for what the app shows (e.g. softmax is never exactly
one-hot); tests check the numbers against the engine."""

from __future__ import annotations

import numpy as np

from aeviz.core.engine.activations import symbol
from aeviz.core.config import TrainingConfig
from aeviz.core.lessons.lesson_commands import unit_label
from aeviz.core.engine.losses import loss_for
from aeviz.core.engine.network import Network
from aeviz.core.numbers import NONFINITE_NOTE, number
from aeviz.core.engine.optimizers import update_rule
from aeviz.core.engine.penalties import penalty_for, vae_kl

ROLE = ("The encoder is every layer from the input up to the code; the decoder is every "
        "layer after it. The autoencoder is trained so that the decoder's output y = g(f(x)) "
        "reproduces its own input x.")


def _vec(v: np.ndarray, limit: int = 6) -> str:
    items = [number(a) for a in v[:limit]]
    return "[" + ", ".join(items) + (", …]" if len(v) > limit else "]")


def layer_role(net: Network, layer: int) -> str:
    n, c = net.sizes[layer], net.code_size
    if layer == 0:
        return (f"The input layer holds the pattern x ({n} values). It computes nothing: "
                "it passes x to the encoder.")
    act = net.activations[layer - 1]
    if layer == net.depth:
        text = (f"The output layer is the end of the decoder: y = {symbol(act) or 'identity'}"
                "(… W + b), one unit per input unit.")
        if act == "softmax":
            text += (" Softmax outputs are always strictly between 0 and 1 and add up to 1, "
                     "so y is never exactly a one-hot vector; a pattern counts as "
                     "reconstructed when the output at the right place is the largest by "
                     "more than 0.001 (a tie is not a reconstruction).")
        elif act == "sigmoid":
            text += (" Sigmoid outputs lie strictly between 0 and 1; a pattern counts as "
                     "reconstructed when every output is on the input's side of 0.5 by more "
                     "than 0.001.")
        return text
    if layer == net.code_layer:
        if c < net.sizes[0]:
            kind = "smaller than the input: the network must compress (undercomplete)"
        elif c == net.sizes[0]:
            kind = ("as large as the input (neither under- nor overcomplete): without a "
                    "penalty or noise it can learn to copy")
        else:
            kind = ("larger than the input (overcomplete): without a penalty or noise it can "
                    "learn to copy")
        return (f"The code layer h is the smallest hidden layer ({c} units), {kind}. "
                f"Each unit computes h = {symbol(act) or 'identity'}(a W + b).")
    side = "encoder" if layer < net.code_layer else "decoder"
    return f"A hidden layer of the {side} ({n} units, {act})."


def _num(v: float) -> str:
    """As every number aeviz shows (:func:`aeviz.core.numbers.number`)."""
    return number(v)


def loss_text(config: TrainingConfig, net: Network, x: np.ndarray, y: np.ndarray,
              z: np.ndarray | None = None) -> str:
    """The loss in use, its formula, and its value for one pattern x with output y.

    ``z`` is the output layer's weighted sum for x; with it the value is computed by
    the loss's own stable formula (log y = z - log sum exp z), so it equals what the
    Loss readout averages even when a softmax output rounds to 0."""
    out = net.activations[-1]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _loss_text(config, out, np.asarray(x, float), np.asarray(y, float),
                          None if z is None else np.asarray(z, float))


def _loss_text(config: TrainingConfig, out: str, x: np.ndarray, y: np.ndarray,
               z: np.ndarray | None) -> str:
    d = float(np.linalg.norm(x - y))
    text = loss_for(config.loss).explain(out, x, y, z)
    text += (f" The reconstruction error d(x, y) = ‖x − y‖ = {_num(d)}. The Loss readout "
             "averages L over all patterns.")
    if not (np.isfinite(d) and np.all(np.isfinite(y))):
        text += f" ({NONFINITE_NOTE[0].upper()}{NONFINITE_NOTE[1:]}.)"
    return text


HIDDEN = "hidden until R reveals it (predict, then reveal)"


def hidden_loss_text(config: TrainingConfig, net: Network, x: np.ndarray) -> str:
    """:func:`loss_text` while a prediction is open: the loss and its formula, but
    not its value for the fed pattern x, its outputs or d(x, y)."""
    formula = loss_for(config.loss).formula(net.activations[-1])
    return (f"{formula} For this pattern L and the reconstruction error d(x, y) = ‖x − y‖ "
            f"are {HIDDEN.replace('it ', 'them ')}. The Loss readout averages L over all "
            "patterns.")


def regularisation_text(config: TrainingConfig, net: Network | None = None,
                        x: np.ndarray | None = None) -> str:
    """Every term of the objective beyond the loss, and the noise; for a
    variational code ``net`` and the patterns ``x`` give β·KL's value (the mean
    over the patterns, at their mean codes μ, as the Values panel's penalty)."""
    parts = []
    if net is not None and net.variational:
        text = (f"Variational code: the objective adds β·KL(N(μ, σ²) ‖ N(0, I)), with KL = "
                f"½ Σⱼ (μⱼ² + σⱼ² − 1 − log σⱼ²) averaged over the patterns and β = "
                f"{config.beta:g}; it pulls every code towards the prior N(0, I).")
        if x is not None:
            mu = net.forward(x)[1][net.code_layer]
            kl = vae_kl(mu, net.logvar(x))
            text += f" Now β·KL = {config.beta:g} × {kl:.4f} = {config.beta * kl:.4f}."
        parts.append(text)
    sp, noise = config.sparsity, config.noise
    if sp.active:
        parts.append(penalty_for(sp.penalty).explain(sp))
    if noise.active:
        how = {"gaussian": f"Gaussian noise with σ = {noise.level:g} is added to each input",
               "masking": f"each input is set to 0 with probability {noise.level:g}",
               "salt_pepper": f"each input is set to 0 or 1 with probability {noise.level:g}"}
        parts.append(f"Denoising: during training {how[noise.kind]}, and the loss compares "
                     "the output with the clean x, so the network must undo the noise.")
    if config.weight_decay:
        parts.append(f"Weight decay adds ½ · {config.weight_decay:g} · Σ W² (biases excluded).")
    return " ".join(parts) or "No penalty and no noise: the objective is the loss alone."


def weight_text(net: Network, block: int, i: int, j: int, acts: list[np.ndarray],
                config: TrainingConfig, hidden: bool = False) -> str:
    """What weight (block, i, j) adds for the fed pattern; ``hidden`` (a prediction
    open): the activation a of a unit past the input is not written."""
    w = float(net.weights[block][i, j])
    a = float(acts[block][0, i])
    rule = update_rule(config.optimizer, config.learning_rate, config.momentum)
    adds = (f"w · a (a, the fed pattern's {unit_label(net, block, i)}, is {HIDDEN})"
            if hidden and block > 0 else f"w · a = {w:.3f} · {a:.3f} = {w * a:.3f}")
    return (f"Weight {unit_label(net, block, i)} → {unit_label(net, block + 1, j)}: "
            f"w = {w:.3f}. It adds {adds} to that unit's "
            f"weighted sum z for the fed pattern. Each training step changes it: {rule}.")
