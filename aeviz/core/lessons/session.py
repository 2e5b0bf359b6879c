"""A training session: the trainer plus its loss history, rewind snapshots,
stop conditions, divergence guard and stuck detector.  The GUI's worker thread
calls :meth:`TrainingSession.advance` in small chunks; nothing here knows Qt.

Whether a run has diverged is decided by the engine's one rule alone
(``Engine.finite`` / ``plan.finite_rows``: a parameter or an output of the last
forward pass is NaN or infinite), as for the command line and the seed study.
A loss that overflows while the weights and outputs are still finite (an mse
of outputs near 1e160) is recorded as it is (inf), not called a divergence: the
replay that finds the first bad epoch uses the same rule, so the two agree."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from aeviz.core.measures import phases
from aeviz.core.config import TrainingConfig
from aeviz.core.lessons.history import LossHistory, Snapshots
from aeviz.core.model import (ReconstructedCount, evaluate, shared_codes, twin_units,
                              twins_sentence)
from aeviz.core.engine.network import Network
from aeviz.core.measures.solved import HOLD, KEEP_FLICKERS, Streak
from aeviz.core.engine.trainer import Trainer


@dataclass(frozen=True)
class StopRule:
    """When to pause by itself (any that are set): after ``epochs`` more epochs,
    when the objective falls below ``loss_below``, or when the run is solved
    (every pattern reconstructed for HOLD epochs in a row: it stops at the
    epoch that completes them)."""

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
        self.streak = Streak()         # every pattern reconstructed: epochs in a row (solved)
        self.snapshots.add(self.state())
        self.snapshot_every = 10       # keep a rewind snapshot every n-th epoch
        self.stop_rule = StopRule()
        self._stop_at: int | None = None
        self.origin = None             # set by Lesson.start_session: (revision, start point)
        self._retuned: deque[TrainingConfig] = deque(maxlen=1)   # settings to take (retune)
        # (epoch, zs, acts) of the last reconstruction check's forward pass on the
        # clean patterns, kept when ``keep_checked`` (a training process: a frame of
        # that epoch evaluates the dataset without a second forward pass)
        self.keep_checked = False
        self.checked: tuple[int, list[np.ndarray], list[np.ndarray]] | None = None

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def params(self) -> np.ndarray:
        return self.trainer.net.params

    def state(self) -> dict:
        """The trainer's state (``Trainer.state()``) and the reconstruction streak."""
        params = self.trainer.net.params
        return dict(self.trainer.state(), streak=self.streak.to_state(),
                    streak_of=Streak.fingerprint(params))

    def set_stop_rule(self, rule: StopRule) -> None:
        """Start counting ``rule.epochs`` from now."""
        self.stop_rule = rule
        self._stop_at = None if rule.epochs is None else self.epoch + rule.epochs

    def set_config(self, config: TrainingConfig) -> None:
        self.trainer.set_config(config)

    @property
    def config(self) -> TrainingConfig:
        """The settings it trains with now."""
        return self.trainer.config

    def retune(self, config: TrainingConfig) -> None:
        """Train with ``config`` from the next chunk on (:meth:`advance`,
        :meth:`begin_step`): safe to call from another thread than the one
        training (a one-slot ``deque``, whose append and pop are atomic; the
        latest settings win), the optimiser state kept (``Trainer.set_config``)."""
        self._retuned.append(config)

    def take_retuned(self) -> TrainingConfig | None:
        """The settings :meth:`retune` handed over and not taken yet (taken now:
        a training process gets them instead), or None."""
        try:
            return self._retuned.pop()
        except IndexError:
            return None

    def _take_settings(self) -> None:
        config = self.take_retuned()
        if config is not None:
            self.set_config(config)

    def set_state(self, state: dict) -> None:
        """Go on from ``state`` (``Trainer.set_state``: an ``optimizer`` or ``rng`` of
        None means a fresh one, and so does an optimiser state of another kind)
        and its reconstruction streak."""
        self.trainer.set_state(state)
        self.streak = Streak.from_state(state)
        self.checked = None                    # (another state: its check is not this one's)

    # --- training -------------------------------------------------------------
    def advance(self, epochs: int, record_every: int = 1) -> Event | None:
        """Train up to ``epochs`` epochs, measuring the loss every ``record_every``-th
        epoch (and the last), checking after every epoch whether every pattern is
        reconstructed (:attr:`streak`); stop early (returning why) at a stop
        condition or when the weights blow up (then the last finite state is back)."""
        self._take_settings()
        if self._stop_at is not None:
            epochs = min(epochs, self._stop_at - self.epoch)
        t = self.trainer
        saved = self.state()
        end = t.epoch + epochs
        solved_stop = self.stop_rule.all_reconstructed
        while t.epoch < end:
            if solved_stop and self.streak.confirmed(t.epoch):
                break
            gap = min(record_every - 1 - (t.epoch % record_every), end - t.epoch - 1)
            if gap:
                self._run_checked(gap, solved_stop)
                continue
            r = t.train_epoch(measure=True)
            self.history.append(t.epoch, r.loss, r.penalty)
            self._check_epoch()
            if t.epoch % self.snapshot_every == 0:
                self.snapshots.add(self.state())       # a bad one goes with _diverged
        if not t.is_finite():                           # the engine's one divergence rule
            return self._diverged(saved, epochs)
        if epochs:
            self._check_now()                   # the state the chunk ends on
            if self.snapshots.epochs[-1] != t.epoch:
                self.snapshots.add(self.state())
        return self._check_stop()

    def _run_checked(self, epochs: int, solved_stop: bool) -> None:
        """``epochs`` unrecorded epochs, each state checked (stopping at the one
        that completes HOLD when ``solved_stop``)."""
        t = self.trainer
        if t.watches and not t._pending:
            def watch(buf, epoch: int) -> bool:
                self._note(epoch, self._count.count(buf.Y))
                return solved_stop and self.streak.confirmed(epoch)
            t.run(epochs, watch)
            return
        for _ in range(epochs):
            t.run(1)
            self._check_epoch()
            if solved_stop and self.streak.confirmed(t.epoch):
                return

    @property
    def _count(self):
        if getattr(self, "_counter", None) is None:
            self._counter = ReconstructedCount(self.trainer.data, self.trainer.net.activations[-1])
        return self._counter

    def _note(self, epoch: int, reconstructed: int) -> None:
        self.streak = self.streak.after(epoch, reconstructed, len(self.trainer.data))

    def _check_epoch(self) -> None:
        """Note whether every pattern is reconstructed after the epoch just
        trained.  On clean full batches the epoch's forward pass held the
        outputs of the state before it (free, one epoch late); the state itself
        is checked at the end of a chunk (``_check_now``) and otherwise when it
        may complete HOLD.  Else a forward pass on the clean patterns."""
        t = self.trainer
        buf = getattr(t, "last_buffers", None)
        if t.watches and buf is not None and buf.batch == len(t.data):
            self._note(t.epoch - 1, self._count.count(buf.Y))
            if self.streak.at(t.epoch - 1) == HOLD - 1:
                self._check_now()
        else:
            self._check_now()

    def _check_now(self) -> None:
        """Check the current state with a forward pass on the clean patterns."""
        t = self.trainer
        if self.streak.epoch >= t.epoch:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            zs, acts = t.net.forward(t.data)
        if self.keep_checked:
            self.checked = (t.epoch, zs, acts)
        self._note(t.epoch, self._count.count(acts[-1]))

    def step(self) -> Event | None:
        """One update: one batch (one pattern online, the whole set full-batch)."""
        return self.finish_step(self.begin_step(traced=False))

    def begin_step(self, traced: bool = True) -> "phases.StepTrace | None":
        """Phases 1-5 of the next update (forward, error, backprop), nothing
        applied yet; with ``traced`` every value of it as a
        :class:`~aeviz.core.measures.phases.StepTrace` (the step-through shows it).
        :meth:`finish_step` applies it, with the same bookkeeping as :meth:`step`."""
        self._take_settings()
        self._step_from = (self.state(), self.trainer.epoch)
        if traced:
            return phases.begin(self.trainer)
        self._step_result = self.trainer.begin_step(measure=True)
        return None

    def finish_step(self, trace: "phases.StepTrace | None" = None) -> Event | None:
        """Phase 6 of the update :meth:`begin_step` began: the optimiser step, then
        the loss row, the reconstruction check and a rewind snapshot; a step that
        blows the weights up (the engine's rule, as in :meth:`advance`) is undone
        (Event ``diverged``)."""
        t = self.trainer
        saved, epoch = self._step_from
        if trace is not None:
            phases.finish(t, trace)
            loss, penalty = trace.loss, trace.penalty
        else:
            t.finish_step()
            loss, penalty = self._step_result.loss, self._step_result.penalty
        if not t.is_finite():               # a non-finite gradient leaves a non-finite weight
            return self._diverged(saved, 1)
        self.history.append(t.epoch, loss, penalty)
        if t.epoch > epoch:
            self._check_now()
        self.snapshots.add(self.state())
        return self._check_stop()

    def _diverged(self, saved: dict, epochs: int) -> Event:
        """Replay from ``saved`` one epoch at a time to find the first bad one.  The
        loss rows and snapshots recorded on the way up to the last finite epoch
        stay (the replay trains the same epochs again): they were dropped back to
        ``saved``, so the loss curve and the timeline stopped up to a chunk before
        the weights the window shows, and the rise of the loss was lost."""
        t = self.trainer
        self.set_state(saved)
        bad = t.run_guarded(max(epochs, 1), check_every=1) or t.epoch + 1
        self.history.truncate_after(t.epoch)
        self.snapshots.truncate_after(t.epoch)
        self._check_now()                       # the state the run ends on, as a chunk's end
        if not self.snapshots.epochs or self.snapshots.epochs[-1] != t.epoch:
            self.snapshots.add(self.state())
        lr = t.config.learning_rate
        # finite weights can still be too large for the outputs (a linear output near
        # 1e300): the Values panel then shows inf, and the sentence says why
        with np.errstate(over="ignore", invalid="ignore"):
            y = t.net.forward(t.data)[1][-1]
        overflow = "" if np.isfinite(y).all() else \
            " (already so large that outputs overflow: the window shows inf)"
        return Event("diverged", bad,
                     f"learning rate {lr:g} made the weights blow up (NaN or infinity) at "
                     f"epoch {bad}; the last finite weights, from epoch {t.epoch}, are back"
                     + overflow)

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
            self._check_now()
            if self.streak.confirmed(epoch):
                return Event("reconstructed", epoch,
                             f"solved: every pattern reconstructed for {HOLD} epochs in a row "
                             f"(epochs {epoch - self.streak.at(epoch) + 1}–{epoch})")
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
    def stuck_report(self) -> "Stuck | None":
        t = self.trainer
        return stuck_report(self.history, t.net, t.config, t.data, streak=self.streak)


