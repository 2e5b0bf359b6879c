"""Derived values (#12 item 12): memoised per version of the lesson, computed the
same from a frozen copy (as the window does off the GUI thread for big networks),
a stale result is dropped; a study stops between two operations of an epoch."""

from __future__ import annotations

import numpy as np

from aeviz.core import Network, TrainingConfig
from aeviz.core.engine.engine import Engine
from aeviz.core.files.datasets import Dataset
from aeviz.core.lessons.derived import Derived
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.model import Model, evaluate
from aeviz.core.files.presets import load_preset
from aeviz.core.measures.study import run_study


def test_a_value_is_computed_once_per_version_and_again_after_a_change():
    lesson = Lesson(load_preset("train-5-2-5"))
    calls = []
    lesson.add_derived("sum", lambda d: calls.append(1) or float(d.model.network.params.sum()))
    first = lesson.derived.get("sum")
    assert lesson.derived.get("sum") == first and len(calls) == 1
    version = lesson.derived.version
    lesson.set_weight(0, 0, 0, 0.75)
    assert lesson.derived.version == version + 1
    assert lesson.derived.get("sum") == float(lesson.network.params.sum()) != first
    assert len(calls) == 2
    lesson.feed_pattern(2)                          # the input is part of the state too
    assert lesson.derived.version == version + 2


def test_values_from_a_frozen_copy_equal_those_computed_in_place():
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_weight(0, 1, 1, -0.4)
    frozen = lesson.derived.frozen_copy()
    lesson.set_weight(0, 1, 1, 2.0)                 # the copy is not reached by a later change
    assert frozen.model.network.params[lesson.param_index(0, 1, 1)] == -0.4
    lesson.undo()
    assert frozen.compute_all()
    ev, now = frozen.get("evaluation"), lesson.evaluation()
    np.testing.assert_array_equal(ev.codes, now.codes)
    np.testing.assert_array_equal(ev.outputs, now.outputs)
    assert ev.loss == now.loss
    for a, b in zip(frozen.get("forward")[1], lesson.forward()[1]):
        np.testing.assert_array_equal(a, b)


def test_a_stale_result_is_dropped_and_a_current_one_kept():
    lesson = Lesson(load_preset("train-5-2-5"))
    stale = lesson.derived.frozen_copy()
    lesson.set_weight(0, 0, 1, 1.5)
    current = lesson.derived.frozen_copy()
    assert stale.compute_all() and current.compute_all()
    assert not lesson.derived.install(stale)
    assert not lesson.derived.has("evaluation")
    assert lesson.derived.install(current)
    assert lesson.derived.get("evaluation") is current.get("evaluation")
    expected = evaluate(lesson.network, lesson.training, lesson.data())
    np.testing.assert_array_equal(lesson.evaluation().outputs, expected.outputs)


def test_computing_every_value_stops_when_cancelled():
    net = Network.create([4, 2, 4], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    ran = []
    functions = {k: (lambda d, k=k: ran.append(k)) for k in "abc"}
    d = Derived(Model(net, dataset=Dataset.one_hot(4)), np.eye(4)[0], functions, 0)
    assert not d.compute_all(lambda: len(ran) >= 2)
    assert ran == ["a", "b"]


def wide_model() -> Model:
    net = Network.create([64, 48, 32, 48, 64], ["tanh", "tanh", "tanh", "sigmoid"],
                         rng=np.random.default_rng(0))
    return Model(net, TrainingConfig(loss="mse"), Dataset.one_hot(64))


def test_an_epoch_is_abandoned_between_two_operations_when_cancelled():
    m = wide_model()
    seeds = list(range(8))        # 8 x 64 x 9216 multiply-adds a batch: long enough to poll
    bt = Engine.from_seeds(m.network, m.training, m.data(), seeds)
    assert not bt._epoch_is_short(64)
    polls = []
    assert bt.run_epoch(lambda: polls.append(1) or False) is not None
    per_epoch = len(polls)
    assert per_epoch > 4                      # polled at every operation, not once an epoch
    polls.clear()
    assert bt.run_epoch(lambda: polls.append(1) or len(polls) > 3) is None
    assert len(polls) == 4


def test_a_study_stops_within_an_epoch():
    m = wide_model()
    polls_per_epoch = []
    Engine.from_seeds(m.network, m.training, m.data(), list(range(8))).run_epoch(
        lambda: polls_per_epoch.append(1) or False)
    polls = []
    study = run_study(m, range(8), 1000, cancelled=lambda: polls.append(1) or len(polls) > 3)
    assert not study.complete and study.runs == [] and study.epoch == 0
    assert len(polls) < len(polls_per_epoch)      # it did not wait for the epoch to end
