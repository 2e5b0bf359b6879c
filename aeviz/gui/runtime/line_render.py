"""Many lines drawn into an image away from the GUI thread, so the GUI thread
only copies the image: the network diagram of a 64-32-2-32-64 draws 4,224 lines
(~20 ms of the GUI thread's CPU per repaint while digits train), and a paint
that long holds up the whole event loop.

``LineRenderer(ready)``: ``render(groups, target, key)`` draws ``groups``
(``[(QPen, lines), ...]`` in order, ``lines`` an (k, 4) array of x1, y1, x2, y2)
with ``target``'s transform into an image the size of ``target``'s widget;
``ready(image, key)`` is then called on the GUI thread (only the latest request
of a renderer is drawn: older ones are dropped).  One daemon thread serves every
renderer.  It has the lines drawn in a child process (:mod:`.line_process`):
PySide holds the GIL through every QPainter call, so lines drawn on a thread of
this process would hold up the GUI thread's Python for as long.  If the child
cannot be used (a bundle, or it died) the thread draws them itself (painting
into a QImage off the GUI thread is what Qt allows: "QImage ... can be used in
threads").
"""

from __future__ import annotations

import atexit
import sys
import threading
import weakref
from typing import Callable

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QTransform

from aeviz.gui.runtime.line_process import LineProcess, paint, pen_spec

# the child process draws, except in a bundle (PyInstaller: as training, a spawned
# child is not verified frozen there) or once it failed
CAN_SPAWN = not getattr(sys, "frozen", False)
IN_PROCESS = CAN_SPAWN


def set_in_process(on: bool) -> None:
    """Draw in the child process (the default where one can be spawned) or on
    the renderer's thread (the bench's reference); takes effect at the next image."""
    global IN_PROCESS
    IN_PROCESS = on


def target_of(painter: QPainter, widget) -> tuple | None:
    """Where a paint() draws, as a hashable key: (transform matrix, widget size,
    device pixel ratio); None without a widget (a grab into a picture...)."""
    if widget is None:
        return None
    t = painter.worldTransform()
    size = widget.size()
    return ((t.m11(), t.m12(), t.m13(), t.m21(), t.m22(), t.m23(), t.m31(), t.m32(), t.m33()),
            (size.width(), size.height()), float(widget.devicePixelRatioF()))


def draw_image(painter: QPainter, image: QImage, made_for: tuple | None = None) -> None:
    """Draw an image :class:`LineRenderer` made for this painter's target, or
    (``made_for``: the transform matrix of the target it was made for) carried
    from that target to this painter's: the lines land where the scene has them
    now, stretched as the view was."""
    painter.save()
    if made_for is None:
        painter.resetTransform()
    else:
        back, _ = QTransform(*made_for).inverted()       # old device -> scene -> new device
        painter.setWorldTransform(back * painter.worldTransform())
    painter.drawImage(QPointF(0, 0), image)
    painter.restore()


def _draw(specs: list, target: tuple) -> QImage:
    """In the child process while it can be used, else here (see the module)."""
    process = _state["process"] if IN_PROCESS else None
    if process is not None:
        try:
            return process.draw(specs, target)
        except (OSError, EOFError, TimeoutError, ValueError):
            if _state["closing"]:            # ended by shutdown(): nothing more is drawn
                raise
            _state["process"] = None
            _state["failed"] = True
            process.close()
    return paint(specs, target)


class _Relay(QObject):
    """Lives on the GUI thread: a finished image reaches it by a queued signal."""

    done = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver, Qt.QueuedConnection)

    @staticmethod
    def _deliver(result) -> None:
        rid, image, key = result
        renderer = _renderers.get(rid)
        if renderer is not None:
            renderer.delivered(image, key)


