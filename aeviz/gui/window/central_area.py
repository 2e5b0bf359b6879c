"""The window's central area: the lesson text's pane, the guided step's pane and
the context strip (the phase; on stage d(x, y) and the loss) above the network
diagram, which takes the rest.  The panes' height limits follow the area's
height, fitted by a zero-timer: nothing is laid out inside the resize handler."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from aeviz.gui.panels.guide_panel import GuidePanel
from aeviz.gui.panels.lesson_text import LessonPane
from aeviz.gui.runtime.deferred import zero_timer


class CentralArea(QWidget):
    """``lesson_pane``, ``guide_panel`` and ``context`` in a column above ``diagram``."""

    def __init__(self, lesson_pane: LessonPane, guide_panel: GuidePanel, context: QWidget,
                 diagram: QWidget, parent=None) -> None:
        super().__init__(parent)
        self._fit_later = zero_timer(self, self.fit)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(lesson_pane)
        column.addWidget(guide_panel)
        guide_panel.fitted.connect(lesson_pane.fit)
        column.addWidget(context)
        column.addWidget(diagram, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_later.start()

    def fit(self) -> None:
        for pane in self.findChildren(LessonPane):
            pane.fit()
        for guide in self.findChildren(GuidePanel):
            guide.fit(self.height())
