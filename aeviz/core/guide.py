"""Guided lessons: a lesson as a sequence of steps (the file's ``guide`` list).

A :class:`Step` has a short text (with live numbers: ``{loss}``, ``{h}`` ...),
what to look at (panels, neurons, connections, table rows: the window opens
and highlights them), optionally actions the app performs when the student
arrives by Next (feed a pattern, train N epochs, change a setting, reset the
weights, hide the values for a prediction; never on the first step: a lesson
opens as its file has it) and optionally a :class:`Task` the app
checks live (:mod:`aeviz.core.guide_tasks`).  :func:`parse_guide` validates a
file's list against the lesson's network and dataset; every problem is a
FileFormatError-style sentence naming the field (``guide[2].look_at[0]: ...``).
No Qt here.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from aeviz.core import config as cfg
from aeviz.core.guide_tasks import SETTINGS, TASKS, Check, Task, loss_jumps, mean_activity
from aeviz.core.model import shared_codes

if TYPE_CHECKING:
    from aeviz.core.network import Network

# what ``panel:NAME`` may name: the docks and the data tabs of the window
DOCKS = ("Values", "Training", "Settings", "Explain", "Loss", "Code space")
TABS = ("Patterns", "Weights", "Outputs", "Codes", "Denoising", "Images")
PANELS = ("Diagram",) + DOCKS + TABS
ROW_TABLES = ("Patterns",)
# panels that share one place on screen (tabs of one dock): a step shows one of each
SHARED_PLACES = (("Values", "Training", "Settings", "Explain"), TABS)
MAX_STEPS, MAX_TRAIN = 100, 20_000
PLACEHOLDERS = ("epoch", "loss", "accuracy", "reconstructed", "distinct_codes", "patterns",
                "learning_rate", "mean_activity", "x", "h", "y", "fed", "loss_jumps")
ACTION_KINDS = ("feed", "train", "set", "reset", "predict")


class GuideError(ValueError):
    """A guide the loader refuses: ``field`` and one sentence."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")


@dataclass(frozen=True)
class Target:
    """Something a step points at: kind panel/neuron/connection/row."""

    kind: str
    panel: str = ""          # panel: its name; row: the table
    layer: int = 0           # neuron: layer (0 = input); connection: the lower layer
    unit: int = 0            # neuron: 0-based unit; connection: from-unit; row: 0-based row
    to_unit: int = 0         # connection: the unit in layer + 1
    source: str = ""         # the text in the file

    @property
    def tab(self) -> str | None:
        """The data tab to open (a tab panel, or a row's table)."""
        return self.panel if self.panel in TABS else None


@dataclass(frozen=True)
class Step:
    text: str
    look_at: tuple[Target, ...] = ()
    actions: tuple[dict, ...] = ()
    task: Task | None = None
    raw: dict = field(default_factory=dict, compare=False)   # as read, for saving


# --- rendering ---------------------------------------------------------------------
def _vec(v: np.ndarray) -> str:
    return "[" + ", ".join(f"{a:.3f}" for a in v) + "]"


def _code_text(lesson: "Lesson", which: int) -> str:
    acts = lesson.forward()[1]
    return _vec(acts[lesson.network.code_layer if which == 0 else -1][0])


# each placeholder and how to compute it: a step's text costs only what it quotes
# (the number of distinct codes of 1,797 patterns is not free, and a step is
# re-rendered on every change while training)
LIVE: dict[str, Callable[["Lesson"], str]] = {
    "epoch": lambda l: str(l.epoch),
    "loss": lambda l: f"{l.evaluation().loss:.4f}",
    "accuracy": lambda l: f"{l.evaluation().accuracy:.0%}",
    "reconstructed": lambda l: (f"{int(l.evaluation().reconstructed.sum())} of "
                                f"{len(l.evaluation().reconstructed)}"),
    "distinct_codes": lambda l: str(len(shared_codes(l.evaluation().codes))),
    "patterns": lambda l: str(len(l.evaluation().reconstructed)),
    "learning_rate": lambda l: f"{l.training.learning_rate:g}",
    "mean_activity": lambda l: f"{mean_activity(l):.3f}",
    "x": lambda l: _vec(l.x),
    "h": lambda l: _code_text(l, 0),
    "y": lambda l: _code_text(l, -1),
    "fed": lambda l: "none" if l.pattern_index() is None else str(l.pattern_index() + 1),
    "loss_jumps": lambda l: str(loss_jumps(l)),
}


class _Live(dict):
    """The placeholders' values, each computed when a text first asks for it."""

    def __init__(self, lesson: "Lesson") -> None:
        super().__init__()
        self.lesson = lesson

    def __missing__(self, key: str) -> str:
        value = self[key] = LIVE[key](self.lesson)      # KeyError: not a placeholder
        return value


