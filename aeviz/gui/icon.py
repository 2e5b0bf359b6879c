"""The application icon (SVG and PNG sizes from resources/icons)."""

from __future__ import annotations

from functools import cache


@cache
def app_icon():
    """Loaded once: the application and every window share it (a QIcon is shared)."""
    from PySide6.QtGui import QIcon

    from aeviz.paths import resource
    icon = QIcon(str(resource("icons", "aeviz.svg")))
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource("icons", f"aeviz-{size}.png")))
    return icon
