"""Settings: declared keys round-trip, old layouts migrate, bad values fall back,
and --reset-settings clears them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aeviz.gui.runtime import settings
from aeviz.gui.window.main_window import MainWindow


def test_round_trip_of_text_size_speed_and_docks(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.classroom.zoom_ui(+2)
    w.training.set_speed(30)
    w.files.open_preset("encoder-4-2-4")
    assert w.files.lesson_actions["encoder-4-2-4"].isChecked()
    w.close()
    assert settings.read(settings.FONT_STEP) == 5
    assert settings.read(settings.SPEED) == 30
    assert settings.read(settings.WINDOW_STATE)
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.classroom.font_step == 5 and again.controller.speed == 30
    # the tick is the lesson open now (a new window opens the first lesson), not the
    # one opened last time
    ticked = [n for n, a in again.files.lesson_actions.items() if a.isChecked()]
    assert ticked == ["article-example"]
    again.classroom.zoom_ui(-2)                                   # leave the app font as it was


def test_migration_renames_old_keys_and_newer_schemas_are_left_alone():
    s = settings.store()
    s.clear()
    s.setValue("recent", ["/tmp/a.aeviz"])
    s.setValue("theme", "dark")
    settings.migrate()
    assert settings.read(settings.RECENT_FILES) == ["/tmp/a.aeviz"]
    assert settings.read(settings.THEME) == "dark"
    assert not s.contains("recent") and int(s.value("meta/schema")) == settings.SCHEMA
    s.setValue("meta/schema", settings.SCHEMA + 5)
    s.setValue("view/theme", "purple")                   # unknown to this version
    settings.migrate()
    assert settings.read(settings.THEME) == "system"     # falls back, never crashes


def test_wrong_types_fall_back():
    settings.store().setValue(settings.FONT_STEP.name, "big")
    settings.store().setValue(settings.SPEED.name, [1, 2])
    assert settings.read(settings.FONT_STEP) == 3 and settings.read(settings.SPEED) == 200


def test_reset_settings_command(tmp_path):
    env_folder = tmp_path / "cfg"
    import os
    env = dict(os.environ, XDG_CONFIG_HOME=str(env_folder), QT_QPA_PLATFORM="offscreen")
    code = ("from aeviz.gui.runtime import settings; settings.write(settings.THEME, 'dark'); "
            "settings.store().sync()")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    out = subprocess.run([sys.executable, "-m", "aeviz", "--reset-settings"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "reset" in out.stdout
    check = subprocess.run([sys.executable, "-c", "from aeviz.gui.runtime import settings; "
                            "print(settings.read(settings.THEME))"], env=env,
                           capture_output=True, text=True)
    assert check.stdout.strip() == "system"


def _read_only(paths, on: bool) -> bool:
    """Make files and folders read-only even for root (chattr +i), or undo it."""
    import os
    import shutil
    if os.geteuid() != 0:
        for p in paths:
            os.chmod(p, (0o555 if p.is_dir() else 0o444) if on else 0o755)
        return True
    if shutil.which("chattr") is None:
        return False
    flag = "+i" if on else "-i"
    return all(subprocess.run(["chattr", flag, str(p)], capture_output=True).returncode == 0
               for p in paths)


def test_reset_settings_on_a_read_only_config_says_it_failed(tmp_path):
    """#12 item 25: a settings file that cannot be written is not reported as reset."""
    import os
    if os.name != "posix":
        pytest.skip("POSIX file modes")
    folder = tmp_path / "cfg" / "aeviz"
    folder.mkdir(parents=True)
    ini = folder / "aeviz.ini"
    ini.write_text("[view]\ntheme=dark\n")
    if not _read_only([ini, folder], True):
        _read_only([ini, folder], False)
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    try:
        env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "cfg"))
        out = subprocess.run([sys.executable, "-m", "aeviz", "--reset-settings"], env=env,
                             capture_output=True, text=True)
    finally:
        _read_only([ini, folder], False)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "not reset" in out.stderr and "reset to their defaults" not in out.stdout
    assert "theme=dark" in ini.read_text()
