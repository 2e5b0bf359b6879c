"""Training: forward pass, backpropagation and the optimiser step, compiled per
batch size into a fixed list of NumPy calls that allocate nothing.

For each batch size B the trainer keeps a ``Buffers`` of preallocated arrays
(``A[k]`` activations with a ones column, ``Z[k]`` pre-activations, ``D[k]``
error signals, ``Y`` output, ``T`` targets; see :mod:`aeviz.core.engine.plan`, shared
with the batched trainer).

J = L(x, g(f(x'))) + Omega(h) + 1/2 wd sum W^2 is the objective.  Its gradient is
written into ``grad``, laid out like ``Network.params``: block k is
A[k]^T @ D[k] = [dJ/dW[k]; dJ/db[k]].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from aeviz.core.engine import activations as act
from aeviz.core.config import TrainingConfig
from aeviz.core.engine.losses import (check_compatible, reconstruction_loss, sparsity_penalty,
                               weight_decay_penalty)
from aeviz.core.engine.network import Network
from aeviz.core.engine.optimizers import Optimizer, make_optimizer
from aeviz.core.engine.plan import (Buffers, LayerView, Op, Patterns, backward_ops, compile_ops,
                             feed_next_ops, finite_rows, forward_ops, output_delta_ops,
                             weight_decay_ops, weight_mask)
from aeviz.core.engine.variational import (CodeBuffers, code_backward_ops, code_forward_ops,
                                    encoder_backward_ops)

def _quiet() -> np.errstate:
    """Overflow is detected by ``is_finite()``, not warned about."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


@dataclass(frozen=True)
class BatchResult:
    """Objective parts of one batch, measured before its update."""

    loss: float      # reconstruction loss L
    penalty: float   # Omega(h) + weight decay

    @property
    def objective(self) -> float:
        return self.loss + self.penalty


