"""What the command line prints on a terminal: a progress bar, and text that any
terminal can take (a strict UTF-8 or ASCII stdout never raises on a file name
that is not UTF-8)."""

from __future__ import annotations

import os
import sys


def shown(path: str) -> str:
    """A file name as it can be printed on any terminal: bytes that are not UTF-8
    (kept by Python as surrogate escapes) are shown as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def printable_output() -> None:
    """A strict UTF-8 (or ASCII) stdout never raises on something aeviz prints."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):     # replaced by a test or a non-text stream
            pass


class Progress:
    """A one-line progress bar on stderr (only on a terminal)."""

    def __init__(self, total: int, enabled: bool, unit: str = "epochs") -> None:
        self.total, self.enabled, self.unit = max(total, 1), enabled, unit

    def update(self, done: int, note: str = "") -> None:
        if self.enabled:
            filled = int(30 * done / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} "
                             f"{self.unit}{note}   ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
