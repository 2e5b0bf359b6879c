"""The main window assembles: the diagram, the panels in their docks, the
controllers (files, editing, training, datasets, classroom), and the menus and
toolbars built from the declared actions.  It computes nothing and holds no
state of the lesson (the Document's Lesson does)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDockWidget, QMainWindow, QMessageBox, QScrollArea,
                               QTabWidget, QWidget)

from aeviz import __version__
from aeviz.core.files.fileformat import load
from aeviz.core.model import Model
from aeviz.core.files.presets import DEFAULT_PRESET, load_preset
from aeviz.gui.runtime import settings
from aeviz.gui.window.actions import Actions, ActionSpec, Place
from aeviz.gui.runtime.autosave import Autosaver
from aeviz.gui.runtime.saving import FileWriter
from aeviz.gui.controllers.classroom import (DECODE_PREDICT_FIRST, FONT_STEPS, PREDICT_FIRST,
                                             ClassroomController)
from aeviz.gui.controllers.datasets import DatasetController
from aeviz.gui.controllers.editing import EditController
from aeviz.gui.controllers.guide import GuideController
from aeviz.gui.controllers.files import FileController
from aeviz.gui.controllers.generate import GenerateController
from aeviz.gui.controllers.training_ui import TrainingUi
from aeviz.gui.drawing.diagram import NetworkView
from aeviz.gui.window.central_area import CentralArea
from aeviz.gui.runtime.document import Document, EditRefused
from aeviz.gui.window.dock_sizes import dock_sizes, side_tabs_width
from aeviz.gui.panels.guide_panel import GuidePanel
from aeviz.gui.window.icon import app_icon
from aeviz.gui.window import late_panels as late
from aeviz.gui.window.lazy_tabs import LazyDock, LazyTabs
from aeviz.gui.panels.lesson_text import LessonPane, LessonText
from aeviz.gui.window.menus import build_menus, build_toolbars
from aeviz.gui.window.notice import Notice
from aeviz.gui.drawing.phase_walk import PhaseWalker
from aeviz.gui.panels.code_space import CodeSpacePanel
from aeviz.gui.panels.plots import LossPanel
from aeviz.gui.panels.patterns_table import PatternsTable
from aeviz.gui.panels.readouts import ValuesPanel
from aeviz.gui.window.stage import ContextStrip, Stage
from aeviz.gui.window.status_bar import StatusBar
from aeviz.gui.runtime.training import TrainingController
from aeviz.gui.window.window_fit import first_geometry, minimum_size
from aeviz.terminal import shown

if TYPE_CHECKING:                  # built when their tab is first shown (see _make_docks)
    from aeviz.gui.panels.codes_view import CodesView
    from aeviz.gui.panels.images_view import ImagesView
    from aeviz.gui.panels.noise_view import NoiseView
    from aeviz.gui.panels.output_bars import OutputBars

STATUS_MS = 10_000


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.NoFrame)
    return scroll


class MainWindow(QMainWindow):
    """``MainWindow(path)`` opens a file; ``MainWindow()`` the default lesson.
    A file that cannot be loaded raises FileFormatError."""

    def __init__(self, path: str | Path | None = None, model: Model | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        if model is None:
            model = load(path) if path is not None else load_preset(DEFAULT_PRESET)
        self.doc = Document(model, Path(path) if path else None, self)
        self._notice: Notice | None = None      # refusals on stage (no status bar there)
        self.first_run = not settings.read(settings.GEOMETRY)   # never closed a window before
        self.remember = True                  # save geometry, text size... on close
        self.setWindowIcon(app_icon())
        self.setStatusBar(StatusBar(self))    # a long message ends in "…", whole in its tooltip
        self.controller = TrainingController(self.doc, self)
        self.writer = FileWriter(self)         # saves and autosaves, off the GUI thread
        self.autosaver = Autosaver(self.doc, self.writer, self)
        self.fit_to_screen()
        self._make_views()
        docks = self._make_docks()
        # the Values panel behind another tab is not refreshed on every training frame
        self.values.skip_out_of_sight = lambda: self.controller.running
        docks["Values"].visibilityChanged.connect(lambda _shown: self.values.catch_up())
        self.controller.running_changed.connect(lambda _running: self.values.catch_up())
        status = self.show_refusal
        self.files = FileController(self, self.doc, self.controller, self.diagram,
                                    self.loss_plot, self.code_space, self.show_status,
                                    self.writer)
        self.editing = EditController(self, self.doc, self.diagram, status)
        self.training_ui = TrainingUi(self, self.doc, self.controller, self.phases,
                                      self.training_dock, self.statusBar(), status)
        self.datasets = DatasetController(self, self.doc, status)
        self.classroom = ClassroomController(self, self.doc, self.diagram, self.values,
                                             self.patterns, self.code_space, self.plot_widgets,
                                             lesson=self.lesson,
                                             keeps_reveal=lambda: self.phases.feeding,
                                             keeps_on_stage=lambda: self.stage.step_docks())
        self.generate = GenerateController(self, self.doc, self.diagram, self.values,
                                           self.code_space, self.tabs, status)
        docks["Generate"] = self._dock("Generate", None, Qt.RightDockWidgetArea)
        self.generate_dock = LazyDock(docks["Generate"], lambda: late.generate_panel(self),
                                      _scrolled)
        self.tabifyDockWidget(docks["Explain"], docks["Generate"])
        docks["Values"].raise_()
        self.generate.panel_wanted.connect(self.generate_dock.show)
        self.guide = GuideController(self, self.doc, self.controller, self.diagram, self.tabs,
                                     self.classroom, self.guide_panel, status)
        self.stage = Stage(self, self.doc, self.classroom, self.phases, self.guide_panel,
                           self.lesson, self.context, self.values)
        self.registry = Actions(self, scopes={"diagram": self.diagram})
        for part in (self.files, self.editing, self.training_ui, self.classroom, self.generate,
                     self.guide, self.stage):
            self.registry.declare(part.actions())
        self.registry.declare([
            ActionSpec("fit", "Fit diagram to view", self.diagram.fit, ("Ctrl+0",),
                       menu=Place("&View")),
            ActionSpec("explain", "Explain", self.show_explain, ("F1",),
                       "What the selected part does, the loss and the penalties (F1)",
                       menu=Place("&View")),
            ActionSpec("about", "&About aeviz", self._about,
                       menu=Place("&Help", 0, 0)),
            ActionSpec("lesson_text", "Lesson text", self._toggle_lesson_text, ("Ctrl+L",),
                       "Show or hide the lesson text above the diagram (Ctrl+L)",
                       checkable=True,
                       menu=Place("&View")),
        ])
        self.registry["lesson_text"].setChecked(True)
        self.training_ui.bind(self.registry)
        self.classroom.bind(self.registry)
        self.generate.bind(self.registry)
        self.guide.start()
        self.stage.bind(self.registry)
        build_menus(self, list(docks.values()))
        build_toolbars(self)
        self._make_pattern_keys()

        self.doc.file_changed.connect(self._update_title)
        self.doc.undo_changed.connect(self._update_undo_actions)
        self.doc.structure_changed.connect(self._fill_pattern_box)
        self.doc.input_changed.connect(self._show_fed_pattern)
        self.diagram.refused.connect(self.show_refusal)
        self.patterns.pattern_activated.connect(self.feed_pattern)
        self.phases.refused.connect(self.show_refusal)
        # a hidden prediction stays hidden: the step-through would show the code and
        # the output (and, online, feed another pattern); predict closes an open walk
        self.phases.blocked = lambda: PREDICT_FIRST if self.classroom.hiding else None
        self.classroom.hiding_hooks.append(
            lambda: self.phases.cancel() if self.classroom.hiding and self.phases.begun else None)
        self.classroom.hiding_hooks.append(          # revealed: "reveal it first" is done
            lambda: None if self.classroom.hiding else
            [self._unsay(m) for m in (PREDICT_FIRST, DECODE_PREDICT_FIRST)])
        self.classroom.hide_too(self.generate)         # decoding and σ ellipses show answers
        self._fill_pattern_box()
        self._update_undo_actions()
        self._update_title()
        self._restore_geometry()

    # --- the tabs and docks built when first shown (aeviz.gui.window.late_panels):
    # asking for one builds it
    generate_panel = property(lambda self: self.generate_dock.page())
    training = property(lambda self: self.training_dock.page())
    settings_panel = property(lambda self: self.settings_dock.page())
    explain = property(lambda self: self.explain_dock.page())
    weights = property(lambda self: self.tabs.page("Weights"))

    def dock_page(self, title: str) -> QWidget:
        """What the dock ``title`` holds, its panel built if it was not yet."""
        lazy = {"Training": self.training_dock, "Settings": self.settings_dock,
                "Explain": self.explain_dock,
                "Generate": getattr(self, "generate_dock", None)}.get(title)
        if lazy is not None:
            lazy.page()
        return self.findChild(QDockWidget, title).widget()

    @property
    def output_bars(self) -> OutputBars:
        return self.tabs.page("Outputs")

    @property
    def codes_view(self) -> CodesView:
        return self.tabs.page("Codes")

    @property
    def noise_view(self) -> NoiseView:
        return self.tabs.page("Denoising")

    @property
    def images_view(self) -> ImagesView:
        return self.tabs.page("Images")

    # --- construction ----------------------------------------------------------------
    def _make_views(self) -> None:
        doc = self.doc
        self.diagram = NetworkView(doc)
        self.lesson = LessonText(doc, welcome=self.first_run)
        self.lesson_pane = LessonPane(self.lesson)
        self.guide_panel = GuidePanel()           # shown when the lesson has guided steps
        self.context = ContextStrip()            # the phase, or on stage d(x, y) and loss
        self.setCentralWidget(CentralArea(self.lesson_pane, self.guide_panel, self.context,
                                          self.diagram))
        self.values = ValuesPanel(doc)
        self.patterns = PatternsTable(doc)
        self.loss_plot = LossPanel(self.controller)
        self.code_space = CodeSpacePanel(doc, self.controller)
        self.phases = PhaseWalker(doc, self.controller, self.diagram, self)

    def _make_docks(self) -> dict[str, QDockWidget]:
        """The docks; those behind another tab at start (Training, Settings, Explain,
        Generate, and the Weights, Outputs, Codes, Denoising and Images tabs) are built when
        first shown or asked for: the first picture needs none of them, and their
        widgets (a third of the window's) cost a tenth of the start."""
        docks = {}
        for title, widget in (("Values", _scrolled(self.values)), ("Training", None),
                              ("Settings", None), ("Explain", None)):
            docks[title] = self._dock(title, widget, Qt.RightDockWidgetArea)
        self.training_dock = LazyDock(docks["Training"], lambda: late.training_panel(self),
                                      _scrolled)
        self.settings_dock = LazyDock(docks["Settings"], lambda: late.settings_panel(self),
                                      _scrolled)
        self.explain_dock = LazyDock(docks["Explain"], lambda: late.explain_panel(self))
        self.tabifyDockWidget(docks["Values"], docks["Training"])
        self.tabifyDockWidget(docks["Training"], docks["Settings"])
        self.tabifyDockWidget(docks["Settings"], docks["Explain"])
        docks["Values"].raise_()
        # one dock with tabs (tabified docks next to split ones leave stale tab bars in Qt 6)
        self.data_tabs = QTabWidget()
        self.data_tabs.setDocumentMode(True)
        self.tabs = LazyTabs(self.data_tabs)
        self.tabs.add("Patterns", self.patterns.panel)     # the table, a label filter above
        self.tabs.add_lazy("Weights", lambda: late.weights_panel(self))
        # the other tabs are built when first shown
        for title, view in (("Outputs", "OutputBars"), ("Codes", "CodesView"),
                            ("Denoising", "NoiseView"), ("Images", "ImagesView")):
            self.tabs.add_lazy(title, lambda view=view: late.lesson_view(self, view))
        docks["Patterns"] = self._dock("Patterns", self.data_tabs, Qt.BottomDockWidgetArea)
        docks["Loss"] = self._dock("Loss", self.loss_plot, Qt.BottomDockWidgetArea)
        docks["Code space"] = self._dock("Code space", self.code_space, Qt.BottomDockWidgetArea)
        self.splitDockWidget(docks["Patterns"], docks["Loss"], Qt.Horizontal)
        self.splitDockWidget(docks["Loss"], docks["Code space"], Qt.Horizontal)
        return docks

    def _dock(self, title: str, widget: QWidget | None, area) -> QDockWidget:
        """A dock holding ``widget`` (None: a LazyDock fills it)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        if widget is not None:
            dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _make_pattern_keys(self) -> None:
        for k in range(1, 10):
            sc = QShortcut(QKeySequence(str(k)), self)
            sc.setContext(Qt.WindowShortcut)
            sc.activated.connect(lambda k=k: self.feed_pattern(k - 1))

    # --- feeding ------------------------------------------------------------------------
    def feed_pattern(self, index: int) -> None:
        try:
            self.doc.lesson.feed_pattern(index)
        except EditRefused as e:
            self.show_refusal(str(e))

    def _fill_pattern_box(self) -> None:
        self.pattern_box.model().reset()           # rows made when shown (pattern_list)
        self._show_fed_pattern()

    def _show_fed_pattern(self) -> None:
        fed = self.doc.lesson.pattern_index()
        if fed is not None:
            self.pattern_box.setCurrentIndex(fed)

    # --- what the window says -------------------------------------------------------------
    def show_refusal(self, message: str) -> None:
        """An edit that was refused, or what training says: the status bar, no dialog."""
        self._say(message[0].upper() + message[1:], STATUS_MS)

    def show_status(self, message: str) -> None:
        self._say(message, 5000)

    def _unsay(self, message: str) -> None:
        """``message`` no longer holds (revealed: "reveal it first" is done): off
        the status bar and the notice, if either still says it."""
        if self.statusBar().currentMessage() == message:
            self.statusBar().clearMessage()
        if self._notice is not None and self._notice.text() == message:
            self._notice.hide()

    def _say(self, message: str, ms: int) -> None:
        """The status bar says it; on stage (no status bar) a notice over the
        diagram, which goes when the status bar is back or another lesson comes."""
        self.statusBar().showMessage(message, ms)
        if self.statusBar().isHidden():
            if self._notice is None:
                self._notice = Notice(self.diagram, stands_for=self.statusBar())
                self.doc.replaced.connect(self._notice.hide)
            self._notice.say(message, ms)

    def _update_undo_actions(self) -> None:
        """Short labels (the toolbar keeps its width); the tooltip says what."""
        stack = self.doc.lesson.undo_stack
        for action_id, can, text in (("undo", stack.can_undo(), stack.undo_text()),
                                     ("redo", stack.can_redo(), stack.redo_text())):
            action, verb = self.registry[action_id], action_id.capitalize()
            action.setEnabled(can)
            action.setToolTip(f"{verb}: {text}" if can else f"Nothing to {action_id}")
            action.setStatusTip(action.toolTip())

    def _update_title(self) -> None:
        name = shown(self.doc.lesson.path.name) if self.doc.lesson.path else "unsaved"   # as the CLI does
        self.setWindowTitle(f"{self.doc.lesson.model.name} — {name}[*] — aeviz")
        self.setWindowModified(self.doc.lesson.modified)

    def plot_widgets(self) -> list:
        import pyqtgraph as pg
        return self.findChildren(pg.PlotWidget) + self.findChildren(pg.GraphicsLayoutWidget)

    def _toggle_lesson_text(self) -> None:
        """The lesson pane folds away: all the room to the diagram."""
        self.lesson_pane.setVisible(self.registry["lesson_text"].isChecked())

    def show_explain(self) -> None:
        dock = self.findChild(QDockWidget, "Explain")
        dock.show()                              # presenter mode may have hidden it
        dock.raise_()
        self.explain.refresh()

    def _about(self) -> None:
        QMessageBox.about(self, "About aeviz",
                          f"<b>aeviz {__version__}</b><br>A desktop app that teaches "
                          "autoencoders: watch a small network learn, neuron by neuron.<br><br>"
                          "Released under the MIT licence: free to use, copy, modify and "
                          "share, with no warranty. Built with Python, NumPy, Qt (PySide6) "
                          "and pyqtgraph.")

    # --- window state ----------------------------------------------------------------
    def fit_to_screen(self, available: QRect | None = None) -> None:
        """The first window fits the screen it opens on (its available geometry);
        on a small screen it is maximised."""
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry()
        self.setMinimumSize(minimum_size(available))
        geometry, maximised = first_geometry(available)
        self.setGeometry(geometry)
        if maximised:
            self.setWindowState(self.windowState() | Qt.WindowMaximized)

    def _restore_geometry(self) -> None:
        """Geometry, docks, text size and training speed from the last session."""
        self.fit_docks()
        geometry = settings.read(settings.GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        state = settings.read(settings.WINDOW_STATE)
        if state:
            self.restoreState(state, settings.SCHEMA)
        step = min(max(settings.read(settings.FONT_STEP), 0), len(FONT_STEPS) - 1)
        self.classroom.set_font_step(step)
        self.classroom.set_theme(settings.read(settings.THEME), remember=False)
        self.training_ui.set_speed(settings.read(settings.SPEED))

    def fit_docks(self) -> None:
        """Give the diagram most of the window (:mod:`aeviz.gui.window.dock_sizes`).
        On stage (presenter mode) the stage sizes them."""
        if self.classroom.presenting:
            self.stage.fit_docks()
            return
        docks = {d.objectName(): d for d in self.findChildren(QDockWidget)}
        needs = max(self.values.preferred_width(),   # the x, h and y cells, and the tab
                    side_tabs_width(self))           # names "Values", "Training", … whole
        side, bottom, column = dock_sizes(self.width(), self.height(), needs)
        self.resizeDocks([docks["Values"]], [side], Qt.Horizontal)
        self.resizeDocks([docks["Patterns"]], [bottom], Qt.Vertical)
        self.resizeDocks([docks["Patterns"], docks["Loss"], docks["Code space"]],
                         [column, column, column], Qt.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in self.findChildren(QDialog):     # e.g. a neuron dialog left open
            if dialog.isVisible():
                dialog.reject()
        if not self.files.may_discard():              # (a run is committed first)
            event.ignore()
            return
        self.controller.shutdown()
        if self.tabs.built("Denoising"):
            self.noise_view.shutdown()        # a comparison training on its thread
        self.doc.shutdown()
        self.autosaver.close()                # a clean exit leaves nothing to recover
        self.writer.shutdown()
        self.classroom.set_presenter(False)
        if self.remember:                     # `aeviz screenshot` leaves settings alone
            settings.write(settings.GEOMETRY, self.saveGeometry())
            settings.write(settings.WINDOW_STATE, self.saveState(settings.SCHEMA))
            settings.write(settings.FONT_STEP, self.classroom.font_step)
            settings.write(settings.SPEED, self.controller.speed)
        event.accept()
