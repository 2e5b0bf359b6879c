"""Computing a big network's derived values off the GUI thread.

For a network whose parameters times patterns exceed ``BACKGROUND_WORK`` (a
1024-2-1024 on its 1,024 patterns, a 1024-1024-1024), the dataset's evaluation,
the code-space plane and the diagram's summary cost hundreds of milliseconds
per change.  :class:`BackgroundValues` hands each new version of the lesson's
values (:class:`aeviz.core.lessons.derived.Derived`, on a *copy* of the network and the
input) to a worker on its own QThread; the result comes back by a queued signal
and is installed only if the lesson is still at that version.  One job runs at
a time: changes made meanwhile are coalesced, and when the job ends only the
latest state is computed next (a burst of edits costs at most two jobs).
"""

from __future__ import annotations

import sys
import threading
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from aeviz.core.lessons.derived import Derived
from aeviz.gui.runtime.threads import assert_gui_thread

BACKGROUND_WORK = 1_000_000     # parameters x patterns above which values are computed
                                # off the GUI thread (64-16-64 on 64 patterns: 136,000)


def computed_in_background(parameters: int, patterns: int) -> bool:
    """Whether a network's derived values are computed off the GUI thread: the
    dataset's forward pass costs about parameters x patterns multiply-adds."""
    return parameters * max(patterns, 1) > BACKGROUND_WORK


class _Worker(QObject):
    """Lives on the background thread: computes every value of a frozen copy."""

    done = Signal(object)               # the Derived, complete (or None if cancelled)

    def __init__(self) -> None:
        super().__init__()
        self.cancel = threading.Event()

    @Slot(object)
    def compute(self, derived: Derived) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.001)       # hand the GIL to the GUI thread sooner (as training)
        try:
            complete = derived.compute_all(self.cancel.is_set)
        except Exception:                  # noqa: BLE001 - the GUI thread computes it again,
            complete = False               # and raises it there, where it is seen
            derived.values.clear()
            derived.failed = True
        finally:
            sys.setswitchinterval(switch)
        self.done.emit(derived if complete or derived.failed else None)


class BackgroundValues(QObject):
    """``request(derived)`` computes ``derived``'s values in the background;
    ``ready(derived)`` is called on the GUI thread with the values of a version
    (the caller installs them if still current).  ``shutdown`` stops the thread."""

    _submit = Signal(object)

    def __init__(self, ready: Callable[[Derived], None], parent: QObject) -> None:
        super().__init__(parent)
        self.ready = ready
        self.busy = False
        self.pending: Derived | None = None       # the latest state asked for meanwhile
        self.jobs = 0                             # started (for tests and the bench)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _start_thread(self) -> None:
        self._thread = QThread(self)
        self._thread.setObjectName("aeviz derived values")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.compute, Qt.QueuedConnection)
        self._worker.done.connect(self._on_done, Qt.QueuedConnection)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def request(self, derived: Derived) -> None:
        """Compute the values of ``derived`` (the lesson's current version) soon."""
        assert_gui_thread()
        if self.busy:
            self.pending = derived               # replaces an older pending state
            return
        if self._thread is None:
            self._start_thread()
        self.busy = True
        self.jobs += 1
        self._submit.emit(derived.frozen_copy())

    @Slot(object)
    def _on_done(self, derived: Derived | None) -> None:
        assert_gui_thread()
        self.busy = False
        pending, self.pending = self.pending, None
        if pending is not None:
            self.request(pending)                # the latest state first: this one is stale
        if derived is not None:
            self.ready(derived)                  # (values empty if it failed: computed in place)

    def shutdown(self) -> None:
        """Cancel the job (between two values) and join the thread."""
        if self._thread is None:
            return
        self._worker.cancel.set()
        self._thread.quit()
        self._thread.wait()
        self._thread.deleteLater()
        self._thread = self._worker = None
        self.busy, self.pending = False, None
