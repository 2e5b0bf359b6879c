"""Many seeds at once: S networks of one shape trained as one array.

The seed study trains the same network from hundreds of seeds.  Instead of one
``Trainer`` after another, ``BatchedTrainer`` keeps every seed's parameters as a
row of ``params`` (S, N) and runs the *same compiled plan* as the single-seed
engine (``plan.forward_ops`` / ``backward_ops``) with ``np.matmul`` over the
leading seed axis: A[k] is (S, B, n_k + 1), P[k] is (S, n_k + 1, n_{k+1}).

Seed s gives the same run as ``Trainer(Network.fresh(s), config.with_(seed=s),
data)``: the same Glorot draw, its own ``default_rng(s)`` for shuffles and noise
(drawn in the same order), the same operations in the same order row by row,
and an optimiser whose elementwise update is the single engine's.  Every seed is
independent (matmul and the softmax reductions never mix rows of different
seeds), so a seed that blows up never disturbs the others.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Sequence

import numpy as np

from aeviz.core.config import Noise, TrainingConfig
from aeviz.core.engine.losses import check_compatible, loss_for, sparsity_penalty
from aeviz.core.model import is_reconstructed
from aeviz.core.engine.network import Network
from aeviz.core.engine.optimizers import make_optimizer
from aeviz.core.engine.plan import (Buffers, Op, Patterns, backward_ops, compile_ops, finite_rows,
                             forward_ops, weight_decay_ops, weight_mask)


def _quiet() -> np.errstate:
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


class BatchedTrainer:
    """Trains S networks of the shape of ``template`` on ``data`` (P, n_0).

    ``params`` (S, N): row s is seed s's flat parameter vector, laid out like
    ``Network.params``; ``rngs[s]`` draws its shuffles and noise.
    """

    def __init__(self, template: Network, config: TrainingConfig, data: np.ndarray,
                 params: np.ndarray, rngs: Sequence[np.random.Generator]) -> None:
        if template.variational:
            raise ValueError("the batched trainer has no variational code; "
                             "train a VAE seed by seed (study.run_seed)")
        check_compatible(config, template.activations, template.code_layer)
        self.sizes, self.activations = template.sizes, template.activations
        self.code_layer = template.code_layer
        self.config = config
        self.patterns = Patterns(data)
        self.data = self.patterns.X
        self._weight_mask = weight_mask(template)
        self.epoch = 0
        self._adopt(np.array(params, dtype=float, ndmin=2), list(rngs), None)

    @classmethod
    def from_seeds(cls, template: Network, config: TrainingConfig, data: np.ndarray,
                   seeds: Sequence[int], cancelled: Callable[[], bool] | None = None
                   ) -> "BatchedTrainer | None":
        """Each seed's fresh network (``Network.fresh``) and generator, as the
        single-seed engine starts them; None if ``cancelled()`` (polled between two
        seeds: a 10 x 1024 network's draw takes a moment)."""
        fresh = []
        for s in seeds:
            if cancelled is not None and cancelled():
                return None
            fresh.append(template.fresh(int(s)).params)
        params = np.stack(fresh)
        return cls(template, config, data, params, [np.random.default_rng(int(s)) for s in seeds])

    # --- layout ---------------------------------------------------------------
    def _adopt(self, params: np.ndarray, rngs: list, optimizer_state: dict | None) -> None:
        """Take ``params`` (S, N) as the seeds trained from now on; views, buffers
        and plans are rebuilt for the new S."""
        self.params = params
        self.rngs = rngs
        self.grad = np.zeros_like(params)
        self._tmp = np.empty_like(params)
        self.blocks = self._split(params)
        self._grad_blocks = self._split(self.grad)
        self.optimizer = make_optimizer(self.config, params.shape)
        if optimizer_state is not None:
            self.optimizer.set_state(optimizer_state)
        self._buffers: dict[int, Buffers] = {}
        self._plans: dict[int, list[Op]] = {}
        self._runs: dict[int, Callable[[int], None] | int] = defaultdict(int)
        self._clean: tuple[Buffers, list[Op]] | None = None   # evaluate()'s forward pass

    def _split(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views (S, n_k + 1, n_{k+1}) of an (S, N) array, one per layer pair."""
        out, start, S = [], 0, flat.shape[0]
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (n_in + 1) * n_out
            out.append(flat[:, start:stop].reshape(S, n_in + 1, n_out))
            start = stop
        return out

    @property
    def seeds(self) -> int:
        return self.params.shape[0]

    def keep(self, rows: np.ndarray) -> None:
        """Train only the seeds at ``rows`` (indices or a bool mask) from now on."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        state = {k: (v[rows].copy() if isinstance(v, np.ndarray) else v)
                 for k, v in self.optimizer.state().items()}
        self._adopt(self.params[rows].copy(), [self.rngs[i] for i in rows], state)

    def network(self, row: int) -> Network:
        """A copy of seed ``row``'s network."""
        return Network(self.sizes, self.activations, self.params[row].copy())

    # --- the compiled plan ----------------------------------------------------
    def _buffers_for(self, batch: int) -> Buffers:
        if batch not in self._buffers:
            self._buffers[batch] = Buffers(self.sizes, batch, seeds=self.seeds)
        return self._buffers[batch]

    def _plan(self, batch: int) -> list[Op]:
        """Forward, backward and update ops for a batch of this size."""
        if batch not in self._plans:
            buf = self._buffers_for(batch)
            ops = forward_ops(self.activations, self.blocks, buf, np.matmul)
            ops += backward_ops(self.activations, self.blocks, self.code_layer, self.config,
                                buf, self._grad_blocks, self.patterns.sum_to_one, np.matmul)
            if self.config.weight_decay:
                ops += weight_decay_ops(self.params, self.grad, self._tmp,
                                        self._weight_mask * self.config.weight_decay)
            ops += self.optimizer.step_ops(self.params, self.grad)
            self._plans[batch] = ops
        return self._plans[batch]

    def _run_plan(self, batch: int) -> None:
        """The plan once; from its 16th use on (``keep`` starts again) as one
        compiled function (``plan.compile_ops``): compiling costs some
        milliseconds, and a study keeps fewer seeds every few epochs."""
        run = self._runs[batch]
        if isinstance(run, int):
            if run < 16:
                self._runs[batch] = run + 1
                for op in self._plan(batch):
                    op()
                return
            run = self._runs[batch] = compile_ops(self._plan(batch))
        run(1)

    def _epoch_is_short(self, batch: int) -> bool:
        """A batch's products cost so little (S B sum_k n_k n_{k+1} < 4e6
        multiply-adds, a few milliseconds) that ``cancelled`` is polled between
        batches rather than between operations."""
        macs = sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        return self.seeds * batch * macs < 4e6

    @property
    def full_batch(self) -> bool:
        return self.patterns.full_batch(self.config)

    def _batches(self) -> list[np.ndarray | None]:
        """This epoch's batches: None (all patterns, in order) or (S, B) indices,
        each seed's order drawn from its own generator as ``Trainer.batches``."""
        return self.patterns.batches(
            self.config, lambda: np.stack([rng.permutation(len(self.data)) for rng in self.rngs]),
            self.seeds)

    # --- training -------------------------------------------------------------
    def run_epoch(self, cancelled: Callable[[], bool] | None = None) -> Buffers | None:
        """One epoch for every seed; returns the last batch's buffers (its forward
        pass is of the weights before that batch's update).  ``cancelled`` is polled
        between two operations (a layer's product of a 10 x 1024 net takes a
        moment, its epoch seconds); when it says so the epoch is abandoned half
        done and None is returned: the trainer is then not to be used again."""
        with _quiet():
            for idx in self._batches():
                buf = self._buffers_for(len(self.data) if idx is None else idx.shape[1])
                self.patterns.load(buf, idx, self.config, lambda: self.rngs)
                if cancelled is None or self._epoch_is_short(buf.batch):
                    self._run_plan(buf.batch)
                    continue
                for op in self._plan(buf.batch):
                    if cancelled():
                        return None
                    op()
        self.epoch += 1
        self.last_buffers = buf
        return buf

    def run(self, epochs: int) -> None:
        for _ in range(epochs):
            self.run_epoch()

    def finite(self) -> np.ndarray:
        """(S,) bool: the seed's parameters and last forward output are finite
        (the single engine's ``Trainer.is_finite``)."""
        buf = getattr(self, "last_buffers", None)
        return finite_rows(self.params, None if buf is None else buf.Y)

    # --- evaluation on clean data ---------------------------------------------
    @property
    def trains_on_clean_data(self) -> bool:
        """Each epoch is one forward pass over all the clean patterns in order, so
        ``last_buffers`` measure the weights the epoch started from."""
        return self.full_batch and not self.config.noise.active

    def evaluate(self) -> tuple[np.ndarray, np.ndarray]:
        """(objective (S,), reconstructed (S, P)) of the current weights on the
        clean patterns: the loss plus Omega(h) and weight decay, as ``evaluate``
        gives ``loss + penalty``, and the one definition of "reconstructed"."""
        if self._clean is None:
            buf = Buffers(self.sizes, len(self.data), seeds=self.seeds)
            self.patterns.load(buf, None, self.config.with_(noise=Noise()), list)
            self._clean = (buf, forward_ops(self.activations, self.blocks, buf, np.matmul))
        buf, ops = self._clean
        with _quiet():
            for op in ops:
                op()
        return self.measure(buf, self.params)

    def measure(self, buf: Buffers, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``evaluate`` for a forward pass over the clean patterns held in ``buf``
        (of the weights ``params``, which the weight decay term uses)."""
        with _quiet():
            objective = seed_losses(self.config.loss, self.activations[-1], buf.Z[-1], buf.Y,
                                    buf.T)
            objective += self._penalties(buf, params)
            return objective, is_reconstructed(buf.T, buf.Y, self.activations[-1])

    def _penalties(self, buf: Buffers, params: np.ndarray) -> np.ndarray:
        cfg, out = self.config, np.zeros(self.seeds)
        if cfg.weight_decay:
            w = params * self._weight_mask
            out += 0.5 * cfg.weight_decay * np.einsum("sn,sn->s", w, w)
        c = self.code_layer
        if cfg.sparsity.active and c < len(self.activations):
            h = buf.out[c - 1]
            out += [sparsity_penalty(cfg.sparsity, self.activations[c - 1], h[s])
                    for s in range(self.seeds)]
        return out


def seed_losses(loss: str, out_activation: str, z: np.ndarray, y: np.ndarray,
                x: np.ndarray) -> np.ndarray:
    """``losses.reconstruction_loss`` for each seed: z, y, x are (S, P, n); (S,)."""
    return loss_for(loss).value(out_activation, z, y, x)
