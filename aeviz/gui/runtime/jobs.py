"""A long computation on a worker QThread (as training runs), one current job.

``BackgroundJob.start(fn)`` runs ``fn(cancelled, progress)`` on the job's own
thread; ``fn`` works on copies only (it never touches a widget or the lesson)
and returns its result.  ``progress(done, total)`` and the result arrive on the
GUI thread by queued signals, tagged with the job's id: a job that was
cancelled or replaced by a newer one never delivers anything.  ``shutdown``
(on close) cancels the job and joins the thread.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from aeviz.gui.runtime.threads import assert_gui_thread

PROGRESS_HZ = 10              # progress reports per second at most
Job = Callable[[Callable[[], bool], Callable[[int, int], None]], object]


class _Worker(QObject):
    """Lives on the job thread."""

    progressed = Signal(int, int, int)        # job id, done, total
    done = Signal(int, object, str)           # job id, result, error text ("" if none)

    def run(self, job_id: int, fn: Job, cancel: threading.Event) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.001)          # hand the GIL to the GUI thread sooner
        result, error = None, ""
        last = [0.0]

        def progress(done: int, total: int) -> None:       # at most PROGRESS_HZ a second
            now = time.perf_counter()
            if now - last[0] >= 1 / PROGRESS_HZ:
                last[0] = now
                self.progressed.emit(job_id, done, total)
        try:
            result = fn(cancel.is_set, progress)
        except Exception as e:                # noqa: BLE001 - shown, not swallowed
            error = f"{type(e).__name__}: {e}"
        finally:
            sys.setswitchinterval(switch)
        self.done.emit(job_id, result, error)


_RUNNING: set = set()        # (thread, worker) of every job thread not yet finished: a
                             # thread is never destroyed (with a closed widget) while it runs


class BackgroundJob(QObject):
    """Runs one job at a time, each on a thread of its own; see the module docstring."""

    progress = Signal(int, int)               # done, total (the current job's)
    finished = Signal(object)                 # the current job's result
    failed = Signal(str)                      # the current job raised

    def __init__(self, name: str, parent: QObject) -> None:
        super().__init__(parent)
        self.name = name
        self._id = 0
        self._cancel: threading.Event | None = None
        self._threads: list[QThread] = []

    @property
    def busy(self) -> bool:
        """A job was started and has neither delivered nor been cancelled."""
        return self._cancel is not None

    def start(self, fn: Job) -> None:
        """Run ``fn`` (cancelling the job in progress: its result is dropped)."""
        assert_gui_thread()
        self.cancel()
        for done in [p for p in _RUNNING if p[0].isFinished()]:
            _RUNNING.discard(done)              # (pruned here, on the GUI thread)
        self._threads = [t for t in self._threads if not t.isFinished()]
        self._id += 1
        self._cancel = cancel = threading.Event()
        thread, worker = QThread(), _Worker()       # no parent: see _RUNNING
        thread.setObjectName(self.name)
        worker.moveToThread(thread)
        pair = (thread, worker)
        _RUNNING.add(pair)
        self._threads.append(thread)
        worker.progressed.connect(self._on_progress, Qt.QueuedConnection)
        worker.done.connect(self._on_done, Qt.QueuedConnection)
        worker.done.connect(thread.quit, Qt.DirectConnection)   # the thread ends with its job
        job_id = self._id
        thread.started.connect(lambda: worker.run(job_id, fn, cancel), Qt.DirectConnection)
        thread.start()

    def cancel(self) -> None:
        """Stop the current job soon (at its next check) and forget it."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._id and self.busy:
            self.progress.emit(done, total)

    @Slot(int, object, str)
    def _on_done(self, job_id: int, result: object, error: str) -> None:
        assert_gui_thread()
        if job_id != self._id or not self.busy:
            return                              # cancelled or replaced: stale
        self._cancel = None
        if error:
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def join(self) -> None:
        """Wait for the latest job's thread to end (its result stays queued:
        the caller reads what it needs from its job, then cancels it)."""
        assert_gui_thread()
        if self._threads:
            self._threads[-1].wait()

    def shutdown(self) -> None:
        """Cancel the job and join its thread (on close)."""
        self.cancel()
        for thread in self._threads:
            thread.quit()
            thread.wait()
        self._threads = []
