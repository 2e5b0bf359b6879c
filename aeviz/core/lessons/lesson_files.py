"""Which file a lesson is, and which of its states that file holds: the
lesson's saving, composed into it as ``lesson.file`` (no Qt).

A save takes a :class:`SaveJob` now — a copy of the model and the undo stack's
*mark* of the state it is — and writes it (perhaps on another thread) while
the lesson goes on changing.  When the file is written, the undo stack's clean
state becomes that mark, so edits made during the write keep the lesson
modified, and a job for a lesson that was replaced meanwhile changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aeviz.core.files.fileformat import save
from aeviz.core.model import Model
from aeviz.core.lessons.undo import Lesson


@dataclass(frozen=True)
class SaveJob:
    """A save in progress: where, a copy of what, and the undo state it is."""

    path: Path
    model: Model
    mark: tuple


class LessonFile:
    """``LessonFile(lesson, path)``: the file of ``lesson`` (``path``, None if it
    has none) and the marks of its saved state in the lesson's undo stack."""

    def __init__(self, lesson: Lesson, path: Path | None = None) -> None:
        self.lesson = lesson
        self.path = Path(path) if path is not None else None

    def save_snapshot(self, path: Path) -> SaveJob:
        """What a save to ``path`` will write, taken now (a running worker is
        checkpointed first): a copy of the model (arrays copied), which another
        thread may write while the lesson goes on changing.  An unnamed model
        takes the file's name."""
        lesson = self.lesson
        with lesson.changing():
            model = lesson.model
            model.name = model.name or Path(path).stem
            return SaveJob(Path(path), model.copy(), lesson.undo_stack.mark())

    def save_as(self, path: Path) -> None:
        """Save (atomically) what is committed; afterwards this is the lesson's
        file and it is clean.  A running worker is checkpointed first."""
        job = self.save_snapshot(path)
        save(job.model, job.path)
        self.saved(job)

    def saved(self, job: SaveJob) -> bool:
        """``job``'s file was written: it is the lesson's file, and the state it
        holds is the saved one (edits made meanwhile keep the lesson modified).
        False, and nothing changes, if the undo history was replaced since (another
        lesson was opened)."""
        if not self.lesson.undo_stack.set_clean_at(job.mark):
            return False
        self.path = job.path
        self.lesson.notify(set())
        return True

    def mark_unsaved(self) -> None:
        """No state in the undo history is the saved file (e.g. restored work)."""
        self.lesson.undo_stack.reset_clean()
        self.lesson.notify(set())

    def mark_clean(self) -> None:
        """The state now counts as saved (nothing to save: e.g. a screenshot's window)."""
        self.lesson.undo_stack.set_clean()
        self.lesson.notify(set())
