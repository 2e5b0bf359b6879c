"""Esc, then F5 again, fills the screen (#23 rehearsal, under Xvfb without a window
manager: the window stayed 25 px down and 742 px tall).  Without a manager
``showFullScreen()`` only records the state; :func:`window_fit.fill` places the
window itself.  Checked on a stand-in for such a platform, and in the window."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from aeviz.gui.window.window_fit import covering, fill

from .test_presenter import open_lesson

SCREEN = QRect(0, 0, 1024, 768)


class NoManagerWindow:
    """A window on a platform without a window manager: states are recorded, the
    geometry moves only when set (no frame: the frame is the client area)."""

    def __init__(self, rect: QRect, state) -> None:
        self.rect, self.state = QRect(rect), state

    def frameGeometry(self) -> QRect:          # noqa: N802 (Qt's names)
        return QRect(self.rect)

    def geometry(self) -> QRect:
        return QRect(self.rect)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        self.rect = QRect(rect)
        self.state = Qt.WindowNoState            # as Qt: a new geometry is a normal window

    def windowState(self):                      # noqa: N802
        return self.state

    def setWindowState(self, state) -> None:    # noqa: N802
        self.state = state


def test_a_window_without_a_manager_is_placed_on_the_screen():
    w = NoManagerWindow(QRect(1, 25, 1024, 742), Qt.WindowFullScreen)   # as seen after Esc, F5
    fill(w, SCREEN)
    assert w.geometry() == SCREEN and w.windowState() == Qt.WindowFullScreen
    fill(w, SCREEN)                                                     # placed: nothing to do
    assert w.geometry() == SCREEN


def test_a_framed_window_gets_its_frame_onto_the_target():
    # a manager's title bar (24 px) and borders (2 px): the client area inside them
    frame, inner = QRect(10, 10, 600, 400), QRect(12, 34, 596, 374)
    rect = covering(frame, inner, SCREEN)
    assert rect == QRect(2, 24, 1020, 742)
    assert covering(SCREEN, SCREEN, SCREEN) is None


def test_esc_then_f5_again_fills_the_screen(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.showMaximized()
    QApplication.processEvents()
    screen = w.screen()
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key_F5)
        qtbot.waitUntil(lambda: w.frameGeometry() == screen.geometry())
        assert w.windowState() & Qt.WindowFullScreen
        qtbot.keyClick(w, Qt.Key_Escape)
        qtbot.waitUntil(lambda: not w.windowState() & Qt.WindowFullScreen)
        assert w.windowState() & Qt.WindowMaximized                 # maximised stays maximised
        qtbot.waitUntil(lambda: w.frameGeometry() == screen.availableGeometry())
