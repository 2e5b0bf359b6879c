"""Thread rules of the GUI, checked: widgets and the lesson belong to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QThread


def assert_gui_thread() -> None:
    """Debug check: widgets and the lesson are only touched from the GUI thread."""
    app = QCoreApplication.instance()
    assert app is None or QThread.currentThread() is app.thread(), \
        "a GUI slot ran outside the GUI thread"
