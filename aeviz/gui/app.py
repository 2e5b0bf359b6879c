"""Start the desktop app."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from aeviz.gui.runtime import gc_guard
from aeviz.gui.window.icon import app_icon


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("aeviz")
    app.setOrganizationName("aeviz")
    app.setDesktopFileName("aeviz")
    app.setWindowIcon(app_icon())
    gc_guard.install(app)
    return app


def close_window(window) -> None:
    """Delete a top-level window now (a window outliving main() can segfault at exit)."""
    doc = getattr(window, "doc", None)
    if doc is not None:
        doc.shutdown()                 # its background thread first
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def has_display() -> bool:
    """False on a Linux/BSD machine with no X or Wayland display (Qt would abort)."""
    if not sys.platform.startswith(("linux", "freebsd")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def start_window(path: str | None = None):
    """The main window with ``path`` (or the default lesson), shown; work a crashed
    session left behind is offered in either case (a double-clicked file too)."""
    from aeviz.gui.window.main_window import MainWindow
    window = MainWindow(path)
    window.show()
    window.files.offer_recovery()
    return window


def run_app(path: str | None = None) -> int:
    if not has_display():
        print("aeviz: error: no display found (DISPLAY is not set); to render the window "
              "without a screen use `aeviz screenshot OUT.png`", file=sys.stderr)
        return 2
    from aeviz.gui.runtime import settings
    app = application()
    settings.migrate()
    window = start_window(path)
    gc_guard.freeze_startup()
    code = app.exec()
    close_window(window)
    return code
