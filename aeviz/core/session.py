"""A training session: the trainer plus its loss history, rewind snapshots,
stop conditions, divergence guard and stuck detector.  The GUI's worker thread
calls :meth:`TrainingSession.advance` in small chunks; nothing here knows Qt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.config import TrainingConfig
from aeviz.core.history import LossHistory, Snapshots
from aeviz.core.model import evaluate, shared_codes, twin_units, twins_sentence
from aeviz.core.network import Network
from aeviz.core.optimizers import make_optimizer
from aeviz.core.trainer import Trainer


@dataclass(frozen=True)
class StopRule:
    """When to pause by itself (any that are set): after ``epochs`` more epochs,
    when the objective falls below ``loss_below``, or when every pattern is
    reconstructed."""

    epochs: int | None = None
    loss_below: float | None = None
    all_reconstructed: bool = False


@dataclass(frozen=True)
class Event:
    """Why a run stopped by itself: kind is epochs, loss, reconstructed or diverged."""

    kind: str
    epoch: int
    message: str


class TrainingSession:
    """Trains its own copy of a network; ``state()``/``restore()`` move it in time."""

    def __init__(self, net: Network, config: TrainingConfig, data: np.ndarray,
                 snapshot_capacity: int = 1000) -> None:
        self.trainer = Trainer(net.copy(), config, data)
        self.history = LossHistory()
        self.snapshots = Snapshots(snapshot_capacity)
        self.snapshots.add(self.trainer.state())
        self.snapshot_every = 10       # keep a rewind snapshot every n-th epoch
        self.stop_rule = StopRule()
        self._stop_at: int | None = None
        self.origin = None             # set by Lesson.start_session: (revision, start point)

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def params(self) -> np.ndarray:
        return self.trainer.net.params

    def set_stop_rule(self, rule: StopRule) -> None:
        """Start counting ``rule.epochs`` from now."""
        self.stop_rule = rule
        self._stop_at = None if rule.epochs is None else self.epoch + rule.epochs

    def set_config(self, config: TrainingConfig) -> None:
        self.trainer.set_config(config)

    def set_state(self, state: dict) -> None:
        """Go on from ``state`` (as ``Trainer.state()``); an ``optimizer`` or ``rng``
        of None means a fresh one (zero momentum, the generator of the seed), and so
        does an optimiser state of another kind (the settings changed since)."""
        t = self.trainer
        np.copyto(t.net.params, state["params"])
        t.epoch = state["epoch"]
        optimizer = state.get("optimizer")
        if optimizer is None or set(optimizer) != set(t.optimizer.state()):
            optimizer = make_optimizer(t.config, t.net.params.size).state()
        t.optimizer.set_state(optimizer)
        rng = state.get("rng")
        t.rng.bit_generator.state = (np.random.default_rng(t.config.seed).bit_generator.state
                                     if rng is None else rng)
        t._pending = list(state.get("pending", []))

    # --- training -------------------------------------------------------------
    def advance(self, epochs: int, record_every: int = 1) -> Event | None:
        """Train up to ``epochs`` epochs, measuring the loss every ``record_every``-th
        epoch; stop early (returning why) at a stop condition or when the weights
        blow up (then the last finite state is back)."""
        if self._stop_at is not None:
            epochs = min(epochs, self._stop_at - self.epoch)
        t = self.trainer
        saved = t.state()
        start_rows = len(self.history)
        done = 0
        while done < epochs:
            gap = record_every - 1 - (t.epoch % record_every)
            if gap:
                n = min(gap, epochs - done)
                t.run(n)
                done += n
                continue
            r = t.train_epoch(measure=True)
            self.history.append(t.epoch, r.loss, r.penalty)
            done += 1
            if t.epoch % self.snapshot_every == 0 and np.isfinite(r.objective):
                self.snapshots.add(t.state())
        if not (t.is_finite() and np.isfinite(self.history.column("objective")[start_rows:]).all()):
            return self._diverged(saved, epochs)
        if done and self.snapshots.epochs[-1] != t.epoch:
            self.snapshots.add(t.state())
        return self._check_stop()

    def step(self) -> Event | None:
        """One update: one batch (one pattern online, the whole set full-batch)."""
        t = self.trainer
        saved = t.state()
        r = t.step_next_batch(measure=True)
        if not t.is_finite() or not np.isfinite(r.objective):
            return self._diverged(saved, 1)
        self.history.append(t.epoch, r.loss, r.penalty)
        self.snapshots.add(t.state())
        return self._check_stop()

    def _diverged(self, saved: dict, epochs: int) -> Event:
        """Replay from ``saved`` one epoch at a time to find the first bad one."""
        t = self.trainer
        t.set_state(saved)
        self.history.truncate_after(saved["epoch"])
        self.snapshots.truncate_after(saved["epoch"])
        bad = t.run_guarded(max(epochs, 1), check_every=1) or t.epoch + 1
        lr = t.config.learning_rate
        return Event("diverged", bad,
                     f"learning rate {lr:g} made the weights blow up (NaN or infinity) at "
                     f"epoch {bad}; the last finite weights, from epoch {t.epoch}, are back")

    def _check_stop(self) -> Event | None:
        rule, epoch = self.stop_rule, self.epoch
        if self._stop_at is not None and epoch >= self._stop_at:
            self._stop_at = None
            return Event("epochs", epoch, f"stopped after {rule.epochs} epochs, at epoch {epoch}")
        if rule.loss_below is not None and len(self.history):
            last = float(self.history.column("objective")[-1])
            if last < rule.loss_below:
                return Event("loss", epoch, f"the loss {last:.4g} fell below "
                                            f"{rule.loss_below:g} at epoch {epoch}")
        if rule.all_reconstructed:
            t = self.trainer
            if evaluate(t.net, t.config, t.data).reconstructed.all():
                return Event("reconstructed", epoch,
                             f"every pattern is reconstructed at epoch {epoch}")
        return None

    # --- time travel ------------------------------------------------------------
    def state_at(self, epoch: int) -> dict | None:
        """The snapshot at or before ``epoch`` (a copy is not made: do not mutate)."""
        return self.snapshots.at_or_before(epoch)

    def continue_from(self, epoch: int) -> None:
        """Branch: go back to the snapshot at/before ``epoch`` and forget what came after."""
        state = self.snapshots.at_or_before(epoch)
        self.set_state(state)
        self.snapshots.truncate_after(state["epoch"])
        self.history.truncate_after(state["epoch"])

    def restart(self) -> None:
        """Back to the very first state (same initial weights, optimiser, generator)."""
        self.continue_from(self.snapshots.epochs[0])

    # --- diagnosis ----------------------------------------------------------------
    def stuck_report(self) -> str | None:
        t = self.trainer
        return stuck_report(self.history, t.net, t.config, t.data)


def stuck_report(history: LossHistory, net: Network, config: TrainingConfig, data: np.ndarray,
                 window: int = 300, tolerance: float = 0.01) -> str | None:
    """A sentence if the objective has not improved by ``tolerance`` (relative)
    over the last ``window`` epochs while some patterns are not reconstructed
    or share a code; None otherwise."""
    epochs = history.column("epoch")
    if len(epochs) < 2 or epochs[-1] - epochs[0] < window:
        return None
    objective = history.column("objective")
    then = objective[np.searchsorted(epochs, epochs[-1] - window)]
    now = objective[-1]
    if then - now > tolerance * abs(then):
        return None
    ev = evaluate(net, config, data)
    missed = [str(p + 1) for p in np.flatnonzero(~ev.reconstructed)]
    shared = [g for g in shared_codes(ev.codes) if len(g) > 1]
    if not missed and not shared:
        return None
    parts = []
    if missed:
        parts.append("pattern" + ("s " if len(missed) > 1 else " ") + ", ".join(missed)
                     + " not reconstructed")
    for g in shared:
        parts.append("patterns " + " and ".join(str(p + 1) for p in g) + " share a code")
    twins = twins_sentence(twin_units(net, data))
    return (f"Stuck? The loss has not improved for {window} epochs: " + "; ".join(parts)
            + ". " + (twins if twins else "Try a new seed."))