class Stuck(str):
    """The stuck detector's sentence, with its diagnosis: ``cause`` is "rate"
    (the loss jumps up or the patterns flicker: the learning rate is too high,
    lower it to ``rate``) or "seed" (a plateau: a new seed helps)."""

    cause: str
    rate: float | None

    def __new__(cls, text: str, cause: str, rate: float | None = None) -> "Stuck":
        self = super().__new__(cls, text)
        self.cause, self.rate = cause, rate
        return self


JUMP = 0.1          # a rise of the loss by more than this fraction is a jump
RATE_FACTOR = 5     # the offer lowers the learning rate this many times


def loss_rises(history: LossHistory, since: int, jump: float = JUMP) -> int:
    """Recorded epochs after ``since`` whose objective rose by more than ``jump``
    (relative) from the recorded epoch before.  Full-batch gradient descent at
    a small enough rate never does this; a rate too high makes it jump."""
    epochs, objective = history.column("epoch"), history.column("objective")
    start = max(int(np.searchsorted(epochs, since, side="right")) - 1, 0) if since >= 0 else 0
    o = objective[start:]
    with np.errstate(invalid="ignore", over="ignore"):
        return int(np.sum(o[1:] > o[:-1] * (1 + jump)))


def stuck_report(history: LossHistory, net: Network, config: TrainingConfig, data: np.ndarray,
                 window: int = 300, tolerance: float = 0.01,
                 streak: Streak | None = None) -> Stuck | None:
    """The stuck detector, once ``window`` epochs are recorded, for a run that is
    not solved (:mod:`aeviz.core.measures.solved`).  Two causes, two remedies:

    * the steps are too large (cause "rate"): in this run the objective jumped
      up (by more than JUMP, at least twice), a reconstructed pattern was lost
      again (at least twice) or every pattern was reconstructed for fewer than
      HOLD epochs and then lost again (a flicker).  Reported when
      within the window the loss jumps, the patterns flicker or the loss is
      flat while some patterns are not reconstructed or share a code.  Remedy:
      a lower rate and fresh weights (the weights a high rate left are large
      and saturated: lowering the rate alone seldom rescues them).
    * a plateau (cause "seed"): no jumps, no flickers, the objective fell by
      less than ``tolerance`` (relative) over the window while some patterns
      are not reconstructed or share a code.  A new seed (or, for twin units,
      a changed weight) helps.

    Jumps, lost patterns and flickers are read for full-batch, noise-free,
    non-variational runs only: a minibatch, noisy or sampled loss rises by
    itself, and patterns come and go with it (vae-digits trained 3,000 epochs as
    its text says, every digit reconstructed: 13 whole-set flickers, which were
    read as "lower the learning rate")."""
    epochs = history.column("epoch")
    if len(epochs) < 2 or epochs[-1] - epochs[0] < window:
        return None
    streak = streak or Streak()
    last = int(epochs[-1])
    if streak.confirmed(last):
        return None
    deterministic = (not 0 < config.batch_size < len(data) and not config.noise.active
                     and not net.variational)
    rises = loss_rises(history, -1) if deterministic else 0
    recent_rises = loss_rises(history, last - window) if deterministic else 0
    flickers, recent_flickers = ((len(streak.flickers), streak.flickers_since(last - window))
                                 if deterministic else (0, 0))
    # a pattern lost again is read as the rate's fault on deterministic runs only, as
    # the jumps: with minibatches a pattern's reconstruction comes and goes by itself
    # (the 1,797 digits at their own settings: 64+ drops by epoch 300 of a sound run)
    drops, recent_drops = ((len(streak.drops), streak.drops_since(last - window))
                           if deterministic else (0, 0))
    objective = history.column("objective")
    then = objective[np.searchsorted(epochs, last - window)]
    flat = not then - objective[-1] > tolerance * abs(then)
    ev = evaluate(net, config, data)
    missed = [str(p + 1) for p in np.flatnonzero(~ev.reconstructed)]
    shared = [g for g in shared_codes(ev.codes) if len(g) > 1]
    problems = bool(missed or shared)
    lr = config.learning_rate
    if rises >= 2 or drops >= 2 or flickers:
        if not (problems or recent_flickers) or not (flat or recent_rises or recent_drops
                                                      or recent_flickers):
            return None
        seen = []
        if rises >= 2:
            seen.append(f"the loss jumped up on {rises} of the epochs recorded")
        if drops >= 2:
            seen.append(f"a reconstructed pattern was lost again {drops}"
                        f"{'+' if drops >= KEEP_FLICKERS else ''} times")
        if flickers:
            seen.append(f"every pattern was reconstructed {flickers} time"
                        f"{'s' if flickers > 1 else ''}, each time for fewer than {HOLD} "
                        "epochs in a row, then lost again")
        return Stuck(f"Not solved: {' and '.join(seen)}. The steps are too large for these "
                     f"weights (learning rate {lr:g}): a new seed would not help. Lower the "
                     f"learning rate (to {lr / RATE_FACTOR:g}, say) and reset the weights.",
                     "rate", lr / RATE_FACTOR)
    if not (flat and problems):
        return None
    parts = []
    if missed:
        parts.append("pattern" + ("s " if len(missed) > 1 else " ") + ", ".join(missed)
                     + " not reconstructed")
    for g in shared:
        parts.append("patterns " + " and ".join(str(p + 1) for p in g) + " share a code")
    twins = twins_sentence(twin_units(net, data))
    return Stuck(f"Stuck? The loss has not improved for {window} epochs (and never jumped up): "
                 + "; ".join(parts) + ". "
                 + (twins if twins else "A plateau: try a new seed."), "seed")
