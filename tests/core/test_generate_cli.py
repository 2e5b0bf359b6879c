"""`aeviz sample`, and the VAE figures of `eval` and `train --json`, run as a person would."""

from __future__ import annotations

import json

import numpy as np

from aeviz.core.measures.generate import sample_prior
from aeviz.core.engine.penalties import vae_kl
from aeviz.core.files.presets import load_preset

from .test_cli import aeviz

ONE = ",".join(["1"] + ["0"] * 34)


def test_sample_decodes_codes_from_the_prior_reproducibly():
    out = aeviz("sample", "--preset", "vae-digits", "--n", "5", "--seed", "3", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    model = load_preset("vae-digits")
    expected = sample_prior(model.network, model.data(), 5, np.random.default_rng(3))
    assert result["variational"] is True and len(result["codes"]) == 5
    np.testing.assert_allclose(result["codes"], expected.codes)
    np.testing.assert_allclose(result["outputs"], model.network.decode(expected.codes))
    assert result["nearest_pattern"] == (expected.nearest + 1).tolist()
    again = aeviz("sample", "--preset", "vae-digits", "--n", "5", "--seed", "3", "--json")
    assert again.stdout == out.stdout
    text = aeviz("sample", "--preset", "generate-digits", "--n", "2")
    assert "plain autoencoder (not trained for this: a VAE is)" in text.stdout
    bad = aeviz("sample", "--preset", "vae-digits", "--n", "0")
    assert bad.returncode == 2 and "1 to 10,000" in bad.stderr


def test_eval_and_train_report_mu_sigma_and_the_kl_term_of_a_vae():
    out = aeviz("eval", "--preset", "vae-digits", "--input", ONE, "--json")
    result = json.loads(out.stdout)
    net = load_preset("vae-digits").network
    x = np.array([[1.0] + [0.0] * 34])
    np.testing.assert_allclose(result["mu"], net.code(x)[0])
    np.testing.assert_allclose(result["sigma"], np.exp(net.logvar(x)[0] / 2))
    assert result["kl"] == vae_kl(net.code(x), net.logvar(x)) and result["beta"] == 0.01
    trained = json.loads(aeviz("train", "--preset", "vae-digits", "--epochs", "200",
                               "--json").stdout)
    assert len(trained["mu"]) == 10 and len(trained["sigma"][0]) == 2 and trained["kl"] > 0
    plain = json.loads(aeviz("train", "--preset", "generate-digits", "--epochs", "5",
                             "--json").stdout)
    assert "kl" not in plain
    text = aeviz("eval", "--preset", "vae-digits", "--input", ONE).stdout
    assert "sigma" in text and "KL" in text
