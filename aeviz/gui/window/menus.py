"""The main window's menu bar and toolbars, built from the declared actions
(:mod:`aeviz.gui.window.actions`: each says where it is placed); each function takes
the MainWindow.  Only what is not an action is listed here: the menus' order,
the submenus that controllers fill, and the Main toolbar's pattern box and
weight editor."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDockWidget, QLabel, QMenu, QToolBar

from aeviz.gui.window.actions import Actions, Place, fill

Filler = Callable[[QMenu], None] | None
MENUS = ("&File", "&Edit", "&Training", "&Network", "&Generate", "&View", "&Guide", "&Help")


def _submenus(window, docks: list[QDockWidget]) -> list[tuple[Place, str | None, Filler]]:
    """What the menus hold besides the declared actions: (place, title, filled by).
    A title makes a submenu (its own entries are those placed at "parent/title");
    None adds what ``filled by`` adds in place."""
    files, classroom = window.files, window.classroom
    return [
        (Place("&File", 0, 2), "&Lessons", files.set_lessons_menu),
        (Place("&File", 0, 3), "Open &Recent", files.set_recent_menu),
        (Place("&File", 1, 10), "&Export", None),
        (Place("&File/&Export", 0), None, files.fill_export_menu),
        (Place("&Network", 1), "&Dataset", window.datasets.fill_menu),
        (Place("&View", 2, 10), "Presenter mode shows",
         lambda menu: classroom.fill_presenter_shows(menu, docks)),
        (Place("&View", 2, 11), "Theme", classroom.fill_theme_menu),
    ]


def build_menus(window, docks: list[QDockWidget]) -> None:
    """The menu bar: each menu holds the actions declared in it (their ``menu``
    place) and the submenus above, by group and order."""
    extras = _submenus(window, docks)
    for title in MENUS:
        _fill_menu(window.menuBar().addMenu(title), title, window.registry, extras)


def _fill_menu(menu: QMenu, path: str, registry: Actions, extras) -> None:
    entries = [(place, registry[action_id]) for place, action_id in registry.placed("menu", path)]
    for place, title, filler in extras:
        if place.where != path:
            continue
        if title is None:
            entries.append((place, filler))
        else:
            entries.append((place, lambda target, title=title, filler=filler:
                            _submenu(target, f"{path}/{title}", title, filler, registry, extras)))
    fill(menu, entries)


def _submenu(parent: QMenu, path: str, title: str, filler: Filler, registry, extras) -> None:
    menu = parent.addMenu(title)
    _fill_menu(menu, path, registry, extras)
    if filler is not None:
        filler(menu)


def build_toolbars(window) -> None:
    """The Main and Training toolbars; the Main one holds the pattern box and the
    selected weight's editor."""
    a = window.registry
    main = _toolbar(window, "Main")
    a.fill_toolbar(main, "Main")
    main.addSeparator()
    main.addWidget(QLabel(" Feed "))
    from aeviz.gui.panels.pattern_list import FeedBox, PatternListModel
    # as wide as its texts (the 5-2-5's "1:  1 0 0 0 0", a digit's "1797 (7)"),
    # never wider than keeps the value field at 1024 px; never measures every row
    window.pattern_box = FeedBox()
    window.pattern_box.setModel(PatternListModel(lambda: window.doc.lesson.model.dataset,
                                                 window.pattern_box))
    window.pattern_box.setAccessibleName("Pattern")
    window.pattern_box.activated.connect(window.feed_pattern)
    main.addWidget(window.pattern_box)
    main.addSeparator()
    main.addWidget(window.editing.selection_label)
    main.addWidget(window.editing.selection_edit)
    window.addToolBarBreak()
    training = _toolbar(window, "Training")
    a.fill_toolbar(training, "Training")
    play = training.widgetForAction(a["play"])
    play.setAccessibleName("Play")
    play.setMinimumWidth(70)


def _toolbar(window, name: str) -> QToolBar:
    tb = QToolBar(name)
    tb.setObjectName(f"{name} toolbar")
    tb.setMovable(False)
    window.addToolBar(tb)
    return tb
