"""The variational code layer (a VAE), as compiled NumPy calls for the trainer.

For the code layer c (see ``network`` for the parameters) and a batch of B:

    mu    = f(z_mu),  z_mu = a_{c-1} @ P[c-1]        (the code layer's activation f)
    lv    = a_{c-1} @ P_s                             (log sigma^2, linear)
    sigma = exp(lv / 2)
    z     = mu + sigma * eps,  eps ~ N(0, I) drawn from the trainer's generator
    J     = L(x, g(z)) + beta * KL,  KL = 1/B sum_p 1/2 sum_j (mu^2 + sigma^2 - 1 - lv)

Backpropagation, with g = dJ/dz from the decoder:

    dJ/dmu = g + beta mu / B                   -> delta_mu = dJ/dmu * f'(z_mu)
    dJ/dlv = g sigma eps / 2 + beta (sigma^2 - 1) / (2B)
    dJ/da_{c-1} = delta_mu W[c-1]^T + dJ/dlv W_s^T

Shapes: every array here is (B, n_c).
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from aeviz.core.engine import activations as act
from aeviz.core.engine.penalties import vae_kl
from aeviz.core.engine.plan import LayerView, feed_next_ops, forward_ops, output_delta_ops

Op = Callable[[], object]


class CodeBuffers:
    """Preallocated arrays of the variational code for one batch size."""

    def __init__(self, batch: int, units: int) -> None:
        shape = (batch, units)
        self.MU = np.empty(shape)        # mu
        self.LV = np.empty(shape)        # log sigma^2
        self.SIG = np.empty(shape)       # sigma
        self.EPS = np.zeros(shape)       # eps, drawn for each batch
        self.DLV = np.empty(shape)       # dJ/dlv
        self.T = np.empty(shape)         # scratch

    def sample(self, rng: np.random.Generator) -> None:
        """eps ~ N(0, I) for this batch (after the input noise, from the same generator)."""
        self.EPS[...] = rng.standard_normal(self.EPS.shape)

    def kl(self) -> float:
        return vae_kl(self.MU, self.LV)


def code_forward_ops(name: str, a_in: np.ndarray, block: np.ndarray, logvar_block: np.ndarray,
                     z: np.ndarray, out: np.ndarray, row: np.ndarray,
                     cb: CodeBuffers) -> list[Op]:
    """mu, log sigma^2, sigma and the sampled code z into ``out`` (see module docstring);
    ``z`` receives z_mu, the pre-activation of mu."""
    return ([partial(np.dot, a_in, block, out=z)]
            + act.forward_ops(name, z, cb.MU, row)
            + [partial(np.dot, a_in, logvar_block, out=cb.LV),
               partial(np.multiply, cb.LV, 0.5, out=cb.SIG),
               partial(np.exp, cb.SIG, out=cb.SIG),
               partial(np.multiply, cb.SIG, cb.EPS, out=out),
               partial(np.add, out, cb.MU, out=out)])


def code_backward_ops(name: str, beta: float, z: np.ndarray, g: np.ndarray,
                      scratch: np.ndarray, row: np.ndarray, cb: CodeBuffers) -> list[Op]:
    """Turn g = dJ/dz (in place) into delta_mu, and fill cb.DLV = dJ/dlv."""
    scale = beta / g.shape[0]
    return [partial(np.multiply, g, cb.SIG, out=cb.DLV),          # g sigma eps / 2
            partial(np.multiply, cb.DLV, cb.EPS, out=cb.DLV),
            partial(np.multiply, cb.DLV, 0.5, out=cb.DLV),
            partial(np.multiply, cb.SIG, cb.SIG, out=cb.T),        # + beta (sigma^2 - 1) / 2B
            partial(np.subtract, cb.T, 1.0, out=cb.T),
            partial(np.multiply, cb.T, 0.5 * scale, out=cb.T),
            partial(np.add, cb.DLV, cb.T, out=cb.DLV),
            partial(np.multiply, cb.MU, scale, out=cb.T),          # g + beta mu / B
            partial(np.add, g, cb.T, out=g)] + act.chain_ops(name, z, cb.MU, g, scratch, row)


def encoder_backward_ops(a_in: np.ndarray, grad_logvar: np.ndarray, logvar_block: np.ndarray,
                         cb: CodeBuffers, d_below: np.ndarray | None) -> list[Op]:
    """dJ/dP_s = [a_{c-1}, 1]^T dJ/dlv, and dJ/dlv W_s^T added to ``d_below``
    (dJ/da_{c-1}, already holding delta_mu W[c-1]^T), if there is a layer below."""
    ops: list[Op] = [partial(np.dot, a_in.T, cb.DLV, out=grad_logvar)]
    if d_below is not None:
        scratch = np.empty_like(d_below)
        ops += [partial(np.dot, cb.DLV, logvar_block[:-1].T, out=scratch),
                partial(np.add, d_below, scratch, out=d_below)]
    return ops


def vae_forward_ops(net, blocks: list[np.ndarray], buf, cb: CodeBuffers) -> list[Op]:
    """The forward pass of a network with a variational code (``net.variational``)
    into ``buf`` (``plan.Buffers``): every layer as ``plan.forward_ops``, the code
    layer as :func:`code_forward_ops`."""
    ops: list[Op] = []
    c = net.code_layer
    for k, name in enumerate(net.activations):
        if k == c - 1:
            ops += code_forward_ops(name, buf.A[k], blocks[k], net.logvar_block,
                                    buf.Z[k], buf.out[k], buf.R[k], cb)
        else:
            ops += forward_ops((name,), [blocks[k]], LayerView(buf, k), np.dot)
        ops += feed_next_ops(buf, k)
    return ops


def vae_backward_ops(net, config, blocks: list[np.ndarray], buf, cb: CodeBuffers,
                     grad_blocks: list[np.ndarray], grad_logvar: np.ndarray,
                     targets_sum_to_one: bool) -> list[Op]:
    """``plan.backward_ops`` through a variational code: dJ/dP[k] into
    ``grad_blocks``, dJ/dP_s into ``grad_logvar`` (weight decay left to the caller)."""
    c = net.code_layer
    ops = output_delta_ops(config, net.activations[-1], buf, targets_sum_to_one)
    for k in range(net.depth - 1, -1, -1):
        ops.append(partial(np.dot, buf.A[k].T, buf.D[k], out=grad_blocks[k]))
        below = buf.D[k - 1] if k > 0 else None
        if k > 0:
            ops.append(partial(np.dot, buf.D[k], blocks[k][:-1].T, out=buf.D[k - 1]))
        if k == c - 1:                     # into the code: mu's and log sigma^2's blocks
            ops += encoder_backward_ops(buf.A[k], grad_logvar, net.logvar_block, cb, below)
        if k == 0:
            break
        name = net.activations[k - 1]
        if k == c:                         # D[k-1] = dJ/dz of the sampled code
            ops += code_backward_ops(name, config.beta, buf.Z[k - 1], buf.D[k - 1],
                                     buf.F[k - 1], buf.R[k - 1], cb)
        else:
            ops += act.chain_ops(name, buf.Z[k - 1], buf.out[k - 1], buf.D[k - 1],
                                 buf.F[k - 1], buf.R[k - 1])
    return ops
