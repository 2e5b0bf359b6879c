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
