"""The command line under hostile input (#12 items 15, 16, 21, 22, 23): run as a
person would, in a subprocess; every refusal is one line and exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.config import TrainingConfig
from aeviz.core.model import default_model, evaluate
from aeviz.core.files.presets import preset_paths

ROOT = Path(__file__).resolve().parents[2]


def aeviz(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aeviz", *args], capture_output=True,
                          cwd=ROOT, timeout=300, env=env)


def one_line_error(out) -> str:
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("aeviz: error: "), err
    return err


def strict_json(text: bytes) -> dict:
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_negative_values_after_options_parse():
    out = aeviz("eval", "--preset", "article-example", "--input", "-1,0,0,0,0", "--json")
    assert out.returncode == 0, out.stderr
    assert strict_json(out.stdout)["input"] == [-1, 0, 0, 0, 0]
    err = one_line_error(aeviz("screenshot", "x.png", "--size", "-1x-1"))
    assert "--size must be between" in err and "expected one argument" not in err


def test_save_to_an_empty_name_is_an_error():
    assert "--save needs a file name" in one_line_error(
        aeviz("train", "--preset", "train-5-2-5", "--epochs", "1", "--save", ""))


def test_train_checks_the_save_target_before_training(tmp_path):
    # a run that would blow up (exit 1) if it started: the target is refused first
    doc = json.loads(preset_paths()["train-5-2-5"].read_text())
    doc["layers"][1]["activation"] = "relu"
    doc["layers"][2]["activation"] = "linear"
    doc["training"]["loss"] = "mse"
    path = tmp_path / "lin.aeviz"
    path.write_text(json.dumps(doc))
    err = one_line_error(aeviz("train", str(path), "--epochs", "500", "--lr", "1000",
                               "--save", str(tmp_path / "missing" / "x.aeviz")))
    assert "folder does not exist" in err and "blow up" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX byte file names")
def test_a_non_utf8_file_name_on_a_strict_utf8_stdout(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict", LC_ALL="C.UTF-8")
    name = os.fsencode(tmp_path) + b"/caf\xe9.aeviz"
    out = aeviz(b"train", b"--preset", b"train-5-2-5", b"--epochs", b"1", b"--save", name,
                env=env)
    assert out.returncode == 0, out.stderr
    assert b"Traceback" not in out.stderr
    assert out.stdout.splitlines()[-1] == b"saved to " + os.fsencode(tmp_path) + b"/caf\\xe9.aeviz"
    assert os.path.exists(name)


def test_eval_json_never_prints_nan_or_infinity(tmp_path):
    model = default_model()
    data = ff.to_dict(model)
    data["layers"][1]["activation"] = "relu"
    data["layers"][2]["activation"] = "linear"
    data["training"]["loss"] = "mse"
    data["weights"] = [[[1e200, 1e200]] * 5, [[1e200] * 5] * 2]
    path = tmp_path / "huge.aeviz"
    path.write_text(json.dumps(data))
    out = aeviz("eval", str(path), "--input", "1,0,0,0,0", "--json")
    assert out.returncode == 0, out.stderr
    result = strict_json(out.stdout)
    assert result["loss"] is None and "not a finite number" in result["null_means"]


def test_study_json_is_strict_and_counts_are_bounded():
    out = aeviz("study", "--preset", "train-5-2-5", "--seeds", "2", "--epochs", "50", "--json")
    assert out.returncode == 0, out.stderr
    assert strict_json(out.stdout)["max_epochs"] == 50
    for flag in ("--epochs", "--seeds"):
        err = one_line_error(aeviz("study", "--preset", "train-5-2-5", flag, "9" * 309))
        assert len(err) < 200


def test_a_non_finite_loss_is_never_full_accuracy():
    model = default_model()
    x = np.eye(5) * 1e308
    ev = evaluate(model.network, TrainingConfig(), x)
    assert not np.isfinite(ev.loss)
    assert ev.accuracy == 0.0


def test_bench_checks_its_json_target_first(tmp_path):
    err = one_line_error(aeviz("bench", "--json", str(tmp_path / "missing" / "b.json")))
    assert "folder does not exist" in err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        assert "named pipe" in one_line_error(aeviz("bench", "--json", str(fifo)))
