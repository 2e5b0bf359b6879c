"""Python's garbage collector runs on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate.  When that
is a training worker and the garbage holds Qt objects (a closed window's
controllers and actions form reference cycles), their C++ destructors run in
the worker while the GUI thread destroys other objects: each waits for what the
other holds (a Qt mutex, the GIL) and the app freezes (seen in the 50-window
test).  As pyqtgraph's ``GarbageCollector`` does, automatic collection is turned
off and a timer on the GUI thread collects by generation, with Python's own
thresholds.

After start-up, :func:`freeze_startup` collects once and moves everything alive
(modules, classes, the first window) out of the collector's sight: a full
collection of those ~70,000 objects took ~20 ms on the GUI thread, the longest
pause while training at full speed.  Later collections scan only what the
session creates.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(INTERVAL_MS)

    def collect(self) -> None:
        """A generation-0 collection once enough objects were allocated; older
        generations when theirs fill up (the thresholds of automatic collection)."""
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)


def install(app: QObject) -> GuiThreadCollector:
    """Once per application (the QApplication owns it); automatic collection is
    off again after each call (a command line run in the same process turns it on)."""
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        gc.disable()
        return existing
    return GuiThreadCollector(app)


def freeze_startup() -> None:
    """Collect the start-up's garbage, then freeze what is alive (``gc.freeze``):
    later collections skip it.  Called once the first window is shown."""
    gc.collect()
    gc.freeze()
