"""Call a refresh at most every ``interval`` ms, always ending on the latest state
(leading and trailing edge), like superqt's ``qthrottled``.

While training shows frames (~40 a second), a trailing refresh keeps out of a
frame's way: Qt paints every changed view of a window in one pass, so a table or
plot refreshed just after a frame was painted together with the frame's
diagram, one long pass that holds up the whole event loop.  A trailing refresh
due within ``FRAME_CLEAR_MS`` of a frame (:func:`frame_shown`) or of another
throttled refresh waits until that much has passed: each pass then paints a
frame or one refreshed view."""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

FRAME_CLEAR_MS = 8        # after a frame or a refresh, before the next trailing refresh
_last = [float("-inf")]        # when a frame or a trailing refresh was last shown (monotonic s)


def frame_shown() -> None:
    """A training frame was just shown (its views paint in the coming pass)."""
    _last[0] = time.monotonic()


class Throttled(QObject):
    def __init__(self, fn: Callable[[], None], interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self.fn = fn
        self.interval = interval_ms
        self.pending = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timeout)

    def __call__(self, *_args) -> None:
        if self.timer.isActive():
            self.pending = True
            return
        self.fn()
        self.timer.start(self.interval)

    def flush(self) -> None:
        """Run a pending call now (e.g. before reading the widget in a test)."""
        if self.pending:
            self.timer.stop()
            self._run()

    def _on_timeout(self) -> None:
        if not self.pending:
            return
        wait = _last[0] + FRAME_CLEAR_MS / 1000 - time.monotonic()
        if wait > 0:                      # a frame or another view is painting now
            self.timer.start(max(1, round(wait * 1000)))
            return
        self._run()

    def _run(self) -> None:
        self.pending = False
        self.fn()
        _last[0] = time.monotonic()
        self.timer.start(self.interval)


def show_everything(window, settle: Callable[[], None] = lambda: None) -> None:
    """Every view of ``window`` at the state shown, now (before a picture of it
    is taken): a big network's values, computed off the GUI thread, are waited
    for, then each pending throttled refresh runs; a refresh may leave another
    view to refresh (a plot that resized), so up to three rounds, ``settle()``
    after each."""
    app = QCoreApplication.instance()
    while window.doc.values_pending:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    for _ in range(3):
        if not flush_all(window):
            break
        settle()


def flush_all(root: QObject) -> bool:
    """Run the pending refresh of every Throttled under ``root`` now (before a
    picture of the window is taken); False if none was pending."""
    pending = [t for t in root.findChildren(Throttled) if t.pending]
    for throttled in pending:
        throttled.flush()
    return bool(pending)
