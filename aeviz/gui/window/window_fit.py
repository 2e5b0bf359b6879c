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


def covering(frame: QRect, inner: QRect, target: QRect) -> QRect | None:
    """The geometry (the client area, what ``setGeometry`` takes) that puts a window's
    frame exactly on ``target``, for a window whose frame is ``frame`` around its
    client area ``inner``; None when the frame is there already."""
    if frame == target:
        return None
    return target.adjusted(inner.left() - frame.left(), inner.top() - frame.top(),
                           inner.right() - frame.right(), inner.bottom() - frame.bottom())


def fill(window, target: QRect) -> None:
    """Make ``window`` (full screen or maximised) cover ``target`` (the screen, or its
    available area).  A window manager does this on ``showFullScreen()`` or
    ``showMaximized()``; without one (Xvfb, a kiosk) they only record the state
    and the window stays where it was: after Esc and F5 again it stayed 25 px down
    and 742 px tall on a 1024×768 screen.  Where a manager did place it, nothing
    changes."""
    rect = covering(window.frameGeometry(), window.geometry(), target)
    if rect is not None:
        state = window.windowState()
        window.setGeometry(rect)
        if window.windowState() != state:          # Qt drops "maximised" on a new geometry
            window.setWindowState(state)
