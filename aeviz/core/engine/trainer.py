"""One network's training: :class:`Trainer` is the engine (``engine.Engine``,
the same class the seed study runs with S seeds) with one network, plus what
the window and the command line need of a single network: stepping batch by
batch (the phase walk), the loss of each batch, its gradient, a guarded run
that stops before an update makes the weights NaN/Inf, and the state for
snapshots and rewind.  It owns no maths of its own: data, batches, the
compiled plan, weight decay, the optimiser and the divergence rule are the
engine's.

J = L(x, g(f(x'))) + Omega(h) + 1/2 wd sum W^2 is the objective.  Its gradient is
written into ``grad``, laid out like ``Network.params``: block k is
A[k]^T @ D[k] = [dJ/dW[k]; dJ/db[k]].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.config import TrainingConfig
from aeviz.core.engine.engine import Engine, quiet
from aeviz.core.engine.losses import reconstruction_loss
from aeviz.core.engine.network import Network
from aeviz.core.engine.optimizers import make_optimizer
from aeviz.core.engine.penalties import sparsity_penalty, weight_decay_penalty
from aeviz.core.engine.plan import Buffers


@dataclass(frozen=True)
class BatchResult:
    """Objective parts of one batch, measured before its update."""

    loss: float      # reconstruction loss L
    penalty: float   # Omega(h) + weight decay

    @property
    def objective(self) -> float:
        return self.loss + self.penalty


class Trainer(Engine):
    """Trains ``net`` in place on patterns ``data`` of shape (P, n_0): the engine
    with one network (``params`` is ``net.params``).

    ``rng`` draws shuffles and noise; by default ``default_rng(config.seed)``.
    Settings may change between steps with :meth:`set_config`.
    """

    def __init__(self, net: Network, config: TrainingConfig, data: np.ndarray,
                 rng: np.random.Generator | None = None) -> None:
        self._pending: list[np.ndarray | None] = []   # batches left in a started epoch
        super().__init__(net, config, data, net.params, rng)

    @property
    def net(self) -> Network:
        """The network trained (in place)."""
        return self.template

    # --- one batch ----------------------------------------------------------
    def _load_batch(self, idx: np.ndarray | None) -> Buffers:
        """Inputs (corrupted if noise is on), clean targets and their row sums."""
        return self._load(idx)

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
        with quiet():
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
        with quiet():
            return self.step_batch(self.next_batch(), measure, update=False)

    def finish_step(self) -> None:
        """Second half: the optimiser step with the gradient from begin_step."""
        buf = self.last_buffers
        with quiet():
            for op in self._plan(buf.batch)[2]:
                op()
        self._pending.pop(0)
        if not self._pending:
            self.epoch += 1

    def train_epoch(self, measure: bool = False) -> BatchResult | None:
        """The rest of the current epoch (all of it between epochs).  With
        ``measure``, the batch-mean of loss and penalty, each measured before
        its batch's update."""
        if measure and not self._pending:
            return self._measured_epoch()
        results = [self.step_next_batch(measure)]
        while self._pending:
            results.append(self.step_next_batch(measure))
        if not measure:
            return None
        return BatchResult(sum(r.loss for r in results) / len(results),
                           sum(r.penalty for r in results) / len(results))

    def _measured_epoch(self) -> BatchResult:
        """A whole epoch with each batch's loss and penalty measured between its
        forward pass and its update: :meth:`step_next_batch`'s calls in its order
        (the same bits), each half compiled (``_halves``) rather than stepped
        through one batch at a time (the 1,797 digits' 29 batches: ~30 % less
        time an epoch)."""
        results = []
        with quiet():
            for idx in self.batches():
                buf = self._load_batch(idx)
                forward, rest = self._halves(buf.batch)
                forward(1)
                results.append(self.measure(buf))
                rest(1)
        self.last_buffers = buf
        self.epoch += 1
        return BatchResult(sum(r.loss for r in results) / len(results),
                           sum(r.penalty for r in results) / len(results))

    def run(self, epochs: int, watch=None) -> None:
        """``Engine.run`` (see there; ``watch`` on clean full batches), after
        finishing a started epoch first, which counts as one."""
        if self._pending and epochs > 0:
            self.train_epoch()
            epochs -= 1
        super().run(epochs, watch)

    def is_finite(self) -> bool:
        """The divergence rule (``Engine.finite``): parameters and the last forward
        pass's output are all finite."""
        return bool(self.finite())

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

    # --- state for snapshots and rewind ----------------------------------------
    def state(self) -> dict:
        """Copies of everything that determines the next steps."""
        return {"params": self.net.params.copy(), "epoch": self.epoch,
                "optimizer": self.optimizer.state(),
                "rng": self.rng.bit_generator.state,
                "pending": [None if b is None else b.copy() for b in self._pending]}

    def set_state(self, state: dict) -> None:
        """Go on from ``state`` (as :meth:`state` gives).  An ``optimizer`` or ``rng``
        of None means a fresh one (zero momentum; the generator of the settings'
        seed), and so does an optimiser state of another kind (the settings
        changed since it was taken)."""
        np.copyto(self.net.params, state["params"])
        self.epoch = state["epoch"]
        optimizer = state.get("optimizer")
        if optimizer is None or set(optimizer) != set(self.optimizer.state()):
            optimizer = make_optimizer(self.config, self.params.shape).state()
        self.optimizer.set_state(optimizer)
        rng = state.get("rng")
        self.rng.bit_generator.state = (np.random.default_rng(self.config.seed).bit_generator.state
                                        if rng is None else rng)
        self._pending = list(state.get("pending", []))
