"""Issue 22 items 10, 17, 19: `aeviz sample` in bounded memory with a stated limit,
its `--seed` over the documented range, `aeviz lesson` alone names `check`."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np

from aeviz.core.files import fileformat as ff
from aeviz.core.files.datasets import Dataset
from aeviz.core.measures.generate import MAX_SAMPLE_VALUES, sample_limit, sample_prior
from aeviz.core.model import Model
from aeviz.core.engine.network import Network

from .test_cli import aeviz


def _wide(n: int) -> Model:
    net = Network.create([n, 2, n], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    return Model(net, dataset=Dataset.one_hot(n), name="wide")


def test_sampling_holds_one_chunk_not_samples_x_patterns_x_units():
    """(N, P, n_L) all at once was 400 x 256 x 256 x 8 B = 210 MB here (78 GiB for
    10,000 samples of a 1024-2-1024)."""
    model = _wide(256)
    tracemalloc.start()
    try:
        s = sample_prior(model.network, model.data(), 400, np.random.default_rng(1))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * 2**20, peak / 2**20
    y = model.network.decode(s.codes)
    d = np.linalg.norm(y[:, None, :] - model.data()[None], axis=2)
    np.testing.assert_allclose(s.outputs, y)
    np.testing.assert_array_equal(s.nearest, d.argmin(axis=1))
    np.testing.assert_allclose(s.distance, d.min(axis=1))


def test_sample_beyond_the_limit_is_one_line(tmp_path):
    path = tmp_path / "wide.aeviz"
    ff.save(_wide(1024), path)
    limit = sample_limit(_wide(1024).network)
    assert limit == MAX_SAMPLE_VALUES // 1024
    out = aeviz("sample", str(path), "--n", "10000")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert f"draw 1 to {limit:,} codes" in out.stderr and "1,024 outputs" in out.stderr
    ok = aeviz("sample", str(path), "--n", "3", "--json")
    assert ok.returncode == 0, ok.stderr
    assert np.array(json.loads(ok.stdout)["outputs"]).shape == (3, 1024)


def test_sample_seed_takes_the_documented_range():
    top = str(2**63 - 1)
    out = aeviz("sample", "--preset", "vae-digits", "--n", "2", "--seed", top, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["seed"] == 2**63 - 1
    over = aeviz("sample", "--preset", "vae-digits", "--seed", str(2**63))
    assert over.returncode == 2 and "0 to 9223372036854775807" in over.stderr


def test_lesson_alone_names_check():
    out = aeviz("lesson")
    assert out.returncode == 2
    assert "aeviz lesson check" in out.stderr and "lesson_command" not in out.stderr
    assert out.stderr.startswith("aeviz: error: ") and out.stderr.count("\n") == 1
