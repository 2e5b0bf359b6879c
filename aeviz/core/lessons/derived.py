"""Values derived from one state of a lesson (the fed input's forward pass, the
dataset's evaluation, what a view computes from them), memoised per version.

Every change of what the forward pass shows (input, parameters, settings,
structure) starts a new *version*: a new :class:`Derived` whose values are
computed once, when first asked for.  For a big network the window computes a
version's values off the GUI thread from a copy (:meth:`Derived.frozen_copy`)
and hands them back; :meth:`Derived.install` on the lesson's current values
keeps them only if they were computed for that same version, so a stale result
(the lesson changed again meanwhile) is dropped.  NumPy only.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from aeviz.core.model import Evaluation, Model, evaluate, shared_codes, twin_units

Compute = Callable[["Derived"], Any]


def _forward(d: "Derived") -> tuple[list[np.ndarray], list[np.ndarray]]:
    return d.model.network.forward(d.x[None, :])


def _evaluation(d: "Derived") -> Evaluation:
    return evaluate(d.model.network, d.model.training, d.model.data(), d.dataset_forward)


def _pattern_index(d: "Derived") -> int | None:
    ds = d.model.dataset          # read only: no copy of thousands of rows
    hits = np.flatnonzero(np.all((ds.rows if ds.kind == "patterns" else ds.matrix()) == d.x,
                                 axis=1))
    return int(hits[0]) if hits.size else None


def shared_code_groups(d: "Derived") -> list[list[int]]:
    """Patterns whose codes coincide (``shared_codes`` of the evaluation's codes).
    Module-level functions like this one pickle: a training process computes them."""
    return shared_codes(d.get("evaluation").codes)


def twins(d: "Derived"):
    """Hidden units that behave alike on the dataset (``twin_units``)."""
    return twin_units(d.model.network, d.model.data())


FED_INPUT_VALUES = ("forward", "pattern index")   # the values that depend on the fed input


def lesson_values() -> dict[str, Compute]:
    """What every lesson derives: ``forward`` (zs, activations) of the fed input,
    each (1, n_k); ``evaluation`` of the whole clean dataset; ``pattern index``
    (which pattern is fed, None if none).  Views add their own."""
    return {"forward": _forward, "evaluation": _evaluation, "pattern index": _pattern_index}


class Derived:
    """The values derived from ``model`` and the fed input ``x`` (n_0,) at one
    ``version``: ``get(key)`` computes ``functions[key](self)`` once (a function
    may ``get`` other keys)."""

    def __init__(self, model: Model, x: np.ndarray, functions: dict[str, Compute],
                 version: int) -> None:
        self.model, self.x, self.functions, self.version = model, x, functions, version
        self.values: dict[str, Any] = {}
        self.failed = False          # a computation raised (off the GUI thread): recompute
        # ``network.forward(data())`` of this very state when it was computed already
        # (the training process's reconstruction check): the evaluation reuses it
        self.dataset_forward: tuple[list[np.ndarray], list[np.ndarray]] | None = None

    def get(self, key: str) -> Any:
        if key not in self.values:
            self.values[key] = self.functions[key](self)
        return self.values[key]

    def has(self, key: str) -> bool:
        return key in self.values

    def complete(self) -> bool:
        """Whether every registered value is computed already."""
        return all(key in self.values for key in self.functions)

    def frozen_copy(self) -> "Derived":
        """The same version on copies no later change of the lesson can reach (the
        parameters are copied; settings and the dataset are immutable)."""
        return Derived(self.model.copy(), self.x.copy(), dict(self.functions), self.version)

    def compute_all(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Every registered value, in order; False as soon as ``cancelled()``
        (checked between two values: a closing window need not wait for them all)."""
        for key in list(self.functions):
            if cancelled():
                return False
            self.get(key)
        return True

    def install(self, other: "Derived") -> bool:
        """Take the values ``other`` computed if it is this version (True); a
        stale result, computed for an earlier version, is dropped (False)."""
        if other.version != self.version:
            return False
        for key, value in other.values.items():
            self.values.setdefault(key, value)
        return True
