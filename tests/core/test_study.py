"""The seed study's definitions: solved (and staying so), stuck, not finished,
and a histogram in whole epochs."""

from __future__ import annotations

import numpy as np

from aeviz.core.presets import load_preset
from aeviz.core.study import HOLD, SeedRun, Study, run_seed


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
    from aeviz.core.trainer import Trainer
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
    from aeviz.core.presets import load_preset
    from aeviz.core.study import run_seed
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3
    run = run_seed(load_preset("train-5-2-5"), 0, 10_000, cancelled=cancelled)
    assert run.epochs == 3 and run.status == "not finished"
