"""The colours of the tables' cells, chosen in one place: the Weights, Values and
Patterns models ask these functions for every cell they are asked to show."""

from __future__ import annotations

from PySide6.QtGui import QColor

from aeviz.gui.window import colors

WARN_FILL = QColor(253, 219, 199)      # pale orange: a pattern not reconstructed, a shared code


def value_colors(value: float) -> tuple[QColor, QColor]:
    """(fill, text) of a cell showing ``value``: the app's one colour scale
    (blue < 0 < orange), with dark text on pale fills and white on saturated ones."""
    return colors.color(value), colors.text_color_for(value)


def hidden_colors() -> tuple[QColor, QColor]:
    """(fill, text) of a value hidden for a prediction ("?")."""
    return colors.PAPER, colors.MUTED


def warn_colors() -> tuple[QColor, QColor]:
    """(fill, text) of a warning cell: pale orange with dark text in any theme."""
    return WARN_FILL, colors.INK
