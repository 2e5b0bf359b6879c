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
    from aeviz.core.files import fileformat as ff
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


def _axis_sizes(w) -> list[tuple[int, int]]:
    import pyqtgraph as pg
    return [(round(item.width()), round(item.height()))
            for view in w.findChildren(pg.GraphicsView) for item in view.scene().items()
            if isinstance(item, pg.AxisItem) and item.isVisible()]


def test_settle_lays_out_the_first_frame_so_one_paint_is_final(qtbot, qapp):
    """The screenshot paints once: after settle(), painting moves no axis (pyqtgraph
    would otherwise widen an axis to its labels during the first paint)."""
    from PySide6.QtCore import Qt

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    from aeviz.gui.window.screenshot import settle
    w = MainWindow(model=load_preset("linear-pca"))
    qtbot.addWidget(w)
    w.remember = False
    w.setAttribute(Qt.WA_DontShowOnScreen, True)
    w.setUpdatesEnabled(False)
    w.show()
    w.controller.run_now(lambda session: session.advance(300), "Train", True)
    for _ in range(3):
        qapp.processEvents()
    unsettled = _axis_sizes(w)
    settle(w, qapp)
    settled = _axis_sizes(w)
    assert w.updatesEnabled()
    assert settled != unsettled                 # the axes did grow to their labels
    w.grab()
    qapp.processEvents()
    assert _axis_sizes(w) == settled


def test_the_first_window_imports_only_what_it_shows(tmp_path):
    """Start-up: the default window is drawn without numpy.random (no draw happens),
    numpy.ma, the Generate panel or the lesson views of tabs nobody opened yet."""
    code = ("import sys\n"
            "from aeviz.cli import main\n"
            f"status = main(['screenshot', {str(tmp_path / 'x.png')!r}])\n"
            "late = ['numpy.random', 'numpy.ma', 'aeviz.gui.panels.generate_panel',\n"
            "        'aeviz.gui.panels.codes_view', 'aeviz.gui.panels.noise_view',\n"
            "        'aeviz.gui.panels.images_view']\n"
            "print(status, [m for m in late if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.split("\n")[-2] == "0 []", result.stdout + result.stderr


def test_a_screenshot_shows_what_a_new_user_sees_and_leaves_their_settings_alone(
        tmp_path, monkeypatch, isolated_settings):
    """Not this user's guided-lesson step, theme or text size; their settings file
    is not written (a screenshot is the same on every machine)."""
    import json

    import aeviz.gui.app as app_module
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.runtime import settings
    from aeviz.gui.window.screenshot import take_screenshot
    settings.write(settings.GUIDE_PROGRESS,
                   json.dumps({"Denoising bars": {"step": 2, "done": [1]}}))
    settings.write(settings.THEME, "dark")
    settings.write(settings.FONT_STEP, 6)
    settings.store().sync()
    ini = next(isolated_settings.rglob("*.ini"))
    before = ini.read_bytes()
    seen = {}
    real_close = app_module.close_window

    def spy(window):
        seen.update(step=window.guide.index, theme=window.classroom.theme_name,
                    font=window.classroom.font_step)
        real_close(window)

    monkeypatch.setattr(app_module, "close_window", spy)
    assert take_screenshot(str(tmp_path / "x.png"), load_preset("denoising-bars"), None) == 0
    assert seen == {"step": 0, "theme": "system", "font": settings.FONT_STEP.default}
    assert ini.read_bytes() == before
    assert QImage(str(tmp_path / "x.png")).width() == 1280


def test_screenshot_brings_the_named_tabs_to_the_front(tmp_path, monkeypatch):
    """--tab Denoising --tab Settings: the picture shows those tabs (e.g. for a
    handout); an unknown name is refused in one line."""
    import aeviz.gui.window.export as export
    from aeviz.cli import main
    from aeviz.gui.window.main_window import MainWindow
    from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar
    seen = {}
    real_save = export.save_png

    def spy(picture, path):                      # the window as it is grabbed
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen["tab"] = window.data_tabs.tabText(window.data_tabs.currentIndex())
        side = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and
                any(bar.tabText(i) in ("Values", "Settings", "Generate") for i in range(bar.count()))]
        if side:
            seen["side"] = side[0].tabText(side[0].currentIndex())
        else:                          # on stage: the one side panel shown, without tabs
            right = [d.objectName() for d in window.findChildren(QDockWidget)
                     if not d.isHidden() and d.objectName() in ("Values", "Training", "Settings",
                                                                 "Explain", "Generate")]
            seen["side"] = right[0] if len(right) == 1 else right
        for name in ("Patterns", seen["side"]):
            assert not window.findChild(QDockWidget, name).isHidden(), name
        real_save(picture, path)

    monkeypatch.setattr(export, "save_png", spy)
    out = tmp_path / "x.png"
    assert main(["screenshot", str(out), "--preset", "train-5-2-5", "--tab", "Denoising",
                 "--tab", "Settings"]) == 0
    assert seen == {"tab": "Denoising", "side": "Settings"} and out.exists()
    seen.clear()                   # presenter mode hides the data tabs: a --tab shows them
    assert main(["screenshot", str(out), "--preset", "vae-digits", "--presenter",
                 "--size", "1024x768", "--tab", "Images", "--tab", "Generate"]) == 0
    assert seen == {"tab": "Images", "side": "Generate"}
    assert "invalid choice" in _one_line_error(run(str(tmp_path / "y.png"), "--tab", "Nope"))


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


def test_screenshot_code_view_pictures_grabs_the_decoded_manifold(tmp_path, monkeypatch):
    """--code-view pictures: the code space is in its Pictures (M) mode when the
    window is grabbed (the decoded manifold shown, the dots and legend hidden);
    the default is the dots; a lesson without pictures is refused in one line."""
    import aeviz.gui.window.export as export
    from aeviz.cli import main
    from aeviz.gui.panels import code_space_dots as dots
    from aeviz.gui.window.main_window import MainWindow
    from PySide6.QtWidgets import QApplication
    seen = []
    real_save = export.save_png

    def spy(picture, path):                      # the window as it is grabbed
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        cs = window.code_space
        seen.append((cs.pictures_button.isChecked(), cs.manifold.isVisible(),
                     cs.points.isVisible(), cs.legend.isVisible()))
        if cs.manifold.isVisible():             # drawn for the plot's final size
            box = cs.plot.getPlotItem().vb
            assert cs.decoded.grid == dots.grid_for(box.width(), box.height(), cs.decoded.scale)
        real_save(picture, path)

    monkeypatch.setattr(export, "save_png", spy)
    out = tmp_path / "x.png"
    common = [str(out), "--preset", "digits-8x8", "--size", "1024x640", "--tab", "Code space"]
    assert main(["screenshot", *common, "--code-view", "pictures"]) == 0
    assert main(["screenshot", *common]) == 0
    assert seen == [(True, True, False, False), (False, False, True, True)]
    seen.clear()                                 # on stage, after training: the stage refits
    assert main(["screenshot", str(out), "--preset", "digits-8x8-vae", "--presenter",
                 "--size", "1024x768", "--tab", "Code space", "--epochs", "30",
                 "--code-view", "pictures"]) == 0
    assert seen == [(True, True, False, False)]
    assert "pictures" in _one_line_error(run(str(tmp_path / "y.png"), "--preset", "train-5-2-5",
                                             "--code-view", "pictures"))
    assert "invalid choice" in _one_line_error(run(str(tmp_path / "y.png"), "--code-view", "map"))
