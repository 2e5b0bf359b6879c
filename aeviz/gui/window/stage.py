"""The stage: presenter mode laid out for a 1024×768 projector first.

On stage there are the lesson's title (one line), one context strip and the
diagram, which keeps the largest share of the window (≥ 40 %).  The context
strip is the guided step (its own pane, with task and answer buttons), or the
step-through's phase name and explanation, or the fed pattern's d(x, y) and
loss.  Every panel comes on stage on its key (Ctrl+1 …) and leaves on the same
key; "Presenter mode shows" choices act at once.  One panel is on stage at a
time, at the right, SIDE_SHARE of the width (the wide data tables below the
diagram, BOTTOM_SHARE of the height), so that the diagram keeps its
share (a panel that comes on stage sends the one before it off); nothing is laid out inside a resize or paint handler
(sizes are applied by a zero-timer)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QDockWidget, QFrame, QLabel, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from aeviz.gui.window.actions import ActionSpec, Place
# (the shares are declared with the sizes; tests and the docs name them here too)
from aeviz.gui.window.stage_sizes import (BOTTOM_SHARE, DIAGRAM_SHARE, SIDE_SHARE,  # noqa: F401
                                          StageSizes)

WIDE_PANELS = ("Patterns",)   # the data tabs: tables with a column per field
PANEL_KEYS = ("Values", "Training", "Settings", "Explain", "Patterns", "Loss",
              "Code space", "Generate")


class ContextStrip(QFrame):
    """One wrapped line or two of context above the diagram: a title in bold and
    a text that wraps (it never scrolls sideways)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Context")
        self.setAccessibleName("Context strip")
        self.setFrameShape(QFrame.StyledPanel)
        palette = self.palette()
        palette.setColor(QPalette.Window, QColor("#f6f1e7"))
        palette.setColor(QPalette.WindowText, QColor("#1b1b1b"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel()
        self.label.setAccessibleName("Context")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText)
        self.label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        column.addWidget(self.label)
        self.hide()

    def show_text(self, title: str, text: str) -> None:
        html = f"<b>{escape(title)}</b>" if title else ""
        if text:
            html += (" — " if title else "") + escape(text).replace("\n", "<br>")
        self.label.setText(html)

    def text(self) -> str:
        return self.label.text()


class Stage:
    """What presenter mode puts on stage, and the panel keys (in and out of it)."""

    def __init__(self, window, doc, classroom, phases, guide_panel, lesson_text,
                 strip: ContextStrip, values) -> None:
        self.window, self.doc, self.classroom = window, doc, classroom
        self.phases, self.guide_panel, self.lesson_text = phases, guide_panel, lesson_text
        self.strip, self.values = strip, values
        self.sizes = StageSizes(window, guide_panel)     # what each part of the stage gets
        self.phase = ("", "")                        # the step-through's title, text
        self.guide_wanted = True                     # the Guide menu's "Show the guide"
        self.front: QDockWidget | None = None        # the panel that came on stage last
        self.allow_many = False                      # `screenshot --tab A --tab B`: both stay
        self._timer = QTimer(window)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.fit_docks)
        phases.changed.connect(self._on_phase)
        values.shown.connect(self._refresh_strip)      # (a run: when the panel shows a frame)
        classroom.hiding_hooks.append(self._refresh_strip)   # predict / reveal: "?" or numbers
        doc.values_changed.connect(self._follow_phase)     # after the Values panel's refresh
        doc.settings_changed.connect(self._refresh_strip)
        doc.replaced.connect(self._on_replaced)
        doc.structure_changed.connect(self.show_context)   # after the guide's own choice
        classroom.presenter_hooks.append(self._on_presenter)
        guide_panel.fitted.connect(self._on_guide_fitted)   # a longer step: the side panel may give room
        window.data_tabs.currentChanged.connect(lambda _i: self._on_data_tab())
        for dock in self.docks().values():
            dock.visibilityChanged.connect(
                lambda visible, dock=dock: self._on_dock_visibility(dock, visible))

    def docks(self) -> dict[str, QDockWidget]:
        return {d.objectName(): d for d in self.window.findChildren(QDockWidget)}

    # --- actions ------------------------------------------------------------------------
    def actions(self) -> list[ActionSpec]:
        specs = [ActionSpec(f"panel_{name}", f"{name} panel",
                            lambda name=name: self.toggle_panel(name), (f"Ctrl+{k + 1}",),
                            f"Show or hide the {name} panel (Ctrl+{k + 1}); in presenter "
                            "mode it comes on stage and leaves again", checkable=True,
                            menu=Place("&View", 1))
                 for k, name in enumerate(PANEL_KEYS)]
        specs.append(ActionSpec("guide_pane", "Show the guide", self.toggle_guide,
                                tip="Show or hide the guided lesson's pane",
                                checkable=True, enabled_when=lambda: bool(self.doc.lesson.model.guide),
                       menu=Place("&Guide", 1, 0)))
        return specs

    def bind(self, registry) -> None:
        self.registry = registry
        for name, dock in self.docks().items():
            action = registry[f"panel_{name}"]
            action.setChecked(not dock.isHidden())
            dock.toggleViewAction().toggled.connect(action.setChecked)
        registry["guide_pane"].setChecked(True)
        # after the window's own handler (connected first): on stage the title stays
        registry["lesson_text"].triggered.connect(lambda _on: self.show_context())

    def toggle_panel(self, name: str) -> None:
        """Show the panel in front (or hide it when it is in front already)."""
        dock = self.docks()[name]
        if dock.isHidden() or dock.visibleRegion().isEmpty():
            dock.show()
            dock.raise_()
        else:
            dock.hide()
        self.registry[f"panel_{name}"].setChecked(not dock.isHidden())
        self.fit_later()

    def toggle_guide(self) -> None:
        self.guide_wanted = self.registry["guide_pane"].isChecked()
        self.show_context()

    # --- what the stage shows ------------------------------------------------------------
    def _on_presenter(self, on: bool) -> None:
        self.front = None
        self.window.statusBar().setVisible(not on)   # its row goes to the diagram
        self.lesson_text.set_compact(on)
        if self.window.training_dock.built():       # (one built later is built so)
            self.stage_training(self.window.training, on)
        if self.window.generate_dock.built():
            self.window.generate_panel.set_compact(on)
        self.guide_panel.room = self.sizes.guide_room if on else None   # more, while the diagram keeps its share
        self.guide_panel.set_compact(on)
        self.window.patterns.set_compact(on)         # rows a line high: every row below the diagram
        if self.window.tabs.built("Weights"):       # (one built later is built compact)
            self.window.weights.set_compact(on)
        if self.window.tabs.built("Denoising"):     # (one built later is built compact)
            self.window.tabs.page("Denoising").set_compact(on)
        if self.window.explain_dock.built():
            self.window.explain.set_compact(on)      # every word without scrolling
        self.guide_panel.restart.setVisible(not on)  # in the Guide menu: room for the step
        self.window.code_space.note.set_wrapping(on)   # every word of the note on stage
        for dock in self.docks().values():           # the title row goes to the diagram (the
            dock.setTitleBarWidget(QWidget(dock) if on else None)   # panel's tabs name it)
        # a data tab in front needs only its own height, not the tallest tab's
        column = self.window.centralWidget().layout()   # edge to edge: the diagram's share
        column.setContentsMargins(*((0, 0, 0, 0) if on else (4, 4, 4, 4)))
        column.setSpacing(2 if on else -1)
        tabs = self.window.data_tabs
        for widget in (tabs, tabs.findChild(QStackedWidget)):
            widget.setMinimumHeight(1 if on else 0)
        self.show_context()
        self.fit_later()

    def _on_phase(self, title: str, text: str) -> None:
        self.phase = (title, text)
        self.values.refresh()                        # each phase shows more (all when it ends)
        self._follow_phase()
        self.show_context()

    @staticmethod
    def stage_training(panel, on: bool) -> None:
        """The Training panel on stage: compact, and the step-through's phase is the
        context strip's there (not a second time)."""
        panel.set_compact(on)
        panel.phase_title.parentWidget().setVisible(not on)

    def _follow_phase(self) -> None:
        """During a step-through the Values panel shows what the diagram shows: a
        code not yet computed (phase 1) or an output not yet decoded (phases 1-2)
        is "?" there too, and d(x, y) and the loss until the error (phase 4)."""
        walker = self.phases
        if not walker.active or walker.phase < 0:
            return
        from aeviz.core.measures.phases import PHASES
        name = PHASES[walker.phase]
        v = self.values
        if name == "input":
            v.code.hide_values()
        if name in ("input", "encode"):
            v.output.hide_values()
        if name in ("input", "encode", "decode"):
            v.error.setText("?")

    def _on_replaced(self) -> None:
        """Another lesson: its own view, nothing carried over from the one before."""
        self.guide_wanted = True
        if hasattr(self, "registry"):
            self.registry["guide_pane"].setChecked(True)
        self.show_context()
        self.reset_view()

    def step_docks(self) -> set[str]:
        """The docked panels the guide's current step points at (a tab: the
        Patterns dock that holds the data tabs)."""
        from aeviz.core.guides.guide import DOCKS
        names = set()
        for target in getattr(self.window.guide, "highlighted", []):
            name = target.panel if target.panel in DOCKS else \
                "Patterns" if target.tab is not None else None
            if name is not None:
                names.add(name)
        return names

    def reset_view(self) -> None:
        """The view state a lesson switch resets: on stage, the panels the last
        lesson brought (the new lesson's guide may bring its own); the data tab in front (Patterns),
        the selection, the walk slider, and the panels' sizes (after the new
        lesson's first layout, by a zero-timer)."""
        w = self.window
        if self.classroom.presenting:                # the last lesson's panel leaves the stage
            shows = self.classroom.presenter_shows
            for name, dock in self.docks().items():
                if name in shows and not shows[name].isChecked():
                    dock.hide()
            self.front = None
            for name in self.step_docks():           # the new step's own panels
                self.docks()[name].show()
        w.data_tabs.setCurrentIndex(0)
        for target in getattr(w.guide, "highlighted", []):   # unless the step names a tab
            if target.tab is not None:
                w.guide.tabs.tabs.setCurrentWidget(w.guide.widget_for(target))
        if w.diagram.selection is not None:
            w.diagram.select(None)
        w.generate.walk_timer.stop()                 # a walk of the last lesson ends
        w.generate.end_decoding()
        if w.generate_dock.built():
            slider = w.generate_panel.slider
            blocked = slider.blockSignals(True)      # no walk: just the slider's place
            slider.setValue(0)
            slider.blockSignals(blocked)
        QTimer.singleShot(0, w, w.fit_docks)

    def show_context(self) -> None:
        """The guide's pane, or the phase, or (on stage) the fed pattern's readouts."""
        guide = bool(self.doc.lesson.model.guide) and self.guide_wanted
        walking = bool(self.phase[0])
        presenting = self.classroom.presenting
        self.guide_panel.setVisible(guide and not (walking and presenting))
        # on stage the guided step's first line carries the lesson's title: one row less
        in_guide = presenting and self.guide_panel.isVisibleTo(self.window)
        title = self.doc.lesson.model.name if in_guide else ""
        if title != self.guide_panel.title:
            self.guide_panel.title = title
            self.window.guide._show()
        lesson_text = self.window.registry["lesson_text"].isChecked() \
            if hasattr(self, "registry") else True
        # on stage the pane is the lesson's title alone: Ctrl+L never takes it away
        self.window.lesson_pane.setVisible((lesson_text or presenting) and not in_guide)
        self.strip.setVisible(walking or (presenting and not guide))
        self._refresh_strip()

    def _refresh_strip(self) -> None:
        if not self.strip.isVisibleTo(self.window):
            return
        if self.phase[0]:
            self.strip.show_text(*self.phase)
            return
        v = self.values
        fed = self.doc.lesson.pattern_index()
        what = f"Pattern {fed + 1}" if fed is not None else "The input"
        self.strip.show_text(what, f"d(x, y) = ‖x − y‖ = {v.error.text()}   ·   "
                                   f"loss {v.loss.text()}   ·   epoch {v.epoch.text()}")

    # --- panel sizes on stage ------------------------------------------------------------
    def _on_dock_visibility(self, dock: QDockWidget, visible: bool) -> None:
        if self.classroom.presenting:
            if visible:
                self.front = dock
            self.fit_later()

    def bring_front(self, dock: QDockWidget) -> None:
        """On stage, ``dock`` is the panel in front (a guide step names it last).
        A dock that is visible already sends no visibilityChanged when shown
        again, so :meth:`_on_dock_visibility` alone would keep the panel shown
        last before it (seen in a real window: digits-8x8 step 3 kept Loss)."""
        if self.classroom.presenting:
            self.front = dock
            self.fit_later()

    def fit_later(self) -> None:
        self._timer.start(0)

    def fit_docks(self) -> None:
        """On stage: one panel, at the right, SIDE_SHARE of the width (a bottom
        panel moves there; Esc gives every panel its place back): the diagram
        keeps ≥ DIAGRAM_SHARE of the window."""
        if not self.classroom.presenting:
            return
        w = self.window
        shown = [d for d in self.docks().values() if not d.isHidden() and not d.isFloating()]
        if not shown:
            return
        if self.allow_many:                          # asked for by name: all of them, as placed
            right = [d for d in shown if w.dockWidgetArea(d) == Qt.RightDockWidgetArea]
            if right:
                w.resizeDocks(right, [int(w.width() * SIDE_SHARE)] * len(right), Qt.Horizontal)
            return
        front = self.front if self.front in shown else shown[-1]
        for dock in shown:
            if dock is not front:
                dock.hide()
        wide = front.objectName() in WIDE_PANELS       # a wide table: below the diagram
        area = Qt.BottomDockWidgetArea if wide else Qt.RightDockWidgetArea
        if w.dockWidgetArea(front) != area:
            w.addDockWidget(area, front)
            front.show()
        front.raise_()
        self.front = front
        if wide:
            w.resizeDocks([front], [self.sizes.bottom_height(front)], Qt.Vertical)
            # the guided step's room depends on the panel's height (StageSizes.guide_room):
            # measured again once the panel has its new one (a step that grew, its "✓ Done."
            # say, fits now where the taller panel left it scrolling)
            self.guide_panel.refit_later()
        else:
            w.resizeDocks([front], [self.sizes.side_width(front)], Qt.Horizontal)

    def _on_guide_fitted(self) -> None:
        if self.classroom.presenting:
            self.fit_later()

    def _on_data_tab(self) -> None:
        if self.classroom.presenting:        # e.g. Denoising: its own height, no more
            self.fit_later()
