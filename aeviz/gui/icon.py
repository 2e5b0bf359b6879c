"""The application icon (SVG and PNG sizes from resources/icons)."""

from __future__ import annotations


def app_icon():
    from PySide6.QtGui import QIcon

    from aeviz.paths import resource
    icon = QIcon(str(resource("icons", "aeviz.svg")))
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource("icons", f"aeviz-{size}.png")))
    return icon
