"""The generative lessons: what their texts claim holds over 10 seeds at the
epochs they name (plain autoencoder vs variational autoencoder on the digits)."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import evaluate
from aeviz.core.measures.generate import sample_prior, walk
from aeviz.core.files.presets import load_preset

from .test_lessons import SEEDS, seeded


DRAWS = range(25)           # the draws the texts quote (seed 0: the CLI's default)


def plausible(t, draw: int) -> tuple[float, int]:
    """(fraction of 300 prior samples within 2 pixels of a digit, digits they show)."""
    s = sample_prior(t.net, t.data, 300, np.random.default_rng(draw))
    wrong = ((s.outputs > 0.5) != (t.data[s.nearest] > 0.5)).sum(axis=1)
    return float((wrong <= 2).mean()), len(set(s.nearest[wrong <= 2]))


def draws(t) -> tuple[list[float], list[int]]:
    """plausible() over every draw of DRAWS: (fractions, digits shown)."""
    both = [plausible(t, d) for d in DRAWS]
    return [f for f, _ in both], [n for _, n in both]


def midpoints(t) -> tuple[float, float]:
    """For every pair of digits, the picture halfway between their codes: (fraction
    that is another digit, fraction within 2 pixels of no digit)."""
    codes, data = t.net.code(t.data), t.data
    other = neither = pairs = 0
    for i in range(len(data)):
        for j in range(i + 1, len(data)):
            mid = walk(t.net, codes[i], codes[j], 3)[1][1] > 0.5
            d = np.abs(mid[None, :] - data).sum(axis=1)
            pairs += 1
            neither += d.min() > 2
            other += d.min() <= 2 and d.argmin() not in (i, j)
    return other / pairs, neither / pairs


@pytest.fixture(scope="module")
def plain_runs():
    return [seeded("generate-digits", seed, 3000) for seed in SEEDS]


@pytest.fixture(scope="module")
def vae_runs():
    return [seeded("vae-digits", seed, 3000) for seed in SEEDS]


def test_a_plain_autoencoders_codes_leave_the_prior_and_its_samples_miss_digits(plain_runs):
    text = load_preset("generate-digits").description
    assert "mean |h| is 7.0 to 10.4" in text and "30 to 80 %" in text and "1 to 9 of the 10" in text
    assert "25 draws of 300" in text
    assert "(over half of the pairs in every seed)" in text
    for seed, t in zip(SEEDS, plain_runs):
        assert not t.net.variational
        assert 6.95 <= np.abs(t.net.code(t.data)).mean() < 10.45     # "7.0 to 10.4"
        fractions, shown = draws(t)
        assert 0.295 <= min(fractions) and max(fractions) < 0.805     # "30 to 80 %", rounded
        assert 1 <= min(shown) and max(shown) <= 9
        other, neither = midpoints(t)
        assert other + neither > 0.5                    # "over half of the pairs in every seed"


def test_a_vae_keeps_codes_at_the_prior_and_samples_are_digits(vae_runs, plain_runs):
    text = load_preset("vae-digits").description
    assert "0.94 to 1.09" in text and "79 to 91 %" in text and "all 10 digits" in text
    assert "7.0 to 10.4 for the plain" in text
    for seed, t, plain in zip(SEEDS, vae_runs, plain_runs):
        assert t.net.variational and t.config.beta == 0.01
        assert 0.935 <= np.abs(t.net.code(t.data)).mean() < 1.095    # "0.94 to 1.09"
        fractions, shown = draws(t)
        assert 0.785 <= min(fractions) and max(fractions) < 0.915 and set(shown) == {10}
        assert np.mean(fractions) > np.mean(draws(plain)[0])   # the VAE fills the code space


def test_a_large_beta_collapses_every_code_to_the_prior():
    text = load_preset("vae-digits").description
    assert "Set β to 1" in text and "at most 1 of 10 digits" in text
    for seed in SEEDS:
        t = seeded("vae-digits", seed, 3000, beta=1.0)
        ev = evaluate(t.net, t.config, t.data)
        assert np.abs(ev.codes).max() < 0.1              # collapsed to 0
        assert ev.reconstructed.sum() <= 1
        assert np.ptp(ev.outputs, axis=0).max() < 0.05   # the same picture for every digit


def test_a_sample_counts_only_as_a_pattern_the_network_reconstructs():
    """#24 item 11: an untrained 8-3-8 has every softmax sample 'nearest' some
    pattern, yet reconstructs none: 0 samples count; trained, nearly all do."""
    import numpy as np
    from aeviz.core.measures.generate import counted, sample_prior
    from aeviz.core.guides.guide import apply_action
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.model import is_reconstructed
    from aeviz.core.files.presets import load_preset
    for seed in range(10):
        m = load_preset("encoder-8-3-8")
        m.network, m.training = m.network.fresh(seed), m.training.with_(seed=seed)
        d, rng = m.data(), np.random.default_rng(seed)
        s = sample_prior(m.network, d, 500, rng)
        naive = is_reconstructed(d[s.nearest], s.outputs, "softmax")
        own = is_reconstructed(d, m.network.forward(d)[1][-1], "softmax")
        ok = counted(s, m.network, d)
        assert naive.mean() > 0.9 and np.array_equal(ok, naive & own[s.nearest])
        lesson = Lesson(m)
        apply_action({"train": 300}, lesson)
        assert counted(sample_prior(lesson.network, d, 500, rng), lesson.network, d).mean() > 0.9
    assert not counted(sample_prior(load_preset("encoder-8-3-8").network, d, 1000, rng),
                       load_preset("encoder-8-3-8").network, d).any()
