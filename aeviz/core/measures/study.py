"""The classic experiment: train the same network from many seeds and count how
often it learns to reconstruct every pattern, and how fast.

Each run starts from fresh Glorot-uniform weights drawn with its seed (biases
0) and the lesson's settings, and is checked after every epoch.  It is *solved*
at epoch E when every pattern is reconstructed after epoch E and after each of
the HOLD - 1 epochs that follow (HOLD = 100 epochs in a row, all within the
run): a chaotic run that is right on scattered epochs only (a flicker) is not
solved, and a run that ends inside such a streak is *not confirmed*, never
solved.  A run that is neither within ``max_epochs`` is *stuck* if its loss has
stopped falling, else *not finished*.

``run_study`` trains the seeds together (``Engine.from_seeds``: seed s gives the
same run as the single-seed engine) in groups that keep memory bounded, and
reports the finished runs as it goes; ``run_seed`` is the same experiment for
one seed with the single-seed engine (the reference the batched study is
tested and benchmarked against).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from aeviz.core.engine.engine import Engine, quiet
from aeviz.core.engine.plan import finite_rows
from aeviz.core.model import MARGIN, Model, evaluate, is_reconstructed, shared_codes
from aeviz.core.engine.network import Network
from aeviz.core.measures.solved import HOLD
from aeviz.core.measures.study_results import (PUBLISHED, STATUSES, SeedRun, Study,  # noqa: F401
                                               round_width)
from aeviz.core.engine.trainer import Trainer

FLAT_WINDOW = 300      # a run is stuck if its loss fell by less than
FLAT_TOLERANCE = 0.01  # this fraction over the last FLAT_WINDOW epochs (as the window's detector)


def run_seed(model: Model, seed: int, max_epochs: int,
             cancelled: Callable[[], bool] = lambda: False) -> SeedRun:
    """One run (see the module docstring), checked after every epoch with the
    app's one definition of "reconstructed"; ``cancelled`` is polled before every
    epoch (an epoch of a 10 x 1024 network takes a tenth of a second: Stop must
    not wait for 64 of them) and ends the run early."""
    net = model.network.fresh(seed)
    config = model.training.with_(seed=seed)
    data = model.data()
    trainer = Trainer(net, config, data)
    losses = np.full(FLAT_WINDOW + 1, np.nan)        # the last FLAT_WINDOW + 1 epochs
    streak, flickers = None, 0
    while trainer.epoch < max_epochs:
        if cancelled():
            break
        if trainer.run_guarded(1, check_every=1) is not None:
            ev = evaluate(net, config, data)
            return SeedRun(seed, "diverged", trainer.epoch, len(shared_codes(ev.codes)),
                           ev.loss, flickers)
        ev = evaluate(net, config, data)
        losses[trainer.epoch % len(losses)] = ev.loss + ev.penalty
        if ev.reconstructed.all():
            streak = trainer.epoch if streak is None else streak
            if trainer.epoch - streak + 1 >= HOLD:
                break
        elif streak is not None:
            streak, flickers = None, flickers + 1
    ev = evaluate(net, config, data)
    codes = len(shared_codes(ev.codes))
    if streak is not None:
        status = "solved" if trainer.epoch - streak + 1 >= HOLD else "not confirmed"
        return SeedRun(seed, status, streak, codes, ev.loss, flickers)
    then = losses[(trainer.epoch - FLAT_WINDOW) % len(losses)]
    now = losses[trainer.epoch % len(losses)]
    flat = (trainer.epoch >= FLAT_WINDOW and np.isfinite(then)
            and then - now <= FLAT_TOLERANCE * abs(then))
    return SeedRun(seed, "stuck" if flat else "not finished", trainer.epoch, codes, ev.loss,
                   flickers)


GROUP_BYTES = 64 * 2**20     # memory for one group of seeds trained together
MAX_GROUP = 1000             # more seeds at once gains no speed
REPORT_EVERY = 32            # epochs between progress reports
COMPACT = 0.05               # fraction of a group's rows ended before they are dropped


def group_size(model: Model) -> int:
    """Seeds trained together: as many as fit GROUP_BYTES (at least 1)."""
    sizes, patterns = model.network.sizes, len(model.dataset)
    floats = (8 * model.network.params.size                        # params, grads, optimiser…
              + 12 * patterns * sum(n + 1 for n in sizes)          # training and clean passes
              + FLAT_WINDOW + 1)                                   # the loss ring
    return int(np.clip(GROUP_BYTES // (8 * floats), 1, MAX_GROUP))


def run_study(model: Model, seeds: Sequence[int], max_epochs: int,
              progress: Callable[[Study], None] | None = None,
              cancelled: Callable[[], bool] = lambda: False) -> Study:
    """Every seed's run (as ``run_seed``), trained together in groups of
    ``group_size``.  ``progress`` gets the partial study every REPORT_EVERY
    epochs and whenever a group ends; ``cancelled`` is polled between two
    operations of an epoch and ends the study early (the returned study is then
    not ``complete``)."""
    seeds = [int(s) for s in seeds]
    done: list[SeedRun] = []
    if model.network.variational:            # sampled codes: one seed after another
        for seed in seeds:
            if cancelled():
                return Study(done, max_epochs, len(seeds))
            done.append(run_seed(model, seed, max_epochs, cancelled))
            if progress is not None:
                progress(Study(list(done), max_epochs, len(seeds), max_epochs))
        return Study(done, max_epochs, len(seeds), max_epochs)
    size = group_size(model)
    for start in range(0, len(seeds), size):
        group = seeds[start:start + size]
        _run_group(model, group, max_epochs, done, len(seeds), progress, cancelled)
        if cancelled():
            return Study(done, max_epochs, len(seeds))
        if progress is not None:
            progress(Study(list(done), max_epochs, len(seeds), max_epochs))
    return Study(sorted(done, key=lambda r: seeds.index(r.seed)), max_epochs, len(seeds),
                 max_epochs)


def all_reconstructed(x: np.ndarray, y: np.ndarray, out_activation: str,
                      scratch: np.ndarray) -> np.ndarray:
    """``is_reconstructed(x, y, out_activation).all(axis=-1)``, each seed's "every
    pattern reconstructed", (S,) for outputs y (S, P, n): for outputs other than
    softmax, every |y - x| of the seed below 0.5 - MARGIN (NaN and infinities
    never are), in four calls, the first two into ``scratch`` (like y)."""
    if out_activation == "softmax":
        return is_reconstructed(x, y, out_activation).all(axis=-1)
    np.subtract(y, x, out=scratch)
    np.abs(scratch, out=scratch)
    near = np.less(scratch, 0.5 - MARGIN, out=np.empty(scratch.shape, dtype=bool))
    return np.logical_and.reduce(near.reshape(len(near), -1), axis=1)


def _run_group(model: Model, seeds: list[int], max_epochs: int, done: list[SeedRun],
               planned: int, progress: Callable[[Study], None] | None,
               cancelled: Callable[[], bool]) -> None:
    """Train ``seeds`` together; append each run to ``done`` as it ends.

    Each state is checked for "every pattern reconstructed" (``all_reconstructed``);
    the objective, which only the stuck rule at the end reads, is measured at the
    two epochs it compares (max_epochs - FLAT_WINDOW and max_epochs)."""
    data = model.data()
    bt = Engine.from_seeds(model.network, model.training, data, seeds, cancelled)
    if bt is None:
        return
    ids = np.array(seeds)
    then = np.full(len(seeds), np.nan)          # the objective FLAT_WINDOW epochs before the end
    streak = np.full(len(seeds), -1)            # first epoch of the streak
    flickers = np.zeros(len(seeds), dtype=int)
    out = bt.activations[-1]

    def finish(rows: np.ndarray, status: str, params: np.ndarray, epoch: int) -> None:
        for r in np.flatnonzero(rows):
            net = Network(bt.sizes, bt.activations, params[r].copy())
            config = model.training.with_(seed=int(ids[r]))
            ev = evaluate(net, config, data)
            epochs = int(streak[r]) if status in ("solved", "not confirmed") else epoch
            done.append(SeedRun(int(ids[r]), status, epochs, len(shared_codes(ev.codes)),
                                ev.loss, int(flickers[r])))

    open_streaks = [False]                      # some row may be in a streak

    def note(epoch: int, ok: np.ndarray) -> np.ndarray:
        """Note which seeds reconstruct every pattern after ``epoch`` epochs; the
        rows that are now solved."""
        if not ok.any():                        # the usual case early on: every streak ends
            if open_streaks[0]:
                broken = streak >= 0
                flickers[broken] += 1
                streak[broken] = -1
                open_streaks[0] = False
            return ok
        open_streaks[0] = True
        in_streak = streak >= 0
        if not ok.all():
            broken = in_streak & ~ok
            flickers[broken] += 1
            streak[broken] = -1
        streak[ok & ~in_streak] = epoch
        return ok & (streak <= epoch + 1 - HOLD)

    def record(epoch: int, buf, params: np.ndarray) -> np.ndarray:
        """``note`` the state after ``epoch`` epochs, whose clean forward pass is in
        ``buf`` (of ``params``); its objective too if the stuck rule reads it."""
        if epoch == max_epochs - FLAT_WINDOW:
            objective, reconstructed = bt.measure_clean(buf, params)
            then[:] = objective
            return note(epoch, reconstructed.all(axis=1))
        return note(epoch, all_reconstructed(buf.T, buf.Y, out, buf.F[-1]))

    def drop(rows: np.ndarray) -> None:
        nonlocal ids, then, streak, flickers
        keep = ~rows
        ids, then, streak, flickers = ids[keep], then[keep], streak[keep], flickers[keep]
        bt.keep(keep)

    def last(epoch: int, alive: np.ndarray) -> None:
        """The rows still ``alive`` after ``max_epochs``: solved, not confirmed,
        stuck or not finished."""
        buf = bt.clean_pass()
        now, reconstructed = bt.measure_clean(buf, bt.params)
        solved = note(epoch, reconstructed.all(axis=1)) & alive
        finish(solved, "solved", bt.params, epoch)
        finish(~solved & (streak >= 0) & alive, "not confirmed", bt.params, epoch)
        rows = (streak < 0) & alive
        flat = (epoch >= FLAT_WINDOW) & np.isfinite(then) & (
            then - now <= FLAT_TOLERANCE * np.abs(then))
        finish(rows & flat, "stuck", bt.params, epoch)
        finish(rows & ~flat, "not finished", bt.params, epoch)

    def watched() -> None:
        """The loop below for clean full batches whose epoch is short
        (``Engine.split_epoch``), with the same checks of the same states:
        each state is checked between its forward pass and its update, in a few
        NumPy calls (how many |y - x| of each seed lie below 0.5 - MARGIN, counted
        by one matrix-vector product; the divergence rule's usual case at once).
        A seed that ends is reported at once but trained on, unwatched, until
        COMPACT of the rows have ended (or one is not finite): dropping rows makes
        the plans anew, which costs more than a few idle rows."""
        limit, softmax = 0.5 - MARGIN, out == "softmax"
        if cancelled():
            return
        with quiet():
            _watch(limit, softmax)

    def _watch(limit: float, softmax: bool) -> None:
        buf, forward, rest = bt.split_epoch()
        alive = np.ones(bt.seeds, dtype=bool)
        scratch, before = np.empty_like(buf.Y), np.empty_like(bt.params)
        forward(1)                              # the first epoch, unchecked (as below)
        rest(1)
        bt.epoch, bt.last_buffers = 1, buf
        cells = buf.Y[0].size                   # outputs of one seed: P x n
        count, near = np.ones(cells), np.empty((bt.seeds, cells))
        while True:
            epoch = bt.epoch
            if cancelled():
                return
            if progress is not None and epoch % REPORT_EVERY == 0:
                progress(Study(list(done), max_epochs, planned, epoch))
            if epoch >= max_epochs:
                return last(epoch, alive)
            forward(1)
            if epoch == max_epochs - FLAT_WINDOW:
                then[:], reconstructed = bt.measure_clean(buf, bt.params)
                ok, seen = reconstructed.all(axis=1), False
            elif softmax:
                ok, seen = is_reconstructed(buf.T, buf.Y, out).all(axis=-1), False
            else:                               # all_reconstructed, as a count
                np.subtract(buf.Y, buf.T, out=scratch)
                np.abs(scratch, out=scratch)
                flat = scratch.reshape(len(scratch), cells)
                np.less(flat, limit, out=near, casting="unsafe")   # 1.0 or 0.0; NaN: 0.0
                ok = near @ count == cells      # every output (exact: a sum of 0s and 1s)
                seen = math.isfinite(flat.sum())     # every output finite
            solved = note(epoch, ok)
            np.copyto(before, bt.params)
            rest(1)
            bt.epoch += 1
            bt.last_buffers = buf
            # every parameter finite: their sum is (else, or if it overflows, finite_rows
            # decides).  NumPy's own sum, not a BLAS dot: with two BLAS threads a dot of
            # this size is split between them and took ~0.6 ms on a busy machine
            usual = seen and math.isfinite(bt.params.sum())
            solved &= alive                     # (a row reported already stays solved)
            if usual:
                if not solved.any():
                    continue
                diverged = solved & False
            else:
                diverged = ~finite_rows(bt.params, buf.Y) & ~solved & alive
            finish(solved, "solved", before, epoch)
            finish(diverged, "diverged", before, epoch)
            alive &= ~(solved | diverged)
            if not alive.any():
                return
            ended = int((~alive).sum())
            if ended and (ended >= COMPACT * len(alive) or not usual):
                drop(~alive)
                buf, forward, rest = bt.split_epoch()
                alive = np.ones(bt.seeds, dtype=bool)
                scratch, before = np.empty_like(buf.Y), np.empty_like(bt.params)
                near = np.empty((bt.seeds, cells))

    if bt.split_epoch() is not None:
        return watched()
    if cancelled() or bt.run_epoch(cancelled) is None:
        return
    while bt.seeds:
        epoch = bt.epoch                        # the state checked in this pass
        if cancelled():
            return
        if progress is not None and epoch % REPORT_EVERY == 0:
            progress(Study(list(done), max_epochs, planned, epoch))
        if epoch >= max_epochs:
            return last(epoch, np.ones(bt.seeds, dtype=bool))
        before = bt.params.copy()
        if bt.trains_on_clean_data:             # the next epoch's forward pass checks this state
            buf = bt.run_epoch(cancelled)
            if buf is None:                     # stopped half-way: the study is abandoned
                return
            solved = record(epoch, buf, before)
        else:
            solved = record(epoch, bt.clean_pass(), bt.params)
            if bt.run_epoch(cancelled) is None:
                return
        diverged = ~bt.finite() & ~solved       # a solved run ends before the next epoch
        if (solved | diverged).any():
            finish(solved, "solved", before, epoch)
            finish(diverged, "diverged", before, epoch)
            drop(solved | diverged)
