"""The Qt side of training in a child process (see :mod:`.train_process`).

:class:`TrainerProcess` is the child (``spawn``: started a moment after a big
lesson opens, or at its first Play, and kept for the next runs; ``close`` ends
it).  :class:`ProcessWorker` takes the place of the thread's
:class:`~aeviz.gui.runtime.thread_worker.TrainingWorker` for one run: on its
QThread it sends the packed session, forwards speed changes and settings edits
(``TrainingSession.retune``) to the child, receives its snapshots (with their
values: the child computes those it can, this thread the few whose functions
need Qt's modules, ~0.2 ms), waits until the GUI drew the last one and hands
the next over with the same ``snapshot_ready`` / ``finished`` signals.  When
the run ends the child's state is applied to ``session`` (the controller's,
taken from the Lesson at Play), which the controller commits as usual.  If the
child dies, the run ends with the session as it was at Play (``failed``).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal, Slot

from aeviz.core.lessons.session import TrainingSession
from aeviz.gui.runtime import train_process
from aeviz.gui.runtime.pipe_reader import PipeReader
from aeviz.gui.runtime.snapshot import Snapshot

POLL_S = 0.02            # how often the worker looks at stop and speed while it waits
CLOSE_WAIT_S = 2.0       # a child asked to quit gets this long before it is terminated
STOP_WAIT_S = 10.0       # a child asked to stop a run that does not answer is ended then
SWITCH_S = 0.0005        # the GIL switch interval while a run is received (Python's: 5 ms)


@contextmanager
def main_hidden():
    """``spawn`` runs the parent's main script again in the child (as
    ``__mp_main__``) unless it has no file: the child needs only aeviz, and a
    script without an ``if __name__ == "__main__"`` guard would open a second
    window there."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)


