"""Files written off the GUI thread, in the order asked.

Saving a 1024-1024-1024 lesson takes seconds (two million numbers as text, then
an atomic write); on the GUI thread that froze the window, every minute while
autosave ran.  The GUI thread now only takes a snapshot (a copy of the model,
its arrays copied: milliseconds) and hands the writing to :class:`FileWriter`'s
one worker thread.  The jobs run one after the other, in the order submitted, so
a save asked for while another is in flight waits its turn and an autosave's
removal never overtakes its writing.  Each job's outcome (None, or the exception
it raised) is delivered to its ``on_done`` on the GUI thread, in order; the
caller decides what the user sees (as before: a status line or an error dialog)
and what becomes "saved".  :meth:`FileWriter.wait` blocks until every job is
done and delivers their outcomes (used when the window closes: no save is lost).

Both threads need the one interpreter lock, and a GUI thread that waits for it
at every call from Qt into Python (a paint, a slot) would crawl.  So the worker
works while the GUI thread's event loop sleeps, as the training worker does: the
encoder calls :meth:`FileWriter.pause` before each row of numbers, which waits
(up to ``PAUSE_SECONDS``) while the GUI thread is awake, and not at all while the
GUI thread itself waits for the writer (:meth:`FileWriter.wait`).
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractEventDispatcher, QObject, QThread, Signal

from aeviz.gui.runtime.threads import assert_gui_thread

if TYPE_CHECKING:          # imported with the first job (not needed at start-up)
    from concurrent.futures import Future, ThreadPoolExecutor

PAUSE_SECONDS = 0.01          # the longest a row waits for the GUI thread to sleep
SWITCH_SECONDS = 0.001        # as the training worker: the GUI thread gets the lock sooner


class Job:
    """One piece of work for the writer thread and what to do with its outcome."""

    def __init__(self, work: Callable[[], None],
                 on_done: Callable[[BaseException | None], None]) -> None:
        self.work, self.on_done = work, on_done
        self.error: BaseException | None = None
        self.future: Future | None = None
        self.delivered = False


class FileWriter(QObject):
    """Runs ``work()`` jobs on one worker thread, in order; outcomes on the GUI thread."""

    _finished = Signal(object)          # a Job, emitted from the worker thread
    idle = Signal()                     # the last job's outcome was delivered

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: list[Job] = []      # submitted, outcome not yet delivered (in order)
        self._finished.connect(self._on_finished)      # queued: runs on the GUI thread
        self._gui_idle = threading.Event()     # the GUI thread's event loop sleeps
        self._hurry = threading.Event()        # the GUI thread waits for us
        dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
        if dispatcher is not None:
            dispatcher.aboutToBlock.connect(self._gui_idle.set)
            dispatcher.awake.connect(self._gui_idle.clear)
        else:
            self._hurry.set()

    def pause(self) -> None:
        """Called by the work between small steps, in the writer thread: wait while
        the GUI thread is busy (at most PAUSE_SECONDS), unless it waits for us."""
        if not self._hurry.is_set():
            self._gui_idle.wait(PAUSE_SECONDS)

    @property
    def busy(self) -> bool:
        """Some job's outcome is not delivered yet."""
        return bool(self._jobs)

    def submit(self, work: Callable[[], None],
               on_done: Callable[[BaseException | None], None] = lambda error: None) -> Job:
        """Queue ``work`` (it must touch only what it was given: copies, a path)."""
        assert_gui_thread()
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aeviz-writer")
        job = Job(work, on_done)
        self._jobs.append(job)
        job.future = self._pool.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, SWITCH_SECONDS))   # hand the lock back sooner
        try:
            job.work()
        except BaseException as e:      # noqa: BLE001  (delivered to the GUI thread)
            job.error = e
        finally:
            if sys.getswitchinterval() == min(switch, SWITCH_SECONDS):
                sys.setswitchinterval(switch)
        self._finished.emit(job)

    def _on_finished(self, job: Job) -> None:
        """Deliver, in submission order, every finished job up to this one."""
        if job.delivered or job not in self._jobs:
            return
        for earlier in list(self._jobs):
            if earlier.future is not None and not earlier.future.done():
                break
            self._deliver(earlier)
            if earlier is job:
                break

    def _deliver(self, job: Job) -> None:
        job.delivered = True
        self._jobs.remove(job)
        job.on_done(job.error)
        if not self._jobs:
            self.idle.emit()

    def wait(self) -> None:
        """Block until every job submitted so far is done; deliver their outcomes."""
        assert_gui_thread()
        while self._jobs:
            job = self._jobs[0]
            self._hurry.set()
            try:
                job.future.result()     # _run never raises: the outcome is on the job
            finally:
                self._hurry.clear()
            self._deliver(job)

    def shutdown(self) -> None:
        """Wait for every job, then end the thread (a later submit starts another)."""
        self.wait()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
