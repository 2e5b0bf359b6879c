"""Rewind snapshots are bounded in bytes, not only in count (#12 item 11): wide
networks keep fewer snapshots, always the start and the latest."""

from __future__ import annotations

import numpy as np

from aeviz.core.lessons import history
from aeviz.core.config import TrainingConfig
from aeviz.core.lessons.history import Snapshots, state_bytes
from aeviz.core.engine.network import Network
from aeviz.core.lessons.session import TrainingSession


def fake_state(epoch: int, floats: int) -> dict:
    return {"params": np.zeros(floats), "epoch": epoch,
            "optimizer": {"velocity": np.zeros(floats)}, "rng": None, "pending": []}


def test_big_states_are_thinned_to_the_byte_budget():
    snaps = Snapshots(capacity=1000, max_bytes=10 * 2**20)
    one = state_bytes(fake_state(0, 2**17))                # 2 MB a state
    assert one == 2 * 2**20
    for epoch in range(0, 2000, 10):
        snaps.add(fake_state(epoch, 2**17))
        assert snaps.nbytes() <= 10 * 2**20
    assert snaps.epochs[0] == 0 and snaps.epochs[-1] == 1990
    assert 4 <= len(snaps) <= 5


def test_small_states_keep_the_count_cap():
    snaps = Snapshots(capacity=1000)
    for epoch in range(3000):
        snaps.add(fake_state(epoch, 20))
    assert 500 <= len(snaps) <= 1000


def test_a_wide_network_session_stays_within_the_budget(monkeypatch):
    monkeypatch.setattr(history, "MAX_SNAPSHOT_BYTES", 16 * 2**20)
    net = Network.create([256, 256, 256], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    session = TrainingSession(net, TrainingConfig(loss="mse", learning_rate=0.01),
                              np.eye(256)[:8])
    session.snapshot_every = 1
    for _ in range(60):
        session.advance(1)
    # 131,840 weights: ~1 MB params + ~1 MB velocity a snapshot: 7 fit, not 61
    assert session.snapshots.nbytes() <= 16 * 2**20
    fit = 16 * 2**20 // state_bytes(session.snapshots.states[-1])
    assert fit == 7 and fit - 2 <= len(session.snapshots) <= fit
    assert session.snapshots.epochs[0] == 0 and session.snapshots.epochs[-1] == 60
