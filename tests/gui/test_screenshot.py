"""`aeviz screenshot` renders the window offscreen and the process exits cleanly."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "aeviz", "screenshot", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("extra,size", [
    ([], (1280, 800)),
    (["--preset", "encoder-8-3-8", "--epochs", "200", "--input", "3", "--size", "1024x640"],
     (1024, 640)),
    (["--preset", "overcomplete-sparse", "--presenter", "--size", "1024x768"], (1024, 768)),
])
def test_screenshot_writes_png_and_exits_0(tmp_path, extra, size):
    out = tmp_path / "shot.png"
    result = run(str(out), *extra)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == size
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("extra", [["--input", "9"], ["--size", "big"], ["nofile.aeviz"]])
def test_screenshot_bad_arguments(tmp_path, extra):
    result = run(str(tmp_path / "x.png"), *extra)
    assert result.returncode == 2
    assert result.stderr.startswith("aeviz: error: ") and len(result.stderr.splitlines()) == 1


def _one_line_error(result):
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("aeviz: error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    return result.stderr


def test_screenshot_never_overwrites_a_lesson(tmp_path):
    from aeviz.core import fileformat as ff
    from aeviz.core.model import default_model
    lesson = tmp_path / "mylesson.aeviz"
    ff.save(default_model(), lesson)
    before = lesson.read_bytes()
    assert "OUT.png" in _one_line_error(run(str(lesson)))
    assert lesson.read_bytes() == before
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    assert "not a PNG" in _one_line_error(run(str(notes)))
    assert notes.read_text() == "my notes"


def test_screenshot_to_nowhere_says_why_in_one_line(tmp_path):
    assert "empty" in _one_line_error(run(""))
    assert "folder does not exist" in _one_line_error(run(str(tmp_path / "no" / "x.png")))
    folder = tmp_path / "dir.png"
    folder.mkdir()
    assert "folder" in _one_line_error(run(str(folder)))
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_screenshot_to_a_fifo_is_refused(tmp_path):
    import os
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert "named pipe" in _one_line_error(run(str(fifo)))


NOBODY = 65534


def _runs_as_nobody() -> str | None:
    """None if this interpreter and aeviz run as user 65534, else why not."""
    try:
        probe = subprocess.run([sys.executable, "-c", "import aeviz, PySide6.QtWidgets"],
                               user=NOBODY, group=NOBODY, cwd="/", capture_output=True,
                               text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                               timeout=60)
    except OSError as e:                       # e.g. the interpreter lies in /root (0700)
        return f"{sys.executable}: {e.strerror}"
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["?"])[-1]


def _immutable(folder: Path) -> str | None:
    """Make ``folder`` immutable (chattr +i: even root cannot add a file); None if
    done, else why not."""
    try:
        out = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    except OSError as e:
        return f"chattr: {e}"
    return None if out.returncode == 0 else out.stderr.strip()


def test_screenshot_into_a_read_only_folder_says_which_and_why(tmp_path):
    """#12 item 24: the real command, into a folder it may not write: one line that
    names the folder and the reason, a non-zero exit, and no file left.  Root ignores
    folder modes, so as root the child runs as user 65534 (if it can), or the folder
    is made immutable."""
    import os
    folder = tmp_path / "read-only"
    folder.mkdir()
    out = folder / "shot.png"
    cmd = [sys.executable, "-m", "aeviz", "screenshot", str(out)]
    undo = None
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = lambda: folder.chmod(0o755)            # noqa: E731
        kw = {}
    else:
        why_not_nobody = _runs_as_nobody()
        if why_not_nobody is None:
            tmp_path.chmod(0o755)
            folder.chmod(0o555)
            undo = lambda: folder.chmod(0o755)        # noqa: E731
            kw = {"user": NOBODY, "group": NOBODY,
                  "env": {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                          "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}}
        else:
            why_not_immutable = _immutable(folder)
            if why_not_immutable is not None:
                pytest.skip(f"running as root: user {NOBODY} cannot run this Python "
                            f"({why_not_nobody}) and chattr +i failed ({why_not_immutable})")
            undo = lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)  # noqa: E731
            kw = {}
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, **kw)
    finally:
        undo()
    message = _one_line_error(result)
    assert result.returncode != 0
    assert str(folder) in message and "not writable" in message
    assert list(folder.iterdir()) == []
