"""Reading a parsed JSON document field by field, for the .aeviz file and its
guide: every problem raises a :class:`FileFormatError` whose message is one
sentence naming the field (``training.learning_rate: must be a number, not
the text 'fast'``).  Numbers are read strictly: no NaN or infinity, no float
that overflows, no whole number of more than ``MAX_INT_DIGITS`` digits."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from aeviz.core import config as cfg


class FileFormatError(ValueError):
    """A file aeviz refuses; the message is one sentence naming the field."""


def reject_constant(name: str) -> Any:
    raise FileFormatError(f"the file contains {name}, which is not a valid number")


def finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise FileFormatError(f"the number {text[:30]} is too large")
    return value


MAX_INT_DIGITS = 400      # more digits than any float holds; Python refuses > 4300


def whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise FileFormatError(f"the file holds a whole number of {digits} digits "
                              f"({text[:12]}…), larger than any value aeviz accepts")
    return int(text)


def check_text(data: Any) -> None:
    """Every string (keys too) must be encodable as UTF-8: a lone surrogate such as
    ``"\ud800"`` could be read but never saved.  The error names the field."""
    stack = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{where}.{key}" if where else str(key)
                if not encodable(key):
                    raise fail(where or "the file", "has a key with a lone surrogate "
                                "(\\ud800-\\udfff), which is not text")
                stack.append((item, field))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and not encodable(value):
            raise fail(where, "holds a lone surrogate (\\ud800-\\udfff), which is not "
                               "text and could never be saved")


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def fail(field: str, problem: str) -> FileFormatError:
    return FileFormatError(f"{field}: {problem}")


def get_field(obj: dict, key: str, field: str, kind: type | tuple, default: Any = None,
         required: bool = False) -> Any:
    """obj[key] checked to be of ``kind`` (bool is never an int or float here)."""
    if key not in obj:
        if required:
            raise fail(field, "is missing")
        return default
    value = obj[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        names = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
                 list: "a list", dict: "an object"}
        want = " or ".join(dict.fromkeys(names[k] for k in kinds))
        raise fail(field, f"must be {want}, not {describe(value)}")
    return value


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"[:40]
    if isinstance(value, str):
        return f"the text {value[:20]!r}"
    return "a list" if isinstance(value, list) else "an object"


def number_field(obj: dict, key: str, field: str, default: float, range_key: str) -> float:
    value = get_field(obj, key, field, (int, float), default)
    try:
        value = float(value)
    except OverflowError:
        raise fail(field, "is too large") from None
    if not cfg.in_range(range_key, value):
        raise fail(field, f"must be {cfg.describe_range(range_key)}, not {value:g}")
    return value


def choice_field(obj: dict, key: str, field: str, choices: tuple, default: str) -> str:
    value = get_field(obj, key, field, str, default)
    if value not in choices:
        raise fail(field, f"{value[:30]!r} is not one of " + ", ".join(choices))
    return value


def matrix_field(value: Any, rows: int, cols: int, field: str) -> np.ndarray:
    """A rows x cols list of lists of finite numbers as a float array."""
    if not isinstance(value, list):
        raise fail(field, f"must be a list, not {describe(value)}")
    if len(value) != rows:
        raise fail(field, f"must have {rows} rows, not {len(value)}")
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != cols:
            what = f"{len(row)} numbers" if isinstance(row, list) else describe(row)
            raise fail(f"{field}[{i}]", f"must be a list of {cols} numbers, not {what}")
        if not all(type(v) is float or type(v) is int for v in row):
            j = next(j for j, v in enumerate(row) if type(v) not in (int, float))
            raise fail(f"{field}[{i}][{j}]", f"must be a number, not {describe(row[j])}")
    try:
        arr = np.array(value, dtype=float).reshape(rows, cols)
    except OverflowError:
        raise fail(field, "holds a number too large for aeviz") from None
    if not np.isfinite(arr).all():
        i, j = np.argwhere(~np.isfinite(arr))[0]
        raise fail(f"{field}[{i}][{j}]", "is too large")
    return arr
