"""The command line, run as a person would (in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.files.presets import preset_paths

ROOT = Path(__file__).resolve().parents[2]


def aeviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aeviz", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_train_json_reports_every_field_and_learns():
    out = aeviz("train", "--preset", "train-5-2-5", "--epochs", "800", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"epochs", "loss", "penalty", "reconstruction_error", "accuracy",
                           "codes", "outputs"}
    assert result["epochs"] == 800 and result["accuracy"] == 1.0 and result["loss"] < 0.1
    assert np.array(result["codes"]).shape == (5, 2)
    np.testing.assert_allclose(np.array(result["outputs"]).sum(axis=1), 1.0)


def test_train_save_continues_from_the_file(tmp_path):
    out_file = tmp_path / "t.aeviz"
    assert aeviz("train", "--preset", "train-5-2-5", "--epochs", "100",
                 "--save", str(out_file)).returncode == 0
    first = ff.load(out_file).network.params
    assert aeviz("train", str(out_file), "--epochs", "100", "--save", str(out_file)).returncode == 0
    two_step = ff.load(out_file).network.params
    assert aeviz("train", "--preset", "train-5-2-5", "--epochs", "200",
                 "--save", str(tmp_path / "s.aeviz")).returncode == 0
    straight = ff.load(tmp_path / "s.aeviz").network.params
    assert not np.array_equal(first, two_step)
    np.testing.assert_allclose(two_step, straight, atol=1e-12)


def test_divergence_exits_1_and_does_not_overwrite(tmp_path):
    path = tmp_path / "lin.aeviz"
    doc = json.loads((preset_paths()["train-5-2-5"]).read_text())
    doc["layers"][1]["activation"] = "relu"
    doc["layers"][2]["activation"] = "linear"
    doc["training"]["loss"] = "mse"
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    out = aeviz("train", str(path), "--epochs", "500", "--lr", "1000", "--save", str(path))
    assert out.returncode == 1
    assert "blow up" in out.stderr and "epoch" in out.stderr
    assert path.read_bytes() == before


def test_eval_one_forward_pass():
    out = aeviz("eval", "--preset", "article-example", "--input", "1,0,0,0,0", "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    np.testing.assert_allclose(r["code"], [np.tanh(1), np.tanh(1)])
    y = np.array(r["output"])
    assert 0 < y.min() and y.max() < 1
    assert r["reconstruction_error"] == pytest.approx(np.linalg.norm(y - [1, 0, 0, 0, 0]))


def test_presets_lists_the_article_example():
    out = aeviz("presets")
    assert out.returncode == 0
    assert "article-example" in out.stdout and "Article example" in out.stdout
    assert len(out.stdout.strip().splitlines()) == len(preset_paths())


def test_version():
    out = aeviz("--version")
    assert out.returncode == 0 and out.stdout.startswith("aeviz ")


@pytest.mark.parametrize("args", [
    ["train"],
    ["train", "nope.aeviz"],
    ["train", "--preset", "nope"],
    ["train", "--preset", "train-5-2-5", "--epochs", "-3"],
    ["train", "--preset", "train-5-2-5", "--epochs", "many"],
    ["train", "--preset", "train-5-2-5", "--lr", "nan"],
    ["train", "--preset", "train-5-2-5", "--lr", "-1"],
    ["train", "--preset", "train-5-2-5", "--bogus"],
    ["eval", "--preset", "article-example", "--input", "1,0"],
    ["eval", "--preset", "article-example", "--input", "a,b,c,d,e"],
    ["eval", "--preset", "article-example", "--input", "1,0,0,0,inf"],
    ["eval", "--preset", "article-example"],
    ["--no-such-flag"],
    ["missing-file.aeviz"],
])
def test_bad_input_exits_2_with_one_line(args):
    out = aeviz(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aeviz: error: "), out.stderr
    assert "Traceback" not in out.stderr


def test_bad_file_is_named_in_the_error(tmp_path):
    path = tmp_path / "bad.aeviz"
    path.write_text('{"format": "aeviz", "version": 1, "layers": [{"size": 5}, '
                    '{"size": 2, "activation": "tanhh"}]}')
    out = aeviz("train", str(path))
    assert out.returncode == 2 and "layers[1].activation" in out.stderr


def test_train_seed_redraws_the_initial_weights_and_says_so():
    def codes(*extra):
        r = aeviz("train", "--preset", "train-5-2-5", "--epochs", "5", "--json", *extra)
        assert r.returncode == 0, r.stderr
        return np.array(json.loads(r.stdout)["codes"])
    # the preset's weights were drawn from seed 0: --seed 0 starts from the same
    np.testing.assert_array_equal(codes("--seed", "0"), codes())
    assert not np.allclose(codes("--seed", "1"), codes("--seed", "7"))
    said = aeviz("train", "--preset", "train-5-2-5", "--epochs", "1", "--seed", "3")
    assert "seed 3: new initial weights" in said.stderr


def test_accuracy_counts_a_tie_as_not_reconstructed():
    r = aeviz("train", "--preset", "article-example", "--epochs", "0", "--json")
    assert json.loads(r.stdout)["accuracy"] == 0.6          # y1 == y5: patterns 1 and 5 tie


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_train_save_to_a_fifo_is_refused_in_one_line(tmp_path):
    import os
    import stat
    fifo = tmp_path / "pipe.aeviz"
    os.mkfifo(fifo)
    out = aeviz("train", "--preset", "train-5-2-5", "--epochs", "1", "--save", str(fifo))
    assert out.returncode == 2
    assert out.stderr.splitlines() == [f"aeviz: error: {fifo}: it is a named pipe (FIFO), "
                                       "not a regular file; aeviz writes only regular files"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    for command in ("train", "eval"):          # reading one neither hangs nor reads it
        out = aeviz(command, str(fifo), "--input=1,0,0,0,0" if command == "eval" else "--json")
        assert out.returncode == 2 and "named pipe" in out.stderr


def test_train_seed_range_is_what_the_file_can_hold(tmp_path):
    big = tmp_path / "big.aeviz"
    out = aeviz("train", "--preset", "train-5-2-5", "--epochs", "1",
                "--seed", str(2**63 - 1), "--save", str(big))
    assert out.returncode == 0, out.stderr
    assert ff.load(big).training.seed == 2**63 - 1
    too_big = tmp_path / "too_big.aeviz"
    for seed in (str(2**63), "9" * 5000):
        out = aeviz("train", "--preset", "train-5-2-5", "--epochs", "1",
                    "--seed", seed, "--save", str(too_big))
        assert out.returncode == 2 and f"from 0 to {2**63 - 1}" in out.stderr
        assert len(out.stderr.splitlines()) == 1 and not too_big.exists()


def test_only_the_process_command_line_freezes_the_collector_before_shutdown(monkeypatch,
                                                                            capsys):
    """``main()`` on the process's own arguments ends the process: the objects left
    are frozen (Python's shutdown then skips its collector passes over them);
    ``main(argv)`` from inside a program leaves the collector alone."""
    import gc

    from aeviz.cli import main
    gc.unfreeze()
    enabled = gc.isenabled()            # main() turns automatic collection on for a
    try:                                # command without a window: this process's
        assert main(["presets"]) == 0 and gc.get_freeze_count() == 0    # later GUI tests
        monkeypatch.setattr(sys, "argv", ["aeviz", "presets"])          # need it off
        assert main() == 0 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        (gc.enable if enabled else gc.disable)()
    capsys.readouterr()
