"""Start the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("aeviz")
    app.setOrganizationName("aeviz")
    return app


def close_window(window) -> None:
    """Delete a top-level window now (a window outliving main() can segfault at exit)."""
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def run_app(path: str | None = None) -> int:
    from aeviz.gui.main_window import MainWindow
    app = application()
    window = MainWindow(path)
    window.show()
    code = app.exec()
    close_window(window)
    return code
