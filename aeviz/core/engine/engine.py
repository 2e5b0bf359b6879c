"""The one training engine: networks of one shape trained by one compiled plan.

``Engine`` trains either one network (``params`` (N,), the single-seed case the
window, the command line and ``Trainer`` use) or S networks at once (``params``
(S, N), the seed study; ``Engine.from_seeds``).  Everything is the same code
for both: the data prepared once (``plan.Patterns``), each epoch's batches,
their loading and noise, the forward pass, backpropagation, weight decay and the
optimiser step as one list of NumPy calls (``plan.forward_ops`` /
``backward_ops``, run through ``plan.compile_ops``), and one divergence rule
(``plan.finite_rows``: a network whose parameters or last outputs are NaN or
infinite has diverged).  The only difference is the product: ``np.dot`` on
(B, n) arrays for one network, ``np.matmul`` on (S, B, n) arrays for S seeds,
which multiplies each seed's rows by its own parameters and never mixes seeds.

Seed s of ``from_seeds`` gives the very run of ``Trainer(Network.fresh(s),
config.with_(seed=s), data)``: the same Glorot draw, its own ``default_rng(s)``
for shuffles and noise (drawn in the same order), the same calls row by row.
A variational code (a VAE) trains one network at a time.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from aeviz.core.config import Noise, TrainingConfig
from aeviz.core.engine.losses import loss_for
from aeviz.core.engine.network import Network
from aeviz.core.engine.optimizers import make_optimizer
from aeviz.core.engine.penalties import check_compatible, sparsity_penalty
from aeviz.core.engine.plan import (Buffers, Op, Patterns, backward_ops, compile_ops, finite_rows,
                                    forward_ops, weight_decay_ops, weight_mask)
from aeviz.core.engine.variational import CodeBuffers, vae_backward_ops, vae_forward_ops
from aeviz.core.model import is_reconstructed

COMPILE_AFTER = 2      # a plan used more often is compiled (plan.compile_ops; the first
                       # plan of a shape costs milliseconds, later ones a tenth of one)


def quiet() -> np.errstate:
    """Overflow is detected by the divergence rule (``finite``), not warned about."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


