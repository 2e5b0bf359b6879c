"""The step-through names the batch a pattern is in as it is: the full batch
only when it holds every pattern (digits: 64 of 1,797 is a minibatch)."""

from __future__ import annotations

import pytest

from aeviz.core.files.presets import load_preset
from aeviz.core.engine.trainer import Trainer
from aeviz.core.measures import phases


@pytest.mark.parametrize("batch_size, kind", [(5, "(one of 5 in this full batch)"),
                                              (2, "(one of 2 in this minibatch of the 5 "
                                                  "patterns)"),
                                              (1, "")])
def test_the_batch_is_named_as_it_is(batch_size, kind):
    m = load_preset("train-5-2-5")
    t = Trainer(m.network.copy(), m.training.with_(batch_size=batch_size), m.data())
    trace = phases.begin(t)
    text = phases.explain(trace, "input", 0, t.net.activations, t.net.code_layer,
                          t.config.loss, len(m.data()))[1]
    p = int(trace.patterns[0]) + 1
    assert f"pattern {p}{' ' + kind if kind else '.'}" in text, text
    assert ("full batch" in text) == (batch_size == 5)
