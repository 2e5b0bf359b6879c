"""Issue 22 items 13, 14: one number format (aeviz.core.numbers) in the command
line's text, non-finite values shown as such with a note, `eval`'s input range,
and no NumPy RuntimeWarning on the terminal."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.numbers import NONFINITE_NOTE, nonfinite_note, number, vector
from aeviz.core.files.presets import load_preset

from .test_cli import aeviz

ONE = ",".join(["1"] + ["0"] * 34)


def test_one_format_for_every_magnitude():
    assert number(0.76159) == "0.762" and number(0.76159, 2) == "0.76"
    assert number(-0.0001) == "0.000"                       # never "-0.000"
    assert number(999_999.0) == "999999.000"
    assert number(1e6) == "1.00e+06" and number(-2.5e7) == "-2.50e+07"
    assert number(1e300) == "1.00e+300" and number(1.5e150, 4) == "1.50e+150"
    assert number(float("inf")) == "inf" and number(-float("inf")) == "-inf"
    assert number(float("nan")) == "nan"
    assert number(0.5, 2, signed=True) == "+0.50" and number(0, 2, signed=True) == "+0.00"
    assert vector([1, np.inf, 2e9]) == "[1.000, inf, 2.00e+09]"
    for v in (1e300, -1e300, 1e20, 123456789.0, 1e-300):
        assert len(number(v)) <= 10


def test_the_note_comes_with_non_finite_values_only():
    assert nonfinite_note(1.0, [2.0, 3.0], np.zeros((2, 2))) == ""
    assert NONFINITE_NOTE in nonfinite_note(1.0, [[0.0, np.inf]])
    assert NONFINITE_NOTE in nonfinite_note([1.0, [np.nan]])          # ragged
    assert nonfinite_note(1.0, [np.inf]).count("\n") == 0


@pytest.fixture(scope="module")
def overflowing_vae(tmp_path_factory):
    """vae-digits with a log-variance bias of 1500: sigma = exp(750) overflows."""
    model = load_preset("vae-digits")
    model.network.logvar_block[-1] = 1500.0
    path = tmp_path_factory.mktemp("vae") / "sigma-inf.aeviz"
    ff.save(model, path)
    return path


def test_eval_shows_inf_with_a_note_and_no_warning(overflowing_vae):
    out = aeviz("eval", str(overflowing_vae), "--input", ONE)
    assert out.returncode == 0, out.stderr
    assert "sigma    = [inf, inf]" in out.stdout
    assert NONFINITE_NOTE in out.stdout and out.stdout.count("note:") == 1
    assert out.stderr == ""                                 # no RuntimeWarning, no path
    data = json.loads(aeviz("eval", str(overflowing_vae), "--input", ONE, "--json").stdout)
    assert data["sigma"] == [None, None] and data["kl"] is None and "null_means" in data


def test_sample_and_train_print_no_runtime_warning(overflowing_vae):
    out = aeviz("sample", str(overflowing_vae), "--n", "3")
    assert out.returncode == 0 and out.stderr == ""
    out = aeviz("train", str(overflowing_vae), "--epochs", "1")
    assert "RuntimeWarning" not in out.stderr


def test_huge_numbers_are_never_printed_in_full(tmp_path):
    model = load_preset("vae-digits")
    model.network.logvar_block[-1] = 690.0                  # sigma = e^345, about 1e150
    ff.save(model, tmp_path / "big.aeviz")
    out = aeviz("eval", str(tmp_path / "big.aeviz"), "--input", ONE)
    assert out.returncode == 0 and out.stderr == ""
    sigma = next(line for line in out.stdout.splitlines() if line.startswith("sigma"))
    assert "e+149" in sigma and len(sigma) < 40
    assert all(len(line) < 400 for line in out.stdout.splitlines())


def test_eval_enforces_the_documented_input_range():
    for bad in ("1e300", "1e7", "-1000001"):
        out = aeviz("eval", "--preset", "article-example", "--input", f"{bad},0,0,0,0")
        assert out.returncode == 2, bad
        assert out.stderr.startswith("aeviz: error: --input values must lie from -1,000,000 "
                                     "to 1,000,000") and out.stderr.count("\n") == 1
    edge = aeviz("eval", "--preset", "article-example", "--input", "-1e6,0,0,0,0")
    assert edge.returncode == 0 and "-1.00e+06" in edge.stdout and edge.stderr == ""


def test_values_after_tanh_sigmoid_softmax_never_show_a_bound_they_cannot_reach():
    """Rehearsal: a saturated tanh code unit showed "1.000" / "-1.000" while softmax
    outputs showed ">0.999": tanh never reaches ±1, sigmoid never 0 or 1."""
    from aeviz.core.numbers import activation_value, activation_vector
    t = np.tanh(np.array([20.0, -20.0, 5.0, -5.0, 0.5, 0.0]))
    assert t[0] == 1.0 and t[1] == -1.0                      # float64 rounds to the bound
    assert [activation_value(v, "tanh") for v in t] == [
        ">0.999", "<-0.999", ">0.999", "<-0.999", "0.462", "0.000"]
    assert activation_value(0.9994, "tanh") == "0.999"
    assert activation_value(-0.9994, "tanh") == "-0.999"
    assert activation_value(-0.0001, "tanh") == "0.000"       # 0 is reachable: a number
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-np.array([40.0, -40.0, -800.0, 0.0])))
    assert [activation_value(v, "sigmoid") for v in s] == [">0.999", "<0.001", "<0.001", "0.500"]
    assert activation_value(1.0, "softmax") == ">0.999" and activation_value(0.0, "softmax") == "<0.001"
    assert activation_value(1.0, "linear") == "1.000" and activation_value(-1.0, "relu") == "-1.000"
    assert activation_value(float("nan"), "tanh") == "nan"
    assert activation_vector(t[:3], "tanh") == "[>0.999, <-0.999, >0.999]"
    from aeviz.core.engine.activations import output_text
    assert output_text(-1.0, "tanh") == "<-0.999"            # the window's and guides' rule


def saturated_article():
    """The article's 5-2-5 with the first input's weights set to +30 and −30:
    pattern 1's code is tanh(±30), which float64 rounds to exactly ±1."""
    m = load_preset("article-example")
    m.network.weights[0][0] = [30.0, -30.0]
    return m


