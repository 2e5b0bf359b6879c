import numpy as np

from aeviz.core import Trainer
from aeviz.core.measures import analysis
from aeviz.core.config import Noise
from aeviz.core.files.presets import load_preset


def test_code_activity_on_the_article_example():
    m = load_preset("article-example")
    a = analysis.code_activity(m.network, m.data())
    assert a.codes.shape == (5, 2) and a.mapped
    # codes are +-tanh(1): mapped to (1 +- 0.762) / 2, every unit "active" for every pattern
    expected = ((a.codes + 1) / 2).mean(axis=0)
    np.testing.assert_allclose(a.mean, expected)
    assert a.active.tolist() == [2] * 5


def test_recovery_rate_counts_clean_reconstructions():
    m = load_preset("hand-solved")
    rng = np.random.default_rng(0)
    assert analysis.recovery_rate(m.network, m.data(), Noise("none", 0.0), rng) == 1.0
    masked = analysis.recovery_rate(m.network, m.data(), Noise("masking", 1.0), rng)
    assert masked == 0.2                       # all-zero input: only pattern 5 (the centre) wins


def test_principal_angle_shrinks_with_training():
    m = load_preset("linear-pca")
    before = analysis.principal_angle(m.network, m.data())
    t = Trainer(m.network, m.training, m.data())
    t.run(2000)
    after = analysis.principal_angle(m.network, m.data())
    assert before > 5 and after < 1
    assert analysis.is_linear(m.network)
