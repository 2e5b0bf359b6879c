"""Light and dark themes, remembered; the data colours stay the same."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from aeviz.gui.window import colors
from aeviz.gui.runtime import settings
from aeviz.gui.window import theme
from aeviz.gui.window.main_window import MainWindow


def test_dark_and_light_themes(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.classroom.theme_actions["dark"].trigger()
    assert QApplication.palette().window().color().lightness() < 100
    assert w.diagram.backgroundBrush().color().lightness() < 100
    plain = [h for h in w.diagram.headers if not h.data(0)[2]]     # not the code's accent
    assert plain and all(h.brush().color().lightness() > 150 for h in plain)   # light ink
    assert all(p.backgroundBrush().color().lightness() < 100 for p in w.plot_widgets())
    assert settings.read(settings.THEME) == "dark"
    # the colour scale is the theme's exception: orange for +1 in both
    assert colors.color(1.0).name() == "#e66101"
    w.classroom.theme_actions["light"].trigger()
    assert QApplication.palette().window().color().lightness() > 150
    assert w.diagram.backgroundBrush().color().lightness() > 200
    assert all(h.brush().color().lightness() < 100 for h in w.diagram.headers
               if not h.data(0)[2])
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.classroom.theme_name == "light"
    w.classroom.theme_actions["dark"].trigger()
    w.classroom.theme_actions["system"].trigger()          # follows the system from dark
    assert w.classroom.theme_name == "system" and settings.read(settings.THEME) == "system"
    assert w.classroom.theme_actions["system"].isChecked()
    dark = theme.system_is_dark()
    assert (QApplication.palette().window().color().lightness() < 100) == dark
    assert (w.diagram.backgroundBrush().color().lightness() < 100) == dark
    assert all((p.backgroundBrush().color().lightness() < 100) == dark for p in w.plot_widgets())
