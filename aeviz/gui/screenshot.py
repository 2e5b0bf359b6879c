"""``aeviz screenshot``: render the main window offscreen to a PNG."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt

from aeviz.core.model import Model


def present(window, size: tuple[int, int]) -> None:
    """Presenter mode on a screen of ``size``: offscreen there is no real screen
    to fill, so the window takes the size instead of the (offscreen) full screen."""
    window.classroom.set_presenter(True)
    window.setWindowState(Qt.WindowNoState)
    window.resize(*size)
    window.fit_docks()


def take_screenshot(out: str, model: Model, path: Path | None, epochs: int = 0,
                    pattern: int | None = None, size: tuple[int, int] = (1280, 800),
                    presenter: bool = False) -> int:
    """Train ``epochs`` first if asked, feed pattern ``pattern`` (1-based), save the
    window as PNG (``presenter``: in presenter mode, the window as large as a screen
    of ``size``).  Returns the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from aeviz.gui.app import application, close_window
    from aeviz.gui.export import save_png
    from aeviz.gui.main_window import MainWindow

    app = application()
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
    for _ in range(3):
        app.processEvents()
    while window.doc.values_pending:            # a big network's values, computed aside
        app.processEvents()
        time.sleep(0.005)
    for plot in (window.loss_plot, window.code_space):      # time-throttled: draw the latest now
        plot.throttled.flush()
    app.processEvents()
    picture = window.grab()
    window.doc.lesson.undo_stack.set_clean()
    try:
        save_png(picture, out)         # atomic: a failure leaves no file behind
    finally:
        window.close()
        close_window(window)
        QApplication.processEvents()
    return 0
