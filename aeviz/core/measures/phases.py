"""One update, phase by phase (the article's training steps):

1 input      set the input x (or its corrupted copy x')
2 encode     h = f(x), layer by layer up to the code
3 decode     y = g(h), layer by layer up to the output
4 error      d(x, y) = ||x - y|| and the loss L
5 backprop   the error signal delta at each neuron, dJ/dw on each connection
6 update     w <- w - (optimiser step); each weight's change, then the new weights

A :class:`StepTrace` holds every number of one update (copies), computed by the
same trainer code as a normal step, so the weights after phase 6 equal one
engine step exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aeviz.core.engine.activations import output_text, symbol
from aeviz.core.engine.gradient_terms import backprop_terms, dlogvar
from aeviz.core.engine.optimizers import update_rule
from aeviz.core.engine.trainer import Trainer

PHASES = ("input", "encode", "decode", "error", "backprop", "update")
TITLES = {
    "input": "1 · Set the input",
    "encode": "2 · Encode: x → code h",
    "decode": "3 · Decode: h → output y",
    "error": "4 · Reconstruction error",
    "backprop": "5 · Backpropagate",
    "update": "6 · Update the weights",
}


@dataclass
class StepTrace:
    """Every value of one update.  Per-pattern arrays have one row per pattern
    of the batch (``patterns`` gives their dataset indices)."""

    patterns: np.ndarray             # (B,) dataset indices of the batch
    inputs: np.ndarray               # (B, n_0) what was fed: x or the corrupted x'
    targets: np.ndarray              # (B, n_0) clean x
    zs: list[np.ndarray]             # z_k, k = 1..L, (B, n_k)
    acts: list[np.ndarray]           # a_k, k = 0..L, (B, n_k); a_0 = inputs
    deltas: list[np.ndarray]         # dJ/dz_k, k = 1..L, (B, n_k)
    grad: np.ndarray                 # dJ/dparams, flat, laid out like Network.params
    loss: float
    penalty: float
    params_before: np.ndarray
    params_after: np.ndarray | None = None
    epoch_before: int = 0
    learning_rate: float = 0.0
    optimizer: str = "sgd"
    momentum: float = 0.0
    loss_name: str = "cross_entropy"
    penalty_kind: str = "none"               # the sparsity penalty on the code, if active
    extra: dict = field(default_factory=dict)
    weight_decay: float = 0.0
    # hidden layer k -> the named terms of dJ/da_k (aeviz.core.engine.gradient_terms), (B, n_k)
    terms: dict = field(default_factory=dict)
    logvar: dict = field(default_factory=dict)   # VAE: dJ/dlog σ² (B, n_c), its block's grad

    @property
    def blows_up(self) -> bool:
        """Whether phase 6 would make a weight NaN or infinite, which the divergence
        rule (``Engine.finite``) then calls diverged: known before the update when
        the gradient is not finite, since every optimiser's change of a weight is
        NaN or infinite where its gradient is (SGD's lr g, momentum's v = m v + g,
        Adam's m / sqrt(v), which is inf / inf = NaN).  A finite gradient can
        still overflow in the update (lr g > 1e308); the rule catches that at
        phase 6."""
        return not np.isfinite(self.grad).all()


def begin(trainer: Trainer) -> StepTrace:
    """Phases 1-5: compute everything of the next update, change nothing yet."""
    before = trainer.net.params.copy()
    idx = trainer.next_batch()
    result = trainer.begin_step(measure=True)
    buf = trainer.last_buffers
    inputs = buf.A[0][:, :-1].copy()
    trace = StepTrace(
        patterns=np.arange(len(trainer.data)) if idx is None else np.array(idx),
        inputs=inputs, targets=buf.T.copy(),
        zs=[z.copy() for z in buf.Z],
        acts=[inputs] + [a.copy() for a in buf.out],
        deltas=[d.copy() for d in buf.D],
        grad=trainer.grad.copy(), loss=result.loss, penalty=result.penalty,
        params_before=before, epoch_before=trainer.epoch,
        learning_rate=trainer.config.learning_rate, optimizer=trainer.config.optimizer,
        momentum=trainer.config.momentum, loss_name=trainer.config.loss,
        penalty_kind=trainer.config.sparsity.penalty if trainer.config.sparsity.active
        else "none", extra={"vae": trainer.code_sample()} if trainer.net.variational else {},
        weight_decay=trainer.config.weight_decay)
    net, vae = trainer.net, trace.extra.get("vae")
    trace.terms = backprop_terms(net, trainer.config, trace.zs, trace.acts, trace.deltas, vae)
    if vae is not None:
        c = net.code_layer
        trace.logvar = {"d": dlogvar(trace.deltas[c] @ net.weights[c].T, vae, len(inputs)),
                        "grad": net.split_logvar(trace.grad).copy(),
                        "before": net.split_logvar(before).copy()}
    return trace


def finish(trainer: Trainer, trace: StepTrace) -> None:
    """Phase 6: the optimiser step with the gradient computed in :func:`begin`."""
    trainer.finish_step()
    trace.params_after = trainer.net.params.copy()


# --- explanations ----------------------------------------------------------------
def _extra_terms(trace: StepTrace, row: int) -> str:
    """The terms of δ beyond δ_next Wᵀ, written out with their values for ``row``."""
    parts = []
    for k, terms in sorted(trace.terms.items(), reverse=True):      # backwards, as δ flows
        for name, value in terms[1:]:
            v = _vec_g(value[row])
            if name == "∂Ω/∂h":
                parts.append(f"at the code (layer {k}) the sparsity penalty "
                             f"({trace.penalty_kind.upper()}) adds ∂Ω/∂h = {v} before ⊙ f′(z)")
            elif name == "β·μ/B":
                vae = trace.extra["vae"]
                parts.append(f"at the code the KL term adds β·μ/B = {vae['beta']:g} · μ / "
                             f"{len(trace.patterns)} = {v}: δ_μ = (δ_next Wᵀ + β·μ/B) ⊙ f′(z_μ)")
            else:
                d = _vec_g(trace.logvar["d"][row])
                parts.append(f"the layer below the code also gets the log σ² path: "
                             f"∂J/∂log σ² = g·σ·ε/2 + β(σ² − 1)/(2B) = {d}, sent down as "
                             f"∂J/∂log σ² W_σᵀ = {v}, so there δ = (δ_next Wᵀ + ∂J/∂log σ² "
                             "W_σᵀ) ⊙ f′(z)")
    return "".join("; " + p for p in parts)


def _logvar_change(trace: StepTrace) -> float:
    """The largest change of a log σ² weight or bias in this update (the log σ²
    block is the last part of the flat parameters, see ``Network.split_logvar``)."""
    n = trace.logvar["before"].size
    change = trace.params_after[-n:] - trace.params_before[-n:]
    return float(change[np.argmax(np.abs(change))])


def _vec_g(v: np.ndarray, limit: int = 6) -> str:
    """Three significant digits: the small terms of δ are not all 0.000."""
    items = [f"{x:.3g}" for x in v[:limit]]
    return "[" + ", ".join(items) + (", …]" if len(v) > limit else "]")


def _vec(v: np.ndarray, limit: int = 6, act: str = "linear") -> str:
    """Three decimals; values after tanh/sigmoid/softmax (``act``) never show a
    bound they cannot reach (:func:`aeviz.core.engine.activations.output_text`)."""
    items = [f"{x:.3f}" if act == "linear" else output_text(x, act) for x in v[:limit]]
    return "[" + ", ".join(items) + (", …]" if len(v) > limit else "]")


def explain(trace: StepTrace, phase: str, row: int, activations: tuple[str, ...],
            code_layer: int, loss_name: str, patterns: int | None = None) -> tuple[str, str]:
    """(title, one or two sentences with the formula and the current numbers)
    for pattern ``row`` of the batch; ``patterns``: how many the dataset has (a
    batch of all of them is the full batch, else a minibatch)."""
    p = int(trace.patterns[row]) + 1
    x, x_in = trace.targets[row], trace.inputs[row]
    L = len(activations)
    batch = len(trace.patterns)
    kind = ("full batch" if patterns is not None and batch == patterns
            else f"minibatch of the {patterns} patterns" if patterns is not None else "batch")
    whose = f"pattern {p}" + (f" (one of {batch} in this {kind})" if batch > 1 else "")
    if phase == "input":
        if np.array_equal(x, x_in):
            text = f"The input layer takes x = {_vec(x)}, {whose}."
        else:
            text = (f"Denoising: the network is fed a corrupted copy x′ = {_vec(x_in)} of "
                    f"{whose}, x = {_vec(x)}. The loss will compare its output with the clean x.")
    elif phase == "encode":
        f = symbol(activations[code_layer - 1]) or "identity"
        layers = "each layer computes a = f(a_prev W + b)" if code_layer > 1 else \
            f"h = {f}(x W₀ + b₀)"
        text = (f"The encoder computes the code: {layers}. "
                f"Code h = {_vec(trace.acts[code_layer][row], act=activations[code_layer - 1])}.")
        vae = trace.extra.get("vae")
        if vae is not None:
            text = (f"The encoder gives a mean and a spread for each code unit: "
                    f"μ = {_vec(vae['mu'][row])}, σ = exp(½ log σ²) = "
                    f"{_vec(vae['sigma'][row])}. Sampling draws ε = {_vec(vae['eps'][row])} "
                    "from N(0, I) (the seeded generator), so the code the decoder gets is "
                    f"z = μ + σ·ε = {_vec(trace.acts[code_layer][row])}.")
    elif phase == "decode":
        g = symbol(activations[-1]) or "identity"
        y = "[" + ", ".join(output_text(v, activations[-1]) for v in trace.acts[L][row][:6]) \
            + (", …]" if len(trace.acts[L][row]) > 6 else "]")
        text = f"The decoder maps the code back: y = {g}(… W + b). Output y = {y}."
    elif phase == "error":
        y = trace.acts[L][row]
        d = float(np.linalg.norm(x - y))
        text = (f"Reconstruction error d(x, y) = ‖x − y‖ = {d:.3f} for pattern {p}. "
                f"The {loss_name.replace('_', '-')} loss over the batch is {trace.loss:.4f}"
                + (f", plus penalty {trace.penalty:.4f}" if trace.penalty else "") + ".")
        vae = trace.extra.get("vae")
        if vae is not None:
            text += (f" The penalty holds the VAE's KL term: β·KL(N(μ, σ²) ‖ N(0, I)) = "
                     f"{vae['beta']:g} × {vae['kl']:.4f} = {vae['beta'] * vae['kl']:.4f}, "
                     "with KL = ½ Σ (μ² + σ² − 1 − log σ²) averaged over the batch.")
    elif phase == "backprop":
        d_out = trace.deltas[L - 1][row]
        if activations[-1] == "softmax" and trace.loss_name == "cross_entropy":
            out = (f"At the output δ = ∂J/∂z = (y − x)/B with B = {batch} pattern"
                   f"{'s' if batch > 1 else ''} in the batch: {_vec(d_out)}"
                   + (f" (y − x = {_vec(d_out * batch)})" if batch > 1 else "") + "; ")
        else:
            out = (f"At the output δ = ∂J/∂z = {_vec(d_out)} (the loss's derivative, "
                   f"averaged over the B = {batch} pattern{'s' if batch > 1 else ''} of "
                   "the batch); ")
        hidden = "at each hidden neuron δ = (δ_next Wᵀ) ⊙ f′(z)" + _extra_terms(trace, row)
        wd = (f" Weight decay adds {trace.weight_decay:g} · w to each weight's ∂J/∂w (not to "
              "biases)." if trace.weight_decay else "")
        lv = trace.logvar
        if lv:
            wd += (f" The log σ² weights get ∂J/∂w = a·∂J/∂log σ² too (largest "
                   f"|∂J/∂w| = {np.abs(lv['grad']).max():.4f}), drawn dashed.")
        if batch > 1:        # the neurons show this pattern's δ, the badges the batch's sum
            b_out = trace.deltas[L - 1].sum(axis=0)
            bias = (f"Each neuron shows its δ for pattern {p}; each bias's badge shows "
                    f"∂J/∂b = Σ δ over the {batch} patterns of the batch (output 1: δ = "
                    f"{d_out[0]:.3f} for pattern {p}, ∂J/∂b = {b_out[0]:.3f}).")
        else:
            bias = "Each neuron shows its δ; each bias's ∂J/∂b = δ is on its badge."
        text = (f"The error flows backwards. {out}{hidden}. Each connection's gradient "
                f"∂J/∂w = a·δ, summed over the batch, is drawn on the diagram "
                f"(largest |∂J/∂w| = {np.abs(trace.grad).max():.4f}). {bias}{wd}")
    elif phase == "update":
        step = update_rule(trace.optimizer, trace.learning_rate, trace.momentum)
        if trace.params_after is None:
            text = f"Each weight moves against its gradient: {step}."
        else:
            change = trace.params_after - trace.params_before
            i = int(np.argmax(np.abs(change)))
            text = (f"Each weight moves against its gradient: {step}. The diagram shows each "
                    f"change Δw (largest {change[i]:+.4f}) and each bias's Δb on its badge; "
                    "press N again to see the new weights.")
            if trace.logvar:
                sl = _logvar_change(trace)
                text += (f" The log σ² weights (dashed) move too: largest Δw "
                         f"{sl:+.4f}.")
    else:
        raise ValueError(f"unknown phase {phase!r}")
    return TITLES[phase], text
