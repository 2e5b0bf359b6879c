"""Issue 22 item 18: a file name with bytes that are not UTF-8 is shown in the
window as the command line shows it (``caf\\xe9.aeviz``), never with the byte
dropped (``caf.aeviz`` is another file)."""

from __future__ import annotations

import os

import pytest

from aeviz.gui.controllers import files as files_module
from aeviz.terminal import shown

pytestmark = pytest.mark.skipif(os.name != "posix" or os.fsencode("\udce9") != b"\xe9",
                                reason="needs byte file names (POSIX, UTF-8 surrogateescape)")

CAFE = os.fsdecode(b"caf\xe9.aeviz")


def test_the_title_and_the_recent_files_escape_the_byte(window, tmp_path):
    path = tmp_path / CAFE
    assert window.files.save_to(path, wait=True)
    assert path.exists()
    assert "caf\\xe9.aeviz" in window.windowTitle()
    assert shown(CAFE) == "caf\\xe9.aeviz"                  # the CLI's own function
    window.files._fill_recent_menu()
    texts = [a.text() for a in window.files.recent_menu.actions()]
    assert texts[0] == shown(str(path)) and "caf\\xe9.aeviz" in texts[0]
    assert files_module.recent_files()[0] == str(path)     # kept exactly, not "caf.aeviz"
    window.doc.lesson.model.name = "changed on disk? no: reopened"
    window.files.recent_menu.actions()[0].trigger()           # opens that very file
    assert window.doc.lesson.path == path


def test_error_dialogs_and_status_escape_the_byte(window, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(window.files, "show_error", lambda title, text: said.append(text))
    missing = tmp_path / "no-such-folder" / CAFE
    assert not window.files.save_to(missing, wait=True)
    assert "caf\\xe9.aeviz" in said[-1] and "\udce9" not in said[-1]
    (tmp_path / CAFE).write_text("not json")
    assert not window.files.open_path(tmp_path / CAFE, ask=False)
    assert "caf\\xe9.aeviz" in said[-1]
    shown_status = []
    monkeypatch.setattr(window.files, "status", shown_status.append)
    assert window.files.save_to(tmp_path / CAFE, wait=True)
    assert shown_status == [f"Saved to {tmp_path}/caf\\xe9.aeviz"]
