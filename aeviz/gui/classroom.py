"""For the classroom: presenter mode (F5, Esc leaves), zoom of the whole UI
(Ctrl+= / Ctrl+-), "predict, then reveal" (values hidden until R), and the
keyboard-shortcut sheet.  A mixin of MainWindow."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from aeviz.gui import settings, theme

_BASE_FONT: float | None = None
FONT_STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
PRESENTER_FONT = 1.5
EXTRA_KEYS = [
    ("Feed pattern 1–9", "1 … 9"),
    ("Selected weight/bias: flip sign, set +1, −1, 0", "F, +, −, 0"),
    ("Selected weight/bias: nudge by 0.1 (Shift: 0.01)", "mouse wheel"),
    ("Zoom the diagram", "Ctrl+wheel"),
    ("Clear the selection", "Esc"),
]


class ClassroomMixin:
    """Needs ``self.diagram``, ``self.values``, ``self.doc`` and ``self._action``."""

    def _make_classroom_actions(self) -> None:
        a = self._action
        self.act_presenter = a("Presenter mode", self.toggle_presenter, "F5",
                               "Full screen, larger text, only the panels chosen below (F5; "
                               "Esc leaves)")
        self.act_presenter.setCheckable(True)
        self.act_zoom_in = a("Larger text", lambda: self.zoom_ui(+1), QKeySequence("Ctrl+="))
        self.act_zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.act_zoom_out = a("Smaller text", lambda: self.zoom_ui(-1), QKeySequence("Ctrl+-"))
        self.act_predict = a("Predict, then reveal", self.toggle_predict, "Ctrl+P",
                             "Hide the code and output until R reveals them")
        self.act_predict.setCheckable(True)
        self.act_reveal = a("Reveal", self.reveal, "R", "Show the hidden values (R)")
        self.act_keys = a("Keyboard shortcuts", self.show_shortcuts, QKeySequence("Ctrl+/"))
        self.act_leave = a("Leave presenter mode", lambda: self.set_presenter(False), "Esc")
        self.act_leave.setEnabled(False)            # Esc means "leave" only while presenting
        self.addAction(self.act_leave)
        global _BASE_FONT
        if _BASE_FONT is None:                   # the size before any window zoomed it
            _BASE_FONT = QApplication.font().pointSizeF()
        self._font_step = FONT_STEPS.index(1.0)
        self._base_font = _BASE_FONT
        self.predicting = self.revealed = False
        self._presenter_hidden: list[QDockWidget] = []

    def _make_classroom_menu(self, view_menu, help_menu) -> None:
        view_menu.addSeparator()
        view_menu.addActions([self.act_presenter, self.act_zoom_in, self.act_zoom_out,
                              self.act_predict, self.act_reveal])
        self.presenter_menu = view_menu.addMenu("Presenter mode shows")
        self.presenter_shows = {}
        for dock in self.findChildren(QDockWidget):
            act = QAction(dock.objectName(), self, checkable=True)
            act.setChecked(dock.objectName() in ("Values", "Loss", "Code space"))
            self.presenter_menu.addAction(act)
            self.presenter_shows[dock.objectName()] = act
        help_menu.addAction(self.act_keys)
        themes = view_menu.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for name in settings.THEMES:
            act = QAction(name.capitalize() + (" (follow the system)" if name == "system" else ""),
                          self, checkable=True)
            act.triggered.connect(lambda _c=False, name=name: self.set_theme(name))
            group.addAction(act)
            themes.addAction(act)
            self.theme_actions[name] = act

    def set_theme(self, name: str, remember: bool = True) -> None:
        """Light, dark or the system's; the diagram and the plots follow."""
        dark = theme.apply(name)
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
        self.dark = dark

    # --- presenter mode -------------------------------------------------------------------
    def toggle_presenter(self) -> None:
        self.set_presenter(not getattr(self, "presenting", False))

    def set_presenter(self, on: bool) -> None:
        if on == getattr(self, "presenting", False):
            return
        self.presenting = on
        self.act_presenter.setChecked(on)
        self.act_leave.setEnabled(on)
        if on:
            self._normal_step = self._font_step
            self._presenter_hidden = [d for d in self.findChildren(QDockWidget)
                                      if d.isVisible() and not
                                      self.presenter_shows[d.objectName()].isChecked()]
            for dock in self._presenter_hidden:
                dock.hide()
            self._set_font_scale(max(FONT_STEPS[self._font_step], PRESENTER_FONT))
            self.showFullScreen()
        else:
            for dock in self._presenter_hidden:
                dock.show()
            self._presenter_hidden = []
            self._set_font_step(self._normal_step)
            self.showNormal()
        self.diagram.set_presenting(on)

    # --- zoom of the whole UI ---------------------------------------------------------------
    def zoom_ui(self, direction: int) -> None:
        self._set_font_step(min(max(self._font_step + direction, 0), len(FONT_STEPS) - 1))

    def _set_font_step(self, step: int) -> None:
        self._font_step = step
        self._set_font_scale(FONT_STEPS[step])

    def _set_font_scale(self, scale: float) -> None:
        self.font_scale = scale
        font = QApplication.font()
        font.setPointSizeF(self._base_font * scale)
        QApplication.setFont(font)
        for widget in [self] + self.findChildren(QDockWidget):
            widget.setFont(font)

    # --- predict, then reveal --------------------------------------------------------------
    def toggle_predict(self) -> None:
        self.predicting = self.act_predict.isChecked()
        self.revealed = False
        self._apply_hiding()

    def reveal(self) -> None:
        self.revealed = True
        self._apply_hiding()

    def _on_input_fed(self) -> None:
        """A new input: in predict mode its code and output are hidden again."""
        if self.predicting and self.revealed:
            self.revealed = False
            self._apply_hiding()

    def _apply_hiding(self) -> None:
        hide = self.predicting and not self.revealed
        net = self.doc.network
        self.diagram.hidden_layers = set(range(1, net.depth + 1)) if hide else set()
        self.values.hidden = self.patterns.hidden = hide
        self.code_space.set_hidden(hide)
        self.diagram.refresh()
        self.values.refresh()
        self.patterns.refresh()

    # --- the keyboard sheet ------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in self.findChildren(QAction):
            keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())
            if keys and action.text():
                rows.append((action.text().replace("&", ""), keys))
        return sorted(set(rows)) + EXTRA_KEYS

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(dialog)
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName("Shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        for r, (text, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(text))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(table)
        dialog.resize(520, 600)
        self.shortcut_sheet = dialog
        dialog.show()
