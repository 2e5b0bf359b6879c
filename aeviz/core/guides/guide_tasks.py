"""The tasks of a guided lesson: what a student must do, checked live.

Each kind is a pure function ``check(task, lesson, answer) -> Check`` of the
lesson's state (and, for a choice, the option the student picked): no Qt, no
side effects (``lesson`` is an :class:`aeviz.core.lessons.lesson.Lesson`, not imported
here: the lesson module reaches this one).  ``done`` says the task is complete; ``hint`` is what to show
after a wrong try (empty when done).  The definitions are the app's own:
"reconstructed" is :func:`aeviz.core.model.is_reconstructed` (via
``evaluate``), "the same code" is :func:`aeviz.core.model.shared_codes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from aeviz.core.engine.activations import output_text
from aeviz.core.model import shared_codes, twin_units, winners
from aeviz.core.measures.solved import HOLD



@dataclass(frozen=True)
class Check:
    done: bool
    hint: str = ""


@dataclass(frozen=True)
class Task:
    """One task: ``kind`` (a key of :data:`TASKS`) and its parameters.

    Patterns and output units are numbered from 1 in the file and in every text
    the student reads; ``answer`` of a choice is an index into ``options``."""

    kind: str
    prompt: str = ""                        # what to do, shown above the hint
    patterns: tuple[int, ...] = ()          # 1-based pattern numbers
    threshold: float = 0.0
    options: tuple[str, ...] = ()           # choice: the options shown as buttons
    answer: int | None = None               # choice: the right option (0-based)
    pattern: int = 0                        # predict_winner: 1-based pattern
    reveal: str = ""                        # said once the task is done (the "why")
    hint: str = ""                          # the teacher's own hint (added to the live one)
    setting: str = ""                       # setting: which one
    value: Any = None                       # setting: the wanted value
    params: dict = field(default_factory=dict)

    @property
    def is_choice(self) -> bool:
        return self.kind in ("choice", "predict_winner")

    def choices(self, lesson: "Lesson") -> tuple[str, ...]:
        """The options a student picks from (output units for predict_winner)."""
        if self.kind == "predict_winner":
            return tuple(f"output {j + 1}" for j in range(lesson.network.sizes[-1]))
        return self.options

    def check(self, lesson: "Lesson", answer: int | None = None) -> Check:
        result = _with_settings(self, lesson) or TASKS[self.kind](self, lesson, answer)
        if not result.done and self.hint:
            return Check(False, (result.hint + " " + self.hint).strip())
        return result


def _with_settings(task: Task, lesson: "Lesson") -> Check | None:
    """A task that asks for settings (``params["with"]``) is not done without them."""
    wrong = [(name, value) for name, value in task.params.get("with", {}).items()
             if SETTINGS[name](lesson.training) != value]
    if not wrong:
        return None
    return Check(False, "First set " + ", ".join(
        f"{name.replace('_', ' ')} to {value} (it is {SETTINGS[name](lesson.training)})"
        for name, value in wrong) + " in the Settings panel.")


def _code_groups(lesson: "Lesson") -> list[list[int]]:
    return shared_codes(lesson.evaluation().codes)


def _distinct_codes(task: Task, lesson: "Lesson", _answer) -> Check:
    groups = _code_groups(lesson)
    wanted = [p - 1 for p in task.patterns] or list(range(len(lesson.data())))
    sharing = [g for g in groups if len(set(g) & set(wanted)) > 1]
    if not sharing:
        return Check(True)
    names = "; ".join(" and ".join(str(p + 1) for p in g if p in wanted) for g in sharing)
    return Check(False, f"Patterns {names} still share a code (equal to 3 decimals in the "
                        "Patterns table's code column).")


def _reconstructed(task: Task, lesson: "Lesson", _answer) -> Check:
    """Named patterns: reconstructed now.  All of them (no patterns named): the
    run is solved, every pattern reconstructed for HOLD epochs in a row
    (:mod:`aeviz.core.measures.solved`): a flicker is not enough."""
    ev = lesson.evaluation()
    wanted = [p - 1 for p in task.patterns] or list(range(len(ev.reconstructed)))
    missing = [p + 1 for p in wanted if not ev.reconstructed[p]]
    if not missing and task.patterns:
        return Check(True)
    if not missing:
        run = lesson.streak.at(lesson.epoch)
        if run >= HOLD:
            return Check(True)
        return Check(False, f"All {len(wanted)} reconstructed, for {run} epoch"
                            f"{'s' if run != 1 else ''} in a row so far: solved after {HOLD} "
                            "(one epoch can be a flicker). Train on (Space).")
    return Check(False, f"{len(wanted) - len(missing)} of {len(wanted)} reconstructed; not yet: "
                        f"pattern{'s' if len(missing) > 1 else ''} "
                        + ", ".join(map(str, missing)) + ". Train on (Space).")


def mean_activity(lesson: "Lesson") -> float:
    """mean |h| over patterns and code units: what the Codes tab calls mean activity."""
    return float(np.abs(lesson.evaluation().codes).mean())


def _sparse(task: Task, lesson: "Lesson", _answer) -> Check:
    sp = lesson.training.sparsity
    if not sp.active:
        return Check(False, "The sparsity penalty is off: set it in the Settings panel "
                            "(penalty kl or l1, weight above 0), then train.")
    m = mean_activity(lesson)
    if m < task.threshold:
        return Check(True)
    return Check(False, f"Mean activity |h| is {m:.3f}, not yet below {task.threshold:g}: "
                        "train longer.")


UNSTABLE_WINDOW = 50      # epochs of the most recent history the unstable check reads


def _rate_changed(command) -> bool:
    """Does this undo command change the learning rate?"""
    name = getattr(command, "name", None)
    if name is not None and hasattr(command, "before") and hasattr(command, "after"):
        return name == "learning_rate" and command.before != command.after
    before, after = getattr(command, "before", None), getattr(command, "after", None)
    return (hasattr(before, "learning_rate") and hasattr(after, "learning_rate")
            and before.learning_rate != after.learning_rate)


def rate_since(lesson: "Lesson") -> int | None:
    """The epoch from which the lesson's current learning rate has trained it:
    the epoch at the last learning-rate change, reset, rewind or structure change
    among the applied undo commands (None: at this rate since the lesson opened).
    Read from the undo stack: a training run is one command whose ``before``
    and ``after`` carry ``state["epoch"]``; nothing else changes the epoch."""
    stack = lesson.undo_stack
    epoch = int(lesson.clock.point().state["epoch"])      # the committed epoch
    for command in reversed(stack.commands[:stack.index]):
        before, after = getattr(command, "before", None), getattr(command, "after", None)
        states = getattr(before, "state", None), getattr(after, "state", None)
        if isinstance(states[0], dict) and isinstance(states[1], dict):   # a training change
            if states[1]["epoch"] < states[0]["epoch"]:     # a reset or rewind: from there on
                return int(states[1]["epoch"])
            epoch = int(states[0]["epoch"])
        elif _rate_changed(command) or type(command).__name__ == "ModelChange":
            return epoch
    return None


def loss_jumps(lesson: "Lesson", since: int | None = None) -> int:
    """Epochs among the last UNSTABLE_WINDOW recorded (after epoch ``since``, if
    given) where the loss rose by more than 10 % from the epoch before
    (gradient descent at a small enough learning rate lowers a full-batch loss
    every epoch)."""
    loss = lesson.history.column("loss")
    if since is not None:
        first = int(np.searchsorted(lesson.history.column("epoch"), since, side="left"))
        loss = loss[first:]        # the row at ``since`` is the baseline of the first rise
    loss = loss[-UNSTABLE_WINDOW - 1:]
    if len(loss) < 2:
        return 0
    with np.errstate(invalid="ignore", over="ignore"):
        return int(np.sum(~(loss[1:] <= loss[:-1] * 1.1)))


def _unstable(task: Task, lesson: "Lesson", _answer) -> Check:
    """At least ``threshold`` loss rises in the last UNSTABLE_WINDOW epochs
    trained at the current learning rate (epochs trained before it was set
    are another rate's: they neither count nor are blamed on this one)."""
    need = int(task.threshold) or 3
    since = rate_since(lesson)
    jumps = loss_jumps(lesson, since)
    if jumps >= need:
        return Check(True)
    lr = lesson.training.learning_rate
    epochs = lesson.history.column("epoch")
    at_rate = int(np.sum(epochs > since)) if since is not None else len(epochs)
    if at_rate < UNSTABLE_WINDOW:
        return Check(False, f"{at_rate} epoch{'s' if at_rate != 1 else ''} trained at learning "
                            f"rate {lr:g} so far: train at least {UNSTABLE_WINDOW} at this rate "
                            "(Space), then the loss is read.")
    return Check(False, f"At learning rate {lr:g} the loss rose (by over 10 %) on {jumps} of the "
                        f"last {UNSTABLE_WINDOW} epochs; it must jump up at least {need} times. "
                        "Try a larger learning rate.")


def _twins_broken(task: Task, lesson: "Lesson", _answer) -> Check:
    pairs = twin_units(lesson.network, lesson.data())
    i, j = (p - 1 for p in task.patterns)
    if (min(i, j), max(i, j)) not in pairs:
        return Check(True)
    return Check(False, f"Patterns {i + 1} and {j + 1} still have identical weights: change one "
                        "weight from input unit " f"{i + 1} (click it, then F, +, − or the wheel).")


def _epochs(task: Task, lesson: "Lesson", _answer) -> Check:
    need = int(task.threshold)
    if lesson.epoch >= need:
        return Check(True)
    return Check(False, f"Epoch {lesson.epoch}: train to at least {need} (Space).")


def _choice(task: Task, lesson: "Lesson", answer: int | None) -> Check:
    if answer is None:
        return Check(False, "Pick an answer.")
    if answer == task.answer:
        return Check(True)
    return Check(False, f"Not {task.options[answer]!r}. Think again.")


def _predict_winner(task: Task, lesson: "Lesson", answer: int | None) -> Check:
    if answer is None:
        return Check(False, "Pick the output you expect to be the largest.")
    x = lesson.data()[task.pattern - 1]
    y = lesson.network.forward(x[None, :])[1][-1][0]
    won = winners(y)
    if answer in won:
        return Check(True)
    act = lesson.network.activations[-1]
    shown = output_text(float(y[answer]), act)                     # as the window shows it
    best = int(np.argmax(y))
    if len(won) > 1:
        largest = ("outputs " + ", ".join(str(k + 1) for k in won[:-1])
                   + f" and {won[-1] + 1} tie for the largest, {output_text(float(y[best]), act)}")
    else:
        largest = f"output {best + 1} is the largest, {output_text(float(y[best]), act)}"
    # the pick is made and the values are shown (predict, then reveal): no second try
    return Check(False, f"Not output {answer + 1}: it is {shown}; {largest}: the largest "
                        "sum h · w + b over the decoder's weights (Explain, F1) wins.")


SETTINGS: dict[str, Callable] = {
    "learning_rate": lambda t: t.learning_rate,
    "momentum": lambda t: t.momentum,
    "sparsity_penalty": lambda t: t.sparsity.penalty,
    "sparsity_weight": lambda t: t.sparsity.weight,
    "sparsity_target": lambda t: t.sparsity.target,
    "noise_kind": lambda t: t.noise.kind,
    "noise_level": lambda t: t.noise.level,
}


def _setting(task: Task, lesson: "Lesson", _answer) -> Check:
    now = SETTINGS[task.setting](lesson.training)
    if now == task.value:
        return Check(True)
    return Check(False, f"{task.setting.replace('_', ' ')} is {now}, not {task.value} yet "
                        "(Settings panel).")


TASKS: dict[str, Callable[[Task, "Lesson", int | None], Check]] = {
    "distinct_codes": _distinct_codes,
    "reconstructed": _reconstructed,
    "sparse": _sparse,
    "unstable": _unstable,
    "twins_broken": _twins_broken,
    "epochs": _epochs,
    "choice": _choice,
    "predict_winner": _predict_winner,
    "setting": _setting,
}
