"""The main window's menu bar and toolbars, built from the declared actions
(:mod:`aeviz.gui.actions`); each function takes the MainWindow."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QStyle, QToolBar


def build_menus(window, docks: list[QDockWidget]) -> None:
    """The menu bar, from the declared actions."""
    a, bar = window.registry, window.menuBar()
    file = bar.addMenu("&File")
    a.fill(file, ["new", "open"])
    window.files.set_lessons_menu(file.addMenu("&Lessons"))
    window.files.set_recent_menu(file.addMenu("Open &Recent"))
    a.fill(file, [None, "save", "save_as"])
    export = file.addMenu("&Export")
    window.files.fill_export_menu(export)
    a.fill(export, [None, "copy_diagram"])
    a.fill(file, [None, "quit"])
    a.fill(bar.addMenu("&Edit"), ["undo", "redo"])
    a.fill(bar.addMenu("&Training"), ["play", "step", "step_update", "phase", None,
                                      "reset", "new_seed", None, "class_speed", None,
                                      "study"])
    net = bar.addMenu("&Network")
    a.fill(net, ["add_neuron", "remove_neuron", "add_layer", "remove_layer", None])
    window.datasets.fill_menu(net.addMenu("&Dataset"))
    a.fill(bar.addMenu("&Generate"), ["decode_here", "walk", "sample", None, "variational"])
    view = bar.addMenu("&View")
    a.fill(view, ["fit", "explain", "lesson_text"])
    # the panels' own actions (a dock's toggleViewAction is greyed: they are not closable)
    a.fill(view, [None] + [f"panel_{d.objectName()}" for d in docks])
    window.classroom.fill_view_menu(view, docks)
    a.fill(bar.addMenu("&Guide"), ["guide_back", "guide_next", None, "guide_pane",
                                   "guide_restart"])
    a.fill(bar.addMenu("&Help"), ["about", "keys"])

def build_toolbars(window) -> None:
    """The Main and Training toolbars; the Main one holds the pattern box and the
    selected weight's editor."""
    a = window.registry
    main = _toolbar(window, "Main")
    # Undo/Redo as icons: the toolbar never changes width; the tooltip says what
    a["undo"].setIcon(window.style().standardIcon(QStyle.SP_ArrowBack))
    a["redo"].setIcon(window.style().standardIcon(QStyle.SP_ArrowForward))
    a.fill(main, ["open", "save", None, "undo", "redo", None, "add_neuron",
                  "remove_neuron", "add_layer", "remove_layer", None])
    main.addWidget(QLabel(" Feed "))
    window.pattern_box = QComboBox()
    from aeviz.gui.pattern_list import PatternListModel
    window.pattern_box.setModel(PatternListModel(lambda: window.doc.model.dataset,
                                                 window.pattern_box))
    # never measure every row for the width (100,000 patterns): a fixed length, as
    # wide as "1:  1 0 0 0 0" (the toolbar keeps its value field at 1024 px);
    # the list that drops down is wider
    window.pattern_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    window.pattern_box.setMinimumContentsLength(12)
    # the list's rows are alike: measured on one, not all 1,797 at every font change
    window.pattern_box.view().setUniformItemSizes(True)
    window.pattern_box.view().setMinimumWidth(window.pattern_box.fontMetrics()
                                              .averageCharWidth() * 44)
    window.pattern_box.setAccessibleName("Pattern")
    window.pattern_box.setToolTip("The pattern fed to the network (keys 1–9)")
    window.pattern_box.activated.connect(window.feed_pattern)
    main.addWidget(window.pattern_box)
    main.addSeparator()
    main.addWidget(window.editing.selection_label)
    main.addWidget(window.editing.selection_edit)
    window.addToolBarBreak()
    training = _toolbar(window, "Training")
    a.fill(training, ["play", "step", "step_update", "phase", None, "reset", "new_seed",
                      None, "class_speed"])
    play = training.widgetForAction(a["play"])
    play.setAccessibleName("Play")
    play.setMinimumWidth(70)

def _toolbar(window, name: str) -> QToolBar:
    tb = QToolBar(name)
    tb.setObjectName(f"{name} toolbar")
    tb.setMovable(False)
    window.addToolBar(tb)
    return tb