def test_the_step_through_and_eval_write_a_saturated_tanh_code_as_what_it_is(tmp_path):
    from aeviz.core.engine.trainer import Trainer
    from aeviz.core.measures import phases
    m = saturated_article()
    h = m.network.forward(m.data()[:1])[1][1][0]
    assert list(h) == [1.0, -1.0]
    t = Trainer(m.network.copy(), m.training, m.data())
    trace = phases.begin(t)
    text = phases.explain(trace, "encode", 0, t.net.activations, t.net.code_layer,
                          m.training.loss)[1]
    assert "1.000" not in text and (">0.999" in text and "<-0.999" in text), text
    path = tmp_path / "sat.aeviz"
    ff.save(m, path)
    out = aeviz("eval", str(path), "--input", "1,0,0,0,0")
    code = next(line for line in out.stdout.splitlines() if line.startswith("code"))
    assert "1.000" not in code and ">0.999" in code and "<-0.999" in code, code


def test_a_bounded_value_is_stated_with_its_side_not_an_equals_sign():
    """"largest output y3 = >0.999" read wrongly in the Generate panel."""
    from aeviz.core.numbers import activation_value, stated
    assert stated("y3", activation_value(0.5123, "sigmoid")) == "y3 = 0.512"
    assert stated("y3", activation_value(0.99999, "sigmoid")) == "y3 > 0.999"
    assert stated("y1", activation_value(1e-9, "softmax")) == "y1 < 0.001"
    assert stated("h2", activation_value(-1.0, "tanh")) == "h2 < -0.999"
    assert stated("y1", activation_value(-3.5, "linear")) == "y1 = -3.500"
