"""The Denoising view's comparison, in the core: the same start trained the same
epochs without noise through the training session, measured on noisy inputs."""

from __future__ import annotations

import numpy as np

from aeviz.core import Trainer
from aeviz.core.measures.analysis import recovery_rate
from aeviz.core.config import Noise
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.measures.noise_comparison import NoiseComparison
from aeviz.core.files.presets import load_preset


def _trained_lesson(epochs: int) -> Lesson:
    lesson = Lesson(load_preset("denoising-bars"))
    lesson.run(lambda session: session.advance(epochs), "Train", True)
    return lesson


def test_it_is_a_plain_trainer_run_from_the_first_weights_without_noise():
    lesson = _trained_lesson(30)
    start = load_preset("denoising-bars")
    trainer = Trainer(start.network, start.training.with_(noise=Noise("none", 0.0)), start.data())
    trainer.run(30)
    expected = recovery_rate(trainer.net, start.data(), start.training.noise,
                             np.random.default_rng(1), 50)
    result = NoiseComparison.of(lesson).run()
    assert result.epochs == result.asked == 30 and not result.diverged
    assert result.rate == expected
    assert f"trained 30 epochs from the same start without noise recovers " \
           f"{100 * expected:.0f} %" in result.sentence()


def test_it_works_on_copies_and_stops_when_cancelled():
    lesson = _trained_lesson(5)
    before = lesson.network.params.copy()
    job = NoiseComparison.of(lesson)
    seen = []
    assert job.run(lambda: True) is None
    job.run(progress=lambda done, total: seen.append((done, total)))
    np.testing.assert_array_equal(lesson.network.params, before)
    assert lesson.training.noise.active and seen[-1] == (5, 5)


def test_a_copy_that_blows_up_says_so():
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    net = Network.create([2, 1, 2], ["linear", "linear"],
                         weights=[np.full((2, 1), 1e150), np.full((1, 2), 1e3)])
    lesson = Lesson(Model(net, TrainingConfig(loss="mse", learning_rate=1e6,
                                              noise=Noise("gaussian", 0.1)), Dataset.one_hot(2)))
    result = NoiseComparison.of(lesson).run()
    assert result.diverged and result.epochs == 0 and "blew up" in result.sentence()
