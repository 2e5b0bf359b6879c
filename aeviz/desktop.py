"""Linux desktop integration: ``aeviz --install-desktop-entry`` installs the
.desktop file, the icon and the ``.aeviz`` file type for the current user (under
``$XDG_DATA_HOME``, by default ``~/.local/share``), so the app appears in the
applications menu and double-clicking a lesson opens it.  Standard library only."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from aeviz.paths import resource

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def launch_command() -> str:
    """How the menu starts aeviz: the installed ``aeviz`` script if there is one,
    else this Python running ``-m aeviz``."""
    if getattr(sys, "frozen", False):            # inside the PyInstaller bundle
        return shlex.quote(sys.executable)
    script = shutil.which("aeviz")
    if script:
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -m aeviz"


def install_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Write the entry, the MIME type and the icons; returns the files written."""
    data = Path(data_home or os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    written = []
    entry = resource("aeviz.desktop").read_text(encoding="utf-8")
    entry = entry.replace("Exec=aeviz %f", f"Exec={launch_command()} %f")
    target = data / "applications" / "aeviz.desktop"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(entry, encoding="utf-8")
    written.append(target)
    mime = data / "mime" / "packages" / "aeviz.xml"
    mime.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource("aeviz-mime.xml"), mime)
    written.append(mime)
    for size in ICON_SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "aeviz.png"
        icon.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resource("icons", f"aeviz-{size}.png"), icon)
        written.append(icon)
    scalable = data / "icons" / "hicolor" / "scalable" / "apps" / "aeviz.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource("icons", "aeviz.svg"), scalable)
    written.append(scalable)
    for tool, arg in (("update-mime-database", data / "mime"),
                      ("update-desktop-database", data / "applications")):
        if shutil.which(tool):                   # best effort: menus refresh sooner
            subprocess.run([tool, str(arg)], capture_output=True)
    return written
