"""What of a guide's remembered progress still holds for the lesson's state now.

A student's place in a guide (the step) is remembered per lesson and offered again
as a position.  A task's "✓ Done" is remembered with a mark of the state it was done
in, and when the lesson is opened again (reopening the app, the lesson chosen again)
it counts only when it belongs to the window's state:

- a ``choice`` task: the record is the student's answer to a question about the
  lesson, whatever the weights: it always counts;
- any other task (a condition on the network, its training or settings, or a
  prediction about these weights): it counts when the state now is the state it
  was done in (same weights, same epoch: :func:`state_mark`), or when its
  condition holds now (:meth:`aeviz.core.guides.guide_tasks.Task.check`).

So fresh weights never show "✓ Done … epoch 0" for a training task.  The same rule
applies in the window when the lesson goes back to an earlier epoch than a task was
done at (Reset weights, New seed, an undone run): :func:`still_done`.  No Qt here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

if TYPE_CHECKING:
    from aeviz.core.guides.guide import Step

ANSWER_ONLY = ("choice",)      # tasks whose record is an answer, not a state


def state_mark(lesson) -> str:
    """A short fingerprint of the lesson's state: its epoch, every weight and bias
    (sha256 of the parameter vector's bytes) and its training settings."""
    import hashlib               # (OpenSSL's library, ~4 ms: not at the window's start)
    h = hashlib.sha256()
    h.update(str(lesson.epoch).encode())
    h.update(np.ascontiguousarray(lesson.network.params, dtype=float).tobytes())
    h.update(repr(lesson.training).encode())
    return h.hexdigest()[:24]


def belongs_to_state(step: "Step") -> bool:
    """Whether a task's "done" depends on the lesson's state (not only an answer)."""
    return step.task is not None and step.task.kind not in ANSWER_ONLY


def still_done(step: "Step", mark: str | None, lesson) -> bool:
    """Whether ``step``'s task, recorded done in the state ``mark``, counts as done
    for ``lesson`` now (the rule above)."""
    task = step.task
    if task is None:
        return False
    if not belongs_to_state(step):
        return True
    if mark is not None and mark == state_mark(lesson):
        return True
    return not task.is_choice and task.check(lesson).done


def restored_done(steps: "tuple[Step, ...]", done: Iterable[int],
                  marks: Mapping[str, str], lesson) -> set[int]:
    """The remembered done steps (0-based) that hold for ``lesson`` now; ``marks``
    maps a step (as text, JSON's keys) to the :func:`state_mark` it was done in."""
    return {d for d in done
            if isinstance(d, int) and not isinstance(d, bool) and 0 <= d < len(steps)
            and still_done(steps[d], marks.get(str(d)), lesson)}
