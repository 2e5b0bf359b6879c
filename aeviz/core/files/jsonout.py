"""The JSON that ``--json`` prints: strict JSON that any parser reads.

NaN and ±infinity are not JSON (``JSON.parse`` rejects them): they are written
as ``null``, and the object then carries ``"null_means"`` saying so.  NumPy
arrays and scalars become lists and plain numbers; floats are written by their
shortest round-trip form (``1e+300``, never hundreds of digits).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

NULL_MEANS = "null stands for a value that is not a finite number (NaN or infinity)"


def json_text(obj: dict) -> str:
    """One line of strict JSON for ``obj`` (see the module docstring)."""
    replaced = [False]

    def clean(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            if not math.isfinite(value):
                replaced[0] = True
                return None
            return float(value)
        return value

    out = clean(obj)
    if replaced[0]:
        out["null_means"] = NULL_MEANS
    return json.dumps(out, allow_nan=False)
