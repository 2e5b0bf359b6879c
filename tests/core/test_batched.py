"""The batched trainer: seed s trained among many gives the same run as the
single-seed engine, for every configuration the oracle tests cover; the batched
seed study equals the seed-after-seed one; seeds never disturb each other."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Network, Trainer, TrainingConfig
from aeviz.core.engine.engine import Engine
from aeviz.core.files.datasets import Dataset
from aeviz.core.model import Model
from aeviz.core.files.presets import load_preset
from aeviz.core.measures.study import MAX_GROUP, group_size, run_seed, run_study
from aeviz.core.measures import study as study_module
from tests.core.cases import BINARY6, CASES, NOISES

SEEDS = [0, 1, 5, 11]


def variants():
    """Every oracle configuration, with each noise kind, shuffled and not."""
    for name, (sizes, acts, data, config) in CASES.items():
        shuffles = [config.shuffle] if config.batch_size == 0 else [False, True]
        for noise in [None] + NOISES:
            for shuffle in shuffles:
                cfg = config.with_(shuffle=shuffle)
                if noise is not None:
                    cfg = cfg.with_(noise=noise)
                label = f"{name}-{noise.kind if noise else 'clean'}-{'shuffled' if shuffle else 'ordered'}"
                yield pytest.param(sizes, acts, data, cfg, id=label)


def assert_same_runs(sizes, acts, data, config, epochs: int) -> None:
    """Every seed of a batched run equals its single-seed run to 1e-12."""
    template = Network.create(sizes, acts, rng=np.random.default_rng(0))
    batched = Engine.from_seeds(template, config, data, SEEDS)
    batched.run(epochs)
    for row, seed in enumerate(SEEDS):
        single = Trainer(template.fresh(seed), config.with_(seed=seed), data)
        single.run(epochs)
        assert np.abs(batched.params[row] - single.net.params).max() <= 1e-12, seed
        assert not np.array_equal(batched.params[row], batched.params[(row + 1) % len(SEEDS)])


@pytest.mark.parametrize("sizes, acts, data, config", list(variants()))
def test_each_seed_trains_exactly_as_the_single_seed_engine(sizes, acts, data, config):
    assert_same_runs(sizes, acts, data, config, 60)


def test_adam_with_minibatches_and_noise_trains_as_the_single_engine():
    sizes, acts, data, config = CASES["softmax-multi-hot"]
    config = config.with_(optimizer="adam", learning_rate=0.05, shuffle=True, noise=NOISES[1],
                          weight_decay=0.01)
    assert_same_runs(sizes, acts, data, config, 40)


def test_a_seed_that_blows_up_never_disturbs_the_others():
    template = Network.create([6, 3, 6], ["linear", "linear"], rng=np.random.default_rng(0))
    config = TrainingConfig(loss="mse", learning_rate=0.1, momentum=0.5)
    batched = Engine.from_seeds(template, config, BINARY6, SEEDS)
    batched.params[1] *= 1e160                       # seed 1 overflows on its first epoch
    batched.run(30)
    assert not batched.finite()[1] and batched.finite()[[0, 2, 3]].all()
    for row in (0, 2, 3):
        single = Trainer(template.fresh(SEEDS[row]), config, BINARY6)
        single.run(30)
        assert np.abs(batched.params[row] - single.net.params).max() <= 1e-12


def test_keeping_some_seeds_continues_them_unchanged():
    sizes, acts, data, config = CASES["relu-softmax-momentum-wd"]
    template = Network.create(sizes, acts, rng=np.random.default_rng(0))
    batched = Engine.from_seeds(template, config, data, SEEDS)
    batched.run(20)
    batched.keep(np.array([False, True, False, True]))
    batched.run(20)
    for row, seed in enumerate([SEEDS[1], SEEDS[3]]):
        single = Trainer(template.fresh(seed), config, data)
        single.run(40)                              # momentum carried across the keep
        assert np.abs(batched.params[row] - single.net.params).max() <= 1e-12


def _same(a, b) -> bool:
    return ((a.seed, a.status, a.epochs, a.distinct_codes, a.flickers)
            == (b.seed, b.status, b.epochs, b.distinct_codes, b.flickers)
            and np.allclose(a.loss, b.loss, rtol=0, atol=1e-12, equal_nan=True))


@pytest.mark.parametrize("preset, seeds, epochs", [
    ("train-5-2-5", 12, 600),            # solved, at many epochs
    ("stuck-5-2-5", 5, 700),             # stuck
    ("stuck-8-3-8", 6, 1500),            # solved and not finished
    ("overcomplete-sparse", 4, 300),     # a sparsity penalty in the objective
    ("denoising-bars", 3, 150),          # noise: checked by a separate clean pass
])
def test_the_batched_study_equals_the_seed_after_seed_study(preset, seeds, epochs):
    model = load_preset(preset)
    study = run_study(model, range(seeds), epochs)
    reference = [run_seed(model, s, epochs) for s in range(seeds)]
    assert [r.seed for r in study.runs] == list(range(seeds)) and study.complete
    assert all(_same(a, b) for a, b in zip(study.runs, reference)), (study.runs, reference)
    assert len({r.status for r in study.runs}) >= (2 if preset == "stuck-8-3-8" else 1)


def test_a_shuffled_minibatch_study_equals_the_seed_after_seed_study():
    model = load_preset("train-5-2-5")
    model.training = model.training.with_(batch_size=2, shuffle=True, momentum=0.5,
                                          weight_decay=0.001, learning_rate=0.1)
    study = run_study(model, range(6), 400)
    reference = [run_seed(model, s, 400) for s in range(6)]
    assert all(_same(a, b) for a, b in zip(study.runs, reference))
    assert any(r.solved for r in study.runs)


def test_diverged_seeds_are_reported_as_the_seed_after_seed_study_does():
    model = Model(Network.create([6, 3, 6], ["linear", "linear"], rng=np.random.default_rng(0)),
                  TrainingConfig(loss="mse", learning_rate=0.5, momentum=0.9),
                  Dataset.patterns(BINARY6))
    study = run_study(model, range(10), 300)
    reference = [run_seed(model, s, 300) for s in range(10)]
    assert all(_same(a, b) for a, b in zip(study.runs, reference))
    statuses = [r.status for r in study.runs]
    assert 0 < statuses.count("diverged") < 10 and "not finished" in statuses


def test_progress_fills_while_the_study_runs_and_cancel_stops_it():
    model = load_preset("train-5-2-5")
    seen = []
    study = run_study(model, range(30), 400, seen.append)
    finished = [len(p.runs) for p in seen]
    assert finished == sorted(finished) and finished[0] < 30 and finished[-1] == 30
    assert any(0 < n < 30 for n in finished)           # the histogram fills as seeds solve
    assert study.complete and len(study.runs) == 30
    calls = []
    partial = run_study(load_preset("stuck-5-2-5"), range(50), 100_000,
                        cancelled=lambda: calls.append(1) or len(calls) > 40)
    assert not partial.complete and len(calls) <= 42     # polled every epoch, stopped at once


def _peak_bytes(model, seeds: int, epochs: int) -> tuple[int, object]:
    import tracemalloc
    tracemalloc.start()
    try:
        study = run_study(model, range(seeds), epochs)
        return tracemalloc.get_traced_memory()[1], study
    finally:
        tracemalloc.stop()


def test_groups_keep_memory_bounded_for_ten_thousand_seeds():
    assert group_size(load_preset("stuck-8-3-8")) == MAX_GROUP
    wide = Model(Network.create([1024, 1024, 1024], ["tanh", "sigmoid"],
                                rng=np.random.default_rng(0)), TrainingConfig(loss="mse"),
                 Dataset.one_hot(1024))
    assert group_size(wide) == 1                          # 2 M parameters: one at a time
    model = load_preset("encoder-4-2-4")
    small, _ = _peak_bytes(model, 2_000, 3)
    large, study = _peak_bytes(model, 10_000, 3)         # ten groups of 1,000
    assert len(study.runs) == 10_000 and [r.seed for r in study.runs] == list(range(10_000))
    assert large < 1.5 * small                           # not five times: one group at a time


def test_one_divergence_rule_and_one_data_preparation_for_both_trainers():
    """plan.finite_rows decides divergence for the single and the batched trainer;
    plan.Patterns prepares, batches and loads the data of both."""
    from aeviz.core.engine.plan import Patterns, finite_rows
    params = np.array([[1.0, 2.0], [np.nan, 0.0], [1.0, 1.0]])
    y = np.ones((3, 2, 2))
    y[2, 1, 0] = np.inf
    assert finite_rows(params, y).tolist() == [True, False, False]
    assert bool(finite_rows(params[0], y[0])) and not bool(finite_rows(params[2], y[2]))
    m = load_preset("stuck-8-3-8")
    single = Trainer(m.network.fresh(0), m.training, m.data())
    batched = Engine.from_seeds(m.network, m.training, m.data(), [0, 1])
    assert isinstance(single.patterns, Patterns) and isinstance(batched.patterns, Patterns)
    # one engine class: Trainer is it with one network, and there is no second engine
    assert isinstance(single, Engine) and type(batched) is Engine
    assert Trainer.run_epoch is Engine.run_epoch and Trainer._plan is Engine._plan
    import importlib.util
    assert importlib.util.find_spec("aeviz.core.engine.batched") is None
    single.net.params[0] = np.nan
    batched.params[1, 0] = np.nan
    assert not single.is_finite() and batched.finite().tolist() == [True, False]


@pytest.mark.parametrize("out", ["sigmoid", "linear", "tanh", "softmax"])
def test_the_studys_quick_check_is_the_one_definition_of_reconstructed(out):
    """study.all_reconstructed (three calls a state) says for every seed what
    is_reconstructed(...).all() says, NaN and infinities included."""
    from aeviz.core.model import MARGIN, is_reconstructed
    from aeviz.core.measures.study import all_reconstructed
    rng = np.random.default_rng(0)
    x = (rng.random((6, 5)) < 0.4).astype(float)
    x[np.arange(6), rng.integers(0, 5, 6)] = 1.0
    y = np.clip(x + rng.normal(0, 0.3, size=(40, 6, 5)), 0, 1)
    y[::3] = x + (0.5 - MARGIN) * rng.choice([-0.999, 0.999, -1.001, 1.001], size=(14, 6, 5))
    y[5, 2, 1], y[7, 0, 0], y[9, 5, 4] = np.nan, np.inf, -np.inf
    expected = is_reconstructed(x, y, out).all(axis=-1)
    assert 0 < expected.sum() < 40 or out == "softmax"
    assert (all_reconstructed(x, y, out, np.empty_like(y)) == expected).all()


@pytest.mark.parametrize("compact", [0.0, 0.5, 1.0])
def test_ended_seeds_left_in_the_group_for_a_while_change_no_run(monkeypatch, compact):
    """The study trains ended seeds on, unwatched, until COMPACT of the group has
    ended (or one is not finite): the others' runs are the same for any COMPACT."""
    monkeypatch.setattr(study_module, "COMPACT", compact)
    for model, seeds, epochs in (
            (load_preset("stuck-8-3-8"), 8, 1500),          # solved at different epochs
            (Model(Network.create([6, 3, 6], ["linear", "linear"], rng=np.random.default_rng(0)),
                   TrainingConfig(loss="mse", learning_rate=0.5, momentum=0.9),
                   Dataset.patterns(BINARY6)), 10, 300)):   # some diverge
        study = run_study(model, range(seeds), epochs)
        reference = [run_seed(model, s, epochs) for s in range(seeds)]
        assert all(_same(a, b) for a, b in zip(study.runs, reference)), (study.runs, reference)
