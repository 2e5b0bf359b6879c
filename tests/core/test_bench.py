"""The benchmark's references do the same work as the engine (same numbers),
so the speed ratios compare like with like."""

import numpy as np

from aeviz.bench import (fastest_full_batch, hand_tuned, hand_tuned_minibatch, pixel_patterns,
                         textbook)
from aeviz.core import Network, Trainer, TrainingConfig


def test_hand_tuned_full_batch_equals_engine():
    net = Network.create([5, 2, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    P1, P2 = (b.copy() for b in net.blocks)
    W1, W2 = net.weights[0].copy(), net.weights[1].copy()
    b1, b2 = np.zeros(2), np.zeros(5)
    Trainer(net, TrainingConfig(learning_rate=0.5, shuffle=False), np.eye(5)).run(50)
    hand_tuned(np.eye(5), P1, P2, 0.5, 50, 5)
    textbook(np.eye(5), W1, b1, W2, b2, 0.5, 50)
    np.testing.assert_allclose(P1, net.blocks[0], atol=1e-12)
    np.testing.assert_allclose(P2, net.blocks[1], atol=1e-12)
    np.testing.assert_allclose(W2, net.weights[1], atol=1e-12)


def test_fastest_full_batch_reference_equals_engine():
    """The 5-2-5 reference (fused softmax + cross-entropy gradient) trains the same net."""
    for n, code in [(5, 2), (8, 3)]:
        net = Network.create([n, code, n], ["tanh", "softmax"], rng=np.random.default_rng(0))
        P1, P2 = (b.copy() for b in net.blocks)
        Trainer(net, TrainingConfig(learning_rate=0.5, shuffle=False), np.eye(n)).run(300)
        fastest_full_batch(np.eye(n), P1, P2, 0.5, 300)
        np.testing.assert_allclose(P1, net.blocks[0], atol=1e-10)
        np.testing.assert_allclose(P2, net.blocks[1], atol=1e-10)


def test_hand_tuned_minibatch_equals_engine():
    X = pixel_patterns(100)
    assert X.shape == (100, 64) and set(np.unique(X)) <= {0.0, 1.0} and X.sum() > 0
    net = Network.create([64, 16, 64], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    P1, P2 = (b.copy() for b in net.blocks)
    cfg = TrainingConfig(learning_rate=0.5, batch_size=32, shuffle=True, seed=7)
    Trainer(net, cfg, X).run(3)
    hand_tuned_minibatch(X, P1, P2, 0.5, 3, 32, np.random.default_rng(7))
    np.testing.assert_allclose(P1, net.blocks[0], atol=1e-12)
    np.testing.assert_allclose(P2, net.blocks[1], atol=1e-12)


def test_the_study_benchmark_compares_the_same_study_both_ways():
    from aeviz.bench import study_case
    r = study_case(seeds=6, epochs=40, reference_seeds=3)
    assert r["seeds"] == 6 and r["batched"] > 0 and r["seed_after_seed"] > 0
    assert r["ratio"] == r["batched"] / r["seed_after_seed"]


def test_the_digits_bench_judges_each_target_on_its_own():
    from aeviz.bench_digits import TARGETS, verdicts
    good = {"display_per_second": 31, "worst_gap_ms": 29, "code_space_1797_ms": 15,
            "code_space_20000_ms": 49}
    assert set(TARGETS) == set(good) and all(verdicts(good).values())
    slow = dict(good, display_per_second=7, worst_gap_ms=None)      # a gap not measured
    assert verdicts(slow) == {"display_per_second": False, "worst_gap_ms": False,
                              "code_space_1797_ms": True, "code_space_20000_ms": True}


def test_the_digits_frame_row_measures_the_values_and_both_readers():
    from aeviz.bench_digits import frame_costs
    costs = frame_costs(frames=3, rounds=1)
    assert set(costs) == {"values_ms", "values_fresh_ms", "recv_ms", "reader_ms", "same_frames"}
    assert costs["same_frames"] is True           # the reader reads what recv reads
    assert all(costs[k] > 0 for k in ("values_ms", "values_fresh_ms", "recv_ms", "reader_ms"))


def test_the_digits_lines_row_times_the_event_loop_both_ways():
    """The row recolours the digits' diagram with its lines drawn in the child
    process and on the thread, and gives the timer's gaps for each; afterwards
    the window draws in the child again."""
    from aeviz.bench_digits import lines_gaps
    from aeviz.gui.runtime import line_render
    row = lines_gaps(seconds=0.3, pairs=1)
    assert set(row) == {f"lines_{w}_{m}_ms" for w in ("process", "thread")
                        for m in ("worst", "p99")}
    assert all(v >= 5 for v in row.values())          # a 10 ms timer's gaps (ms)
    assert line_render.IN_PROCESS == line_render.CAN_SPAWN


def test_a_window_row_runs_in_a_process_of_its_own():
    """`aeviz bench` runs each window row in a fresh process, so what the earlier
    rows leave behind (PyTorch's threads, a study's memory) does not count; the
    row's figures come back whole."""
    import os

    from aeviz.bench_app import fresh
    row = fresh("in_app", seconds=0.6)
    assert row["pid"] != os.getpid() and row["good"] is None
    r = row["result"]
    assert set(r) == {"in_app", "headless", "ratio", "display_per_second", "worst_gap_ms"}
    assert r["in_app"] > 0 and r["headless"] > 0 and r["display_per_second"] > 0
    assert r["ratio"] == r["in_app"] / r["headless"]
