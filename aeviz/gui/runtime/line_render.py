"""Many lines drawn into an image on a background thread, so the GUI thread only
copies the image: the network diagram of a 64-32-2-32-64 draws 4,224 lines
(~20 ms of the GUI thread's CPU per repaint while digits train), and a paint
that long holds up the whole event loop.

``LineRenderer(ready)``: ``render(groups, target, key)`` draws ``groups``
(``[(QPen, [QLineF, ...]), ...]``, in order) with ``target``'s transform into
an image the size of ``target``'s widget; ``ready(image, key)`` is then called
on the GUI thread (only the latest request of a renderer is drawn: older ones
are dropped).  Painting into a QImage off the GUI thread is what Qt allows
("QImage ... can be used in threads"), and QPainter's calls release the GIL.
One daemon thread serves every renderer.
"""

from __future__ import annotations

import threading
import weakref
from typing import Callable

from PySide6.QtCore import QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QTransform


def target_of(painter: QPainter, widget) -> tuple | None:
    """Where a paint() draws, as a hashable key: (transform matrix, widget size,
    device pixel ratio); None without a widget (a grab into a picture...)."""
    if widget is None:
        return None
    t = painter.worldTransform()
    size = widget.size()
    return ((t.m11(), t.m12(), t.m13(), t.m21(), t.m22(), t.m23(), t.m31(), t.m32(), t.m33()),
            (size.width(), size.height()), float(widget.devicePixelRatioF()))


def draw_image(painter: QPainter, image: QImage) -> None:
    """Draw an image :class:`LineRenderer` made for this painter's target."""
    painter.save()
    painter.resetTransform()
    painter.drawImage(QPointF(0, 0), image)
    painter.restore()


def _paint(groups: list, target: tuple) -> QImage:
    matrix, (w, h), dpr = target
    image = QImage(QSize(max(1, round(w * dpr)), max(1, round(h * dpr))),
                   QImage.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setTransform(QTransform(*matrix))
    for pen, lines in groups:
        painter.setPen(pen)
        painter.drawLines(lines)
    painter.end()
    return image


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
_state: dict = {"thread": None, "relay": None, "next": 0}


def _work() -> None:
    while True:
        with _lock:
            while not _jobs:
                _lock.wait()
            rid = next(iter(_jobs))
            groups, target, key = _jobs.pop(rid)
        try:
            image = _paint(groups, target)
        except Exception:            # noqa: BLE001 - the item draws directly instead
            continue
        _state["relay"].done.emit((rid, image, key))


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
        if _state["relay"] is None:
            _state["relay"] = _Relay()
        if _state["thread"] is None:
            _state["thread"] = threading.Thread(target=_work, name="aeviz line render",
                                                daemon=True)
            _state["thread"].start()
        self.jobs += 1
        with _lock:
            _jobs[self.id] = (groups, target, key)
            _lock.notify()

    def delivered(self, image: QImage, key) -> None:
        try:
            self.ready(image, key)
        except RuntimeError:                    # the item's C++ object is gone
            pass
