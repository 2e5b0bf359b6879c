"""Reading and writing the user's files without surprises.

Reading (:func:`read_regular`): only regular files are read, and at most a
given number of bytes.  A named pipe (FIFO) is opened without blocking and
refused, and so is a device such as ``/dev/zero`` (or a link to one), so
nothing hangs and nothing is read until memory runs out.

Writing (:func:`atomic_write`): a temporary file in the target's folder, then a
rename over the target, so a failure leaves the old file as it was.  The write
goes through symbolic links to their target (the link stays a link), keeps the
target's permission bits and, where allowed, its owner and group; a new file
gets the usual ``0666 & ~umask``.  Anything that exists and is not a regular
file (a FIFO, a device, a folder) is refused before anything is written.
Errors name the target, never the hidden temporary file, whose name is short
so that any name the system allows can be saved.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

TEMP_PREFIX, TEMP_SUFFIX = ".aeviz-", ".tmp"     # 7 + 8 random + 4 bytes: within NAME_MAX


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder; str() is one sentence."""

    def __init__(self, path: str | os.PathLike, kind: str, verb: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file; aeviz {verb} "
                                       "only regular files", str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class FileTooLarge(OSError):
    """A file larger than the limit for its kind; str() is one sentence."""

    def __init__(self, path: str | os.PathLike, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than {describe_size(limit)}, the most "
                                      "aeviz reads", str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def describe_size(n: int) -> str:
    """``256 MB``, ``1 MB``, ``512 bytes`` (binary units)."""
    return f"{n // 2**20} MB" if n >= 2**20 and n % 2**20 == 0 else f"{n} bytes"


def kind_of(mode: int) -> str | None:
    """What a non-regular file is (``a named pipe (FIFO)``), or None if regular."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit``.

    Raises :class:`NotRegularFile`, :class:`FileTooLarge` or another OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFile(path, "a folder", "reads") from None
    try:
        st = os.fstat(fd)
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind, "reads")
        if st.st_size > limit:
            raise FileTooLarge(path, limit)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:                     # it grew while we read it
        raise FileTooLarge(path, limit)
    return data


def check_writable_target(path: str | os.PathLike) -> Path:
    """The real path a save to ``path`` would replace (links followed), after checking
    that it is a regular file or does not exist yet and that its folder exists and
    is writable (so a long computation can check its output first).
    Raises :class:`NotRegularFile` or another OSError naming ``path``."""
    if not os.fspath(path):
        raise FileNotFoundError(errno.ENOENT, "no file name given", "")
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _naming(e, path) from None
    if st is not None and kind_of(st.st_mode) is not None:
        raise NotRegularFile(path, kind_of(st.st_mode), "writes")
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(path))
    if not os.access(target.parent, os.W_OK):
        raise PermissionError(errno.EACCES, "the folder is not writable", str(path))
    return target


def _naming(e: OSError, path: str | os.PathLike) -> OSError:
    """The same error, naming ``path`` instead of whatever file it named."""
    if isinstance(e, (NotRegularFile, FileTooLarge)):
        return e
    return type(e)(e.errno, e.strerror or str(e), os.fspath(path))


def _umask() -> int:
    """The process's umask: read from /proc where it can be (os.umask can only be
    read by setting it, which briefly affects files other threads create)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Replace the file at ``path`` (or its link's target) with ``data`` (bytes, or
    blocks of bytes written as they come: a big file need never be one string),
    atomically.

    On failure (also an exception from ``data``'s iterator) the old file is left as
    it was; an OSError names ``path``, anything else is raised as it is.
    """
    target = check_writable_target(path)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as e:
        raise _naming(e, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            _copy_metadata(f.fileno(), old)
            for block in ((data,) if isinstance(data, (bytes, bytearray, memoryview)) else data):
                f.write(block)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise _naming(e, path) from None
        raise


def _copy_metadata(fd: int, old: os.stat_result | None) -> None:
    """Give the temporary file the old file's mode and owner (or a new file's mode)."""
    if not hasattr(os, "fchmod"):
        return
    mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
    os.fchmod(fd, mode)
    if old is None or not hasattr(os, "fchown"):
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            break
        except OSError:                # not allowed: keep what we can
            continue
    os.fchmod(fd, mode)                # chown may clear set-id bits
