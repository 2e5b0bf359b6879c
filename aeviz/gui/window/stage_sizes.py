"""How much of the stage each part gets (presenter mode at 1024×768 first): the
diagram keeps DIAGRAM_SHARE of the window; the guided step's pane above it as
much as its words and answers need; a panel at the right SIDE_SHARE of the width
(less, down to SIDE_LEAST, when the step needs a wider pane); the data tabs
below the diagram the height of their rows (at least what their wrapped text
needs).  Measures only: the Stage applies them, by a zero-timer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QStyle, QTableView, QVBoxLayout, QWidget

DIAGRAM_SHARE = 0.40          # the least of the window the diagram keeps on stage
KEEP = DIAGRAM_SHARE * 1.01   # ... what the stage aims at (a pixel's rounding to spare)
BOTTOM_SHARE = 0.26           # ... a wide one's height, below the diagram
SIDE_SHARE = 0.33             # the panel on stage: its width (of the window), at the right
SIDE_LEAST = 0.25             # ... narrower, down to this, when the guided step needs the room


def least_height(widget: QWidget, width: int) -> int:
    """The least height ``widget`` needs at ``width``: its layout's items at their
    least heights, a word-wrapped label at its height for that width (Qt's
    minimumSizeHint counts such a label as one line, so a page given only that
    lays its buttons over its chart)."""
    layout = widget.layout()
    least = widget.minimumSizeHint().height()
    if not isinstance(layout, QVBoxLayout):
        return least
    m = layout.contentsMargins()
    inner = max(width - m.left() - m.right(), 1)
    heights = []
    for k in range(layout.count()):
        item = layout.itemAt(k)
        if item.isEmpty():
            continue
        if item.hasHeightForWidth():
            heights.append(item.heightForWidth(inner))
        else:
            heights.append(item.minimumSize().height())
    spacing = max(layout.spacing(), 0)
    total = sum(heights) + spacing * max(len(heights) - 1, 0) + m.top() + m.bottom()
    return max(least, total)


class StageSizes:
    """The sizes of the stage's parts in ``window`` (with its guided-step pane
    ``guide``), measured from the window's present layout."""

    def __init__(self, window, guide) -> None:
        self.window, self.guide = window, guide

    def guide_room(self, frame: int) -> int:
        """On stage, the most the guided step's body may take (``frame``: the pane's
        height around its body) so that the diagram keeps DIAGRAM_SHARE of the
        window: every word and answer of a step shows without scrolling where the
        window has room for it."""
        w = self.window
        central = w.centralWidget()
        if central.width() <= 0 or w.height() <= 0:
            return 0
        column = central.layout()
        keep = int(KEEP * w.width() * w.height() / central.width()) + 1
        others = sum(x.height() + column.spacing() for x in (w.lesson_pane, w.context)
                     if x.isVisibleTo(central))
        m = column.contentsMargins()
        # never more than leaves a panel below the diagram its least height (its
        # buttons would otherwise lie over its chart: the window cannot grow)
        below = [d for d in w.findChildren(QDockWidget) if not d.isHidden() and not d.isFloating()
                 and w.dockWidgetArea(d) == Qt.BottomDockWidgetArea]
        least = max((d.minimumSizeHint().height() for d in below), default=0)
        separator = w.style().pixelMetric(QStyle.PM_DockWidgetSeparatorExtent, None, w) if below else 0
        menu = w.menuBar().height() if w.menuBar().isVisible() else 0
        height = min(central.height(), w.height() - menu - separator - least)
        return height - m.top() - m.bottom() - keep - others - frame - column.spacing()

    def side_width(self, dock: QDockWidget) -> int:
        """The panel at the right: SIDE_SHARE of the window, or less (down to
        SIDE_LEAST, never below the panel's least width) when the guided step
        above the diagram needs a wider pane to show every word without scrolling
        while the diagram keeps its share."""
        w = self.window
        widest = int(w.width() * SIDE_SHARE)
        guide = self.guide
        if not guide.isVisibleTo(w):
            return widest
        central = w.centralWidget()
        column = central.layout()
        rest = w.width() - central.width() - (dock.width() if dock.isVisible() else 0)
        others = sum(x.height() + column.spacing() for x in (w.lesson_pane, w.context)
                     if x.isVisibleTo(central))
        least = max(int(w.width() * SIDE_LEAST), dock.minimumSizeHint().width())
        for side in range(widest, least - 1, -8):
            width = w.width() - side - max(rest, 0)
            keep = KEEP * w.width() * w.height() / width
            if guide.needed_height(width) + keep + others <= central.height():
                return side
        return least                             # the guide scrolls: as little as it can

    def room_below(self) -> int:
        """The height left below the diagram once the guided step has every word
        (its needed height, not its present one: it may be about to grow) and the
        diagram keeps its share."""
        w = self.window
        central = w.centralWidget()
        column = central.layout()
        keep = int(KEEP * w.width() * w.height() / max(central.width(), 1)) + 1
        top = sum(x.height() + column.spacing() for x in (w.lesson_pane, w.context)
                  if x.isVisibleTo(central))
        if self.guide.isVisibleTo(central):
            top += self.guide.needed_height(central.width()) + column.spacing()
        separator = w.style().pixelMetric(QStyle.PM_DockWidgetSeparatorExtent, None, w)
        menu = w.menuBar().height() if w.menuBar().isVisible() else 0
        m = column.contentsMargins()
        return w.height() - menu - separator - m.top() - m.bottom() - top - keep

    def bottom_height(self, dock: QDockWidget | None = None) -> int:
        """The data tabs' height below the diagram on stage: what the tab in front
        needs (a table: its header and rows), at most BOTTOM_SHARE of the window
        (or more, while the diagram keeps DIAGRAM_SHARE with a little to spare)
        unless the tab's own controls need more."""
        w = self.window
        cap = int(w.height() * BOTTOM_SHARE)
        d = w.diagram
        if dock is not None and dock.isVisible() and d.width() > 0:   # room the diagram spares
            cap = max(cap, self.room_below())
        tabs = w.data_tabs
        page = tabs.currentWidget()
        bar = tabs.tabBar().sizeHint().height() + 2 * tabs.style().pixelMetric(
            QStyle.PM_DefaultFrameWidth)
        least = least_height(page, page.width()) if page is not None else 0
        need = page.sizeHint().height() if page is not None else 0
        table = page if isinstance(page, QTableView) else getattr(page, "table", None)
        if isinstance(table, QTableView):    # (Patterns: the table under its label filter)
            rows = sum(table.rowHeight(r) for r in range(table.model().rowCount()))
            above = 0 if table is page else max(page.height() - table.height(), 0)
            need = above + table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 2
        return bar + max(least, min(need, cap - bar))