class Engine:
    """Trains ``params`` (laid out like ``template.params``) on ``data`` (P, n_0).

    One network: ``params`` is ``template.params`` itself (trained in place) and
    ``rngs`` one generator or None (``default_rng(config.seed)``, made when first
    needed).  S seeds: ``params`` (S, N), one row per seed, and ``rngs`` a list of
    S generators.  Settings may change between epochs with :meth:`set_config`.
    """

    def __init__(self, template: Network, config: TrainingConfig, data: np.ndarray,
                 params: np.ndarray, rngs) -> None:
        data = np.ascontiguousarray(data, dtype=float)
        if data.ndim != 2 or data.shape[1] != template.sizes[0] or len(data) == 0:
            raise ValueError(f"data must have shape (patterns, {template.sizes[0]})")
        self.stacked = params.ndim == 2              # S seeds (else one network)
        if self.stacked and template.variational:
            raise ValueError("a variational code trains one network at a time "
                             "(study.run_seed)")
        check_compatible(config, template.activations, template.code_layer,
                         template.variational)
        self.template = template
        self.sizes, self.activations = template.sizes, template.activations
        self.code_layer = template.code_layer
        self.variational = template.variational
        self.config = config
        self.patterns = Patterns(data)
        self.data = self.patterns.X
        self._matmul = np.matmul if self.stacked else np.dot
        self._weight_mask = weight_mask(template)            # 1 on weights, 0 on biases
        self._rng_seed = config.seed          # the lazy generator's seed, fixed now
        self.epoch = 0                        # completed epochs
        self._adopt(params, rngs, None)
        self.set_config(config)

    @classmethod
    def from_seeds(cls, template: Network, config: TrainingConfig, data: np.ndarray,
                   seeds: Sequence[int], cancelled: Callable[[], bool] | None = None
                   ) -> "Engine | None":
        """S seeds, each with its fresh network (``Network.fresh``) and generator,
        as one network starts them; None if ``cancelled()`` (polled between two
        seeds: a 10 x 1024 network's draw takes a moment)."""
        fresh = []
        for s in seeds:
            if cancelled is not None and cancelled():
                return None
            fresh.append(template.fresh(int(s)).params)
        return cls(template, config, data, np.stack(fresh),
                   [np.random.default_rng(int(s)) for s in seeds])

    # --- layout ---------------------------------------------------------------
    def _adopt(self, params: np.ndarray, rngs, optimizer_state: dict | None) -> None:
        """Train ``params`` from now on; views, buffers and plans are made anew."""
        self.params = params
        self._rng = rngs
        self.grad = np.zeros_like(params)
        self._tmp = np.empty_like(params)
        self.blocks = self._split(params)
        self._grad_blocks = self._split(self.grad)
        self._grad_logvar = self.template.split_logvar(self.grad) if self.variational else None
        self.optimizer = make_optimizer(self.config, params.shape)
        if optimizer_state is not None:
            self.optimizer.set_state(optimizer_state)
        self._buffers: dict[int, Buffers] = {}
        self._code_buffers: dict[int, CodeBuffers] = {}
        self._clean: tuple[Buffers, list[Op]] | None = None    # evaluate()'s forward pass
        self._plans: dict[int, tuple[list[Op], list[Op], list[Op]]] = {}
        self._runs: dict = {}
        self._uses: dict[int, int] = {}

    def _split(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views P[k] (n_k + 1, n_{k+1}) of a vector laid out like ``params``, or
        (S, n_k + 1, n_{k+1}) of an (S, N) array."""
        out, start, lead = [], 0, flat.shape[:-1]
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (n_in + 1) * n_out
            out.append(flat[..., start:stop].reshape(lead + (n_in + 1, n_out)))
            start = stop
        return out

    @property
    def seeds(self) -> int:
        """Networks trained (1 for one network)."""
        return self.params.shape[0] if self.stacked else 1

    def keep(self, rows: np.ndarray) -> None:
        """Train only the seeds at ``rows`` (indices or a bool mask) from now on."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        state = {k: (v[rows].copy() if isinstance(v, np.ndarray) else v)
                 for k, v in self.optimizer.state().items()}
        self._adopt(self.params[rows].copy(), [self._rng[i] for i in rows], state)

    def network(self, row: int) -> Network:
        """A copy of seed ``row``'s network."""
        return Network(self.sizes, self.activations, self.params[row].copy())

    # --- settings -------------------------------------------------------------
    def set_config(self, config: TrainingConfig) -> None:
        """Use new settings from the next step on.  Optimiser state is kept unless
        the optimiser kind changes."""
        check_compatible(config, self.activations, self.code_layer, self.variational)
        if config.optimizer != self.config.optimizer:
            self.optimizer = make_optimizer(config, self.params.shape)
        self.optimizer.configure(config)
        self.config = config
        self._wd_vector = self._weight_mask * config.weight_decay
        self._plans.clear()
        self._runs.clear()
        self._uses.clear()

    @property
    def rng(self):
        """The generator of shuffles and noise (one network): as given, or
        ``default_rng(config.seed)`` with the seed the engine was made with, made
        when first used (opening a lesson that never shuffles or corrupts need not
        import numpy.random).  S seeds: the list of their generators."""
        if self._rng is None:
            self._rng = np.random.default_rng(self._rng_seed)
        return self._rng

    @rng.setter
    def rng(self, rng) -> None:
        self._rng = rng

    # --- the compiled plan ------------------------------------------------------
    def _buffers_for(self, batch: int) -> Buffers:
        if batch not in self._buffers:
            self._buffers[batch] = Buffers(self.sizes, batch,
                                           seeds=self.seeds if self.stacked else None)
        return self._buffers[batch]

    def _code_buffers_for(self, batch: int) -> CodeBuffers:
        if batch not in self._code_buffers:
            self._code_buffers[batch] = CodeBuffers(batch, self.template.code_size)
        return self._code_buffers[batch]

    def _plan(self, batch: int) -> tuple[list[Op], list[Op], list[Op]]:
        """(forward, backward with weight decay, optimiser step) for a batch of
        this size: the one plan of every network this engine trains."""
        if batch not in self._plans:
            buf, net, cfg = self._buffers_for(batch), self.template, self.config
            if self.variational:
                cb = self._code_buffers_for(batch)
                forward = vae_forward_ops(net, self.blocks, buf, cb)
                backward = vae_backward_ops(net, cfg, self.blocks, buf, cb, self._grad_blocks,
                                            self._grad_logvar, self.patterns.sum_to_one)
            else:
                forward = forward_ops(self.activations, self.blocks, buf, self._matmul)
                backward = backward_ops(self.activations, self.blocks, self.code_layer, cfg,
                                        buf, self._grad_blocks, self.patterns.sum_to_one,
                                        self._matmul)
            if cfg.weight_decay:                           # + wd * W (not biases)
                backward += weight_decay_ops(self.params, self.grad, self._tmp, self._wd_vector)
            self._plans[batch] = (forward, backward,
                                  self.optimizer.step_ops(self.params, self.grad))
        return self._plans[batch]

    def _run_plan(self, batch: int, n: int = 1) -> None:
        """The whole plan (forward, backward, update) ``n`` times; from its
        COMPILE_AFTER-th use on as one compiled function (``plan.compile_ops``:
        the same calls, the same bits)."""
        run = self._runs.get(batch)
        if run is None:
            uses = self._uses[batch] = self._uses.get(batch, 0) + n
            if uses <= COMPILE_AFTER:
                ops = [op for part in self._plan(batch) for op in part]
                for _ in range(n):
                    for op in ops:
                        op()
                return
            run = self._runs[batch] = compile_ops(sum(self._plan(batch), []))
        run(n)

    def _halves(self, batch: int):
        """``(forward, rest)``, each compiled as ``run(n)``: for a run that looks at
        every epoch's outputs between the forward pass and the update."""
        key = ("halves", batch)
        if key not in self._runs:
            forward, backward, step = self._plan(batch)
            self._runs[key] = (compile_ops(forward), compile_ops(backward + step))
        return self._runs[key]

    # --- epochs -----------------------------------------------------------------
    @property
    def full_batch(self) -> bool:
        return self.patterns.full_batch(self.config)

    def batches(self) -> list[np.ndarray | None]:
        """This epoch's batches: None (all patterns, in order), else index arrays,
        (B,) or (S, B); shuffling draws from each network's generator (skipped for
        full batches, where the order of patterns does not change the gradient)."""
        P = len(self.data)
        if self.stacked:
            return self.patterns.batches(
                self.config, lambda: np.stack([g.permutation(P) for g in self.rng]), self.seeds)
        return self.patterns.batches(self.config, lambda: self.rng.permutation(P))

    def _load(self, idx: np.ndarray | None) -> Buffers:
        """Inputs (corrupted if noise is on), clean targets and their row sums of
        batch ``idx``; a variational code's eps drawn after the noise."""
        buf = self._buffers_for(len(self.data) if idx is None else idx.shape[-1])
        self.patterns.load(buf, idx, self.config, lambda: self.rng)
        if self.variational:
            self._code_buffers_for(buf.batch).sample(self.rng)
        return buf

    def _epoch_is_short(self, batch: int) -> bool:
        """A batch's products cost so little (S B sum_k n_k n_{k+1} < 4e6
        multiply-adds, a few milliseconds) that ``cancelled`` is polled between
        batches rather than between operations."""
        macs = sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        return self.seeds * batch * macs < 4e6

    def _short(self, batch: int) -> bool:
        """``_epoch_is_short``, worked out once per batch size and seed count."""
        key = ("short", batch)
        if key not in self._runs:
            self._runs[key] = self._epoch_is_short(batch)
        return self._runs[key]

    def run_epoch(self, cancelled: Callable[[], bool] | None = None) -> Buffers | None:
        """One epoch of every network; returns the last batch's buffers (its
        forward pass is of the weights before that batch's update).  ``cancelled``
        is polled between two operations of a long batch (a layer's product of a
        10 x 1024 net takes a moment); when it says so the epoch is abandoned half
        done and None is returned: the engine is then not to be used again."""
        with quiet():
            for idx in self.batches():
                buf = self._load(idx)
                if cancelled is None or self._short(buf.batch):
                    self._run_plan(buf.batch)
                    continue
                for op in sum(self._plan(buf.batch), []):
                    if cancelled():
                        return None
                    op()
        self.epoch += 1
        self.last_buffers = buf
        return buf

    @property
    def watches(self) -> bool:
        """Whether :meth:`run` can watch each state for free: full batches of the
        clean patterns (no noise, no sampled code)."""
        return self.full_batch and not self.config.noise.active and not self.variational

    trains_on_clean_data = watches

    def run(self, epochs: int, watch=None) -> None:
        """Train ``epochs`` epochs as fast as possible, measuring nothing.

        ``watch(buf, epoch)``, on clean full batches only (:attr:`watches`), is
        called after each epoch's forward pass, when ``buf.Y`` holds the outputs
        of the state after ``epoch`` epochs on the clean patterns; if it returns
        True the run ends there, before that epoch's update."""
        if epochs <= 0:
            return
        if not self.watches:                     # run_epoch's steps, inlined
            with quiet():
                for _ in range(epochs):
                    for idx in self.batches():
                        buf = self._load(idx)
                        self._run_plan(buf.batch)
                    self.epoch += 1
            self.last_buffers = buf
            return
        buf = self._load(None)
        if watch is not None:
            forward, rest = self._halves(buf.batch)
            with quiet():
                for _ in range(epochs):
                    forward(1)
                    if watch(buf, self.epoch):
                        break
                    rest(1)
                    self.epoch += 1
        else:
            with quiet():
                self._run_plan(buf.batch, epochs)
            self.epoch += epochs
        self.last_buffers = buf

    def split_epoch(self) -> tuple[Buffers, Callable[[int], None], Callable[[int], None]] | None:
        """``(buf, forward, rest)`` for a caller that checks every state between an
        epoch's forward pass and its update, as :meth:`run` with ``watch`` does,
        but one epoch at a time: ``forward(1)`` puts the outputs of the current
        state on the clean patterns in ``buf.Y``, ``rest(1)`` the backward pass and
        update (the same calls, the same bits as :meth:`run_epoch`); the caller
        counts ``epoch`` and sets ``last_buffers``.  Made anew after :meth:`keep`.
        None unless :attr:`watches` and an epoch is short (``_epoch_is_short``:
        no need to poll a ``cancelled`` between operations)."""
        if not self.watches or not self._short(len(self.data)):
            return None
        buf = self._load(None)
        forward, rest = self._halves(buf.batch)
        return buf, forward, rest

    def finite(self) -> np.ndarray:
        """The one divergence rule (``plan.finite_rows``): parameters and the last
        forward pass's output all finite; a 0-d bool, or (S,) for S seeds."""
        buf = getattr(self, "last_buffers", None)
        return finite_rows(self.params, None if buf is None else buf.Y)

    # --- evaluation on clean data -------------------------------------------------
    def clean_pass(self) -> Buffers:
        """The forward pass of the current weights over the clean patterns, in
        order, into buffers of its own (the training buffers are left alone)."""
        if self._clean is None:
            buf = Buffers(self.sizes, len(self.data), seeds=self.seeds if self.stacked else None)
            self.patterns.load(buf, None, self.config.with_(noise=Noise()), list)
            self._clean = (buf, forward_ops(self.activations, self.blocks, buf, self._matmul))
        buf, ops = self._clean
        with quiet():
            for op in ops:
                op()
        return buf

    def evaluate(self) -> tuple[np.ndarray, np.ndarray]:
        """(objective, reconstructed) of the current weights on the clean
        patterns, for each seed ((S,), (S, P)); see :meth:`measure_clean`."""
        return self.measure_clean(self.clean_pass(), self.params)

    def measure_clean(self, buf: Buffers, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(objective, reconstructed) of a forward pass over the clean patterns held
        in ``buf``, of the weights ``params`` (which weight decay uses): the loss
        plus Omega(h) and weight decay, as ``model.evaluate`` gives ``loss +
        penalty``, and the one definition of "reconstructed"."""
        cfg, c = self.config, self.code_layer
        with quiet():
            objective = loss_for(cfg.loss).value(self.activations[-1], buf.Z[-1], buf.Y, buf.T)
            penalty = np.zeros(params.shape[:-1])
            if cfg.weight_decay:
                w = params * self._weight_mask
                penalty += 0.5 * cfg.weight_decay * np.einsum("...n,...n->...", w, w)
            if cfg.sparsity.active and c < len(self.activations):
                h, act = buf.out[c - 1], self.activations[c - 1]
                penalty += ([sparsity_penalty(cfg.sparsity, act, h[s]) for s in range(len(h))]
                            if self.stacked else sparsity_penalty(cfg.sparsity, act, h))
            objective += penalty
            return objective, is_reconstructed(buf.T, buf.Y, self.activations[-1])