class Trainer:
    """Trains ``net`` in place on patterns ``data`` of shape (P, n_0).

    ``rng`` draws shuffles and noise; by default ``default_rng(config.seed)``.
    Settings may change between steps with :meth:`set_config`.
    """

    def __init__(self, net: Network, config: TrainingConfig, data: np.ndarray,
                 rng: np.random.Generator | None = None) -> None:
        data = np.ascontiguousarray(data, dtype=float)
        if data.ndim != 2 or data.shape[1] != net.sizes[0] or len(data) == 0:
            raise ValueError(f"data must have shape (patterns, {net.sizes[0]})")
        self.net = net
        self.data = data
        self.patterns = Patterns(data)
        self._rng = rng
        self._rng_seed = config.seed       # the default generator's seed, fixed now
        self.epoch = 0                 # completed epochs
        self._pending: list[np.ndarray | None] = []   # batches left in a started epoch
        self.grad = np.zeros_like(net.params)
        self._tmp = np.empty_like(net.params)
        self._grad_blocks = net.split(self.grad)
        self._weight_mask = weight_mask(net)                 # 1 on weights, 0 on biases
        self._grad_logvar = net.split_logvar(self.grad)
        self._code_buffers: dict[int, CodeBuffers] = {}     # variational code, per batch size
        self._buffers: dict[int, Buffers] = {}
        self._plans: dict[int, tuple[list[Op], list[Op], list[Op]]] = {}
        self._runs: dict[int, tuple] = {}      # batch -> (plan, its compiled run)
        self.config = config
        self.optimizer: Optimizer = make_optimizer(config, net.params.size)
        self.set_config(config)

    # --- settings -----------------------------------------------------------
    def set_config(self, config: TrainingConfig) -> None:
        """Use new settings from the next step on.  Optimiser state is kept
        unless the optimiser kind changes."""
        check_compatible(config, self.net.activations, self.net.code_layer, self.net.variational)
        if config.optimizer != self.config.optimizer:
            self.optimizer = make_optimizer(config, self.net.params.size)
        self.optimizer.configure(config)
        self.config = config
        self._wd_vector = self._weight_mask * config.weight_decay
        self._plans.clear()

    # --- the compiled plan ----------------------------------------------------
    def _buffers_for(self, batch: int) -> Buffers:
        if batch not in self._buffers:
            self._buffers[batch] = Buffers(self.net.sizes, batch)
        return self._buffers[batch]

    def _plan(self, batch: int) -> tuple[list[Op], list[Op], list[Op]]:
        """(forward, backward, update) ops for a batch of this size."""
        if batch not in self._plans:
            buf = self._buffers_for(batch)
            self._plans[batch] = (self._forward_ops(buf), self._backward_ops(buf),
                                  self.optimizer.step_ops(self.net.params, self.grad))
        return self._plans[batch]

    def _compiled(self, batch: int):
        """``run(n)``: forward, backward and update of this batch size, n times
        (``plan.compile_ops``; rebuilt with the plan)."""
        plan = self._plan(batch)
        cached = self._runs.get(batch)
        if cached is None or cached[0] is not plan:
            cached = self._runs[batch] = (plan, compile_ops(plan[0] + plan[1] + plan[2]))
        return cached[1]

    def _compiled_halves(self, batch: int):
        """``(forward, rest)``: the forward pass, and backward plus update, of this
        batch size, each as ``run(n)`` (for a run that looks at every epoch's
        outputs between the two)."""
        plan = self._plan(batch)
        cached = self._runs.get(("halves", batch))
        if cached is None or cached[0] is not plan:
            cached = self._runs[("halves", batch)] = (
                plan, (compile_ops(plan[0]), compile_ops(plan[1] + plan[2])))
        return cached[1]

    def _code_buffers_for(self, batch: int) -> CodeBuffers:
        if batch not in self._code_buffers:
            self._code_buffers[batch] = CodeBuffers(batch, self.net.code_size)
        return self._code_buffers[batch]

    def _forward_ops(self, buf: Buffers) -> list[Op]:
        net = self.net
        if not net.variational:
            return forward_ops(net.activations, net.blocks, buf, np.dot)
        ops: list[Op] = []
        cb, c = self._code_buffers_for(buf.batch), net.code_layer
        for k, name in enumerate(net.activations):
            if k == c - 1:
                ops += code_forward_ops(name, buf.A[k], net.blocks[k], net.logvar_block,
                                        buf.Z[k], buf.out[k], buf.R[k], cb)
            else:
                ops += forward_ops((name,), [net.blocks[k]], LayerView(buf, k), np.dot)
            ops += feed_next_ops(buf, k)
        return ops

    def _variational_backward_ops(self, buf: Buffers) -> list[Op]:
        """``backward_ops`` with the variational code (see ``variational``)."""
        net, cfg = self.net, self.config
        cb, c = self._code_buffers_for(buf.batch), net.code_layer
        ops = output_delta_ops(cfg, net.activations[-1], buf, self.patterns.sum_to_one)
        for k in range(net.depth - 1, -1, -1):
            ops.append(partial(np.dot, buf.A[k].T, buf.D[k], out=self._grad_blocks[k]))
            below = buf.D[k - 1] if k > 0 else None
            if k > 0:
                ops.append(partial(np.dot, buf.D[k], net.weights[k].T, out=buf.D[k - 1]))
            if k == c - 1:                     # into the code: mu's and log sigma^2's blocks
                ops += encoder_backward_ops(buf.A[k], self._grad_logvar, net.logvar_block,
                                            cb, below)
            if k == 0:
                break
            name = net.activations[k - 1]
            if k == c:                         # D[k-1] = dJ/dz of the sampled code
                ops += code_backward_ops(name, cfg.beta, buf.Z[k - 1], buf.D[k - 1],
                                         buf.F[k - 1], buf.R[k - 1], cb)
            else:
                ops += act.chain_ops(name, buf.Z[k - 1], buf.out[k - 1], buf.D[k - 1],
                                     buf.F[k - 1], buf.R[k - 1])
        return ops

    def _backward_ops(self, buf: Buffers) -> list[Op]:
        if self.net.variational:
            ops = self._variational_backward_ops(buf)
        else:
            ops = backward_ops(self.net.activations, self.net.blocks, self.net.code_layer,
                               self.config, buf, self._grad_blocks, self.patterns.sum_to_one,
                               np.dot)
        if self.config.weight_decay:                           # + wd * W (not biases)
            ops += weight_decay_ops(self.net.params, self.grad, self._tmp, self._wd_vector)
        return ops

    # --- one batch ----------------------------------------------------------
    def _load_batch(self, idx: np.ndarray | None) -> Buffers:
        """Inputs (corrupted if noise is on), clean targets and their row sums."""
        buf = self._buffers_for(len(self.data) if idx is None else len(idx))
        self.patterns.load(buf, idx, self.config, lambda: self.rng)
        if self.net.variational:
            self._code_buffers_for(buf.batch).sample(self.rng)
        return buf

    def measure(self, buf: Buffers) -> BatchResult:
        """Loss and penalty of the forward pass held in ``buf``."""
        net, cfg = self.net, self.config
        loss = reconstruction_loss(cfg.loss, net.activations[-1], buf.Z[-1], buf.Y, buf.T)
        penalty = weight_decay_penalty(cfg.weight_decay, net.all_weights)
        if cfg.sparsity.active:
            c = net.code_layer
            penalty += sparsity_penalty(cfg.sparsity, net.activations[c - 1], buf.out[c - 1])
        if net.variational:
            penalty += cfg.beta * self._code_buffers_for(buf.batch).kl()
        return BatchResult(loss, penalty)

    def step_batch(self, idx: np.ndarray | None = None, measure: bool = False,
                   update: bool = True) -> BatchResult | None:
        """Forward, backward and (if ``update``) one optimiser step on the patterns
        ``idx`` (None: all, in order).  Leaves dJ/dparams in ``grad`` and every
        intermediate value in ``last_buffers``."""
        buf = self._load_batch(idx)
        forward, backward, step = self._plan(buf.batch)
        with _quiet():
            for op in forward:
                op()
            result = self.measure(buf) if measure else None
            for op in backward + step if update else backward:
                op()
        self.last_buffers = buf
        return result

    def code_sample(self) -> dict | None:
        """For a variational code, copies of the last batch's mu, sigma, eps and the
        KL term (None for a plain code)."""
        buf = getattr(self, "last_buffers", None)
        if not self.net.variational or buf is None:
            return None
        cb = self._code_buffers_for(buf.batch)
        return {"mu": cb.MU.copy(), "sigma": cb.SIG.copy(), "eps": cb.EPS.copy(),
                "kl": cb.kl(), "beta": self.config.beta}

    def gradient(self, idx: np.ndarray | None = None) -> tuple[BatchResult, np.ndarray]:
        """(loss parts, a copy of dJ/dparams) for one batch, without updating."""
        result = self.step_batch(idx, measure=True, update=False)
        return result, self.grad.copy()

    # --- epochs -------------------------------------------------------------
    @property
    def full_batch(self) -> bool:
        return self.patterns.full_batch(self.config)

    def batches(self) -> list[np.ndarray | None]:
        """This epoch's batches as index arrays (None = all patterns in order).
        Shuffling draws from ``rng``; it is skipped for full batches, where the
        order of patterns does not change the gradient."""
        return self.patterns.batches(self.config, lambda: self.rng.permutation(len(self.data)))

    def next_batch(self) -> np.ndarray | None:
        """The next batch of the current epoch (starting a new epoch if needed)."""
        if not self._pending:
            self._pending = self.batches()
        return self._pending[0]

    @property
    def batch_position(self) -> tuple[int, int]:
        """(batches done, batches in all) of the current epoch; (0, n) between epochs."""
        n = 1 if self.full_batch else -(-len(self.data) // self.config.batch_size)
        return (n - len(self._pending)) % n if self._pending else 0, n

    def step_next_batch(self, measure: bool = False) -> BatchResult | None:
        """One update on the next batch (one pattern in online training); the
        epoch count advances when the epoch's last batch is done."""
        result = self.begin_step(measure)
        self.finish_step()
        return result

    def begin_step(self, measure: bool = True) -> BatchResult | None:
        """First half of :meth:`step_next_batch`: forward and backward on the next
        batch, leaving every intermediate value in ``last_buffers`` and dJ/dparams
        in ``grad``; nothing is updated yet."""
        with _quiet():
            return self.step_batch(self.next_batch(), measure, update=False)

    def finish_step(self) -> None:
        """Second half: the optimiser step with the gradient from begin_step."""
        buf = self.last_buffers
        with _quiet():
            for op in self._plan(buf.batch)[2]:
                op()
        self._pending.pop(0)
        if not self._pending:
            self.epoch += 1

    def train_epoch(self, measure: bool = False) -> BatchResult | None:
        """The rest of the current epoch (all of it between epochs).  With
        ``measure``, the batch-mean of loss and penalty, each measured before
        its batch's update."""
        results = [self.step_next_batch(measure)]
        while self._pending:
            results.append(self.step_next_batch(measure))
        if not measure:
            return None
        return BatchResult(sum(r.loss for r in results) / len(results),
                           sum(r.penalty for r in results) / len(results))

    def run(self, epochs: int, watch=None) -> None:
        """Train ``epochs`` epochs as fast as possible, measuring nothing (a
        started epoch is finished first and counts as one).

        ``watch(buf, epoch)``, on clean full batches only (see :meth:`watches`),
        is called after each epoch's forward pass, when ``buf.Y`` holds the
        outputs of the state after ``epoch`` epochs on the clean patterns; if it
        returns True the run ends there, before that epoch's update."""
        if self._pending and epochs > 0:
            self.train_epoch()
            epochs -= 1
        if not self.full_batch or self.config.noise.active or self.net.variational:
            with _quiet():                       # the same steps as train_epoch, inlined
                for _ in range(epochs):
                    for idx in self.batches():
                        buf = self._load_batch(idx)
                        self._compiled(buf.batch)(1)
                    self.epoch += 1
            if epochs > 0:
                self.last_buffers = buf
            return
        buf = self._load_batch(None)
        if watch is not None:
            forward, rest = self._compiled_halves(buf.batch)
            with _quiet():
                for _ in range(epochs):
                    forward(1)
                    if watch(buf, self.epoch):
                        break
                    rest(1)
                    self.epoch += 1
            self.last_buffers = buf
            return
        run = self._compiled(buf.batch)
        with _quiet():
            run(epochs)
        self.last_buffers = buf
        self.epoch += epochs

    @property
    def watches(self) -> bool:
        """Whether :meth:`run` can watch each state for free: full batches of the
        clean patterns (no noise, no sampled code)."""
        return self.full_batch and not self.config.noise.active and not self.net.variational

    def is_finite(self) -> bool:
        """Parameters and the last forward pass's output are all finite."""
        buf = getattr(self, "last_buffers", None)
        return bool(finite_rows(self.net.params, None if buf is None else buf.Y))

    def run_guarded(self, epochs: int, check_every: int = 256) -> int | None:
        """Like :meth:`run`, but stop at the first epoch whose update made a
        weight or the output NaN/Inf: the state before that epoch is restored
        and the number of that epoch (1-based) is returned; None if all went well."""
        done = 0
        while done < epochs:
            n = min(check_every, epochs - done)
            saved = self.state()
            self.run(n)
            if self.is_finite():
                done += n
                continue
            self.set_state(saved)                  # replay the chunk one epoch at a time
            for _ in range(n):
                before = self.state()
                self.run(1)
                if not self.is_finite():
                    self.set_state(before)
                    return self.epoch + 1
            return None                            # unreachable in exact arithmetic
        return None

    @property
    def rng(self) -> np.random.Generator:
        """The generator of shuffles and noise: ``rng`` as given, or
        ``default_rng(config.seed)`` with the seed the trainer was made with.  Made
        when first used: opening a lesson that never shuffles or corrupts need not
        import numpy.random (a tenth of the window's own start-up)."""
        if self._rng is None:
            self._rng = np.random.default_rng(self._rng_seed)
        return self._rng

    @rng.setter
    def rng(self, rng: np.random.Generator) -> None:
        self._rng = rng

    # --- state for snapshots and rewind ----------------------------------------
    def state(self) -> dict:
        """Copies of everything that determines the next steps."""
        return {"params": self.net.params.copy(), "epoch": self.epoch,
                "optimizer": self.optimizer.state(),
                "rng": self.rng.bit_generator.state,
                "pending": [None if b is None else b.copy() for b in self._pending]}

    def set_state(self, state: dict) -> None:
        np.copyto(self.net.params, state["params"])
        self.epoch = state["epoch"]
        self.optimizer.set_state(state["optimizer"])
        self.rng.bit_generator.state = state["rng"]
        self._pending = list(state.get("pending", []))
