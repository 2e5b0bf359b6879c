"""The main window: composes the diagram, the readouts, the per-pattern table and
the weight matrices, and wires menus, toolbar and shortcuts to Document calls.
It computes nothing itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QDockWidget, QLabel, QLineEdit,
                               QMainWindow, QMessageBox, QScrollArea, QTabWidget,
                               QToolBar,
                               QVBoxLayout,
                               QWidget)

from aeviz import __version__
from aeviz.core.fileformat import FileFormatError, load
from aeviz.core.model import Model
from aeviz.core.presets import DEFAULT_PRESET, load_preset, preset_paths
from aeviz.gui import settings
from aeviz.gui.app import app_icon
from aeviz.gui.autosave import Autosaver
from aeviz.gui.classroom import FONT_STEPS, ClassroomMixin
from aeviz.gui.dataset_menu import DatasetMixin
from aeviz.gui.edit_menu import EditMixin
from aeviz.gui.explain_panel import ExplainPanel
from aeviz.gui.file_menu import FileMixin
from aeviz.gui.training_menu import TrainingMixin
from aeviz.gui.diagram import NetworkView
from aeviz.gui.document import Document, EditRefused
from aeviz.gui.readouts import PatternsTable, ValuesPanel, pattern_text
from aeviz.gui.lesson_views import CodesView, ImagesView, NoiseView
from aeviz.gui.phase_walk import PhaseWalker
from aeviz.gui.plots import CodeSpacePanel, LossPanel, OutputBars
from aeviz.gui.settings_panel import SettingsPanel
from aeviz.gui.training import TrainingController
from aeviz.gui.training_panel import TrainingPanel
from aeviz.gui.weights_panel import WeightsPanel


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.NoFrame)
    return scroll


class MainWindow(FileMixin, EditMixin, TrainingMixin, DatasetMixin, ClassroomMixin,
                 QMainWindow):
    """``MainWindow(path)`` opens a file; ``MainWindow()`` the default lesson.
    A file that cannot be loaded raises FileFormatError."""

    def __init__(self, path: str | Path | None = None, model: Model | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        if model is None:
            model = load(path) if path is not None else load_preset(DEFAULT_PRESET)
        self.doc = Document(model, Path(path) if path else None, self)
        self.first_run = not settings.read(settings.GEOMETRY)   # never closed a window before
        self.remember = True                  # save geometry, text size... on close
        self.setWindowIcon(app_icon())
        self.controller = TrainingController(self.doc, self)
        self.autosaver = Autosaver(self.doc, self)
        self.setMinimumSize(1024, 640)
        self.resize(1280, 800)

        self.diagram = NetworkView(self.doc)
        self.diagram.action_factory = self._neuron_actions
        self.lesson = QLabel()
        self.lesson.setAccessibleName("Lesson text")
        self.lesson.setWordWrap(True)
        self.lesson.setMargin(8)
        self.lesson.setStyleSheet("background: #f3eef8; border-radius: 6px; font-size: 12pt;")
        self.lesson.linkActivated.connect(self._toggle_lesson)
        self._lesson_expanded = False
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.lesson)
        column.addWidget(self.diagram, 1)
        self.setCentralWidget(central)

        self.values = ValuesPanel(self.doc)
        self.patterns = PatternsTable(self.doc)
        self.weights = WeightsPanel(self.doc)
        self.training = TrainingPanel(self.controller)
        self.settings_panel = SettingsPanel(self.doc)
        self.loss_plot = LossPanel(self.controller)
        self.code_space = CodeSpacePanel(self.doc, self.controller)
        self.output_bars = OutputBars(self.doc)
        self.codes_view = CodesView(self.doc)
        self.noise_view = NoiseView(self.doc)
        self.images_view = ImagesView(self.doc)
        self.phases = PhaseWalker(self.doc, self.controller, self.diagram, self)
        self.explain = ExplainPanel(self.doc, self.diagram)
        values = self._dock("Values", _scrolled(self.values), Qt.RightDockWidgetArea)
        training = self._dock("Training", _scrolled(self.training), Qt.RightDockWidgetArea)
        setup = self._dock("Settings", _scrolled(self.settings_panel), Qt.RightDockWidgetArea)
        explain = self._dock("Explain", self.explain, Qt.RightDockWidgetArea)
        self.tabifyDockWidget(values, training)
        self.tabifyDockWidget(training, setup)
        self.tabifyDockWidget(setup, explain)
        values.raise_()
        # one dock with tabs (tabified docks next to split ones leave stale tab bars in Qt 6)
        self.data_tabs = QTabWidget()
        self.data_tabs.setDocumentMode(True)
        for title, widget in (("Patterns", self.patterns), ("Weights", self.weights),
                              ("Outputs", self.output_bars), ("Codes", self.codes_view),
                              ("Denoising", self.noise_view), ("Images", self.images_view)):
            self.data_tabs.addTab(widget, title)
        patterns = self._dock("Patterns", self.data_tabs, Qt.BottomDockWidgetArea)
        loss = self._dock("Loss", self.loss_plot, Qt.BottomDockWidgetArea)
        code = self._dock("Code space", self.code_space, Qt.BottomDockWidgetArea)
        self.splitDockWidget(patterns, loss, Qt.Horizontal)
        self.splitDockWidget(loss, code, Qt.Horizontal)

        self._make_actions()
        self._make_training_actions()
        self._make_classroom_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_training_toolbar()
        self._make_shortcuts()

        self.doc.file_changed.connect(self._update_title)
        self.doc.structure_changed.connect(self._on_structure_changed)
        self.doc.values_changed.connect(self._on_values_changed)
        self.diagram.selection_changed.connect(self._on_selection_changed)
        self.diagram.refused.connect(self.show_refusal)
        self.diagram.neuron_double_clicked.connect(self.edit_neuron)
        self.weights.refused.connect(self.show_refusal)
        self.patterns.pattern_activated.connect(self.feed_pattern)
        self.settings_panel.refused.connect(self.show_refusal)
        self.controller.running_changed.connect(self._on_running_changed)
        self.controller.message.connect(self.show_refusal)
        self.controller.trained.connect(self._check_stuck)
        self.phases.changed.connect(self._on_phase)
        self._last_stuck_check = 0.0
        self._on_structure_changed()
        self._on_selection_changed()
        self._update_title()
        self._restore_geometry()

    # --- construction helpers ----------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.act_new = a("&New", self.new_file, QKeySequence.New, "A new 5-2-5 with random weights")
        self.act_open = a("&Open…", self.open_dialog, QKeySequence.Open)
        self.act_save = a("&Save", self.save, QKeySequence.Save)
        self.act_save_as = a("Save &As…", self.save_as_dialog, QKeySequence.SaveAs)
        self.act_quit = a("&Quit", self.close, QKeySequence.Quit)
        self.act_undo = a("&Undo", self.doc.undo, QKeySequence.Undo)
        self.act_redo = a("&Redo", self.doc.redo, QKeySequence.Redo)
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.Redo])
        self.doc.undo_changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.act_add_neuron = a("Add neuron", self.add_neuron, "Ins",
                                "Add a neuron to the selected neuron's layer (else the code layer)")
        self.act_remove_neuron = a("Remove neuron", self.remove_neuron, "Del",
                                   "Remove the selected neuron (else the code layer's last)")
        self.act_add_layer = a("Add layer", self.add_layer, "Ctrl+Ins",
                               "Insert a hidden layer after the selected neuron's layer")
        self.act_remove_layer = a("Remove layer", self.remove_layer, "Ctrl+Del",
                                  "Remove the selected neuron's hidden layer (else the last)")
        for act in (self.act_add_neuron, self.act_remove_neuron, self.act_add_layer,
                    self.act_remove_layer):      # keys only while the diagram has focus
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.diagram.addAction(act)
        self.act_fit = a("Fit diagram to view", self.diagram.fit, "Ctrl+0")
        self.act_explain = a("Explain", self.show_explain, "F1",
                             "What the selected part does, the loss and the penalties (F1)")

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.act_new, self.act_open])
        lessons = file.addMenu("&Lessons")
        self.lesson_actions = {}
        for name, path in preset_paths().items():
            try:
                title = load(path).name
            except FileFormatError:
                continue
            action = self._action(title, lambda n=name: self.open_preset(n))
            action.setCheckable(True)
            lessons.addAction(action)
            self.lesson_actions[name] = action
        self._mark_last_lesson()
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file.addSeparator()
        file.addActions([self.act_save, self.act_save_as])
        self._make_export_menu(file)
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        train = bar.addMenu("&Training")
        train.addActions([self.act_play, self.act_step, self.act_step_pattern, self.act_phase])
        train.addSeparator()
        train.addActions([self.act_reset, self.act_new_seed])
        train.addSeparator()
        train.addAction(self.act_study)
        net = bar.addMenu("&Network")
        net.addActions([self.act_add_neuron, self.act_remove_neuron, self.act_add_layer,
                        self.act_remove_layer])
        net.addSeparator()
        self._make_dataset_menu(net)
        view = bar.addMenu("&View")
        view.addActions([self.act_fit, self.act_explain])
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        help_ = bar.addMenu("&Help")
        help_.addAction(self._action("&About aeviz", self._about))
        self._make_classroom_menu(view, help_)

    def _make_toolbar(self) -> None:
        tb = QToolBar("Main")
        tb.setObjectName("Main toolbar")
        tb.setMovable(False)
        self.addToolBar(tb)
        tb.addActions([self.act_open, self.act_save])
        tb.addSeparator()
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addActions([self.act_add_neuron, self.act_remove_neuron, self.act_add_layer,
                       self.act_remove_layer])
        tb.addSeparator()
        tb.addWidget(QLabel(" Feed "))
        self.pattern_box = QComboBox()
        self.pattern_box.setAccessibleName("Pattern")
        self.pattern_box.setToolTip("The pattern fed to the network (keys 1–9)")
        self.pattern_box.activated.connect(self.feed_pattern)
        tb.addWidget(self.pattern_box)
        tb.addSeparator()
        self.selection_label = QLabel()
        self.selection_label.setAccessibleName("Selection")
        tb.addWidget(self.selection_label)
        self.selection_edit = QLineEdit()
        self.selection_edit.setAccessibleName("Selected value")
        self.selection_edit.setMaximumWidth(110)
        self.selection_edit.setPlaceholderText("value")
        self.selection_edit.returnPressed.connect(self._on_selection_typed)
        tb.addWidget(self.selection_edit)

    def _make_shortcuts(self) -> None:
        self.pattern_shortcuts = []
        for k in range(1, 10):
            sc = QShortcut(QKeySequence(str(k)), self)
            sc.setContext(Qt.WindowShortcut)
            sc.activated.connect(lambda k=k: self.feed_pattern(k - 1))
            self.pattern_shortcuts.append(sc)

    # --- feeding and editing -------------------------------------------------------
    def feed_pattern(self, index: int) -> None:
        try:
            self.doc.feed_pattern(index)
        except EditRefused as e:
            self.show_refusal(str(e))
            return
        self._on_input_fed()

    def _on_structure_changed(self) -> None:
        self.pattern_box.clear()
        for p, x in enumerate(self.doc.data()):
            self.pattern_box.addItem(f"{p + 1}:  {pattern_text(x)}")
        self._lesson_expanded = False
        self._show_lesson()
        self._on_values_changed()

    def _show_lesson(self) -> None:
        """The lesson's title and first paragraph; "more" shows the rest."""
        from html import escape
        paragraphs = [escape(p) for p in self.doc.model.description.split("\n\n") if p.strip()]
        text = ("<b>Welcome to aeviz!</b> Press <b>Space</b> to train, <b>N</b> to walk "
                "through one update step by step, <b>F1</b> for explanations; more lessons "
                "are in File → Lessons.<br>" if self.first_run else "")
        text += f"<b>{escape(self.doc.model.name)}</b>"
        if paragraphs:
            shown = paragraphs if self._lesson_expanded else paragraphs[:1]
            text += " — " + "<br><br>".join(shown)
            if len(paragraphs) > 1:
                link = "less" if self._lesson_expanded else "more…"
                text += f' &nbsp;<a href="toggle">{link}</a>'
        self.lesson.setText(text)

    def _toggle_lesson(self, _link: str = "") -> None:
        self._lesson_expanded = not self._lesson_expanded
        self._show_lesson()

    def _on_values_changed(self) -> None:
        fed = self.doc.pattern_index()
        if fed is not None:
            self.pattern_box.setCurrentIndex(fed)
        self._on_selection_changed()

    def show_refusal(self, message: str) -> None:
        """An edit that was refused: say why, without a blocking dialog."""
        self.statusBar().showMessage(message[0].upper() + message[1:], 10_000)

    def _update_undo_actions(self) -> None:
        """Short labels (the toolbar keeps its width); the tooltip says what."""
        stack = self.doc.lesson.undo_stack
        for action, can, text, verb in ((self.act_undo, stack.can_undo(), stack.undo_text(), "Undo"),
                                        (self.act_redo, stack.can_redo(), stack.redo_text(), "Redo")):
            action.setEnabled(can)
            action.setToolTip(f"{verb}: {text}" if can else f"Nothing to {verb.lower()}")
            action.setStatusTip(action.toolTip())

    def _update_title(self) -> None:
        name = self.doc.path.name if self.doc.path else "unsaved"
        self.setWindowTitle(f"{self.doc.model.name} — {name}[*] — aeviz")
        self.setWindowModified(self.doc.modified)

    def plot_widgets(self) -> list:
        import pyqtgraph as pg
        return self.findChildren(pg.PlotWidget) + self.findChildren(pg.GraphicsLayoutWidget)

    def show_explain(self) -> None:
        self.findChild(QDockWidget, "Explain").raise_()
        self.explain.refresh()

    def _about(self) -> None:
        QMessageBox.about(self, "About aeviz",
                          f"<b>aeviz {__version__}</b><br>A desktop app that teaches "
                          "autoencoders: watch a small network learn, neuron by neuron.<br><br>"
                          "Released under the MIT licence: free to use, copy, modify and "
                          "share, with no warranty. Built with Python, NumPy, Qt (PySide6) "
                          "and pyqtgraph.")

    # --- window state ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """Geometry, docks, text size and training speed from the last session."""
        self.fit_docks()
        geometry = settings.read(settings.GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        state = settings.read(settings.WINDOW_STATE)
        if state:
            self.restoreState(state, settings.SCHEMA)
        self._set_font_step(min(max(settings.read(settings.FONT_STEP), 0), len(FONT_STEPS) - 1))
        self.set_theme(settings.read(settings.THEME), remember=False)
        self.training.set_speed(settings.read(settings.SPEED))

    def fit_docks(self) -> None:
        """Give the diagram most of the window: side panel ~28 %, bottom ~24 %."""
        docks = {d.objectName(): d for d in self.findChildren(QDockWidget)}
        self.resizeDocks([docks["Values"]], [max(300, int(self.width() * 0.28))], Qt.Horizontal)
        self.resizeDocks([docks["Patterns"]], [max(170, int(self.height() * 0.28))], Qt.Vertical)
        third = int(self.width() * 0.33)
        self.resizeDocks([docks["Patterns"], docks["Loss"], docks["Code space"]],
                         [third, third, third], Qt.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in self.findChildren(QDialog):     # e.g. a neuron dialog left open
            if dialog.isVisible():
                dialog.reject()
        self.controller.pause()
        if not self.may_discard():
            event.ignore()
            return
        self.controller.shutdown()
        self.autosaver.discard()              # a clean exit leaves nothing to recover
        if getattr(self, "presenting", False):
            self.set_presenter(False)
        if not self.remember:                 # e.g. `aeviz screenshot`: leave settings alone
            event.accept()
            return
        settings.write(settings.GEOMETRY, self.saveGeometry())
        settings.write(settings.WINDOW_STATE, self.saveState(settings.SCHEMA))
        settings.write(settings.FONT_STEP, self._font_step)
        settings.write(settings.SPEED, self.controller.speed)
        event.accept()
