"""One number format for everything aeviz shows: the window, the command line's
text and the notes that go with them (``--json`` writes plain JSON numbers, and
``null`` for a value that is not finite: see :mod:`aeviz.core.files.jsonout`).

    number(0.76159)      -> "0.762"        fixed decimals below 10⁶ in magnitude
    number(-2.5e7)       -> "-2.50e+07"    scientific, 3 significant digits, from 10⁶
    number(1e300)        -> "1.00e+300"    (never hundreds of digits)
    number(inf)          -> "inf"          non-finite values shown as such;
    number(nan)          -> "nan"          NONFINITE_NOTE says what they mean

The switch at 10⁶ is the range inputs may take (patterns, ``eval --input``).

A unit's value after an activation with an open range (softmax and sigmoid:
(0, 1); tanh: (−1, 1)) never shows the bound it cannot reach, although float64
rounds tanh(20) to 1.0 and e^(−800) to 0.0 (:func:`activation_value`):

    activation_value(0.99997, "tanh")     -> ">0.999"
    activation_value(-1.0, "tanh")        -> "<-0.999"
    activation_value(3e-9, "sigmoid")     -> "<0.001"
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

LARGE = 1e6                 # from here on: scientific notation
SIGNIFICANT = 3             # significant digits in scientific notation

NONFINITE_NOTE = ("inf is a value beyond the largest floating-point number "
                  "(about 1.8e+308: the computation overflowed); nan is undefined "
                  "(e.g. inf - inf)")


def number(value: float, decimals: int = 3, signed: bool = False) -> str:
    """``value`` with ``decimals`` decimals, in scientific notation with three
    significant digits from 10⁶ on, and "inf", "-inf" or "nan" when not finite;
    ``signed`` puts "+" before positive values (and 0).  Never "-0.000"."""
    v = float(value)
    plus = "+" if signed else ""
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return plus + "inf" if v > 0 else "-inf"
    if abs(v) >= LARGE:
        return f"{v:{plus}.{SIGNIFICANT - 1}e}"
    if round(v, decimals) == 0:
        v = 0.0
    return f"{v:{plus}.{decimals}f}"


# activation -> its open range (lo, hi): values strictly between, in exact arithmetic
OPEN_RANGES = {"softmax": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def activation_value(value: float, activation: str) -> str:
    """A unit's value after ``activation``, at three decimals as :func:`number`,
    but within 0.0005 of a bound the activation never reaches (the bound itself
    included: float64 rounding) it says which side: ">0.999" below 1, "<0.001"
    above 0, "<-0.999" above −1.  Other activations (linear, relu): :func:`number`."""
    v = float(value)
    bounds = OPEN_RANGES.get(activation)
    if bounds is not None and v == v:
        lo, hi = bounds
        if v >= hi - 0.0005:
            return f">{hi - 0.001:.3f}"
        if lo == 0.0 and v < 0.0005:
            return "<0.001"
        if lo == -1.0 and v <= -0.9995:
            return "<-0.999"
    return number(v)


def stated(name: str, text: str) -> str:
    """``name`` and a value's text as a sentence writes them: "y3 = 0.512", but
    "y3 > 0.999" and "y3 < 0.001" for :func:`activation_value`'s bounds (not
    "y3 = >0.999")."""
    if text[:1] in "<>":
        return f"{name} {text[0]} {text[1:]}"
    return f"{name} = {text}"


def activation_vector(values: Iterable[float], activation: str) -> str:
    """``[a, b, ...]`` with each value as :func:`activation_value` shows it."""
    return "[" + ", ".join(activation_value(v, activation) for v in values) + "]"


def vector(values: Iterable[float], decimals: int = 3) -> str:
    """``[a, b, ...]`` with each value as :func:`number` shows it."""
    return "[" + ", ".join(number(v, decimals) for v in values) + "]"


def all_finite(*values) -> bool:
    """True if every number in ``values`` (numbers or nested sequences/arrays) is finite."""
    for v in values:
        try:
            finite = bool(np.isfinite(np.asarray(v, dtype=float)).all())
        except (TypeError, ValueError):            # ragged: look inside
            finite = all(all_finite(item) for item in v)
        if not finite:
            return False
    return True


def nonfinite_note(*values) -> str:
    """The one-line note that goes with values that are not finite ("" if all are)."""
    return "" if all_finite(*values) else f"note: {NONFINITE_NOTE}."
