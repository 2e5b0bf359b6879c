"""Where the first window goes: inside the available geometry of the screen it
opens on (1024×768 projectors to 4K monitors), maximised when the screen is small."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

PREFERRED = QSize(1280, 800)       # the window's size on a screen with room to spare
MINIMUM = QSize(1024, 600)         # the layout stays usable down to this
SMALL_MARGIN = 80                  # a screen less than this bigger than PREFERRED is "small"
SHARE = 0.8                        # of a big screen the first window takes


def first_geometry(available: QRect) -> tuple[QRect, bool]:
    """(geometry, maximised) of a first window on a screen whose available area
    (without task bars) is ``available``."""
    if (available.width() < PREFERRED.width() + SMALL_MARGIN
            or available.height() < PREFERRED.height() + SMALL_MARGIN):
        return QRect(available), True
    width = max(PREFERRED.width(), int(available.width() * SHARE))
    height = max(PREFERRED.height(), int(available.height() * SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect, False


def minimum_size(available: QRect) -> QSize:
    """Never more than the screen offers (a netbook's 1024×600 is still usable)."""
    return QSize(min(MINIMUM.width(), available.width()),
                 min(MINIMUM.height(), available.height()))
