"""Layout work deferred out of Qt's event handlers.

The rule (README, "How it is built"): ``resizeEvent`` and ``paintEvent`` measure and
draw; they never add, remove, show or hide widgets, nor lay anything out again.  A
decision that depends on the new size is made a moment later by a single-shot
zero-timer owned by the widget: the handler only starts it, so many resizes in one
pass of the event loop cost one re-layout, and a widget that is gone never gets the
call (its timer went with it)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer


def zero_timer(owner: QObject, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer of 0 ms that calls ``slot``; ``start()`` it from an event
    handler (starting it again before it fires still calls ``slot`` once)."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(slot)
    return timer
