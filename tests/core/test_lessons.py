"""Each built-in lesson opens, and what its text claims is what training shows."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Trainer, evaluate
from aeviz.core.config import Noise
from aeviz.core.files.presets import load_preset, preset_paths


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
    # the first paragraph is always shown above the diagram: short, the rest behind "more…"
    assert len(m.description.split("\n\n")[0]) <= 260
    assert "exactly [1, 0, 0, 0, 0]" not in m.description.replace("not exactly", "")
    ev = evaluate(m.network, m.training, m.data())
    assert np.isfinite(ev.loss)


@pytest.mark.parametrize("name", list(preset_paths()))
def test_a_lesson_that_speaks_of_pictures_shows_them(name):
    """A lesson whose text or guide speaks of images or pixels gives its patterns a
    picture shape, so the Images tab shows them (it otherwise says "no image shape")."""
    import json
    m = load_preset(name)
    text = (m.description + json.dumps([s.text for s in m.guide])).lower()
    if "pixel" in text or "image" in text or "picture" in text:
        assert m.dataset.image is not None
        h, w = m.dataset.image
        assert h * w == m.data().shape[1]


SEEDS = range(10)      # every claim a student reads holds over at least 10 seeds


def seeded(name: str, seed: int, epochs: int, **changes) -> Trainer:
    """The lesson's network redrawn from ``seed`` (as Reset weights / the study do)."""
    m = load_preset(name)
    config = m.training.with_(seed=seed, **changes)
    t = Trainer(m.network.fresh(seed), config, m.data())
    t.run(epochs)
    return t


def test_overcomplete_keeps_several_code_units_active_for_every_pattern():
    text = load_preset("overcomplete-5-8-5").description
    assert "800 epochs" in text and "at least 2 of the 8" in text
    for seed in SEEDS:
        t = seeded("overcomplete-5-8-5", seed, 800)
        active = (np.abs(t.net.code(t.data)) > 0.5).sum(axis=1)
        assert active.min() >= 2                                   # "at least 2"
        assert t.net.code_size > t.net.sizes[0]                    # overcomplete


def test_sparsity_lowers_code_activity_by_the_factor_the_lesson_names():
    assert "3.7 to 4.6 times over 10 seeds" in load_preset("overcomplete-sparse").description
    for seed in SEEDS:
        plain = seeded("overcomplete-5-8-5", seed, 800)
        sparse = seeded("overcomplete-sparse", seed, 800)
        h_plain = np.abs(plain.net.code(plain.data))
        h_sparse = np.abs(sparse.net.code(sparse.data))
        assert 3.6 <= h_plain.mean() / h_sparse.mean() <= 4.7         # "about 4 times"
        assert 0.75 <= (h_sparse < 0.2).mean() <= 0.85                # "about 4 in 5"
        assert evaluate(sparse.net, sparse.config, sparse.data).accuracy == 1.0


def recovered(t: Trainer, level: float = 0.25) -> float:
    """Fraction of masked inputs whose output reconstructs the clean pattern (the
    app's definition), over 50 seeded draws of the noise."""
    from aeviz.core.measures.analysis import recovery_rate
    return recovery_rate(t.net, t.data, Noise("masking", level), np.random.default_rng(1), 50)


def test_denoising_recovers_more_masked_bars_at_800_epochs_but_not_at_300():
    assert "about 94 %" in load_preset("denoising-bars").description
    for seed in SEEDS:
        denoising = seeded("denoising-bars", seed, 800)
        plain = seeded("denoising-bars", seed, 800, noise=Noise("none", 0.0))
        assert denoising.config.noise.kind == "masking"
        assert 0.92 <= recovered(denoising) <= 0.96                  # "about 94 %"
        assert 0.76 <= recovered(plain) <= 0.87                      # "78 to 85 %"
    for seed in range(3):                                            # "at 300 ... equal"
        a = recovered(seeded("denoising-bars", seed, 300))
        b = recovered(seeded("denoising-bars", seed, 300, noise=Noise("none", 0.0)))
        assert abs(a - b) <= 0.06


def test_linear_autoencoder_decoder_plane_reaches_pca_by_300_epochs():
    from aeviz.core.measures.analysis import principal_angle
    assert "within 0.2° after 300 epochs" in load_preset("linear-pca").description
    for seed in SEEDS:
        t = seeded("linear-pca", seed, 300)
        assert principal_angle(t.net, t.data) < 0.2
    before = load_preset("linear-pca").network
    assert principal_angle(before, load_preset("linear-pca").data()) > 5     # not at the start


def octants(t: Trainer) -> int:
    """How many different sign patterns (quarters, octants) the codes occupy."""
    return len({tuple(np.sign(h)) for h in t.net.code(t.data)})


def test_the_encoder_lessons_codes_spread_as_the_texts_say():
    assert "10 of 10 seeds by epoch 300" in load_preset("encoder-4-2-4").description
    for seed in SEEDS:
        t = seeded("encoder-4-2-4", seed, 300)
        assert octants(t) == 4 and evaluate(t.net, t.config, t.data).accuracy == 1.0
    assert "2 of 10 seeds here" in load_preset("encoder-8-3-8").description
    shared = 0
    for seed in SEEDS:
        t = seeded("encoder-8-3-8", seed, 300)
        assert evaluate(t.net, t.config, t.data).accuracy == 1.0   # "within 300 epochs"
        t.run(4700)
        assert octants(t) >= 7
        shared += octants(t) == 7
    assert shared == 2


def test_the_hand_solved_lesson_reconstructs_all_five_with_its_loss():
    m = load_preset("hand-solved")
    ev = evaluate(m.network, m.training, m.data())
    assert ev.accuracy == 1.0 and f"{ev.loss:.3f}" == "0.765"
    assert "mean cross-entropy of 0.765" in m.description


def test_four_two_four_learns_all_four_codes():
    t = trained("encoder-4-2-4", 500)
    assert evaluate(t.net, t.config, t.data).accuracy == 1.0


def test_getting_stuck_lessons_say_what_a_study_shows():
    """Each sentence of the two "Getting stuck" lessons, over the seeds and the
    epochs the texts name."""
    from aeviz.core.measures.study import run_study
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
    from aeviz.core.engine.network import Network
    from aeviz.core.measures.study import run_study
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
