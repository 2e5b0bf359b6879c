"""#24 item 2 / "What to build": the step-through's terms of the gradient add up to
the engine's, for every built-in lesson (the VAE's β·μ/B and log σ² path, sparsity,
weight decay, noise), and its text names each term present and no other."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core.measures import phases
from aeviz.core.engine.gradient_terms import backprop_terms, block_gradients, deltas_from_terms
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.core.engine.trainer import Trainer

LESSONS = list(preset_paths())
SHOWN = {"β·μ/B": "β·μ/B", "∂J/∂log σ² W_σᵀ": "log σ²", "∂Ω/∂h": "sparsity penalty"}


def traced(name: str, extra=None):
    m = load_preset(name)
    config = m.training if extra is None else m.training.with_(**extra)
    t = Trainer(m.network.copy(), config, m.data())
    t.run(3)                                       # not the first step: momentum, Adam
    return t, phases.begin(t)


@pytest.mark.parametrize("name", LESSONS)
def test_the_terms_shown_add_up_to_the_engines_gradient(name):
    t, trace = traced(name, {"weight_decay": 1e-3} if name == "train-5-2-5" else None)
    net, config = t.net, t.config
    vae = trace.extra.get("vae")
    terms = backprop_terms(net, config, trace.zs, trace.acts, trace.deltas, vae)
    for k, delta in deltas_from_terms(net, trace.zs, trace.acts, terms, vae).items():
        np.testing.assert_allclose(delta, trace.deltas[k - 1], rtol=1e-10, atol=1e-13)
    blocks = net.split(trace.grad) + ([net.split_logvar(trace.grad)] if vae else [])
    for mine, engine in zip(block_gradients(net, config, trace.acts, trace.deltas, vae), blocks):
        np.testing.assert_allclose(mine, engine, rtol=1e-10, atol=1e-13)
    text = phases.explain(trace, "backprop", 0, net.activations, net.code_layer,
                          config.loss)[1]
    present = {n for parts in terms.values() for n, _ in parts}
    for term, words in SHOWN.items():
        assert (words in text) == (term in present), (name, term)
    assert ("weight decay" in text.lower()) == (config.weight_decay > 0)
    if vae is not None:
        phases.finish(t, trace)
        update = phases.explain(trace, "update", 0, net.activations, net.code_layer,
                                config.loss)[1]
        assert "log σ²" in update


def test_explain_names_the_vae_kl_term_with_its_value():
    """#24 item 1: Explain's "Penalties and noise" names β·KL and its value (the
    Values panel's penalty), never "the objective is the loss alone"."""
    from aeviz.core.measures.explain import regularisation_text
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.core.guides.guide import apply_action
    lesson = Lesson(load_preset("vae-digits"))
    apply_action({"train": 300}, lesson)
    text = regularisation_text(lesson.training, lesson.network, lesson.data())
    penalty = lesson.evaluation().penalty
    assert "the loss alone" not in text and "β·KL" in text
    assert f"= {penalty:.4f}." in text and penalty > 0.01
    plain = load_preset("train-5-2-5")
    assert "the loss alone" in regularisation_text(plain.training, plain.network, plain.data())
