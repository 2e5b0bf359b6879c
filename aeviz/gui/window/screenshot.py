"""``aeviz screenshot``: render the main window offscreen to a PNG."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from aeviz.core.model import Model
from aeviz.gui.runtime.throttle import show_everything


def present(window, size: tuple[int, int]) -> None:
    """Presenter mode on a screen of ``size``: offscreen there is no real screen
    to fill, so the window takes the size instead of the (offscreen) full screen."""
    window.classroom.set_presenter(True)
    window.setWindowState(Qt.WindowNoState)
    window.resize(*size)
    window.fit_docks()


def show_tab(window, name: str) -> None:
    """Bring a dock (Values, Training, Settings, Explain, Generate) or a data tab
    (Patterns, Weights, Outputs, Codes, Denoising, Images) to the front."""
    from PySide6.QtWidgets import QDockWidget

    from aeviz.core.guides.guide import TABS
    dock = window.findChild(QDockWidget, "Patterns" if name in TABS else name)
    dock.show()                                # presenter mode may have hidden it
    dock.raise_()
    if name in TABS:
        window.data_tabs.setCurrentWidget(window.tabs.page(name))


def fresh_settings() -> tempfile.TemporaryDirectory:
    """Settings and autosaves in a throw-away folder for the rest of this process: a
    screenshot shows the window as a new user first sees it (not this user's panel
    sizes, theme, text size or guided-lesson step) and never writes their files."""
    from PySide6.QtCore import QSettings

    folder = tempfile.TemporaryDirectory(prefix="aeviz-screenshot-")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, folder.name)
    os.environ["AEVIZ_DATA_DIR"] = str(Path(folder.name) / "data")
    return folder


SETTLE_ROUNDS = 4        # layouts settle() waits for at most (one, or two with the Codes tab)


def settle(window, app) -> None:
    """Lay the window out as its first painted frame would, without painting it.

    pyqtgraph sizes an axis to its tick labels while painting it, and the plots
    take their auto range just before painting: a window shown with updates off
    would otherwise be grabbed with axes one label too narrow.  So the ranges are
    settled and each axis measures its labels here, the layout follows, and the
    one paint (``grab``) draws the final frame.  This halves the screenshot's
    painting, which is most of start-up after the imports."""
    import pyqtgraph as pg
    from PySide6.QtGui import QPainter, QPicture

    views = window.findChildren(pg.GraphicsView)

    def axes() -> list:
        return [item for view in views for item in view.scene().items()
                if isinstance(item, pg.AxisItem) and item.isVisible()]

    for _ in range(SETTLE_ROUNDS):       # a view that fits its plots to their axes (the
        sizes = [(a.width(), a.height()) for a in axes()]     # Codes tab) lays out again,
        for view in views:                                  # and its axes measure again
            view.scene().prepareForPaint()
        for item in axes():
            picture = QPicture()
            painter = QPainter(picture)
            if item.style["tickFont"]:
                painter.setFont(item.style["tickFont"])
            item.generateDrawSpecs(painter)           # grows the axis to its widest label
            painter.end()
        app.processEvents()
        if [(a.width(), a.height()) for a in axes()] == sizes:
            break
    window.setUpdatesEnabled(True)


def take_screenshot(out: str, model: Model, path: Path | None, epochs: int = 0,
                    pattern: int | None = None, size: tuple[int, int] = (1280, 800),
                    presenter: bool = False, tabs: tuple[str, ...] = (),
                    pictures: bool = False) -> int:
    """Train ``epochs`` first if asked, feed pattern ``pattern`` (1-based), bring the
    ``tabs`` (dock or data tab names) to the front, turn the code space's Pictures
    (the decoded manifold) on if ``pictures``, save the window as PNG
    (``presenter``: in presenter mode, the window as large as a screen of ``size``).
    Returns the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from aeviz.gui.app import application, close_window
    from aeviz.gui.window.export import save_png
    from aeviz.gui.window.main_window import MainWindow

    app = application()
    fresh = fresh_settings()                   # as a new user sees it; theirs left alone
    window = MainWindow(path, model=model)
    window.remember = False
    window.lesson.welcome = False
    window.lesson.show_text()
    window.setWindowState(Qt.WindowNoState)    # as on a screen of exactly ``size``
    window.setMinimumSize(min(size[0], 1024), min(size[1], 600))
    window.resize(*size)
    # laid out as if shown, but never put on a screen: no window flashes on a desktop, and
    # it is painted once, by grab(), instead of once more for a screen nobody sees
    window.setAttribute(Qt.WA_DontShowOnScreen, True)
    window.setUpdatesEnabled(False)            # painted once, by grab(): see settle()
    window.show()
    window.fit_docks()
    if presenter:
        present(window, size)
    if epochs:                 # train in chunks so the plots get their curve and trails
        chunk = max(1, epochs // 60)
        done = 0
        while done < epochs:
            n = min(chunk, epochs - done)
            event = window.controller.run_now(lambda session: session.advance(n), "Train", True)
            done += n
            if event is not None:
                break
    if pattern is not None:
        window.feed_pattern(pattern - 1)
    window.stage.allow_many = len(tabs) > 1      # every panel named stays on stage
    for name in tabs:
        show_tab(window, name)
    if pictures:                               # as pressing Pictures (M) would
        window.code_space.pictures_button.setChecked(True)
    # the stage lays out over a few rounds of zero-timers (the guide's height follows
    # its width, the panels' sizes follow the guide's): let them all run, as a
    # shown window would before anyone looks
    for _ in range(20):                      # (zero-timers: no wait, no CPU when idle)
        app.processEvents()
    # a big network's values computed aside, then time-throttled views: the latest now
    show_everything(window, lambda: settle(window, app))
    if presenter:              # the axes took their labels' widths: the stage fits again
        window.stage.fit_later()
        for _ in range(20):
            app.processEvents()
        settle(window, app)
        # a view the layout resized since (the decoded manifold's grid follows its
        # plot's size) redraws
        show_everything(window, lambda: settle(window, app))
    picture = window.grab()
    window.doc.lesson.mark_clean()
    try:
        save_png(picture, out)         # atomic: a failure leaves no file behind
    finally:
        window.close()
        close_window(window)
        QApplication.processEvents()
        fresh.cleanup()
    return 0