def live_values(lesson: "Lesson") -> dict[str, str]:
    """The numbers a step's text may quote, formatted as the window shows them."""
    return {key: compute(lesson) for key, compute in LIVE.items()}


def render(text: str, lesson: "Lesson") -> str:
    """The step's text with its ``{placeholders}`` filled in from the lesson (only
    those it quotes are computed)."""
    return text.format_map(_Live(lesson))


# --- parsing ---------------------------------------------------------------------------
def _layer(name: str, net: "Network", where: str) -> int:
    words = {"input": 0, "code": net.code_layer, "output": net.depth}
    if name in words:
        return words[name]
    if name.isdigit() and int(name) <= net.depth:
        return int(name)
    raise GuideError(where, f"{name!r} is not a layer (input, code, output or 0 to {net.depth})")


def _unit(text: str, layer: int, net: "Network", where: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= net.sizes[layer]:
        raise GuideError(where, f"layer {layer} has units 1 to {net.sizes[layer]}, not {text!r}")
    return int(text) - 1


def parse_target(text: Any, net: "Network", patterns: int, where: str) -> Target:
    """``panel:Codes``, ``neuron:code.1``, ``connection:input.1-code.2``, ``row:Patterns.3``."""
    if not isinstance(text, str) or ":" not in text:
        raise GuideError(where, "must be text like panel:Codes, neuron:code.1, "
                                "connection:input.1-code.2 or row:Patterns.3")
    kind, _, rest = text.partition(":")
    if kind == "panel":
        if rest not in PANELS:
            raise GuideError(where, f"{rest[:30]!r} is not a panel; panels are " + ", ".join(PANELS))
        return Target("panel", panel=rest, source=text)
    if kind == "neuron":
        m = re.fullmatch(r"(\w+)\.(\d+)", rest)
        if not m:
            raise GuideError(where, f"{text[:40]!r} must look like neuron:code.1")
        layer = _layer(m[1], net, where)
        return Target("neuron", layer=layer, unit=_unit(m[2], layer, net, where), source=text)
    if kind == "connection":
        m = re.fullmatch(r"(\w+)\.(\d+)-(\w+)\.(\d+)", rest)
        if not m:
            raise GuideError(where, f"{text[:40]!r} must look like connection:input.1-code.2")
        a, b = _layer(m[1], net, where), _layer(m[3], net, where)
        if b != a + 1:
            raise GuideError(where, f"connections join neighbouring layers; {m[1]} and {m[3]} "
                                    "are not")
        return Target("connection", layer=a, unit=_unit(m[2], a, net, where),
                      to_unit=_unit(m[4], b, net, where), source=text)
    if kind == "row":
        table, _, row = rest.partition(".")
        if table not in ROW_TABLES:
            raise GuideError(where, f"{table[:30]!r} has no rows to point at; use "
                                    + ", ".join(ROW_TABLES))
        if not row.isdigit() or not 1 <= int(row) <= patterns:
            raise GuideError(where, f"the {table} table has rows 1 to {patterns}, not {row!r}")
        return Target("row", panel=table, unit=int(row) - 1, source=text)
    raise GuideError(where, f"{kind[:20]!r} is not one of panel, neuron, connection, row")


def _number(obj: dict, key: str, where: str, lo: float, hi: float,
            required: bool = True, whole: bool = False) -> float | None:
    if key not in obj:
        if required:
            raise GuideError(f"{where}.{key}", "is missing")
        return None
    v = obj[key]
    ok = isinstance(v, int) if whole else isinstance(v, (int, float))
    if isinstance(v, bool) or not ok or not lo <= v <= hi:
        what = "a whole number" if whole else "a number"
        raise GuideError(f"{where}.{key}", f"must be {what} from {lo:g} to {hi:g}, not {v!r}"[:120])
    return v


def _text(obj: dict, key: str, where: str, required: bool = False) -> str:
    if key not in obj:
        if required:
            raise GuideError(f"{where}.{key}", "is missing")
        return ""
    if not isinstance(obj[key], str):
        raise GuideError(f"{where}.{key}", "must be text")
    return obj[key]


def _patterns(obj: dict, where: str, patterns: int, count: int | None = None) -> tuple[int, ...]:
    value = obj.get("patterns", [])
    if not isinstance(value, list) or not all(isinstance(p, int) and not isinstance(p, bool)
                                              for p in value):
        raise GuideError(f"{where}.patterns", "must be a list of pattern numbers")
    if count is not None and len(value) != count:
        raise GuideError(f"{where}.patterns", f"must name {count} patterns, not {len(value)}")
    for p in value:
        if not 1 <= p <= patterns:
            raise GuideError(f"{where}.patterns", f"the dataset has patterns 1 to {patterns}, "
                                                  f"not {p}")
    return tuple(value)


def parse_task(obj: Any, net: "Network", patterns: int, where: str) -> Task:
    if not isinstance(obj, dict):
        raise GuideError(where, "must be an object with a kind")
    kind = _text(obj, "kind", where, required=True)
    if kind not in TASKS:
        raise GuideError(f"{where}.kind", f"{kind[:30]!r} is not one of " + ", ".join(TASKS))
    common = {"prompt": _text(obj, "prompt", where), "hint": _text(obj, "hint", where),
              "reveal": _text(obj, "reveal", where)}
    if kind == "distinct_codes":
        ps = _patterns(obj, where, patterns)
        if len(ps) == 1:
            raise GuideError(f"{where}.patterns", "must name 2 or more patterns (or none: all)")
        return Task(kind, patterns=ps, **common)
    if kind == "reconstructed":
        return Task(kind, patterns=_patterns(obj, where, patterns), **common)
    if kind == "twins_broken":
        if net.sizes[0] != net.sizes[-1] or net.sizes[0] != patterns:
            raise GuideError(where, "twins_broken needs one-hot patterns (as many as inputs)")
        ps = _patterns(obj, where, patterns, 2)
        if ps[0] == ps[1]:
            raise GuideError(f"{where}.patterns", "must name two different patterns")
        return Task(kind, patterns=ps, **common)
    if kind == "sparse":
        if net.code_layer == net.depth:
            raise GuideError(where, "a sparse task needs a code layer before the output")
        return Task(kind, threshold=_number(obj, "below", where, 1e-6, 1.0), **common)
    if kind == "unstable":
        jumps = _number(obj, "jumps", where, 1, 50, required=False, whole=True)
        return Task(kind, threshold=jumps or 3, **common)
    if kind == "epochs":
        return Task(kind, threshold=_number(obj, "at_least", where, 1, 10**7, whole=True), **common)
    if kind == "setting":
        name = _text(obj, "setting", where, required=True)
        if name not in SETTINGS:
            raise GuideError(f"{where}.setting", f"{name[:30]!r} is not one of " + ", ".join(SETTINGS))
        if "value" not in obj:
            raise GuideError(f"{where}.value", "is missing")
        _check_setting(name, obj["value"], f"{where}.value")
        return Task(kind, setting=name, value=obj["value"], **common)
    if kind == "predict_winner":
        p = int(_number(obj, "pattern", where, 1, patterns, whole=True))
        return Task(kind, pattern=p, **common)
    # choice
    options = obj.get("options")
    if (not isinstance(options, list) or len(options) < 2
            or not all(isinstance(o, str) and o for o in options)):
        raise GuideError(f"{where}.options", "must list 2 or more texts")
    answer = int(_number(obj, "answer", where, 1, len(options), whole=True))
    return Task(kind, options=tuple(options), answer=answer - 1, **common)


def _check_setting(name: str, value: Any, where: str) -> None:
    choices = {"sparsity_penalty": cfg.PENALTIES, "noise_kind": cfg.NOISE_KINDS}
    if name in choices:
        if value not in choices[name]:
            raise GuideError(where, f"{str(value)[:30]!r} is not one of " + ", ".join(choices[name]))
        return
    ranges = {"learning_rate": "learning_rate", "momentum": "momentum",
              "sparsity_weight": "sparsity.weight", "sparsity_target": "sparsity.target",
              "noise_level": "noise.level"}
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not cfg.in_range(ranges[name], float(value))):
        raise GuideError(where, f"must be a number {cfg.describe_range(ranges[name])}")


