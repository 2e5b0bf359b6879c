"""No lost work: the open lesson is saved every minute (when it has unsaved
changes) to the user's data folder; a clean exit removes that copy, so a copy
left by a process that no longer runs means aeviz crashed, and the next start
offers to restore it.

Files: ``<data>/autosave/autosave-<pid>-<start>-<boot>-<n>.aeviz`` and a
``.json`` beside it holding the original path, the time and the training epoch;
both are written atomically.  The name says which process owns the copy: its
PID, its start time (clock ticks since boot, ``/proc/<pid>/stat`` field 22) and
the first characters of the boot id (``/proc/sys/kernel/random/boot_id``).  A
PID alone is not enough: after a reboot (or a long day) another process has the
dead one's PID, and its copy must still be offered.  The owner is alive only if
the boot id is this boot's and the process with that PID started at that time.  A run in progress counts as unsaved work (a clean lesson that is
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

from aeviz.core.files.fileformat import FileFormatError, load, save
from aeviz.core.model import Model
from aeviz.core.files.safeio import atomic_write
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.saving import FileWriter

_counter = itertools.count()


def autosave_dir() -> Path:
    base = os.environ.get("AEVIZ_DATA_DIR") or QStandardPaths.writableLocation(
        QStandardPaths.AppDataLocation) or str(Path.home() / ".aeviz")
    return Path(base) / "autosave"


BOOT_ID_CHARS = 12


def boot_id() -> str:
    """This boot's id (12 hex digits), or "" where the system does not say."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip().replace("-", "")[:BOOT_ID_CHARS]
    except OSError:
        return ""


def start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks after boot (None if there is
    no such process or the system does not say).  The command name in field 2 may
    hold spaces and parentheses: the fields are counted after its last ')'."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[19])                # field 22; fields[0] is field 3
    except (OSError, IndexError, ValueError):
        return None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:              # exists but not ours
        return True
    except (OSError, OverflowError):     # not a PID at all
        return False
    return True


def _boot_time() -> float | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


@dataclass(frozen=True)
class Owner:
    """The process an autosave belongs to: PID, start ticks and boot id (either may
    be unknown: None / "", e.g. a copy from an older aeviz named ``autosave-<pid>-<n>``)."""

    pid: int
    start: int | None = None
    boot: str = ""

    @classmethod
    def me(cls) -> "Owner":
        return cls(os.getpid(), start_ticks(os.getpid()), boot_id())

    @classmethod
    def of(cls, path: Path) -> "Owner | None":
        """From an autosave's name (None if the name is not an autosave's)."""
        parts = path.stem.split("-")
        try:
            if len(parts) == 5 and parts[0] == "autosave":
                start = None if parts[2] == "x" else int(parts[2])
                return cls(int(parts[1]), start, parts[3] if parts[3] != "x" else "")
            if len(parts) == 3 and parts[0] == "autosave":
                return cls(int(parts[1]))
        except ValueError:
            pass
        return None

    def stem(self, n: int) -> str:
        start = "x" if self.start is None else str(self.start)
        return f"autosave-{self.pid}-{start}-{self.boot or 'x'}-{n}"

    def alive(self, written: float | None = None) -> bool:
        """Is the owner still running?  Another boot: no.  No process with that PID:
        no.  A process with that PID that started at another time: no (the PID was
        given again).  A copy without a start time: no if the process with that PID
        started after the copy was ``written`` (a time.time())."""
        here = boot_id()
        if self.boot and here and self.boot != here:
            return False
        if not _pid_alive(self.pid):
            return False
        now = start_ticks(self.pid)
        if now is None:
            return True                        # the system does not say: assume the owner
        if self.start is not None:
            return now == self.start
        boot = _boot_time()
        if written is None or boot is None:
            return True
        return boot + now / os.sysconf("SC_CLK_TCK") <= written + 1.0


