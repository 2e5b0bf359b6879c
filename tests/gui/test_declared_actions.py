"""Actions are declared as plain data with their placement (napari's declared
actions): no widget in a declaration, the menus and toolbars built from where
each action says it goes, and no panel or controller patched by another."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QToolBar

import aeviz.gui
from aeviz.gui.panels import generate_panel
from aeviz.gui.window import menus
from aeviz.gui.window.actions import ActionSpec, Place

GUI = Path(aeviz.gui.__file__).parent
DYNAMIC = {"&Lessons", "Open &Recent", "&Dataset", "Presenter mode shows", "Theme"}

MENUS = [
    ["&File", ["new", "open", ["&Lessons"], ["Open &Recent"], "---", "save", "save_as",
               ["&Export", ["*", "---", "copy_diagram"]], "---", "quit"]],
    ["&Edit", ["undo", "redo"]],
    ["&Training", ["play", "step", "step_update", "phase", "---", "reset", "new_seed", "---",
                   "class_speed", "---", "study"]],
    ["&Network", ["add_neuron", "remove_neuron", "add_layer", "remove_layer", "---",
                  ["&Dataset"]]],
    ["&Generate", ["decode_here", "walk", "sample", "---", "variational"]],
    ["&View", ["fit", "explain", "lesson_text", "---", "panel_Values", "panel_Training",
               "panel_Settings", "panel_Explain", "panel_Patterns", "panel_Loss",
               "panel_Code space", "panel_Generate", "---", "presenter", "zoom_in",
               "zoom_out", "predict", "reveal", ["Presenter mode shows"], ["Theme"]]],
    ["&Guide", ["guide_back", "guide_next", "---", "guide_pane", "guide_restart"]],
    ["&Help", ["about", "keys"]],
]
TOOLBARS = {
    "Main toolbar": ["open", "save", "---", "undo", "redo", "---", "add_neuron",
                     "remove_neuron", "add_layer", "remove_layer", "---", "QLabel", "FeedBox",
                     "---", "QLabel", "QLineEdit"],
    "Training toolbar": ["play", "step", "step_update", "phase", "---", "reset", "new_seed",
                         "---", "class_speed"],
}


def tree(menu) -> list:
    out: list = []
    for a in menu.actions():
        if a.isSeparator():
            out.append("---")
        elif a.menu() is not None:
            out.append([a.text()] if a.text() in DYNAMIC else [a.text(), tree(a.menu())])
        elif a.objectName():
            out.append(a.objectName())
        elif out[-1:] != ["*"]:
            out.append("*")                  # entries a controller adds (export formats)
    return out


def test_the_menus_and_toolbars_are_built_where_the_declarations_place_them(window):
    assert [[a.text(), tree(a.menu())] for a in window.menuBar().actions()] == MENUS
    bars = {tb.objectName(): [("---" if a.isSeparator() else a.objectName()
                               or type(tb.widgetForAction(a)).__name__) for a in tb.actions()]
            for tb in window.findChildren(QToolBar)}
    assert bars == TOOLBARS


def test_every_placed_action_says_where_and_no_declaration_holds_a_widget(window):
    specs = window.registry.specs
    for spec in specs.values():
        for field in dataclasses.fields(ActionSpec):
            value = getattr(spec, field.name)
            assert not isinstance(value, QObject), (spec.id, field.name)
    placed = {s.id for s in specs.values() if s.menu is not None}
    assert placed == {a.objectName() for m in window.menuBar().actions()
                      for a in _all(m.menu()) if a.objectName() in specs}
    assert specs["undo"].toolbar == Place("Main", 1) and specs["undo"].icon == "SP_ArrowBack"
    assert specs["add_neuron"].scope == "diagram"          # keys only with the diagram's focus
    assert window.registry["add_neuron"] in window.diagram.actions()


def _all(menu):
    for a in menu.actions():
        yield a
        if a.menu() is not None:
            yield from _all(a.menu())


def test_moving_a_declaration_moves_the_action(window):
    """The placement lives in the declaration: a new Place is all it takes."""
    from aeviz.gui.window.actions import Actions
    from PySide6.QtWidgets import QMenu
    actions = Actions(window)
    actions.declare([ActionSpec("b", "B", lambda: None, menu=Place("M", 1)),
                     ActionSpec("a", "A", lambda: None, menu=Place("M", 0, 1)),
                     ActionSpec("c", "C", lambda: None, menu=Place("M", 0, 0))])
    menu = QMenu(window)
    menus._fill_menu(menu, "M", actions, [])
    assert [a.objectName() or "---" for a in menu.actions()] == ["c", "a", "---", "b"]


def test_menus_repeat_no_action_ids():
    source = inspect.getsource(menus)
    from aeviz.gui.window.main_window import MainWindow  # noqa: F401 (the ids are declared)
    quoted = set(re.findall(r'"([a-z_]+)"', source))
    ids = {"new", "open", "save", "save_as", "undo", "redo", "add_neuron", "remove_neuron",
           "add_layer", "remove_layer", "step", "phase", "reset", "study", "walk", "sample",
           "fit", "explain", "about", "keys", "guide_next", "guide_back", "quit"}
    assert not quoted & ids, quoted & ids


def test_no_panel_registers_itself_and_no_controller_is_patched(window):
    assert not hasattr(window.generate, "show_panel")
    assert not re.search(r"\bcontroller\.\w+\s*=", inspect.getsource(generate_panel))
    main = (GUI / "window" / "main_window.py").read_text(encoding="utf-8")
    assert not re.search(r"self\.(generate|files|editing|guide|stage|classroom)\.\w+\s*=(?!=)",
                         main)
    window.registry["sample"].trigger()                   # the dock is asked for by a signal
    assert window.generate_dock.built() and window.generate.panel is window.generate_panel
