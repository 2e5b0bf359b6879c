"""aeviz.gui: the Qt window. Shows aeviz.core and turns actions into core calls.

``aeviz.gui.MainWindow`` is the window (imported on first use, so that importing
a submodule does not build the whole window's imports)."""

from __future__ import annotations


def __getattr__(name: str):
    if name == "MainWindow":
        from aeviz.gui.window.main_window import MainWindow
        return MainWindow
    raise AttributeError(f"module 'aeviz.gui' has no attribute {name!r}")
