"""Whether a lesson trains in a child process, and that process kept ready.

A big lesson whose snapshots carry their values (the 1,797 digits) trains in a
child process (:class:`~aeviz.gui.runtime.process_worker.TrainerProcess`) and
the window keeps its GIL; the widest networks (a 1024-1024-1024) do not: their
values wait for the background thread, NumPy's big products releasing the GIL
anyway.  Not in a bundle (PyInstaller): its spawned child is not verified
frozen there, so a bundle trains on the thread.

The process is started (and its imports done) a moment after the lesson shows,
not at Play: the first frame then comes at once.  It is kept for the next
runs; a lesson that does not train in one ends the process an earlier one left.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QTimer

from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.thread_worker import WORKER_VALUES_WORK

if TYPE_CHECKING:     # imported when a lesson first needs it (multiprocessing: ~10 ms)
    from aeviz.gui.runtime.process_worker import TrainerProcess

PROCESS_WARM_MS = 300       # a big lesson's training process starts this long after it shows
IN_PROCESS = not getattr(sys, "frozen", False)     # (see the module docstring)


class ProcessKeeper:
    """The training process of ``doc``'s lesson for the training controller
    ``owner`` (its timer's parent; the owner's parent is the window), whose run
    is in progress while ``running()``."""

    def __init__(self, doc: Document, owner: QObject, running: Callable[[], bool]) -> None:
        self.doc, self.lesson = doc, doc.lesson
        self._owner, self._running = owner, running
        self.process: TrainerProcess | None = None   # None until a lesson needs one
        self._spawned = False                        # whether this window ever started one
        self._warm = QTimer(owner)
        self._warm.setSingleShot(True)
        self._warm.setInterval(PROCESS_WARM_MS)
        self._warm.timeout.connect(self._prepare_when_shown)
        doc.structure_changed.connect(self._warm.start)
        doc.replaced.connect(self._warm.start)
        self._warm.start()

    def values_with_frames(self) -> bool:
        """A big lesson whose snapshots carry their values (the 1,797 digits); the
        widest networks (a 1024-1024-1024) do not: their values wait for the
        background thread, NumPy's big products releasing the GIL anyway."""
        lesson = self.lesson
        return (self.doc.in_background() and lesson.network.params.size
                * len(lesson.model.dataset) <= WORKER_VALUES_WORK)

    def prepare(self) -> bool:
        """Whether this lesson trains in a child process; if so, start it (unless
        running) and have it import the modules of the lesson's derived values.
        A lesson that does not ends a process an earlier one left."""
        if not (IN_PROCESS and self.values_with_frames()):
            if not self._running():
                self.close(wait=False)        # (another lesson: not waited for)
            return False
        if self._running():               # its pipe is the worker's until the run ends
            return True
        if self.process is None or not self.process.alive():
            from aeviz.gui.runtime.process_worker import TrainerProcess
            self.close()
            self.process, self._spawned = TrainerProcess(), True
        self.process.warm(self.lesson.derived.functions)
        return True

    def _prepare_when_shown(self) -> None:
        """The warm start: once the window shows (its start-up is not slowed)."""
        window = self._owner.parent()
        if window is not None and hasattr(window, "isVisible") and not window.isVisible():
            return                            # a hidden window: at Play, if ever
        self.prepare()

    def stop_warming(self) -> None:
        self._warm.stop()

    def close(self, wait: bool = True) -> None:
        """End the process (``wait``: and reap those asked to quit before)."""
        if self.process is not None:
            self.process.close(wait)
            self.process = None
        if wait and self._spawned:        # and those asked to quit before (another lesson)
            from aeviz.gui.runtime.process_worker import reap
            reap()
