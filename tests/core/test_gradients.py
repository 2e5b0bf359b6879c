"""Every gradient the trainer computes equals central finite differences of the
objective J = L + Omega + 1/2 wd sum W^2."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Sparsity
from aeviz.core.engine.noise import corrupt

from .cases import CASES, NOISES, make


def finite_difference(trainer, idx=None, eps=1e-6) -> np.ndarray:
    params = trainer.net.params
    rng_state = trainer.rng.bit_generator.state
    out = np.empty_like(params)
    for i in range(params.size):
        old = params[i]
        values = []
        for delta in (eps, -eps):
            params[i] = old + delta
            trainer.rng.bit_generator.state = rng_state      # same noise every time
            values.append(trainer.step_batch(idx, measure=True, update=False).objective)
        params[i] = old
        out[i] = (values[0] - values[1]) / (2 * eps)
    trainer.rng.bit_generator.state = rng_state
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name):
    trainer = make(name)
    idx = None if trainer.full_batch else np.arange(trainer.config.batch_size)
    _, grad = trainer.gradient(idx)
    numeric = finite_difference(trainer, idx)
    assert np.abs(grad).max() > 1e-4                  # the check is not vacuous
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("noise", NOISES, ids=lambda n: n.kind)
def test_denoising_gradient_compares_noisy_output_with_clean_input(noise):
    trainer = make("tanh-sigmoid-bce-l1", noise=noise)
    state = trainer.rng.bit_generator.state
    _, grad = trainer.gradient()
    buf_inputs = trainer.last_buffers.A[0][:, :-1].copy()
    trainer.rng.bit_generator.state = state          # the same noise for the differences
    numeric = finite_difference(trainer)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
    # the input fed was corrupted, the target stayed clean
    buf = trainer.last_buffers
    np.testing.assert_array_equal(buf.T, trainer.data)
    assert not np.array_equal(buf_inputs, trainer.data)
    # and the corruption is exactly what a draw from the seeded generator gives
    trainer.rng.bit_generator.state = state
    np.testing.assert_array_equal(buf_inputs, corrupt(trainer.data, noise, trainer.rng))


def test_euclidean_gradient_is_zero_where_output_equals_input():
    trainer = make("deep-linear-euclidean")
    net = trainer.net
    # zero all but the last layer's bias, set the bias to pattern 0: y = x for it
    net.params[:] = 0.0
    net.biases[-1][:] = trainer.data[0]
    _, grad = trainer.gradient(np.array([0]))
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad, 0.0)


def test_l1_penalty_value():
    trainer = make("tanh-sigmoid-bce-l1")
    r = trainer.step_batch(measure=True, update=False)
    h = np.tanh(trainer.data @ trainer.net.weights[0] + trainer.net.biases[0])
    assert r.penalty == pytest.approx(0.05 * np.abs(h).sum() / len(h), rel=1e-12)


def test_kl_penalty_value_maps_tanh_to_unit_interval():
    trainer = make("tanh-tanh-kl", sparsity=Sparsity("kl", 0.2, 0.3))
    h = np.tanh(trainer.data @ trainer.net.weights[0] + trainer.net.biases[0])
    r_hat = ((h + 1) / 2).mean(axis=0)
    rho = 0.3
    kl = rho * np.log(rho / r_hat) + (1 - rho) * np.log((1 - rho) / (1 - r_hat))
    r = trainer.step_batch(measure=True, update=False)
    assert r.penalty == pytest.approx(0.2 * kl.sum(), rel=1e-12)


def test_weight_decay_skips_biases():
    plain = make("tanh-softmax-ce")
    decayed = make("tanh-softmax-ce", weight_decay=0.5)
    _, g0 = plain.gradient()
    _, g1 = decayed.gradient()
    net = decayed.net
    expected = g0.copy()
    start = 0
    for p in net.blocks:
        block = expected[start:start + p.size].reshape(p.shape)
        block[:-1] += 0.5 * p[:-1]
        start += p.size
    np.testing.assert_allclose(g1, expected, rtol=1e-12, atol=1e-15)
