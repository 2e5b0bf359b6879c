"""The texts of a guided lesson: their limits, their ``{live}`` numbers, and the
check that every step renders before the lesson opens.

A step's text is a :meth:`str.format` template over :data:`PLACEHOLDERS`; every
value is a *string* (:func:`live_values` formats the numbers
as the window shows them), so a format spec that works on the sample values of
:func:`sample_values` works on any live values of the same network.  The loader
therefore renders each text once against that sample (:func:`check_template`)
and refuses, with one sentence naming the step, what would fail on Next: an
unknown or nested field (``{loss:{nothere}}``), a conversion other than
``!s``/``!r``/``!a``, a spec strings do not take (``{loss:d}``), a width or
precision above :data:`MAX_FORMAT_WIDTH` (``{x:>200000000}`` would allocate
200 MB), and a text that renders to more than :data:`MAX_RENDERED` characters.
Lengths are bounded too (:data:`MAX_TEXT` ...), so no file can make opening a
lesson or pressing Next slow.  No Qt here.
"""

from __future__ import annotations

import re
import string
from typing import Any, Callable


from aeviz.core.engine.activations import output_text
from aeviz.core.guides.guide_tasks import loss_jumps, mean_activity
from aeviz.core.model import shared_codes
from aeviz.core.numbers import activation_vector, vector

# "Lesson" (aeviz.core.lessons.lesson) and "Step" (aeviz.core.guides.guide) are named
# in annotations only: importing them here would close an import cycle

MAX_TEXT = 2000            # characters of a step's text
MAX_LINES = 40             # lines of a step's text
MAX_TASK_TEXT = 600        # characters of a task's prompt, hint or reveal
MAX_OPTION, MAX_OPTIONS = 200, 10   # a choice's options: characters each, how many
MAX_FORMAT_WIDTH = 100     # width and precision in a {field:spec}
MAX_FIELDS = 30            # {live} numbers in one text
MAX_RENDERED = 50_000      # characters of a text once its numbers are filled in
MAX_NAME = 1000            # characters of a lesson's name (a file name's stem fits)

PLACEHOLDERS = ("epoch", "loss", "accuracy", "reconstructed", "distinct_codes", "patterns",
                "learning_rate", "mean_activity", "x", "h", "y", "fed", "loss_jumps")

# a standard format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(r"(?:(?P<fill>.)?[<>=^])?[-+ ]?z?#?0?(?P<width>[0-9]*)[,_]?"
                   r"(?:\.(?P<precision>[0-9]+))?[a-zA-Z%]?", re.ASCII | re.DOTALL)


class TextError(ValueError):
    """A text the loader refuses: the problem, one clause (the caller names the field)."""


def check_length(text: str, limit: int, lines: int | None = None) -> None:
    if len(text) > limit:
        raise TextError(f"is {len(text):,} characters long; at most {limit:,}")
    if lines is not None and text.count("\n") >= lines:
        raise TextError(f"has {text.count(chr(10)) + 1:,} lines; at most {lines}")


def _vec(n: int) -> str:
    return "[" + ", ".join(["-0.000"] * n) + "]"


def sample_values(sizes: tuple[int, ...] | list[int], code_layer: int,
                  patterns: int) -> dict[str, str]:
    """Strings as wide as the window's live values for this network (sizes per
    layer, the code layer's index) and dataset: what a text is rendered against at load."""
    return {
        "epoch": "1000000000", "loss": "-1.0000e+300", "accuracy": "100%",
        "reconstructed": f"{patterns} of {patterns}", "distinct_codes": str(patterns),
        "patterns": str(patterns), "learning_rate": "0.0001", "mean_activity": "0.000",
        "x": _vec(sizes[0]), "h": _vec(sizes[code_layer]), "y": _vec(sizes[-1]),
        "fed": str(patterns), "loss_jumps": "50",
    }


