"""Guided lessons: a lesson as a sequence of steps (the file's ``guide`` list).

A :class:`Step` has a short text (with live numbers: ``{loss}``, ``{h}`` ...),
what to look at (panels, neurons, connections, table rows: the window opens
and highlights them), optionally actions the app performs when the student
arrives by Next (feed a pattern, train N epochs, change a setting, reset the
weights, hide the values for a prediction; never on the first step: a lesson
opens as its file has it) and optionally a :class:`Task` the app
checks live (:mod:`aeviz.core.guides.guide_tasks`).  :func:`parse_guide` validates a
file's list against the lesson's network and dataset; every problem is a
FileFormatError-style sentence naming the field (``guide[2].look_at[0]: ...``).
Rendering a step's text against the lesson (its live numbers, the fed-input
note) is :mod:`aeviz.core.guides.guide_text`'s.  No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from aeviz.core import config as cfg
from aeviz.core.guides.guide_targets import (DOCKS, PANELS, ROW_TABLES, TABS,  # noqa: F401
                                      GuideError, Target, parse_target)
from aeviz.core.guides.guide_tasks import SETTINGS, TASKS, Check, Task
from aeviz.core.guides.guide_text import (FED_NUMBERS, LIVE, PLACEHOLDERS,  # noqa: F401
                                          fed_note, live_values, render, step_patterns)
from aeviz.core.guides.guide_text import (MAX_OPTION, MAX_OPTIONS, MAX_TASK_TEXT, TextError,
                                   check_length, check_template, sample_values)

if TYPE_CHECKING:
    from aeviz.core.engine.network import Network

# panels that share one place on screen (tabs of one dock): a step shows one of each
SHARED_PLACES = (("Values", "Training", "Settings", "Explain"), TABS)
MAX_STEPS = 100
MAX_TRAIN = 20_000       # epochs one train action may ask for (it runs in the background, Stop-able)
MAX_TARGETS, MAX_ACTIONS = 20, 10    # per step
ACTION_KINDS = ("feed", "train", "set", "reset", "predict")


@dataclass(frozen=True)
class Step:
    text: str
    look_at: tuple[Target, ...] = ()
    actions: tuple[dict, ...] = ()
    task: Task | None = None
    raw: dict = field(default_factory=dict, compare=False)   # as read, for saving


# --- parsing ---------------------------------------------------------------------------


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


def _text(obj: dict, key: str, where: str, required: bool = False,
          limit: int = MAX_TASK_TEXT) -> str:
    if key not in obj:
        if required:
            raise GuideError(f"{where}.{key}", "is missing")
        return ""
    if not isinstance(obj[key], str):
        raise GuideError(f"{where}.{key}", "must be text")
    try:
        check_length(obj[key], limit)
    except TextError as e:
        raise GuideError(f"{where}.{key}", str(e)) from None
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
    if "with" in obj:              # settings the task asks for: checked with it
        wanted = obj["with"]
        _check_settings(wanted, f"{where}.with", 1)
        common["params"] = {"with": dict(wanted)}
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
    if len(options) > MAX_OPTIONS:
        raise GuideError(f"{where}.options", f"lists {len(options)} options; at most {MAX_OPTIONS}")
    for k, option in enumerate(options):
        if len(option) > MAX_OPTION:
            raise GuideError(f"{where}.options[{k}]", f"is {len(option):,} characters long; "
                                                      f"at most {MAX_OPTION}")
    answer = int(_number(obj, "answer", where, 1, len(options), whole=True))
    return Task(kind, options=tuple(options), answer=answer - 1, **common)


def _check_settings(value: Any, where: str, example: float) -> None:
    """``value`` is a non-empty object of known settings with valid values (a
    task's ``with``, an action's ``set``); else one sentence naming ``where``."""
    if not isinstance(value, dict) or not value:
        raise GuideError(where, "must be an object of settings, e.g. "
                                f"{{\"learning_rate\": {example:g}}}")
    for name, v in value.items():
        if name not in SETTINGS:
            raise GuideError(where, f"{str(name)[:30]!r} is not one of " + ", ".join(SETTINGS))
        _check_setting(name, v, f"{where}.{name}")


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
        _check_settings(value, f"{where}.set", 5)
    return dict(obj)


def parse_guide(raw: Any, net: "Network", patterns: int) -> tuple[Step, ...]:
    """Validate the file's ``guide`` list against the network and the dataset."""
    if not isinstance(raw, list) or not raw:
        raise GuideError("guide", "must be a list of steps (at least one)")
    if len(raw) > MAX_STEPS:
        raise GuideError("guide", f"has {len(raw)} steps; at most {MAX_STEPS}")
    steps = []
    sample = sample_values(net.sizes, net.code_layer, patterns)
    for i, s in enumerate(raw):
        where = f"guide[{i}]"
        if not isinstance(s, dict):
            raise GuideError(where, "must be an object with a text")
        unknown = set(s) - {"text", "look_at", "action", "task"}
        if unknown:
            raise GuideError(where, f"{sorted(unknown)[0][:30]!r} is not a step field "
                                    "(text, look_at, action, task)")
        if "text" not in s:
            raise GuideError(f"{where}.text", "is missing")
        text = s["text"]
        if not isinstance(text, str):
            raise GuideError(f"{where}.text", "must be text")
        try:
            check_template(text, sample)        # renders it once, as Next will
        except TextError as e:
            raise GuideError(f"{where}.text", str(e)) from None
        looks = s.get("look_at", [])
        if isinstance(looks, str):
            looks = [looks]
        if not isinstance(looks, list):
            raise GuideError(f"{where}.look_at", "must be a list of targets")
        if len(looks) > MAX_TARGETS:
            raise GuideError(f"{where}.look_at", f"names {len(looks)} targets; at most "
                                                 f"{MAX_TARGETS}")
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
        if len(acts) > MAX_ACTIONS:
            raise GuideError(f"{where}.action", f"lists {len(acts)} actions; at most "
                                                f"{MAX_ACTIONS}")
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
