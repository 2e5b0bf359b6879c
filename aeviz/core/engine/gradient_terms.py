"""The objective's gradient, term by term, as the step-through shows it.

J = L(x, g(f(x'))) + Omega(h) + beta * KL + 1/2 wd sum W^2.  For a hidden layer
k (1 <= k < L) with pre-activation z_k and activation a_k = f(z_k), the error
signal is delta_k = dJ/dz_k = (sum of the terms of dJ/da_k) * f'(z_k), with

    "δ_next Wᵀ"        delta_{k+1} W[k]^T                    (every hidden layer)
    "∂Ω/∂h"            the sparsity penalty's gradient        (the code, sparsity on)
    "β·μ/B"            beta mu / B, the KL term's pull on mu  (a variational code)
    "∂J/∂log σ² W_σᵀ"  dJ/dlog sigma^2 W_sigma^T              (the layer below it)

where for a variational code a_c is mu (the sampled z = mu + sigma eps feeds the
decoder, and dJ/dz = dJ/dmu's first term) and

    dJ/dlog sigma^2 = g sigma eps / 2 + beta (sigma^2 - 1) / (2B),  g = delta_{c+1} W[c]^T.

Each block's gradient is [a_k, 1]^T delta_{k+1} (+ wd W on weights, not biases);
the log sigma^2 block's is [a_{c-1}, 1]^T dJ/dlog sigma^2.  Shapes: (B, n_k).
"""

from __future__ import annotations

import numpy as np

from aeviz.core.engine import activations as act
from aeviz.core.config import TrainingConfig
from aeviz.core.engine.penalties import add_sparsity_gradient
from aeviz.core.engine.network import Network

Terms = dict[int, list[tuple[str, np.ndarray]]]


def through(name: str, z: np.ndarray, a: np.ndarray, g: np.ndarray) -> np.ndarray:
    """dJ/dz from g = dJ/da through f'(z) (new arrays; ``a`` = f(z))."""
    g = np.array(g, dtype=float)
    scratch, row = np.empty_like(g), np.empty((g.shape[0], 1))
    for op in act.chain_ops(name, np.asarray(z, float), np.asarray(a, float), g, scratch, row):
        op()
    return g


def dlogvar(g: np.ndarray, vae: dict, batch: int) -> np.ndarray:
    """dJ/dlog sigma^2 = g sigma eps / 2 + beta (sigma^2 - 1) / (2B), (B, n_c)."""
    sigma, beta = vae["sigma"], vae["beta"]
    return g * sigma * vae["eps"] / 2 + beta * (sigma * sigma - 1.0) / (2 * batch)


def backprop_terms(net: Network, config: TrainingConfig, zs: list[np.ndarray],
                   acts: list[np.ndarray], deltas: list[np.ndarray],
                   vae: dict | None) -> Terms:
    """For each hidden layer k: the named terms of dJ/da_k (see the module
    docstring); ``zs``/``deltas`` are z_k/delta_k for k = 1..L, ``acts`` a_0..a_L."""
    c, batch = net.code_layer, len(acts[0])
    terms: Terms = {}
    for k in range(1, net.depth):
        g = deltas[k] @ net.weights[k].T
        terms[k] = [("δ_next Wᵀ", g)]
        if k == c and config.sparsity.active and vae is None:
            extra = np.zeros_like(g)
            add_sparsity_gradient(config.sparsity, net.activations[k - 1], acts[k], extra)
            terms[k].append(("∂Ω/∂h", extra))
        if vae is not None and k == c:
            terms[k].append(("β·μ/B", vae["beta"] * vae["mu"] / batch))
        if vae is not None and k == c - 1:
            g_code = deltas[c] @ net.weights[c].T
            terms[k].append(("∂J/∂log σ² W_σᵀ",
                             dlogvar(g_code, vae, batch) @ net.logvar_block[:-1].T))
    return terms


def code_value(net: Network, acts: list[np.ndarray], vae: dict | None, k: int) -> np.ndarray:
    """a_k as f'(z_k) needs it: mu for a variational code, else the activation."""
    return vae["mu"] if vae is not None and k == net.code_layer else acts[k]


def deltas_from_terms(net: Network, zs: list[np.ndarray], acts: list[np.ndarray],
                      terms: Terms, vae: dict | None) -> dict[int, np.ndarray]:
    """delta_k = (sum of the terms) * f'(z_k) for each hidden layer k."""
    return {k: through(net.activations[k - 1], zs[k - 1], code_value(net, acts, vae, k),
                       sum(t for _, t in parts))
            for k, parts in terms.items()}


def block_gradients(net: Network, config: TrainingConfig, acts: list[np.ndarray],
                    deltas: list[np.ndarray], vae: dict | None) -> list[np.ndarray]:
    """dJ/dP for every block: [a_k, 1]^T delta_{k+1} (+ wd W), then the log sigma^2
    block's [a_{c-1}, 1]^T dJ/dlog sigma^2 for a variational code."""
    out = []
    for k in range(net.depth):
        a1 = np.hstack([acts[k] if k != net.code_layer or vae is None else acts[k],
                        np.ones((len(acts[k]), 1))])
        block = a1.T @ deltas[k]
        block[:-1] += config.weight_decay * net.weights[k]
        out.append(block)
    if vae is not None:
        c = net.code_layer
        a1 = np.hstack([acts[c - 1], np.ones((len(acts[c - 1]), 1))])
        dlv = dlogvar(deltas[c] @ net.weights[c].T, vae, len(acts[0]))
        block = a1.T @ dlv
        block[:-1] += config.weight_decay * net.logvar_block[:-1]
        out.append(block)
    return out