def _check_field(name: str, spec: str, conversion: str | None, sample: dict[str, str]) -> None:
    if name not in PLACEHOLDERS:
        raise TextError(f"{{{name[:20]}}} is not a live number; use "
                        + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
    if conversion not in (None, "s", "r", "a"):
        raise TextError(f"{{{name}!{conversion[:5]}}} has an unknown conversion; "
                        "use !s, !r, !a or none")
    if "{" in spec or "}" in spec:
        raise TextError(f"{{{name}:{spec[:20]}}} has a field inside its format; "
                        "a format is fixed text such as >8")
    m = _SPEC.fullmatch(spec)
    if m is None:
        raise TextError(f"{{{name}:{spec[:20]}}} is not a format the window can use")
    for part in ("width", "precision"):
        digits = m[part] or ""
        if len(digits) > 3 or digits and int(digits) > MAX_FORMAT_WIDTH:
            raise TextError(f"{{{name}:{spec[:20]}}} asks for a {part} of {digits[:12]}"
                            f"{'…' if len(digits) > 12 else ''}; at most {MAX_FORMAT_WIDTH}")
    try:
        format(sample[name], spec)
    except ValueError:
        raise TextError(f"{{{name}:{spec[:20]}}} cannot be shown: live numbers are text, so a "
                        "format may only align, pad or cut them (e.g. {loss:>8})") from None


def check_template(text: str, sample: dict[str, str]) -> None:
    """Refuse a text the window could not render (see the module docstring):
    every field parsed and checked, then the whole text rendered once."""
    check_length(text, MAX_TEXT, MAX_LINES)
    if not text.strip():
        raise TextError("is empty")
    try:
        fields = [(f, s or "", c) for _, f, s, c in string.Formatter().parse(text)
                  if f is not None]
    except ValueError as e:
        raise TextError(f"has a stray brace ({e})") from None
    if len(fields) > MAX_FIELDS:
        raise TextError(f"has {len(fields)} {{live}} numbers; at most {MAX_FIELDS}")
    for name, spec, conversion in fields:
        _check_field(name, spec, conversion, sample)
    try:
        rendered = text.format_map(sample)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
        raise TextError(f"cannot be shown ({str(e)[:80]})") from None
    if len(rendered) > MAX_RENDERED:
        raise TextError(f"is {len(rendered):,} characters with this network's numbers "
                        f"filled in; at most {MAX_RENDERED:,}")


def render_template(text: str, values: dict[str, Any]) -> str:
    """The text with its fields filled in; a text the loader did not check (made in
    code) that cannot be rendered is shown as written rather than raising."""
    try:
        return text.format_map(values)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return text


# --- rendering a step's text against the lesson ---------------------------------------------------------------------
def _code_text(lesson: "Lesson") -> str:
    """The fed pattern's code h as the diagram shows it (a saturated tanh is
    ">0.999", never 1.000)."""
    net = lesson.network
    return activation_vector(lesson.forward()[1][net.code_layer][0],
                             net.activations[net.code_layer - 1])


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
    "x": lambda l: vector(l.x),
    "h": _code_text,
    "y": lambda l: "[" + ", ".join(output_text(v, l.network.activations[-1])
                                   for v in l.forward()[1][-1][0]) + "]",
    "fed": lambda l: "none" if l.pattern_index() is None else str(l.pattern_index() + 1),
    "loss_jumps": lambda l: str(loss_jumps(l)),
}


# what "Predict, then reveal" hides: the current weights' code, output and measures
# (the input, the clock, the settings and the history stay quoted)
HIDDEN_WHILE_PREDICTING = frozenset({"h", "y", "loss", "accuracy", "reconstructed",
                                     "distinct_codes", "mean_activity"})


class _Live(dict):
    """The placeholders' values, each computed when a text first asks for it;
    those in ``hidden`` read "?" (as the window shows them while a prediction is
    open)."""

    def __init__(self, lesson: "Lesson", hidden: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.lesson, self.hidden = lesson, hidden

    def __missing__(self, key: str) -> str:
        compute = LIVE[key]                            # KeyError: not a placeholder
        value = self[key] = "?" if key in self.hidden else compute(self.lesson)
        return value


def live_values(lesson: "Lesson") -> dict[str, str]:
    """The numbers a step's text may quote, formatted as the window shows them."""
    return {key: compute(lesson) for key, compute in LIVE.items()}


def render(text: str, lesson: "Lesson", predicting: bool = False) -> str:
    """The step's text with its ``{placeholders}`` filled in from the lesson (only
    those it quotes are computed); ``predicting``: a prediction is open, and what
    it hides (HIDDEN_WHILE_PREDICTING) reads "?" here too, never the answer."""
    return render_template(text, _Live(lesson, HIDDEN_WHILE_PREDICTING if predicting
                                       else frozenset()))


FED_NUMBERS = ("x", "h", "y", "fed")     # the placeholders that quote the fed input


def step_patterns(steps: "tuple[Step, ...]", first: int | None) -> list[int | None]:
    """The pattern (1-based) each step is written for: the last one its actions
    feed, else its predecessor's; the first step is about the pattern the lesson
    opens with (``first``, 1-based, None: an input of the file's own)."""
    out: list[int | None] = []
    for step in steps:
        fed = [a["feed"] for a in step.actions if "feed" in a]
        out.append(int(fed[-1]) if fed else (out[-1] if out else first))
    return out


def fed_note(step: "Step", pattern: int | None, lesson: "Lesson") -> str:
    """One sentence when the step is written for ``pattern`` (1-based) and quotes
    the fed input's numbers ({x}, {h}, {y}, {fed}), but another input is fed
    now: the text's numbers are then another pattern's, and the note says so
    (empty otherwise)."""
    now = lesson.pattern_index()
    if pattern is None or now == pattern - 1:
        return ""
    quoted = {name for _lit, name, _spec, _conv in string.Formatter().parse(step.text)
              if name}
    if not quoted & set(FED_NUMBERS):
        return ""
    fed = "an input of your own" if now is None else f"pattern {now + 1}"
    how = f"press {pattern}" if pattern <= 9 else f"feed pattern {pattern}"
    return (f"Now {fed} is fed, not pattern {pattern}: the numbers above are "
            f"{'its' if now is None else fed + chr(39) + 's'}. To follow this step, {how}.")
