"""Which file a lesson is, and which of its states that file holds.

A save takes a :class:`SaveJob` now — a copy of the model and the undo stack's
*mark* of the state it is — and writes it (perhaps on another thread) while
the lesson goes on changing.  When the file is written, the undo stack's clean
state becomes that mark, so edits made during the write keep the lesson
modified, and a job for a lesson that was replaced meanwhile changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aeviz.core.model import Model
from aeviz.core.lessons.undo import UndoStack


@dataclass(frozen=True)
class SaveJob:
    """A save in progress: where, a copy of what, and the undo state it is."""

    path: Path
    model: Model
    mark: tuple


class LessonFile:
    """``LessonFile(undo_stack, path)``: the lesson's file (``path``, None if it
    has none) and the marks of its saved state in ``undo_stack``."""

    def __init__(self, undo_stack: UndoStack, path: Path | None = None) -> None:
        self.undo_stack = undo_stack
        self.path = Path(path) if path is not None else None

    def job(self, model: Model, path: Path) -> SaveJob:
        """What a save of ``model`` to ``path`` writes (an unnamed model takes
        the file's name)."""
        model.name = model.name or Path(path).stem
        return SaveJob(Path(path), model.copy(), self.undo_stack.mark())

    def saved(self, job: SaveJob) -> bool:
        """``job`` was written: it is the file now, and its state the clean one.
        False, and nothing changes, if the undo history was replaced since."""
        if not self.undo_stack.set_clean_at(job.mark):
            return False
        self.path = job.path
        return True

    def unsaved(self) -> None:
        """No state in the undo history is the saved file (e.g. restored work)."""
        self.undo_stack.reset_clean()
