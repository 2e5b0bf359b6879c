"""Call a refresh at most every ``interval`` ms, always ending on the latest state
(leading and trailing edge), like superqt's ``qthrottled``."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer


class Throttled(QObject):
    def __init__(self, fn: Callable[[], None], interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self.fn = fn
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
        self.timer.start()

    def flush(self) -> None:
        """Run a pending call now (e.g. before reading the widget in a test)."""
        if self.pending:
            self.timer.stop()
            self._on_timeout()

    def _on_timeout(self) -> None:
        if self.pending:
            self.pending = False
            self.fn()
            self.timer.start()
