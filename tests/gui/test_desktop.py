"""The double-click app: icon, About, desktop entry and file type, first run."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QMessageBox

from aeviz import __version__
from aeviz.desktop import ICON_SIZES, install_desktop_entry
from aeviz.gui.window.main_window import MainWindow


def test_install_desktop_entry_writes_entry_mime_type_and_icons(tmp_path):
    written = install_desktop_entry(tmp_path)
    entry = (tmp_path / "applications" / "aeviz.desktop").read_text()
    assert "MimeType=application/x-aeviz;" in entry and "%f" in entry
    exec_line = next(l for l in entry.splitlines() if l.startswith("Exec="))
    assert "aeviz" in exec_line
    mime = ET.parse(tmp_path / "mime" / "packages" / "aeviz.xml").getroot()
    glob = mime.find(".//{http://www.freedesktop.org/standards/shared-mime-info}glob")
    assert glob.get("pattern") == "*.aeviz"
    for size in ICON_SIZES:
        assert (tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "aeviz.png") in written
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "aeviz.svg").exists()


def test_install_desktop_entry_command(tmp_path):
    import os
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "aeviz", "--install-desktop-entry"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "aeviz.desktop" in out.stdout
    assert (tmp_path / "applications" / "aeviz.desktop").exists()


def test_window_icon_and_about(qtbot, monkeypatch):
    w = MainWindow()
    qtbot.addWidget(w)
    assert not w.windowIcon().isNull() and not w.windowIcon().pixmap(64, 64).isNull()
    from aeviz.gui.window.icon import SIZES
    assert sorted(s.width() for s in w.windowIcon().availableSizes()) == list(SIZES)
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    w._about()
    assert __version__ in shown[0] and "MIT licence" in shown[0]


def test_first_run_welcome_only_once(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    assert w.first_run and "Welcome to aeviz" in w.lesson.text()
    assert "Article example" in w.lesson.text()              # and the lesson itself
    w.show()
    w.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert not again.first_run and "Welcome" not in again.lesson.text()
