"""Undo without Qt: commands that know their before and after, and a stack.

A :class:`Command` changes a :class:`~aeviz.core.lessons.lesson.Lesson` in ``redo`` and
puts it back in ``undo``; it stores only what it changed (a weight, a setting),
never a whole copy of the lesson.  :class:`UndoStack` keeps them in order with a
clean mark (the state last saved), like ``QUndoStack``, so the core can be
driven and tested without Qt.
"""

from __future__ import annotations

from typing import Any


# The lesson a command changes (aeviz.core.lessons.lesson.Lesson, not imported: it imports us).
Lesson = Any


class Command:
    """One undoable change.  ``text`` names it for the Edit menu ("Set weight")."""

    text = ""
    # a change of the training settings alone: a training session in progress takes
    # it along (aeviz.core.lessons.lesson_runs) instead of being stopped first
    live = False

    def redo(self, lesson: Lesson) -> frozenset[str]:
        """Apply the change; return the event kinds it caused."""
        raise NotImplementedError

    def undo(self, lesson: Lesson) -> frozenset[str]:
        """Put back what ``redo`` changed; return the event kinds it caused."""
        raise NotImplementedError

    def merge(self, other: "Command") -> bool:
        """Absorb ``other`` (the next command) into this one; True if merged."""
        return False


class UndoStack:
    """Commands in order; ``index`` commands are applied.  ``clean_index`` marks
    the state that was saved (None: that state can no longer be reached)."""

    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.index = 0
        self.clean_index: int | None = 0
        self.era = 0                       # +1 when the history starts again (clear)
        self._sealed: set[int] = set()     # states being saved: nothing merges into them

    def push(self, command: Command) -> None:
        """Record an already applied command (forgets anything that was undone)."""
        del self.commands[self.index:]
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None
        top = self.commands[-1] if self.commands else None
        if (top is not None and self.clean_index != self.index
                and self.index not in self._sealed and top.merge(command)):
            return
        self.commands.append(command)
        self.index += 1

    def undo(self, lesson: Lesson) -> frozenset[str]:
        if not self.can_undo():
            return frozenset()
        self.index -= 1
        return self.commands[self.index].undo(lesson)

    def redo(self, lesson: Lesson) -> frozenset[str]:
        if not self.can_redo():
            return frozenset()
        self.index += 1
        return self.commands[self.index - 1].redo(lesson)

    def can_undo(self) -> bool:
        return self.index > 0

    def can_redo(self) -> bool:
        return self.index < len(self.commands)

    def undo_text(self) -> str:
        return self.commands[self.index - 1].text if self.can_undo() else ""

    def redo_text(self) -> str:
        return self.commands[self.index].text if self.can_redo() else ""

    def count(self) -> int:
        return len(self.commands)

    def text(self, i: int) -> str:
        return self.commands[i].text

    def is_clean(self) -> bool:
        return self.clean_index == self.index

    def set_clean(self) -> None:
        self.clean_index = self.index

    def mark(self) -> tuple:
        """The current state, to be called saved later (when a save of it, done
        elsewhere meanwhile, has succeeded): the command on top is sealed, so a
        later edit cannot merge into it and change the state the file holds."""
        self.seal()
        return (self.era, self.index, self.commands[self.index - 1] if self.index else None)

    def seal(self) -> None:
        """Nothing merges into the command now on top (e.g. a run starts: an edit
        made during it is a step of its own)."""
        self._sealed.add(self.index)

    def set_clean_at(self, mark: tuple) -> bool:
        """The state ``mark`` names was saved: it becomes the clean one (so edits
        made since keep the lesson modified), or no state is if it cannot be
        reached any more.  False (nothing changed) if the history started again."""
        era, index, top = mark
        if era != self.era:
            return False
        reachable = index <= len(self.commands) and (
            index == 0 or self.commands[index - 1] is top)
        self.clean_index = index if reachable else None
        return True

    def reset_clean(self) -> None:
        """No reachable state is the saved one (e.g. restored, never-saved work)."""
        self.clean_index = None

    def clear(self) -> None:
        self.commands.clear()
        self.index = 0
        self.clean_index = 0
        self.era += 1
        self._sealed.clear()
