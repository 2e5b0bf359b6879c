"""The application icon, from the PNG sizes in resources/icons.

The window icon is drawn from 16 to 256 pixels; Qt scales the nearest size.  The
SVG (installed for desktops by ``aeviz --install-desktop-entry``) is not loaded here:
Qt's SVG icon engine would cost a tenth of the window's own start-up."""

from __future__ import annotations

from functools import cache

SIZES = (16, 32, 48, 64, 128, 256)


@cache
def app_icon():
    """Loaded once: the application and every window share it (a QIcon is shared)."""
    from PySide6.QtGui import QIcon

    from aeviz.paths import resource
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(resource("icons", f"aeviz-{size}.png")))
    return icon