class Autosaver(QObject):
    """Saves ``doc`` every interval while it has unsaved changes, in ``writer``'s
    thread (the GUI thread only copies the model)."""

    def __init__(self, doc: Document, writer: FileWriter, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.writer = doc, writer
        self.folder = autosave_dir()
        name = Owner.me().stem(next(_counter))
        self.path = self.folder / f"{name}.aeviz"
        self.meta = self.folder / f"{name}.json"
        self.in_flight = False           # a copy is being written: the next tick skips
        self.written = False             # a copy was asked for since the last removal
        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 * float(os.environ.get("AEVIZ_AUTOSAVE_SECONDS", "60"))))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def save_now(self) -> bool:
        """Have the copy written if there is something to lose (True if asked for);
        never raises, and a failure (a full disk) is silent: it must not stop the
        lesson.  What is shown is saved, a run in progress included."""
        if not self.doc.lesson.modified:
            self.discard()
            return False
        if self.in_flight:
            return False
        model = self.doc.lesson.model.copy()
        note = {"original": str(self.doc.lesson.path or ""), "time": time.time(),
                "epoch": int(self.doc.lesson.epoch)}
        path, meta, folder, writer = self.path, self.meta, self.folder, self.writer

        def write() -> None:
            folder.mkdir(parents=True, exist_ok=True)
            save(model, path, writer.pause)
            atomic_write(meta, json.dumps(note).encode("utf-8"))

        def done(_error: BaseException | None) -> None:
            self.in_flight = False
        self.in_flight = self.written = True
        self.writer.submit(write, done)
        return True

    def discard(self) -> None:
        """Remove the copy, after any write of it still in flight (nothing to do if
        none was asked for: the name is this process's own)."""
        if not self.written:
            return
        self.written = False
        paths = (self.path, self.meta)

        def remove() -> None:
            for p in paths:
                try:
                    p.unlink()
                except OSError:
                    pass
        self.writer.submit(remove)

    def close(self) -> None:
        """A clean exit: no more copies, and the last one removed (waits for the writer)."""
        self.timer.stop()
        self.discard()
        self.writer.wait()


def left_behind() -> list[Path]:
    """Autosaved copies whose process is gone (newest first)."""
    folder = autosave_dir()
    found = []
    for p in folder.glob("autosave-*.aeviz"):
        owner = Owner.of(p)
        try:
            written = p.stat().st_mtime
        except OSError:
            continue
        if owner is not None and not owner.alive(written):
            found.append((written, p))
    return [p for _, p in sorted(found, reverse=True)]


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
                 epoch if type(epoch) is int and 0 <= epoch < 2**63 else 0)   # (not a bool)


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


# --- kept copies of built-in lessons left changed (File → Open Recent) ---------------------
def kept_dir() -> Path:
    return autosave_dir().parent / "kept"


KEPT_PER_LESSON = 5      # the most recent kept copies of one lesson (older ones go)


def keep_copy(model: Model, name: str, epoch: int) -> Path:
    """Save ``model`` as a new kept copy of lesson ``name`` (``name.aeviz``,
    ``name~2.aeviz``...: "~" is never in a kept name, so no other lesson's copies
    are counted; a copy kept before is never overwritten; of more than
    KEPT_PER_LESSON the oldest goes) with a note of its training epoch (a lesson
    file holds no epoch: the copy reopens at the epoch it was left at, as the
    status bar promised).  The note names the file's size and time, so a copy
    saved again afterwards (at another epoch) is not given this one."""
    folder = kept_dir()
    folder.mkdir(parents=True, exist_ok=True)
    kept = sorted(_kept_copies(folder, name), key=_mtime)
    for old in kept[:max(0, len(kept) - KEPT_PER_LESSON + 1)]:
        forget(old)
    path = next(p for k in range(1, KEPT_PER_LESSON + 2)
                if not (p := folder / (f"{name}.aeviz" if k == 1 else f"{name}~{k}.aeviz"))
                .exists())
    save(model, path)
    stat = path.stat()
    note = {"epoch": int(epoch), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    atomic_write(path.with_suffix(".json"), json.dumps(note).encode("utf-8"))
    return path


def _kept_copies(folder: Path, name: str) -> list[Path]:
    """The kept copies of lesson ``name`` in ``folder``."""
    return [p for p in folder.glob("*.aeviz")
            if p.stem == name or (p.stem.startswith(name + "~")
                                  and p.stem[len(name) + 1:].isdigit())]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def kept_epoch(path: Path) -> int:
    """The training epoch a kept copy was left at; 0 for any other file, a copy
    changed since it was kept, or a missing or damaged note."""
    path = Path(path)
    try:
        if path.resolve().parent != kept_dir().resolve():
            return 0
        stat = path.stat()
    except OSError:
        return 0
    info = _note(path.with_suffix(".json"))
    epoch = info.get("epoch")
    if (info.get("size") != stat.st_size or info.get("mtime_ns") != stat.st_mtime_ns
            or type(epoch) is not int or not 0 <= epoch < 2**63):    # (true is no epoch)
        return 0
    return epoch
