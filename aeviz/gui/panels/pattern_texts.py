"""The texts of the Patterns table's cells (and the Feed list's pattern): a
pattern's values, its code, the output units that decide "reconstructed", the
patterns that share its code.  Plain functions of NumPy arrays (no Qt)."""

from __future__ import annotations

import numpy as np

from aeviz.core.model import winners, wrong_units
from aeviz.core.numbers import LARGE


def pattern_text(x: np.ndarray) -> str:
    """``1 0 0 0 0``; long one-hot patterns as ``one-hot, unit 17``."""
    if len(x) <= 12:
        return " ".join(f"{v:g}" for v in x)
    if np.count_nonzero(x) == 1 and x.max() == 1:
        return f"one-hot, unit {int(np.argmax(x)) + 1}"
    return " ".join(f"{v:g}" for v in x[:12]) + " …"


def wrong_text(x: np.ndarray, y: np.ndarray) -> str:
    """"none", or "2: y3, y7" (at most 2 named): the output units on the wrong side
    of 0.5, which decide "reconstructed" for outputs other than softmax."""
    units = wrong_units(x, y)
    if not units:
        return "none"
    named = ", ".join(f"y{u + 1}" for u in units[:2]) + (", …" if len(units) > 2 else "")
    return f"{len(units)}: {named}"


def argmax_text(y: np.ndarray) -> str:
    """"3", or "tie (1, 5)" when several outputs are within the margin of the
    largest (the same margin that decides "reconstructed")."""
    units = winners(y)
    return str(units[0] + 1) if len(units) == 1 else "tie (" + ", ".join(
        str(u + 1) for u in units) + ")"


def code_text(code: np.ndarray, text) -> str:
    """A code as its row shows it: "(-5.161, -15.063)", the first 8 units then "…"."""
    return ("(" + ", ".join(text(v) for v in code[:8])
            + (", …)" if len(code) > 8 else ")"))


def widest_code_text(codes: np.ndarray, text) -> str:
    """The longest text any row of ``codes`` (patterns x units) can show: per unit,
    the longest text among its smallest and largest values, overall and below
    10⁶ in size (a number's text grows with its size and its sign up to 10⁶,
    where it turns to "1.00e+06"; NaNs are passed over), joined as
    :func:`code_text` does.  Digits are equally wide in the app's fonts, so the
    longest text is the widest.  O(patterns x units) in NumPy."""
    units = []
    for col in codes[:, :8].T:
        small = col[np.abs(col) < LARGE]
        ends = [np.fmin.reduce(col), np.fmax.reduce(col)] + (
            [small.min(), small.max()] if small.size else [])
        units.append(max((text(v) for v in ends), key=len))
    return "(" + ", ".join(units) + (", …)" if codes.shape[1] > 8 else ")")


SHARED_NAMED = 12     # a row names at most this many patterns that share its code


def others_text(p: int, group: list[int]) -> str:
    """The patterns of ``group`` other than ``p``, 1-based: "2, 5"; a big group
    names its first SHARED_NAMED and counts the rest ("2, 3, …, 13 and 1,784 more")."""
    others = [q for q in group if q != p]
    text = ", ".join(str(q + 1) for q in others[:SHARED_NAMED])
    if len(others) > SHARED_NAMED:
        text += f" and {len(others) - SHARED_NAMED:,} more"
    return text