class TrainerProcess:
    """A spawned child process that trains (``train_process.child_main``)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=train_process.child_main, args=(child,),
                                   name="aeviz training", daemon=True)
        with main_hidden():
            self.process.start()
        child.close()
        self.runs = 0                       # runs it trained (tests, the bench)
        self.broken = False                 # a run with it failed: not used again
        self.imported: set[str] = set()     # modules the child was asked to import

    def warm(self, functions: dict) -> None:
        """Have the child import the modules ``functions`` live in (once each)."""
        modules = {train_process.module_of(f)
                   for f in train_process.for_child(functions).values()}
        new = sorted(m for m in modules - self.imported if m)
        if new:
            self.conn.send(("import", new))
            self.imported.update(new)

    def alive(self) -> bool:
        return not self.broken and self.process.is_alive()

    def close(self, wait: bool = True) -> None:
        """Ask the child to exit; with ``wait``, make sure it did (else it ends by
        itself, ~60 ms later, and :func:`reap` waits for it at the latest)."""
        try:
            self.conn.send(("quit",))
        except (OSError, ValueError):
            pass
        self.conn.close()
        if wait:
            end(self.process)
        else:
            _closing.append(self.process)


_closing: list = []          # children asked to quit, not waited for (a lesson switch)


def end(process) -> None:
    """Wait for ``process`` to exit (it was asked to), ending it if it does not."""
    process.join(CLOSE_WAIT_S)
    if process.is_alive():
        process.terminate()
        process.join(CLOSE_WAIT_S)
    if process.is_alive():
        process.kill()
        process.join()


def reap() -> None:
    """Wait for every child asked to quit without waiting (on close)."""
    while _closing:
        end(_closing.pop())


def values_here(recipe, params, training, values: dict | None, cancelled) -> dict | None:
    """The snapshot's values: the child's ``values`` completed with the functions
    it does not compute (all of them if it sent none); None if cancelled or a
    function raised (the GUI thread then computes them, and raises where it is seen)."""
    return recipe.compute(params, training, cancelled, values)


class ProcessWorker(QObject):
    """One run of ``session`` in ``process``; the interface of ``TrainingWorker``."""

    snapshot_ready = Signal(object)      # Snapshot
    finished = Signal(int, object)       # run id, Event or None

    def __init__(self, session: TrainingSession, run_id: int, pacing, speed: int | None,
                 recipe, process: TrainerProcess) -> None:
        super().__init__()
        self.session, self.run_id, self.pacing = session, run_id, pacing
        self.speed, self.recipe, self.process = speed, recipe, process
        self.failed = False                  # the child died: nothing was trained
        self._stop = threading.Event()
        self._sent_speed = None              # the speed the child was told last
        self._stop_sent: float | None = None     # when ("stop",) was sent

    def request_stop(self) -> None:
        self._stop.set()

    def _speed(self) -> int:
        return self.pacing.speed if self.speed is None else self.speed

    @Slot()
    def run(self) -> None:
        event = None
        switch = sys.getswitchinterval()
        # this thread unpickles each frame (a few MB) and completes its values while
        # the GUI thread draws the last one: hand it the GIL back sooner than 5 ms
        sys.setswitchinterval(SWITCH_S)
        try:
            event = self._loop()
        except Exception:            # noqa: BLE001 - the child died, a value would not
            self.failed = True       # pickle...: the run ends, nothing of it is kept
            self.process.broken = True      # (its pipe may close before it has exited)
        finally:
            sys.setswitchinterval(switch)
        self.finished.emit(self.run_id, event)

    def _tell(self, conn) -> None:
        """Hand the child a settings edit and a new speed (at once, also while a
        snapshot waits for the GUI)."""
        config = self.session.take_retuned()      # the child trains with it instead
        if config is not None:
            conn.send(("retune", config))
        if self._speed() != self._sent_speed:
            self._sent_speed = self._speed()
            conn.send(("speed", self._sent_speed))

    def _waiting(self) -> None:
        """While the child's next message is awaited (also in the middle of one):
        a stop asked for is sent to it, and a child asked to stop that has not
        ended the run STOP_WAIT_S later is ended (hung: nothing of it is kept)."""
        if self._stop.is_set() and self._stop_sent is None:
            self.process.conn.send(("stop",))
            self._stop_sent = time.perf_counter()
        if self._stop_sent is not None and time.perf_counter() - self._stop_sent > STOP_WAIT_S:
            self.process.process.kill()
            raise TimeoutError("the training process did not stop")

    def _loop(self):
        conn, process = self.process.conn, self.process
        reader = PipeReader(conn, self._waiting, POLL_S)
        self._sent_speed = self._speed()
        recipe, rest = self.recipe, False
        sent = None
        if recipe is not None:       # the child computes what it can
            functions = train_process.for_child(recipe.functions)
            rest = len(functions) < len(recipe.functions)
            sent = (recipe.model, recipe.x, functions)
        conn.send(("run", train_process.pack(self.session, self._sent_speed, sent)))
        process.runs += 1
        while True:
            self._waiting()
            if self._stop_sent is None:
                self._tell(conn)
            if not conn.poll(POLL_S):
                if not process.alive():
                    raise EOFError("the training process ended")
                continue
            msg = reader.recv()
            if msg[0] == "final":
                train_process.apply(self.session, msg[1])
                return msg[2]
            if self._stop_sent is not None:
                continue
            _, epoch, params, start, rows, stuck, streak, values, config = msg
            conn.send(("token",))            # the child prepares the next one meanwhile
            if recipe is not None and (values is None or rest):
                values = values_here(recipe, params, config, values, self._stop.is_set)
            # only when the GUI has drawn the previous one: it never falls behind
            while not self.pacing.display_ready.wait(POLL_S) and not self._stop.is_set():
                self._tell(conn)
            if self._stop.is_set():
                continue
            self.pacing.display_ready.clear()
            self.snapshot_ready.emit(Snapshot(self.run_id, epoch, params, start, rows,
                                              train_process.stuck_of(stuck), streak, values,
                                              config))
