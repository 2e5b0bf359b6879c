"""The seed study's definitions: solved (and staying so), stuck, not finished,
and a histogram in whole epochs."""

from __future__ import annotations

import numpy as np

from aeviz.core.files.presets import load_preset
from aeviz.core.measures.study import HOLD, SeedRun, Study, run_seed


def test_histogram_bins_are_whole_epochs_never_narrower_than_one():
    runs = [SeedRun(s, "solved", e, 5, 0.1) for s, e in enumerate([4, 5, 5, 6, 8, 11, 13, 15])]
    counts, edges = Study(runs, 100).histogram(bins=10)
    assert np.all(np.diff(edges) >= 1) and np.all(edges == np.round(edges))
    assert counts.sum() == 8 and edges[0] <= 4 and edges[-1] > 15
    assert list(counts) == [3, 1, 1, 1, 1, 1]            # 12 epochs in bins of 2: [4, 6) ... [14, 16)
    wide = Study([SeedRun(s, "solved", e, 5, 0.1) for s, e in enumerate([10, 995])], 1000)
    counts, edges = wide.histogram(bins=10)
    # round edges (#23): bins of 100 from 0, not of 99 from 10
    assert len(counts) == 10 and counts.sum() == 2 and np.all(np.diff(edges) == 100)
    assert edges[0] == 0


def test_a_solved_run_stays_reconstructed_for_hold_epochs_from_the_epoch_it_names():
    from aeviz.core.model import evaluate
    from aeviz.core.engine.trainer import Trainer
    m = load_preset("train-5-2-5")
    run = run_seed(m, 3, 2000)
    assert run.solved and run.flickers == 0
    t = Trainer(m.network.fresh(3), m.training.with_(seed=3), m.data())
    t.run(run.epochs - 1)
    assert not evaluate(t.net, t.config, t.data).reconstructed.all()
    for _ in range(HOLD):
        t.run(1)
        assert evaluate(t.net, t.config, t.data).reconstructed.all()


def test_a_frozen_network_is_stuck_and_a_slow_one_not_finished():
    frozen = load_preset("article-example")
    frozen.training = frozen.training.with_(learning_rate=0.0)
    run = run_seed(frozen, 0, 400)
    assert run.status == "stuck" and run.distinct_codes <= 5
    slow = run_seed(load_preset("stuck-8-3-8"), 8, 1000)     # solved near epoch 5,500
    assert slow.status == "not finished" and slow.distinct_codes == 8


def test_a_cancelled_seed_stops_within_one_epoch():
    """#12 item 12: stopping a study of a big network must not wait for 64 epochs."""
    from aeviz.core.files.presets import load_preset
    from aeviz.core.measures.study import run_seed
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3
    run = run_seed(load_preset("train-5-2-5"), 0, 10_000, cancelled=cancelled)
    assert run.epochs == 3 and run.status == "not finished"


def _every_epoch(model, seed: int, epochs: int) -> np.ndarray:
    """Independent check: the single-seed engine, every pattern reconstructed after
    each epoch 1..epochs (argmax by more than 0.001), shape (epochs,) bool."""
    from aeviz.core.engine.trainer import Trainer
    t = Trainer(model.network.fresh(seed), model.training.with_(seed=seed), model.data())
    x, out = model.data(), np.empty(epochs, dtype=bool)
    for e in range(epochs):
        t.run(1)
        y = t.net.forward(x)[1][-1]
        mine = y[np.arange(len(x)), x.argmax(1)]
        others = np.where(x == 1, -np.inf, y).max(1)
        out[e] = np.all(mine - others > 1e-3)
    return out


def _verdict(ok: np.ndarray) -> tuple[str | None, int | None]:
    """(solved / not confirmed / None, first epoch of the streak) from every-epoch checks."""
    streak = 0
    for e, r in enumerate(ok, start=1):
        streak = streak + 1 if r else 0
        if streak >= HOLD:
            return "solved", e - HOLD + 1
    return ("not confirmed", len(ok) - streak + 1) if streak else (None, None)


def test_stuck_5_2_5_flickers_are_never_solved_and_a_streak_cut_by_the_end_is_not_confirmed():
    """#24 items 3 and 15: one confirmed "solved" (HOLD epochs in a row inside the
    run), checked on stuck-5-2-5 at rate 5 over 20 seeds against every epoch."""
    from aeviz.core.measures.study import run_study
    m = load_preset("stuck-5-2-5")
    assert m.training.learning_rate == 5
    epochs = 1300
    study = run_study(m, range(20), epochs)
    flickered = 0
    cut = {}                         # end epoch -> a seed reconstructed at that end
    for run in study.runs:
        ok = _every_epoch(m, run.seed, epochs)
        flickered += bool(ok[300:].any())
        status, first = _verdict(ok)
        if status is None:
            assert run.status in ("stuck", "not finished", "diverged"), run
        else:
            assert (run.status, run.epochs) == (status, first), run
        if run.seed < 8:
            for e in np.flatnonzero(ok[300:]) + 301:      # ok[e - 1]: after epoch e
                cut.setdefault(int(e), run.seed)
    assert flickered >= 5 and study.fraction_solved == 0
    # two ends that fall on a flicker (found, not written down: at rate 5 the run
    # is chaotic and the epochs depend on the processor; 325 and 440 on one machine)
    ends = sorted(cut)
    assert len(ends) >= 2
    for e in (ends[0], ends[-1]):
        short = run_study(m, range(8), e)
        assert not any(r.solved for r in short.runs)
        assert "not confirmed" in [r.status for r in short.runs]
        assert run_seed(m, cut[e], e).status == "not confirmed"
