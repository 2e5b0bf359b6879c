"""For the classroom: presenter mode (F5, Esc leaves), zoom of the whole UI
(Ctrl+= / Ctrl+-), "predict, then reveal" (values hidden until R; any new
input hides them again), the theme, and the keyboard-shortcut sheet."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QFont
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QHeaderView, QMainWindow,
                               QMenu, QTableWidget, QTableWidgetItem, QToolBar, QVBoxLayout)

from aeviz.gui.runtime import settings
from aeviz.gui.window import theme
from aeviz.gui.window.actions import Actions, ActionSpec, Place
from aeviz.gui.window.window_fit import fill
from aeviz.gui.runtime.document import Document

PREDICT_FIRST = ("The prediction is still hidden: reveal it first (R), or turn "
                 "\"Predict, then reveal\" off (Ctrl+P). Stepping through an update "
                 "shows the code and the output.")
DECODE_PREDICT_FIRST = ("The prediction is still hidden: reveal it first (R), or turn "
                        "\"Predict, then reveal\" off (Ctrl+P). A code decoded by hand "
                        "shows the decoder's output.")
FONT_STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
PRESENTER_FONT = 1.5              # presenter mode starts at least this large
PLOT_MAX = 2.0                    # plots' text grows with the UI up to this
DEFAULT_PRESENTER_DOCKS: tuple[str, ...] = ()   # the stage: diagram and context strip only
EXTRA_KEYS = [
    ("Feed pattern 1–9", "1 … 9"),
    ("Selected weight/bias: flip sign, set +1, −1, 0", "F, +, −, 0"),
    ("Selected weight/bias: nudge by 0.1 (Shift: 0.01)", "mouse wheel"),
    ("Zoom the diagram", "Ctrl+wheel"),
    ("Clear the selection", "Esc"),
]
_BASE_FONT: float | None = None          # the application's font size before any zoom


class ClassroomController:
    def __init__(self, window: QMainWindow, doc: Document, diagram, values, patterns,
                 code_space, plot_widgets: Callable[[], list], lesson=None,
                 keeps_reveal: Callable[[], bool] = lambda: False,
                 keeps_on_stage: Callable[[], set[str]] = set) -> None:
        global _BASE_FONT
        if _BASE_FONT is None:
            _BASE_FONT = QApplication.font().pointSizeF()
        self.window, self.doc, self.diagram = window, doc, diagram
        self.values, self.patterns, self.code_space = values, patterns, code_space
        self.plot_widgets = plot_widgets
        self.lesson = lesson                       # the lesson text (follows the text size)
        self.actions_: Actions | None = None
        self.font_step = FONT_STEPS.index(1.0)
        self.font_scale = 1.0
        self.presenting = False
        self.predicting = self.revealed = False
        # an input that is no new question (the window's rule: a step-through's own)
        self.keeps_reveal = keeps_reveal
        # the panels the stage keeps though "Presenter mode shows" leaves them out (the
        # guide's open step points at them: F5 mid-step must not take them away)
        self.keeps_on_stage = keeps_on_stage
        self.theme_name = "system"
        self.dark = False
        self._normal_step = self.font_step        # the step before F5, back after Esc
        self._presenter_hidden: list = []          # docks and toolbars F5 hid
        self._window_state = Qt.WindowNoState      # the window's state before F5
        self._window_geometry = b""
        self._docks_state = b""
        self._dock_sizes: dict[int, dict] = {}     # font step -> the panels' sizes there
        self.presenter_shows: dict[str, QAction] = {}
        self.presenter_hooks: list[Callable[[bool], None]] = []   # told after F5 / Esc
        self.hiding_hooks: list[Callable[[], None]] = []   # told after predict hides / reveal shows
        self.theme_actions: dict[str, QAction] = {}
        self.shortcut_sheet: QDialog | None = None
        doc.input_changed.connect(self._on_input_changed)
        doc.structure_changed.connect(self._on_structure_changed)
        from aeviz.gui.panels.plots import LossPanel
        for view in window.findChildren(LossPanel):    # its point for now: the hidden loss
            self.hide_too(view)

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec("presenter", "Presenter mode", self.toggle_presenter, ("F5",),
                       "Full screen, larger text, only the panels chosen below (F5; Esc leaves)",
                       checkable=True,
                       menu=Place("&View", 2)),
            ActionSpec("zoom_in", "Larger text", lambda: self.zoom_ui(+1), ("Ctrl+=", "Ctrl++"),
                       menu=Place("&View", 2)),
            ActionSpec("zoom_out", "Smaller text", lambda: self.zoom_ui(-1), ("Ctrl+-",),
                       menu=Place("&View", 2)),
            ActionSpec("predict", "Predict, then reveal", self.toggle_predict, ("Ctrl+P",),
                       "Hide the code and output until R reveals them", checkable=True,
                       menu=Place("&View", 2)),
            ActionSpec("reveal", "Reveal", self.reveal, ("R",), "Show the hidden values (R)",
                       menu=Place("&View", 2)),
            ActionSpec("keys", "Keyboard shortcuts", self.show_shortcuts, ("Ctrl+/",),
                       menu=Place("&Help", 0, 1)),
            ActionSpec("leave_presenter", "Leave presenter mode", self.escape, ("Esc",),
                       enabled_when=lambda: self.presenting),
        ]

    def bind(self, actions: Actions) -> None:
        self.actions_ = actions
        actions.update_enabled()

    def fill_presenter_shows(self, shows: QMenu, docks: list[QDockWidget]) -> None:
        """View → Presenter mode shows: which docks presenter mode keeps."""
        for dock in docks:
            act = shows.addAction(dock.objectName())
            act.setCheckable(True)
            act.setChecked(dock.objectName() in DEFAULT_PRESENTER_DOCKS)
            self.presenter_shows[dock.objectName()] = act
            act.toggled.connect(lambda on, dock=dock: self._on_presenter_show(dock, on))

    def fill_theme_menu(self, themes: QMenu) -> None:
        """View → Theme: light, dark or the system's."""
        group = QActionGroup(themes)
        for name in settings.THEMES:
            act = themes.addAction(name.capitalize()
                                   + (" (follow the system)" if name == "system" else ""))
            act.setCheckable(True)
            act.triggered.connect(lambda _c=False, name=name: self.set_theme(name))
            group.addAction(act)
            self.theme_actions[name] = act

    # --- theme -------------------------------------------------------------------------------
    def set_theme(self, name: str, remember: bool = True) -> None:
        """Light, dark or the system's; the diagram and the plots follow."""
        self.dark = theme.apply(name)
        self.theme_actions[name].setChecked(True)
        self.theme_name = name
        if remember:
            settings.write(settings.THEME, name)
        self.diagram.set_colors(theme.background(), theme.foreground())
        for plot in self.plot_widgets():
            plot.setBackground(theme.background())
            for side in ("left", "bottom"):
                axis = plot.getPlotItem().getAxis(side) if hasattr(plot, "getPlotItem") else None
                if axis is not None:
                    axis.setPen(theme.foreground())
                    axis.setTextPen(theme.foreground())

    # --- presenter mode -------------------------------------------------------------------
    def escape(self) -> None:
        """Esc: an open menu or popup closes first; only then presenter mode ends."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
            return
        self.set_presenter(False)

    def _on_presenter_show(self, dock: QDockWidget, on: bool) -> None:
        """A "Presenter mode shows" choice made on stage acts at once."""
        if not self.presenting:
            return
        if on:
            dock.show()
            dock.raise_()
        else:
            dock.hide()

    def toggle_presenter(self) -> None:
        self.set_presenter(not self.presenting)

    def set_presenter(self, on: bool) -> None:
        if on == self.presenting:
            return
        self.presenting = on
        self.actions_["presenter"].setChecked(on)
        self.actions_.update_enabled()
        w = self.window
        if on:                    # the sizes from before the stage (its hooks change them)
            self._window_state = w.windowState()
            self._window_geometry = w.saveGeometry()
            self._docks_state = w.saveState()
        for hook in self.presenter_hooks:          # the stage's title and strip, first
            hook(on)
        if on:
            self._normal_step = self.font_step
            keep = self.keeps_on_stage()
            self._presenter_hidden = [d for d in w.findChildren(QDockWidget)
                                      if d.isVisible() and d.objectName() not in keep and not
                                      self.presenter_shows[d.objectName()].isChecked()]
            self._presenter_hidden += [t for t in w.findChildren(QToolBar) if t.isVisible()]
            for widget in self._presenter_hidden:
                widget.hide()
            # Ctrl+=/− go on from here: from the presenter's size, not from 1.0
            self.set_font_step(max(self.font_step, FONT_STEPS.index(PRESENTER_FONT)))
            w.showFullScreen()
            self._fill(full=True)            # the screen, with or without a window manager
            if hasattr(w, "fit_docks"):      # panels sized for the new text, once it is laid out
                QTimer.singleShot(0, w, w.fit_docks)
        else:
            for widget in self._presenter_hidden:
                widget.show()
            self._presenter_hidden = []
            self.set_font_step(self._normal_step)
            self._restore_window()
            # the panels' sizes from before F5, once the window has its old size back
            w.restoreState(self._docks_state)
            # again once the window's own resize has been delivered (the platform sends it
            # after the first zero-timer on some systems), and once more after its layout
            state = self._docks_state
            QTimer.singleShot(0, w, lambda: (w.restoreState(state),
                                             QTimer.singleShot(0, w, lambda: w.restoreState(state))))
        self.diagram.set_presenting(on)

    def _restore_window(self) -> None:
        """Exactly the state from before F5: maximised stays maximised."""
        w, state = self.window, self._window_state
        if state & Qt.WindowFullScreen:
            w.showFullScreen()
        elif state & Qt.WindowMaximized:
            w.showNormal()
            w.restoreGeometry(self._window_geometry)
            w.showMaximized()
            self._fill(full=False)
        else:
            w.showNormal()
            w.restoreGeometry(self._window_geometry)

    def _fill(self, full: bool) -> None:
        """Full screen (or maximised) covers the screen (or its available area) now
        and once the platform has answered (:func:`aeviz.gui.window.window_fit.fill`)."""
        w = self.window

        def place() -> None:
            state = Qt.WindowFullScreen if full else Qt.WindowMaximized
            screen = w.screen()
            if screen is not None and w.windowState() & state:
                fill(w, screen.geometry() if full else screen.availableGeometry())
        place()
        QTimer.singleShot(0, w, place)

    # --- zoom of the whole UI ---------------------------------------------------------------
    def zoom_ui(self, direction: int) -> None:
        step = min(max(self.font_step + direction, 0), len(FONT_STEPS) - 1)
        w = self.window
        if not self.presenting:              # larger text widens the panels: Ctrl+− gives
            self._dock_sizes[self.font_step] = self._shown_dock_sizes()   # their sizes back
        self.set_font_step(step)
        if self.presenting and hasattr(w, "stage"):   # the panel on stage: its share again
            w.stage.fit_later()
        elif step in self._dock_sizes:
            sizes = self._dock_sizes[step]
            # once the new text is laid out (its minimum sizes), and again after that layout
            QTimer.singleShot(0, w, lambda: (self._resize_docks(sizes), QTimer.singleShot(
                0, w, lambda: self._resize_docks(sizes))))

    def _shown_dock_sizes(self) -> dict:
        """{dock: (width, height)} of the docked panels on screen (a tab behind
        another has no size of its own)."""
        return {d: (d.width(), d.height()) for d in self.window.findChildren(QDockWidget)
                if d.isVisible() and not d.isFloating() and not d.visibleRegion().isEmpty()}

    def _resize_docks(self, sizes: dict) -> None:
        if self.presenting:
            return
        docks = [d for d in sizes if d.isVisible() and not d.isFloating()]
        w = self.window
        w.resizeDocks(docks, [sizes[d][0] for d in docks], Qt.Horizontal)
        w.resizeDocks(docks, [sizes[d][1] for d in docks], Qt.Vertical)

    def set_font_step(self, step: int) -> None:
        """In presenter mode the step is the presenter's; Esc returns to the step
        from before F5."""
        self.font_step = step
        self._set_font_scale(FONT_STEPS[step])

    def normal_font_step(self) -> int:
        """The step outside presenter mode (what is remembered for the next start)."""
        return self._normal_step if self.presenting else self.font_step

    def _set_font_scale(self, scale: float) -> None:
        self.font_scale = scale
        font = QApplication.font()
        font.setPointSizeF(_BASE_FONT * scale)
        QApplication.setFont(font)
        for widget in [self.window] + self.window.findChildren(QDockWidget):
            widget.setFont(font)
        self.diagram.set_text_scale(scale)
        # plot text (ticks, axis labels, legends) follows up to PLOT_MAX: larger, ticks pile up
        from aeviz.gui.panels.plots import scale_plot, set_plot_text
        points = _BASE_FONT * min(scale, PLOT_MAX)
        set_plot_text(points)
        for plot in self.plot_widgets():
            scale_plot(plot, points)
        if hasattr(self.code_space, "set_text_scale"):
            self.code_space.set_text_scale(min(scale, PLOT_MAX))
        if self.lesson is not None:
            self.lesson.set_text_scale(scale)

    # --- predict, then reveal --------------------------------------------------------------
    def toggle_predict(self) -> None:
        self.predicting = self.actions_["predict"].isChecked()
        self.revealed = False
        self._apply_hiding()

    def reveal(self) -> None:
        self.revealed = True
        self._apply_hiding()

    @property
    def hiding(self) -> bool:
        """Predicting and not yet revealed: the code and the output are "?"."""
        return self.predicting and not self.revealed

    def hide_too(self, view) -> None:
        """A view that shows the output too (a tab built later): from now on
        ``view.set_hidden(hide)`` follows predict and reveal."""
        self.hiding_hooks.append(lambda: view.set_hidden(self.hiding))
        view.set_hidden(self.hiding)

    def _on_input_changed(self) -> None:
        """Any new input (a key, the Feed list, a click on an input neuron): in
        predict mode its code and output are hidden again; not the pattern a
        step-through walk (revealed) feeds as it trains on it (``keeps_reveal``)."""
        if self.predicting and self.revealed and not self.keeps_reveal():
            self.revealed = False
            self._apply_hiding()

    def _on_structure_changed(self) -> None:
        """New layers: hide them too while predicting (nothing to do otherwise)."""
        if self.predicting and not self.revealed:
            self._apply_hiding()

    def _apply_hiding(self) -> None:
        hide = self.predicting and not self.revealed
        net = self.doc.lesson.network
        self.diagram.hidden_layers = set(range(1, net.depth + 1)) if hide else set()
        self.values.hidden = self.patterns.hidden = hide
        self.code_space.set_hidden(hide)
        self.diagram.refresh()
        self.values.refresh()
        self.patterns.refresh()
        for hook in self.hiding_hooks:             # the stage's strip quotes the Values panel
            hook()

    # --- the keyboard sheet ------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every action with keys, once (an action named twice is listed once)."""
        rows, seen = [], set()
        for text, keys in self.actions_.shortcut_rows() + EXTRA_KEYS:
            if text not in seen:
                seen.add(text)
                rows.append((text, keys))
        return rows

    def show_shortcuts(self) -> None:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(dialog)
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName("Shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().setVisible(False)          # a key sheet, not a spreadsheet
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for r, (text, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(text))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(table)
        dialog.resize(520, 600)
        if self.shortcut_sheet is not None:
            self.shortcut_sheet.deleteLater()
        self.shortcut_sheet = dialog
        dialog.show()
