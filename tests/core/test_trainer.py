"""Trainer behaviour beyond the gradients: batches, seeds, state, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Network, Noise, Trainer, TrainingConfig
from aeviz.core.engine.losses import ConfigError
from aeviz.core.model import evaluate
from aeviz.core.files.presets import load_preset

from .cases import make


def test_default_lesson_learns_all_five_patterns():
    m = load_preset("train-5-2-5")
    trainer = Trainer(m.network, m.training, m.data())
    before = evaluate(m.network, m.training, m.data())
    trainer.run(500)
    after = evaluate(m.network, m.training, m.data())
    assert after.loss < 0.1 * before.loss
    assert after.accuracy == 1.0 and trainer.epoch == 500


def test_run_equals_train_epoch_loop():
    a, b = make("tanh-softmax-ce"), make("tanh-softmax-ce")
    a.run(25)
    for _ in range(25):
        b.train_epoch(measure=True)
    np.testing.assert_array_equal(a.net.params, b.net.params)


def test_minibatches_cover_every_pattern_once_and_shuffle_is_seeded():
    t = make("online", batch_size=2, shuffle=True)
    batches = t.batches()
    assert sorted(np.concatenate(batches)) == list(range(5))
    assert [len(b) for b in batches] == [2, 2, 1]
    t2 = make("online", batch_size=2, shuffle=True)
    assert [b.tolist() for b in t2.batches()] == [b.tolist() for b in batches]


def test_same_seed_same_run_with_noise_and_shuffle():
    runs = []
    for _ in range(2):
        t = make("online", batch_size=2, noise=Noise("masking", 0.3))
        t.run(30)
        runs.append(t.net.params.copy())
    np.testing.assert_array_equal(*runs)
    t = make("online", batch_size=2, noise=Noise("masking", 0.3), seed=3)
    t.set_config(t.config.with_(seed=1))
    t.rng = np.random.default_rng(1)
    t.run(30)
    assert not np.array_equal(t.net.params, runs[0])


def test_state_restores_exactly():
    t = make("adam", batch_size=2)
    t.run(10)
    saved = t.state()
    t.run(15)
    after = t.net.params.copy()
    t.set_state(saved)
    assert t.epoch == 10
    t.run(15)
    np.testing.assert_array_equal(t.net.params, after)


def test_divergence_is_caught_at_its_epoch_and_state_restored():
    net = Network.create([4, 3, 4], ["relu", "linear"], rng=np.random.default_rng(0))
    start = net.copy()
    cfg = TrainingConfig(loss="mse", learning_rate=50.0)
    t = Trainer(net, cfg, np.eye(4))
    bad = t.run_guarded(2000, check_every=64)
    assert bad is not None and t.epoch == bad - 1
    assert t.is_finite()
    # the epoch reported is the first whose update is non-finite: replayed one epoch
    # at a time from the same start, every earlier epoch is finite and that one is not
    probe = Trainer(start, cfg, np.eye(4))
    for _ in range(bad - 1):
        probe.run(1)
        assert probe.is_finite()
    np.testing.assert_array_equal(probe.net.params, t.net.params)    # the state kept
    probe.run(1)
    assert not probe.is_finite()


def test_settings_change_between_steps():
    t = make("tanh-softmax-ce")
    t.run(5)
    t.set_config(t.config.with_(learning_rate=0.0))
    before = t.net.params.copy()
    t.run(5)
    np.testing.assert_array_equal(t.net.params, before)
    t.set_config(t.config.with_(optimizer="adam", learning_rate=0.01))
    t.run(1)
    assert not np.array_equal(t.net.params, before)


def test_incompatible_settings_are_refused():
    t = make("deep-linear-euclidean")
    with pytest.raises(ConfigError, match="cross-entropy"):
        t.set_config(t.config.with_(loss="cross_entropy"))


def test_code_layer_is_smallest_hidden_first_if_tied():
    net = Network.create([8, 4, 2, 4, 8], ["tanh"] * 3 + ["sigmoid"], rng=np.random.default_rng(0))
    assert net.code_layer == 2 and net.is_undercomplete
    tied = Network.create([5, 3, 3, 5], ["tanh", "tanh", "softmax"], rng=np.random.default_rng(0))
    assert tied.code_layer == 1
    over = Network.create([5, 8, 5], ["sigmoid", "softmax"], rng=np.random.default_rng(0))
    assert over.code_size == 8 and not over.is_undercomplete


def test_article_example_facts():
    """softmax is never exactly one-hot; +-1 weights give only 4 codes for 5 inputs."""
    m = load_preset("article-example")
    ev = evaluate(m.network, m.training, m.data())
    assert np.all(ev.outputs > 0) and np.all(ev.outputs < 1)
    np.testing.assert_allclose(ev.outputs.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.abs(ev.codes), np.tanh(1.0))
    assert len({tuple(np.round(c, 3)) for c in ev.codes}) == 4


def test_hand_solved_reconstructs_all_five():
    m = load_preset("hand-solved")
    ev = evaluate(m.network, m.training, m.data())
    assert ev.accuracy == 1.0
    assert ev.loss == pytest.approx(0.765, abs=5e-4)


def test_stepping_pattern_by_pattern_equals_epochs():
    a = make("online", batch_size=1, shuffle=True)
    b = make("online", batch_size=1, shuffle=True)
    a.run(3)
    for _ in range(15):
        b.step_next_batch()
    assert b.epoch == 3
    np.testing.assert_array_equal(a.net.params, b.net.params)
    b.step_next_batch()
    assert b.epoch == 3 and b.batch_position == (1, 5)
    b.run(1)                                    # finishes the started epoch
    a.run(1)
    assert b.epoch == 4 and b.batch_position == (0, 5)
    np.testing.assert_array_equal(a.net.params, b.net.params)


def test_the_default_generator_is_seeded_when_the_trainer_is_made_not_when_first_used():
    """The trainer makes its generator at the first shuffle or noise draw (opening a
    lesson need not import numpy.random), from the seed it was made with: a later
    seed in the settings changes nothing, exactly as an eager generator would."""
    config = TrainingConfig(seed=3, shuffle=True, batch_size=2,
                            noise=Noise("gaussian", 0.1))
    data = np.eye(5)

    def trained(trainer: Trainer) -> np.ndarray:
        trainer.set_config(config.with_(seed=99))        # a new seed in the settings
        trainer.run(20)
        return trainer.net.params

    start = Network.create([5, 2, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    lazy = Trainer(start.copy(), config, data)
    assert lazy._rng is None                              # nothing drawn yet
    eager = Trainer(start.copy(), config, data, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(trained(lazy), trained(eager))
    other = Trainer(start.copy(), config, data, rng=np.random.default_rng(99))
    assert not np.array_equal(trained(other), eager.net.params)


def test_compiled_plan_runs_the_same_calls_as_the_list_of_ops():
    """plan.compile_ops: the compiled epoch gives the very bits of walking the ops."""
    import warnings

    from aeviz.core.config import Sparsity
    from aeviz.core.engine.plan import compile_ops
    for hidden, out, loss in [("relu", "linear", "mse"), ("tanh", "softmax", "cross_entropy"),
                              ("sigmoid", "sigmoid", "euclidean")]:
        cfg = TrainingConfig(loss=loss, learning_rate=0.1, momentum=0.5, weight_decay=0.01,
                             sparsity=Sparsity("l1", 0.01))
        runs = []
        for compiled in (False, True):
            net = Network.create([5, 3, 2, 3, 5], [hidden] * 3 + [out],
                                 rng=np.random.default_rng(2))
            t = Trainer(net, cfg, np.random.default_rng(1).random((6, 5)))
            forward, backward, step = t._plan(6)
            t._load_batch(None)
            ops = forward + backward + step
            with warnings.catch_warnings():
                warnings.simplefilter("error")          # no deprecated call forms
                if compiled:
                    compile_ops(ops)(40)
                else:
                    for _ in range(40):
                        for op in ops:
                            op()
            runs.append(net.params.copy())
        assert runs[0].tobytes() == runs[1].tobytes()


def test_a_small_compiled_plan_binds_its_float_constants_as_arrays():
    """plan.compile_ops: 1 - a^2, 1/B and the learning rate of a 5-2-5 epoch are
    arrays bound once (NumPy then skips converting a float on every call), and
    the run is the same bits as walking the ops with the floats."""
    from aeviz.core.engine.plan import compile_ops
    runs = []
    for compiled in (False, True):
        net = Network.create([5, 2, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
        t = Trainer(net, TrainingConfig(learning_rate=0.5, momentum=0.5), np.eye(5))
        ops = sum(t._plan(5), [])
        t._load_batch(None)
        assert any(isinstance(a, float) for op in ops for a in getattr(op, "args", ()))
        if compiled:
            run = compile_ops(ops)
            assert not any(type(v) is float for v in run.__defaults__)
            run(30)
        else:
            for _ in range(30):
                for op in ops:
                    op()
        runs.append(net.params.tobytes())
    assert runs[0] == runs[1]


def test_set_state_without_optimizer_or_generator_starts_them_fresh():
    """Trainer.set_state (the session's restore goes through it): an ``optimizer``
    or ``rng`` of None, or an optimiser state of another kind, means a fresh one."""
    config = TrainingConfig(learning_rate=0.3, momentum=0.9, batch_size=2, shuffle=True, seed=5)
    start = Network.create([5, 2, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    fresh = Trainer(start.copy(), config, np.eye(5))
    fresh.run(7)
    t = Trainer(start.copy(), config, np.eye(5))
    t.run(3)
    t.set_state({"params": start.params, "epoch": 0, "optimizer": None, "rng": None})
    t.run(7)
    assert t.net.params.tobytes() == fresh.net.params.tobytes() and t.epoch == 7
    t.set_state({"params": start.params, "epoch": 0, "optimizer": {"t": 3, "m": 0, "v": 0},
                 "rng": None})
    t.run(7)
    assert t.net.params.tobytes() == fresh.net.params.tobytes()
