"""An epoch trained with its loss measured (``Trainer.train_epoch(measure=True)``,
as every run of the window and the training process trains) runs each batch's
compiled halves; it must give the bits of stepping through the batches one at a
time (``step_next_batch``), the way the step-through and a started epoch go."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aeviz.core import Trainer
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