def parse_action(obj: Any, patterns: int, where: str) -> dict:
    if not isinstance(obj, dict) or len(obj) != 1:
        raise GuideError(where, "must be an object with one of " + ", ".join(ACTION_KINDS))
    (kind, value), = obj.items()
    if kind not in ACTION_KINDS:
        raise GuideError(where, f"{kind[:20]!r} is not one of " + ", ".join(ACTION_KINDS))
    if kind == "feed":
        _number(obj, "feed", where, 1, patterns, whole=True)
    elif kind == "train":
        _number(obj, "train", where, 1, MAX_TRAIN, whole=True)
    elif kind in ("reset", "predict"):
        if value is not True:
            raise GuideError(f"{where}.{kind}", "must be true")
    else:
        if not isinstance(value, dict) or not value:
            raise GuideError(f"{where}.set", "must be an object of settings, e.g. "
                                             "{\"learning_rate\": 5}")
        for name, v in value.items():
            if name not in SETTINGS:
                raise GuideError(f"{where}.set", f"{name[:30]!r} is not one of "
                                 + ", ".join(SETTINGS))
            _check_setting(name, v, f"{where}.set.{name}")
    return dict(obj)


def parse_guide(raw: Any, net: "Network", patterns: int) -> tuple[Step, ...]:
    """Validate the file's ``guide`` list against the network and the dataset."""
    if not isinstance(raw, list) or not raw:
        raise GuideError("guide", "must be a list of steps (at least one)")
    if len(raw) > MAX_STEPS:
        raise GuideError("guide", f"has {len(raw)} steps; at most {MAX_STEPS}")
    steps = []
    for i, s in enumerate(raw):
        where = f"guide[{i}]"
        if not isinstance(s, dict):
            raise GuideError(where, "must be an object with a text")
        unknown = set(s) - {"text", "look_at", "action", "task"}
        if unknown:
            raise GuideError(where, f"{sorted(unknown)[0][:30]!r} is not a step field "
                                    "(text, look_at, action, task)")
        text = _text(s, "text", where, required=True)
        if not text.strip():
            raise GuideError(f"{where}.text", "is empty")
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as e:
            raise GuideError(f"{where}.text", f"has a stray brace ({e})") from None
        bad = sorted(names - set(PLACEHOLDERS))
        if bad:
            raise GuideError(f"{where}.text", f"{{{bad[0][:20]}}} is not a live number; use "
                                              + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        looks = s.get("look_at", [])
        if isinstance(looks, str):
            looks = [looks]
        if not isinstance(looks, list):
            raise GuideError(f"{where}.look_at", "must be a list of targets")
        targets = tuple(parse_target(t, net, patterns, f"{where}.look_at[{k}]")
                        for k, t in enumerate(looks))
        for place in SHARED_PLACES:
            named = sorted({t.panel for t in targets if t.panel in place})
            if len(named) > 1:
                raise GuideError(f"{where}.look_at", f"names {' and '.join(named)}, which are "
                                                     "tabs of one panel: a step can show only one")
        acts = s.get("action", [])
        acts = [acts] if isinstance(acts, dict) else acts
        if not isinstance(acts, list):
            raise GuideError(f"{where}.action", "must be an action or a list of actions")
        actions = tuple(parse_action(a, patterns, f"{where}.action[{k}]")
                        for k, a in enumerate(acts))
        if actions and i == 0:
            raise GuideError(f"{where}.action", "the first step cannot act: a lesson opens as "
                                                "its file has it; put actions on step 2 or later")
        task = parse_task(s["task"], net, patterns, f"{where}.task") if "task" in s else None
        steps.append(Step(text, targets, actions, task, dict(s)))
    return tuple(steps)


def to_list(steps: tuple[Step, ...]) -> list[dict]:
    return [dict(s.raw) for s in steps]


# --- actions ---------------------------------------------------------------------------
def settings_with(training: cfg.TrainingConfig, changes: dict) -> cfg.TrainingConfig:
    t = training
    for name, v in changes.items():
        if name in ("learning_rate", "momentum"):
            t = t.with_(**{name: float(v)})
        elif name.startswith("sparsity_"):
            key = name.split("_", 1)[1]
            t = t.with_(sparsity=replace(t.sparsity, **{key: v if key == "penalty"
                                                            else float(v)}))
        else:
            key = name.split("_", 1)[1]
            t = t.with_(noise=replace(t.noise, **{key: v if key == "kind" else float(v)}))
    return t


def apply_action(action: dict, lesson: "Lesson") -> None:
    """Perform one core action (``predict`` is the window's: ignored here)."""
    (kind, value), = action.items()
    if kind == "feed":
        lesson.feed_pattern(value - 1)
    elif kind == "train":
        lesson.run(lambda session: session.advance(value), "Guide: train", count=True)
    elif kind == "reset":
        lesson.reset_weights()
    elif kind == "set":
        lesson.set_training(settings_with(lesson.training, value), "Guide: change settings")


def describe(steps: tuple[Step, ...]) -> list[str]:
    """One line per step (for ``aeviz lesson check``)."""
    lines = []
    for i, s in enumerate(steps):
        first = s.text.strip().split("\n")[0]
        line = f"{i + 1:2d}. {first[:70]}{'…' if len(first) > 70 else ''}"
        if s.look_at:
            line += "\n      look at: " + ", ".join(t.source for t in s.look_at)
        if s.actions:
            line += "\n      does: " + ", ".join(f"{k} {v}" for a in s.actions
                                                for k, v in a.items())
        if s.task:
            line += f"\n      task: {s.task.kind}" + (f" — {s.task.prompt}" if s.task.prompt else "")
        lines.append(line)
    return lines


__all__ = ["Check", "GuideError", "Step", "Target", "Task", "apply_action", "describe",
           "live_values", "parse_guide", "render", "to_list"]
