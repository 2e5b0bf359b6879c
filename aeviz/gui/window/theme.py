"""Light and dark themes (the default follows the system).  The data colour
scale (blue negative, near-white zero, orange positive) is the same in both,
so it stays colour-blind safe; only backgrounds and text change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

DARK = {QPalette.Window: QColor(45, 45, 48), QPalette.WindowText: QColor(235, 235, 235),
        QPalette.Base: QColor(30, 30, 32), QPalette.AlternateBase: QColor(50, 50, 54),
        QPalette.Text: QColor(235, 235, 235), QPalette.Button: QColor(55, 55, 60),
        QPalette.ButtonText: QColor(235, 235, 235), QPalette.Highlight: QColor(120, 40, 160),
        QPalette.HighlightedText: QColor(255, 255, 255), QPalette.ToolTipBase: QColor(60, 60, 64),
        QPalette.ToolTipText: QColor(235, 235, 235), QPalette.PlaceholderText: QColor(150, 150, 150),
        QPalette.Link: QColor(170, 130, 255)}


def system_is_dark() -> bool:
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:                       # Qt before 6.5
        return QGuiApplication.palette().window().color().lightness() < 128


def is_dark(name: str) -> bool:
    return name == "dark" or (name == "system" and system_is_dark())


def apply(name: str) -> bool:
    """Set the application palette for ``name`` (system, light, dark); True if dark."""
    app = QApplication.instance()
    dark = is_dark(name)
    if app.style().name().lower() != "fusion":      # restyling every widget costs ~5 ms
        app.setStyle("Fusion")
    palette = app.style().standardPalette()
    if dark:
        for role, color in DARK.items():
            palette.setColor(role, color)
    app.setPalette(palette)
    return dark


def background() -> QColor:
    return QApplication.palette().base().color()


def foreground() -> QColor:
    return QApplication.palette().text().color()
