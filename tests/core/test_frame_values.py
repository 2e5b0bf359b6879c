"""The values a training frame of the 1,797 digits carries, made cheaper
(shared codes without a Python loop per pattern, binary cross-entropy in
place): the same results as the plain definitions, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core.engine.losses import CrossEntropy
from aeviz.core.model import shared_codes


def shared_codes_by_scan(codes, decimals=3):
    """The definition: scan the patterns, a dict keyed by the rounded code's tuple."""
    groups: dict[tuple, list[int]] = {}
    for p, c in enumerate(np.round(codes, decimals) + 0.0):
        groups.setdefault(tuple(c), []).append(p)
    return list(groups.values())


AWKWARD = [0.0, -0.0, 0.0004, -0.0004, 0.1234, 0.12341, 0.5, -0.5, np.nan, np.inf, -np.inf]


@pytest.mark.parametrize("seed", range(40))
def test_shared_codes_match_the_scan_on_awkward_codes(seed):
    rng = np.random.default_rng(seed)
    codes = rng.choice(AWKWARD, size=(int(rng.integers(0, 30)), int(rng.integers(1, 4))))
    for decimals in (1, 3, 4):
        with np.errstate(all="ignore"):
            assert shared_codes(codes, decimals) == shared_codes_by_scan(codes, decimals)


def test_a_code_with_a_nan_shares_with_no_other_and_minus_zero_is_zero():
    codes = np.array([[np.nan, 0.0], [np.nan, 0.0], [-0.0, 1.0], [0.0, 1.0], [0.0001, 1.0]])
    assert shared_codes(codes) == [[0], [1], [2, 3, 4]]


@pytest.mark.parametrize("distinct", [True, False])
def test_shared_codes_of_the_digits_size(distinct):
    rng = np.random.default_rng(3)
    codes = np.column_stack([rng.permutation(1797) * 0.01, rng.normal(size=1797)])
    if not distinct:
        codes = codes.round(1)               # many patterns per code
    found = shared_codes(codes)
    assert found == shared_codes_by_scan(codes)
    assert (len(found) == 1797) == distinct


def bce_plain(z, x):
    """Binary cross-entropy as written before it was done in place."""
    tail = np.log1p(np.exp(-np.abs(z)))
    log_y = np.maximum(-(np.maximum(-z, 0.0) + tail), -100.0)
    log_1my = np.maximum(-(np.maximum(z, 0.0) + tail), -100.0)
    v = x * log_y + (1.0 - x) * log_1my
    return -(float(np.mean(v)) if v.ndim == 2 else np.mean(v, axis=(-2, -1)))


@pytest.mark.parametrize("shape", [(1797, 64), (5, 5), (1, 4), (3, 7, 5)])
@pytest.mark.parametrize("scale", [1.0, 60.0, 400.0])
def test_binary_cross_entropy_in_place_is_the_plain_formula_bit_for_bit(shape, scale):
    rng = np.random.default_rng(int(scale) + len(shape))
    z = rng.normal(size=shape) * scale
    x = rng.random(shape).round(1)
    z_before = z.copy()
    with np.errstate(all="ignore"):
        got = CrossEntropy().value("sigmoid", z, None, x)
        assert np.array_equal(np.asarray(got), np.asarray(bce_plain(z, x)))
    assert np.array_equal(z, z_before)               # the pre-activations are not touched
