"""No lost work: the open lesson is saved every minute (when it has unsaved
changes) to the user's data folder; a clean exit removes that copy, so a copy
left by a process that no longer runs means aeviz crashed, and the next start
offers to restore it.

Files: ``<data>/autosave/autosave-<pid>-<n>.aeviz`` and a ``.json`` beside it
holding the original path and the time.  ``AEVIZ_DATA_DIR`` overrides the data
folder and ``AEVIZ_AUTOSAVE_SECONDS`` the interval (both for tests).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from aeviz.core.fileformat import FileFormatError, load, save
from aeviz.core.model import Model
from aeviz.gui.document import Document

_counter = itertools.count()


def autosave_dir() -> Path:
    base = os.environ.get("AEVIZ_DATA_DIR") or QStandardPaths.writableLocation(
        QStandardPaths.AppDataLocation) or str(Path.home() / ".aeviz")
    return Path(base) / "autosave"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:               # exists but not ours
        return True
    return True


class Autosaver(QObject):
    """Saves ``doc`` every interval while it has unsaved changes."""

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.folder = autosave_dir()
        name = f"autosave-{os.getpid()}-{next(_counter)}"
        self.path = self.folder / f"{name}.aeviz"
        self.meta = self.folder / f"{name}.json"
        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 * float(os.environ.get("AEVIZ_AUTOSAVE_SECONDS", "60"))))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def save_now(self) -> bool:
        """Write the copy if there is something to lose; never raises."""
        if not self.doc.modified:
            self.discard()
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save(self.doc.model, self.path)
            self.meta.write_text(json.dumps({"original": str(self.doc.path or ""),
                                             "time": time.time()}))
            return True
        except (OSError, ValueError):     # a full disk must not stop the lesson
            return False

    def discard(self) -> None:
        for p in (self.path, self.meta):
            try:
                p.unlink()
            except OSError:
                pass


def left_behind() -> list[Path]:
    """Autosaved copies whose process is gone (newest first)."""
    folder = autosave_dir()
    found = []
    for p in folder.glob("autosave-*.aeviz"):
        try:
            pid = int(p.stem.split("-")[1])
        except (IndexError, ValueError):
            continue
        if not _alive(pid):
            found.append(p)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def recover(path: Path) -> tuple[Model, Path | None, float] | None:
    """(model, original path or None, time) of a left-behind copy, or None if it
    cannot be read (then it is removed)."""
    meta = path.with_suffix(".json")
    try:
        info = json.loads(meta.read_text())
        model = load(path)
    except (OSError, ValueError, FileFormatError):
        forget(path)
        return None
    original = Path(info["original"]) if info.get("original") else None
    return model, original, float(info.get("time", path.stat().st_mtime))


def forget(path: Path) -> None:
    for p in (path, path.with_suffix(".json")):
        try:
            p.unlink()
        except OSError:
            pass