_lock = threading.Condition()
_jobs: dict[int, tuple] = {}                                   # renderer id -> latest job
_renderers: "weakref.WeakValueDictionary[int, LineRenderer]" = weakref.WeakValueDictionary()
WARM_ID = -1                  # the job that only starts the child (no renderer has it)
_state: dict = {"thread": None, "relay": None, "next": 0, "process": None, "failed": False,
                "closing": False, "drawing": False}
SHUTDOWN_WAIT_S = 2.0         # at exit, the longest wait for the thread's last image


def _work() -> None:
    while True:
        with _lock:
            while not _jobs and not _state["closing"]:
                _lock.wait()
            if _state["closing"]:
                return
            rid = next(iter(_jobs))
            specs, target, key = _jobs.pop(rid)
            _state["drawing"] = True
        try:
            image = _draw(specs, target)
        except Exception:            # noqa: BLE001 - the item draws directly instead
            _state["drawing"] = False
            continue
        if not _state["closing"]:
            _state["relay"].done.emit((rid, image, key))
        _state["drawing"] = False    # (after the emit: idle() then means "queued")


def idle() -> bool:
    """No image asked for is waiting or being drawn (its delivery may still be
    queued on the GUI thread: process events after this)."""
    with _lock:
        return not _jobs and not _state["drawing"]


def shutdown() -> None:
    """End drawing aside at exit (registered with ``atexit`` once the thread
    starts, so it runs before multiprocessing ends its children and before
    Python finalizes): the thread takes no more jobs and is waited for, the child
    is ended.  A daemon thread still inside a Qt call when Python finalizes is
    unwound through C++ and aborts the whole process ("terminate called without
    an active exception": a screenshot of the digits ended so, 3 times in 4)."""
    with _lock:
        _state["closing"] = True
        _jobs.clear()
        _lock.notify_all()
    process = _state["process"]
    if process is not None:
        process.process.terminate()        # a drawing waited for ends at once (EOF)
    thread = _state["thread"]
    if thread is not None and thread is not threading.current_thread():
        thread.join(SHUTDOWN_WAIT_S)
    if process is not None:
        process.close()


def _start() -> None:
    """The relay, the child process and the thread, once (GUI thread)."""
    if _state["relay"] is None:
        _state["relay"] = _Relay()
    if IN_PROCESS and _state["process"] is None and not _state["failed"]:
        try:
            _state["process"] = LineProcess()
        except (OSError, ValueError, RuntimeError):   # no process to be had: the thread draws
            _state["failed"] = True
    if _state["thread"] is None:
        _state["thread"] = threading.Thread(target=_work, name="aeviz line render",
                                            daemon=True)
        _state["thread"].start()
        atexit.register(shutdown)          # (after multiprocessing's: runs before it)


def warm() -> None:
    """Start drawing aside now (a diagram with many lines was built): the child's
    first image waits ~0.3-0.6 s for it to import Qt, and until an image is back
    every repaint draws the lines on the GUI thread.  GUI thread only."""
    _start()
    with _lock:
        _jobs.setdefault(WARM_ID, ([], ((1, 0, 0, 0, 1, 0, 0, 0, 1), (1, 1), 1.0), None))
        _lock.notify()


class LineRenderer:
    """Off-thread line drawing for one item (see the module docstring)."""

    def __init__(self, ready: Callable[[QImage, object], None]) -> None:
        self.ready = ready
        with _lock:
            self.id = _state["next"]
            _state["next"] += 1
        _renderers[self.id] = self
        self.jobs = 0                           # requests made (tests)

    def render(self, groups: list, target: tuple, key) -> None:
        """Draw ``groups`` for ``target`` (see :func:`target_of`); GUI thread only."""
        _start()
        self.jobs += 1
        specs = [(pen_spec(pen), lines) for pen, lines in groups]
        with _lock:
            _jobs[self.id] = (specs, target, key)
            _lock.notify()

    def delivered(self, image: QImage, key) -> None:
        try:
            self.ready(image, key)
        except RuntimeError:                    # the item's C++ object is gone
            pass
