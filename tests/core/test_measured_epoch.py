"""An epoch trained with its loss measured (``Trainer.train_epoch(measure=True)``,
as every run of the window and the training process trains) runs each batch's
compiled halves; it must give the bits of stepping through the batches one at a
time (``step_next_batch``), the way the step-through and a started epoch go."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aeviz.core import Trainer
from aeviz.core.config import Noise, Sparsity
from aeviz.core.files.presets import load_preset


def _stepped_epoch(t: Trainer):
    results = [t.step_next_batch(measure=True)]
    while t._pending:
        results.append(t.step_next_batch(measure=True))
    return (sum(r.loss for r in results) / len(results),
            sum(r.penalty for r in results) / len(results))


@pytest.mark.parametrize("name", ["digits-8x8", "denoising-bars", "vae-digits",
                                  "train-5-2-5", "overcomplete-sparse", "stuck-8-3-8",
                                  "digits-8x8 with weight decay"])
def test_a_measured_epoch_gives_the_bits_of_stepping_through_its_batches(name):
    m = load_preset(name.split()[0])
    if "decay" in name:                      # its penalty is measured before the update
        m.training = dataclasses.replace(m.training, weight_decay=0.01)
    fast = Trainer(m.network.copy(), m.training, m.data())
    slow = Trainer(m.network.copy(), m.training, m.data())
    for epoch in range(3):
        r = fast.train_epoch(measure=True)
        loss, penalty = _stepped_epoch(slow)
        assert (r.loss, r.penalty) == (loss, penalty), (name, epoch)
        assert np.array_equal(fast.net.params, slow.net.params), (name, epoch)
        assert fast.epoch == slow.epoch == epoch + 1
        assert fast.rng.bit_generator.state == slow.rng.bit_generator.state
        np.testing.assert_array_equal(fast.last_buffers.Y, slow.last_buffers.Y)
    np.testing.assert_array_equal(fast.state()["params"], slow.state()["params"])


def _stepped_measured_epoch(self):
    """The reference: ``step_next_batch(measure=True)`` through the epoch."""
    from aeviz.core.engine.trainer import BatchResult
    results = [self.step_next_batch(measure=True)]
    while self._pending:
        results.append(self.step_next_batch(measure=True))
    return BatchResult(sum(r.loss for r in results) / len(results),
                       sum(r.penalty for r in results) / len(results))


def _session_run(m, script):
    from aeviz.core.lessons.session import StopRule, TrainingSession
    s = TrainingSession(m.network, m.training, m.data())
    out = []
    for op, arg in script:
        event = None
        if op == "advance":
            event = s.advance(*arg)
        elif op == "step":
            event = s.step()
        elif op == "retune":
            s.retune(dataclasses.replace(s.config, **arg))
        elif op == "rewind":
            s.continue_from(arg)
        elif op == "rule":
            s.set_stop_rule(StopRule(**arg))
        state = s.state()
        out.append((state["params"].copy(), state["epoch"], state["rng"], state["optimizer"],
                    state["streak"], s.history.rows(0), list(s.snapshots.epochs),
                    None if event is None else (event.kind, event.epoch)))
    return out


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=True)
    return a == b


SCRIPT = [("advance", (3,)), ("step", None), ("advance", (2,)),
          ("retune", {"learning_rate": 0.05}), ("advance", (4, 50)), ("step", None),
          ("retune", {"batch_size": 2}), ("advance", (3,)), ("rewind", 5), ("advance", (2,)),
          ("rule", {"epochs": 3}), ("advance", (5,)),
          ("retune", {"learning_rate": 1e9}), ("advance", (4,))]      # a divergence


@pytest.mark.parametrize("name, changes", [
    ("train-5-2-5", {"batch_size": 1}),                                   # online
    ("encoder-8-3-8", {"batch_size": 3, "momentum": 0.9}),                # 8 = 3 + 3 + 2
    ("stuck-8-3-8", {"batch_size": 3, "weight_decay": 0.01}),
    ("denoising-bars", {"batch_size": 3, "noise": Noise("gaussian", 0.2)}),
    ("overcomplete-sparse", {"batch_size": 2,
                             "sparsity": Sparsity("l1", 0.05)}),
    ("overcomplete-sparse", {"batch_size": 2, "optimizer": "adam", "learning_rate": 0.02}),
    ("vae-digits", {"batch_size": 3, "beta": 0.3, "noise": Noise("salt_pepper", 0.1)}),
])
def test_a_session_trains_the_bits_of_stepping_through_every_batch(monkeypatch, name, changes):
    """Whole sessions (online and ragged minibatches, momentum, Adam, decay, sparsity,
    noise, a VAE; a started epoch, retunes, a rewind, a stop rule, a divergence's
    replay) give the same parameters, generator, optimiser state, loss rows,
    snapshots and streak with measured epochs as stepping through them."""
    m = load_preset(name)
    m.training = dataclasses.replace(m.training, **changes)
    fast = _session_run(m, SCRIPT)
    monkeypatch.setattr(Trainer, "_measured_epoch", _stepped_measured_epoch)
    slow = _session_run(m, SCRIPT)
    for i, (a, b) in enumerate(zip(fast, slow)):
        assert _same(a, b), (name, SCRIPT[i])
