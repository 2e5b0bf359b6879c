"""Each built-in lesson opens, and what its text claims is what training shows."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Trainer, evaluate
from aeviz.core.config import Noise
from aeviz.core.noise import corrupt
from aeviz.core.presets import load_preset, preset_paths


def trained(name: str, epochs: int, **changes) -> Trainer:
    m = load_preset(name)
    config = m.training.with_(**changes) if changes else m.training
    t = Trainer(m.network, config, m.data())
    t.run(epochs)
    return t


@pytest.mark.parametrize("name", list(preset_paths()))
def test_every_lesson_opens_with_a_title_and_text(name):
    m = load_preset(name)
    assert m.name and len(m.description) > 40
    assert "exactly [1, 0, 0, 0, 0]" not in m.description.replace("not exactly", "")
    ev = evaluate(m.network, m.training, m.data())
    assert np.isfinite(ev.loss)


def test_sparsity_lowers_code_activity():
    plain = trained("overcomplete-5-8-5", 1500)
    sparse = trained("overcomplete-sparse", 1500)
    h_plain = np.abs(plain.net.code(plain.data)).mean()
    h_sparse = np.abs(sparse.net.code(sparse.data)).mean()
    assert h_sparse < 0.5 * h_plain
    assert evaluate(sparse.net, sparse.config, sparse.data).accuracy == 1.0
    assert plain.net.code_size > plain.net.sizes[0]            # overcomplete, as the text says


def recovered(t: Trainer, level: float = 0.25) -> float:
    """Fraction of masked inputs whose output is the clean pattern (every pixel
    within 0.5), over 50 seeded draws of the noise."""
    rng = np.random.default_rng(5)
    hits = 0
    for _ in range(50):
        y = t.net.output(corrupt(t.data, Noise("masking", level), rng))
        hits += np.all(np.abs(y - t.data) < 0.5, axis=1).sum()
    return hits / (50 * len(t.data))


def test_denoising_training_recovers_more_masked_inputs_than_plain_training():
    denoising = trained("denoising-bars", 1500)
    plain = trained("denoising-bars", 1500, noise=Noise("none", 0.0))
    assert denoising.config.noise.kind == "masking"
    assert recovered(denoising) > recovered(plain)


def test_linear_autoencoder_finds_the_pca_subspace():
    t = trained("linear-pca", 3000)
    X = t.data
    pca = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)[2][:2].T   # (3, 2)
    learned = np.linalg.qr(t.net.weights[1].T)[0]                         # decoder's span
    cosines = np.linalg.svd(pca.T @ learned)[1]
    largest_angle = np.degrees(np.arccos(np.clip(cosines, -1, 1))).max()
    assert largest_angle < 2.0
    before = load_preset("linear-pca")
    first = np.linalg.qr(before.network.weights[1].T)[0]
    assert np.degrees(np.arccos(np.clip(np.linalg.svd(pca.T @ first)[1], -1, 1))).max() > 5


def test_four_two_four_learns_all_four_codes():
    t = trained("encoder-4-2-4", 500)
    assert evaluate(t.net, t.config, t.data).accuracy == 1.0


def test_getting_stuck_lessons_say_what_a_study_shows():
    """Each sentence of the two "Getting stuck" lessons, over the seeds and the
    epochs the texts name."""
    from aeviz.core.study import run_study
    fast = run_study(load_preset("train-5-2-5"), range(20), 5000)
    assert fast.fraction_solved == 1.0 and 14 <= fast.median_epochs <= 18   # "by epoch 16"
    stuck = run_study(load_preset("stuck-5-2-5"), range(20), 5000)
    assert not any(r.solved for r in stuck.runs)                  # "no run was solved"
    assert sum(r.distinct_codes == 4 for r in stuck.runs) >= 18   # "almost every run ... 4"
    assert sum(r.flickers > 0 for r in stuck.runs) >= 10          # "right for a few epochs"
    assert "no run was solved" in load_preset("stuck-5-2-5").description
    slow = run_study(load_preset("stuck-8-3-8"), range(10), 5000)
    assert len(slow.with_status("solved")) == 8                   # "8 were solved"
    assert 2200 <= slow.median_epochs <= 2600                     # "about 2,400"
    late = slow.with_status("not finished")                       # "the other 2 ... not finished"
    assert len(late) == 2 and all(r.distinct_codes == 8 for r in late)
    assert "8 were solved" in load_preset("stuck-8-3-8").description
    quick = run_study(load_preset("encoder-8-3-8"), range(10), 5000)
    assert quick.fraction_solved == 1.0 and quick.median_epochs <= 60   # "a few dozen"


def test_study_cli_json(tmp_path):
    import json
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "aeviz", "study", "--preset", "encoder-4-2-4",
                          "--seeds", "5", "--epochs", "1000", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["fraction_solved"] == 1.0 and len(result["runs"]) == 5
    assert {"seed", "solved", "epochs", "distinct_codes", "loss", "diverged"} <= set(result["runs"][0])
    text = subprocess.run([sys.executable, "-m", "aeviz", "study", "--preset", "encoder-4-2-4",
                           "--seeds", "3", "--epochs", "500"], capture_output=True, text=True)
    assert "3 of 3 seeds" in text.stdout and "Ackley" in text.stdout


def test_the_study_agrees_with_a_plain_every_epoch_argmax_check():
    """The study's "solved at epoch E" (reconstructed by the 0.001 margin from E on)
    against the simplest independent check: the first epoch at which argmax y is
    the right unit for every pattern.  Same fraction, medians within one epoch."""
    from aeviz.core.network import Network
    from aeviz.core.study import run_study
    m = load_preset("train-5-2-5")
    study = run_study(m, range(20), 2000)
    firsts = []
    for seed in range(20):
        net = Network.create(m.network.sizes, m.network.activations,
                             rng=np.random.default_rng(seed))
        t = Trainer(net, m.training.with_(seed=seed), m.data())
        while not (net.output(m.data()).argmax(axis=1) == np.arange(5)).all():
            t.run(1)
        firsts.append(t.epoch)
    assert study.fraction_solved == 1.0
    assert abs(study.median_epochs - np.median(firsts)) <= 1
    # stricter, never earlier: seed 4 is argmax-right at epoch 7 but by less than the
    # 0.001 the table shows (or not for good) until epoch 18
    assert all(r.epochs >= f for r, f in zip(study.runs, firsts))


def test_the_article_lesson_states_both_mistakes_first_and_they_hold():
    m = load_preset("article-example")
    first = m.description.split("\n\n")[0]               # the always-visible sentence
    assert "not the one-hot" in first and "only 4 codes for 5 inputs" in first
    ev = evaluate(m.network, m.training, m.data())
    assert np.all((ev.outputs > 0) & (ev.outputs < 1))    # never exactly one-hot
    assert len({tuple(c) for c in np.round(ev.codes, 3)}) == 4
    # "training does not separate them ... only rounding error, after thousands of
    # epochs": at the lesson's settings, patterns 1 and 5 stay twins and tied
    from aeviz.core.model import twin_units
    t = Trainer(m.network, m.training, m.data())
    for _ in range(3):
        t.run(500)
        assert twin_units(t.net, t.data) == [(0, 4)]
        assert not evaluate(t.net, t.config, t.data).reconstructed[[0, 4]].any()
