"""No lost work: the open lesson is saved every minute (when it has unsaved
changes) to the user's data folder; a clean exit removes that copy, so a copy
left by a process that no longer runs means aeviz crashed, and the next start
offers to restore it.

Files: ``<data>/autosave/autosave-<pid>-<n>.aeviz`` and a ``.json`` beside it
holding the original path, the time and the training epoch; both are written
atomically.  A run in progress counts as unsaved work (a clean lesson that is
training is autosaved too).  A copy whose ``.json`` is missing or damaged is
still offered (the file's own time stands in); only a copy that cannot be read
as a lesson is removed without asking.  ``AEVIZ_DATA_DIR`` overrides the data
folder and ``AEVIZ_AUTOSAVE_SECONDS`` the interval (both for tests).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from aeviz.core.fileformat import FileFormatError, load, save
from aeviz.core.model import Model
from aeviz.core.safeio import atomic_write
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
            note = {"original": str(self.doc.path or ""), "time": time.time(),
                    "epoch": int(self.doc.epoch)}
            atomic_write(self.meta, json.dumps(note).encode("utf-8"))
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


@dataclass(frozen=True)
class Found:
    """A left-behind copy: the lesson, its file (None if it had none), when it was
    autosaved and at which training epoch."""

    model: Model
    original: Path | None
    time: float
    epoch: int


def recover(path: Path) -> Found | None:
    """What a left-behind copy holds, or None if it cannot be read as a lesson (then,
    and only then, it is removed).  A missing or damaged note costs only the
    original path and the epoch."""
    try:
        model = load(path)
        mtime = path.stat().st_mtime
    except (OSError, FileFormatError):
        forget(path)
        return None
    info = _note(path.with_suffix(".json"))
    original = info.get("original")
    when, epoch = info.get("time"), info.get("epoch")
    return Found(model, Path(original) if isinstance(original, str) and original else None,
                 float(when) if isinstance(when, (int, float)) and math.isfinite(when)
                 else mtime,
                 epoch if isinstance(epoch, int) and 0 <= epoch < 2**63 else 0)


def _note(meta: Path) -> dict:
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def forget(path: Path) -> None:
    for p in (path, path.with_suffix(".json")):
        try:
            p.unlink()
        except OSError:
            pass
