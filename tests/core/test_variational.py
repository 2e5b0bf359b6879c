"""The variational code (VAE): its gradient equals finite differences of
J = L(x, g(mu + sigma eps)) + beta KL for a fixed eps; KL's closed form; the mean
code for display; the file format keeps it."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Network
from aeviz.core.engine.penalties import vae_kl

from .cases import VAE_CASES, make_vae
from .test_gradients import finite_difference


@pytest.mark.parametrize("name", sorted(VAE_CASES))
def test_vae_gradient_matches_finite_differences(name):
    trainer = make_vae(name)
    idx = None if trainer.full_batch else np.arange(trainer.config.batch_size)
    state = trainer.rng.bit_generator.state
    _, grad = trainer.gradient(idx)
    trainer.rng.bit_generator.state = state          # the same eps for the differences
    numeric = finite_difference(trainer, idx)
    assert np.abs(trainer.net.split_logvar(grad)).max() > 1e-4    # sigma's weights learn too
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_kl_is_the_closed_form_and_zero_at_the_prior():
    mu = np.array([[0.0, 0.0], [1.0, -2.0]])
    logvar = np.array([[0.0, 0.0], [np.log(4.0), 0.0]])
    # pattern 2: 1/2 (1 + 4 - 1 - log 4) + 1/2 (4 + 1 - 1 - 0); pattern 1: 0
    expected = (0.5 * (4 - np.log(4.0)) + 0.5 * 4) / 2
    assert vae_kl(mu, logvar) == pytest.approx(expected, rel=1e-15)
    assert vae_kl(np.zeros((3, 2)), np.zeros((3, 2))) == 0.0


def test_the_sampled_code_is_mu_plus_sigma_eps_from_the_seeded_generator():
    trainer = make_vae("vae-tanh-enc-sigmoid-dec")
    state = trainer.rng.bit_generator.state
    trainer.step_batch(measure=True, update=False)
    net, x = trainer.net, trainer.data
    mu = net.code(x)
    logvar = net.logvar(x)
    gen = np.random.default_rng()
    gen.bit_generator.state = state
    eps = gen.standard_normal(mu.shape)
    z = trainer.last_buffers.A[net.code_layer][:, :-1]
    np.testing.assert_allclose(z, mu + np.exp(logvar / 2) * eps, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trainer.last_buffers.Y, net.decode(z), rtol=0, atol=1e-12)


def test_training_a_vae_lowers_its_objective_and_is_reproducible():
    a, b = make_vae("vae-tanh-enc-softmax-dec"), make_vae("vae-tanh-enc-softmax-dec")
    first = make_vae("vae-tanh-enc-softmax-dec").step_batch(measure=True, update=False).objective
    a.run(300)
    b.run(300)
    np.testing.assert_array_equal(a.net.params, b.net.params)
    assert a.step_batch(measure=True, update=False).objective < first


def test_a_plain_network_becomes_variational_and_back_keeping_its_weights():
    net = Network.create([5, 2, 5], ["tanh", "softmax"], rng=np.random.default_rng(0))
    vae = net.with_variational(True)
    assert vae.variational and vae.logvar_block.shape == (6, 2)
    np.testing.assert_array_equal(vae.logvar_block, 0.0)
    np.testing.assert_array_equal(vae.params[:net.params.size], net.params)
    back = vae.with_variational(False)
    assert not back.variational and np.array_equal(back.params, net.params)
    np.testing.assert_array_equal(vae.code(np.eye(5)), net.code(np.eye(5)))   # mean code


@pytest.mark.parametrize("name", sorted(VAE_CASES))
def test_vae_training_matches_pytorch_autograd(name):
    """60 epochs against torch autograd (float64), eps drawn in the engine's order
    from the same seeded generator, to 1e-9 on every weight."""
    torch = pytest.importorskip("torch")
    from .test_torch_oracle import torch_activation
    trainer = make_vae(name)
    net, config = trainer.net, trainer.config
    start = net.copy()
    c = net.code_layer
    Ws = [torch.tensor(w.copy(), requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b.copy(), requires_grad=True) for b in net.biases]
    Wl = torch.tensor(net.logvar_block[:-1].copy(), requires_grad=True)
    bl = torch.tensor(net.logvar_block[-1].copy(), requires_grad=True)
    params = Ws + bs + [Wl, bl]
    opt = torch.optim.SGD(params, lr=config.learning_rate, momentum=config.momentum)
    data = torch.tensor(trainer.data)
    rng = np.random.default_rng(config.seed)
    n = len(trainer.data)
    for _ in range(60):
        if trainer.full_batch:
            batches = [np.arange(n)]
        else:
            order = rng.permutation(n) if config.shuffle else np.arange(n)
            batches = [order[i:i + config.batch_size] for i in range(0, n, config.batch_size)]
        for idx in batches:
            x = data[torch.as_tensor(idx)]
            eps = torch.tensor(rng.standard_normal((len(idx), net.sizes[c])))
            opt.zero_grad()
            a = x
            for k, act in enumerate(net.activations):
                z = a @ Ws[k] + bs[k]
                if k == c - 1:
                    mu = torch_activation(act, z)
                    lv = a @ Wl + bl
                    a = mu + torch.exp(lv / 2) * eps
                else:
                    a = torch_activation(act, z)
            if config.loss == "mse":
                loss = torch.nn.functional.mse_loss(a, x)
            elif net.activations[-1] == "softmax":
                loss = torch.nn.functional.cross_entropy(z, x)
            else:
                loss = torch.nn.functional.binary_cross_entropy(a, x)
            kl = 0.5 * (mu ** 2 + torch.exp(lv) - 1 - lv).sum() / len(idx)
            loss = loss + config.beta * kl
            if config.weight_decay:
                loss = loss + 0.5 * config.weight_decay * sum((W ** 2).sum() for W in Ws + [Wl])
            loss.backward()
            opt.step()
    trainer.run(60)
    assert np.abs(net.params - start.params).max() > 1e-2       # training really happened
    for k in range(net.depth):
        np.testing.assert_allclose(net.weights[k], Ws[k].detach().numpy(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(net.biases[k], bs[k].detach().numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(net.logvar_block[:-1], Wl.detach().numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(net.logvar_block[-1], bl.detach().numpy(), rtol=0, atol=1e-9)


def _vae_model():
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    trainer = make_vae("vae-tanh-enc-sigmoid-dec")
    trainer.run(20)
    return Model(trainer.net, trainer.config, Dataset.patterns(trainer.data), "VAE")


def test_a_variational_lesson_round_trips_and_says_version_2(tmp_path):
    from aeviz.core.files.fileformat import dumps, load, loads, save
    model = _vae_model()
    save(model, tmp_path / "vae.aeviz")
    back = load(tmp_path / "vae.aeviz")
    assert back.network.variational and back.training.beta == model.training.beta
    np.testing.assert_array_equal(back.network.params, model.network.params)
    text = dumps(model)
    assert '"version": 2' in text and '"variational": true' in text
    plain = loads(dumps(load_plain()))
    assert '"version": 1' in dumps(plain) and not plain.network.variational   # older aeviz opens it


def load_plain():
    from aeviz.core.files.presets import load_preset
    return load_preset("generate-digits")          # no guide, no variational code


@pytest.mark.parametrize("change, message", [
    (lambda d: d["layers"][1].update(variational=True), "layers[1].variational: only the code"),
    (lambda d: d["layers"][2].update(variational="yes"), "layers[2].variational"),
    (lambda d: (d["layers"][2].pop("variational"), None), "log_variance: is given but no layer"),
    (lambda d: d["log_variance"].update(weights=[[0.0]]), "log_variance.weights"),
    (lambda d: d["training"].update(beta=-1), "training.beta"),
    (lambda d: d.update(version=3), "newer aeviz"),
    (lambda d: d.update(version=1), "layers[2].variational: needs format version 2"),
])
def test_bad_variational_fields_are_refused_naming_the_field(change, message):
    import json

    from aeviz.core.files.fileformat import FileFormatError, dumps, loads
    data = json.loads(dumps(_vae_model()))
    change(data)
    with pytest.raises(FileFormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        loads(json.dumps(data))


def test_the_lesson_turns_a_code_variational_in_one_undo_step_and_trains_it():
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.files.presets import load_preset
    lesson = Lesson(load_preset("train-5-2-5"))
    before = lesson.network.params.copy()
    lesson.set_variational(True)
    assert lesson.network.variational and lesson.network.params.size == before.size + 12
    lesson.run(lambda s: s.advance(50), "Train")
    assert lesson.epoch == 50 and np.abs(lesson.network.logvar_block).max() > 0
    lesson.add_neuron(1)                                  # a structure edit keeps it variational
    assert lesson.network.variational and lesson.network.sizes == (5, 3, 5)
    while lesson.undo_stack.can_undo():
        lesson.undo()
    assert not lesson.network.variational
    np.testing.assert_array_equal(lesson.network.params, before)


def test_a_study_of_a_vae_runs_seed_by_seed_with_the_same_definitions():
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.files.presets import load_preset
    from aeviz.core.measures.study import run_seed, run_study
    lesson = Lesson(load_preset("train-5-2-5"))
    lesson.set_variational(True)
    model = lesson.model
    study = run_study(model, range(3), 200)
    assert study.complete and [r.seed for r in study.runs] == [0, 1, 2]
    assert study.runs[1] == run_seed(model, 1, 200)


def test_the_step_through_shows_the_sampling_and_the_kl_term_with_numbers():
    from aeviz.core.measures import phases
    trainer = make_vae("vae-tanh-enc-sigmoid-dec")
    state = trainer.rng.bit_generator.state
    trace = phases.begin(trainer)
    vae = trace.extra["vae"]
    gen = np.random.default_rng()
    gen.bit_generator.state = state
    np.testing.assert_array_equal(vae["eps"], gen.standard_normal(vae["eps"].shape))
    net = trainer.net
    _, text = phases.explain(trace, "encode", 0, net.activations, net.code_layer, "cross_entropy")
    z = vae["mu"][0] + vae["sigma"][0] * vae["eps"][0]
    assert f"μ = [{vae['mu'][0][0]:.3f}" in text and f"ε = [{vae['eps'][0][0]:.3f}" in text
    assert f"z = μ + σ·ε = [{z[0]:.3f}" in text
    _, text = phases.explain(trace, "error", 0, net.activations, net.code_layer, "cross_entropy")
    assert f"{vae['beta']:g} × {vae['kl']:.4f}" in text
    assert trace.penalty == pytest.approx(vae["beta"] * vae["kl"])
    phases.finish(trainer, trace)
    again = make_vae("vae-tanh-enc-sigmoid-dec")
    again.run(1)
    np.testing.assert_array_equal(trace.params_after, again.net.params)   # one engine step
