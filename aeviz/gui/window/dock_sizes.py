"""How much of the window each dock gets off stage: the diagram most of it, the
side panel SIDE_SHARE of the width (wider, up to SIDE_MOST, when its x, h and y
cells or the names of its tabs need it: the diagram is limited by its height on
a wide screen), the bottom docks BOTTOM_SHARE of the height, side by side in
three equal columns.  Measures only: ``MainWindow.fit_docks`` applies them (on
stage, :mod:`aeviz.gui.window.stage_sizes` measures)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTabBar

SIDE_LEAST = 300        # px, the side panel's least width
SIDE_SHARE = 0.28       # of the window's width, the side panel's
SIDE_MOST = 0.4         # ... the most it takes when its cells or tab names need more
BOTTOM_LEAST = 170      # px, the bottom docks' least height
BOTTOM_SHARE = 0.28     # of the window's height, the bottom docks'
COLUMN_SHARE = 0.33     # of the window's width, each bottom dock's


def side_tabs_width(window: QMainWindow) -> int:
    """The natural width of the tab row under the side panels (Qt ends the
    names in "…" below it: "Val…", "Traini…" in a 300-px panel)."""
    for bar in window.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):
        if "Values" in [bar.tabText(i) for i in range(bar.count())]:
            return sum(bar.tabSizeHint(i).width() for i in range(bar.count())) + 8
    return 0


def dock_sizes(width: int, height: int, side_needs: int) -> tuple[int, int, int]:
    """(side panel width, bottom docks' height, each bottom dock's width) in a
    window of ``width`` × ``height``, whose side panel needs ``side_needs`` px."""
    side = max(SIDE_LEAST, int(width * SIDE_SHARE), side_needs)
    return (min(side, int(width * SIDE_MOST)), max(BOTTOM_LEAST, int(height * BOTTOM_SHARE)),
            int(width * COLUMN_SHARE))
