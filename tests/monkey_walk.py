"""A seeded monkey: a random walk of user-level actions on the real window of one
built-in lesson, run as its own process so that a segfault fails only this walk
(with faulthandler's stack) and never the test run.

    python -X faulthandler tests/monkey_walk.py LESSON SEED STEPS

Every action is printed (flushed) before it runs, so the last line printed names
the action that crashed.  Most walks press Play first, so the actions land while
training runs.  Actions: every menu action (Quit excepted; dialogs answer
"cancel"), every tab of every tab bar and every dock brought to the front,
structure edits, undo/redo, presenter mode on/off, window sizes from 1024x768 to
1920x1080, lesson switches, training on/off, guide Next/Back, the step-through
(step, step update, next phase), edits (a weight, a settings field typed with
good and bad text, a combo box, the batch size, a check box, a fed pattern),
files (save to the walk's folder, open a saved file, New, Ctrl+S), keys a
person presses, and waits while training runs.  An exception escaping a Qt slot ends the
walk with exit status 3 (the app would show a traceback to the class)."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = ((1024, 768), (1280, 800), (1366, 768), (1400, 900), (1440, 900), (1600, 900),
         (1920, 1080), (1100, 700))
SKIP_ACTIONS = {"quit"}                  # ends the walk, not a crash
KEYS = ("Space", "Right", "N", "1", "2", "3", "F", "Escape", "PageDown", "PageUp",
        "Plus", "Minus", "Delete")


def log(text: str) -> None:
    print(text, flush=True)


def type_and_enter(field, text: str) -> None:
    """Type ``text`` into a settings field and press Return, then leave the field
    (editingFinished again on leaving: as a person does)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)
    field.clearFocus()


def exit_on_slot_exception() -> None:
    """An exception in a Qt slot ends the walk at once with exit code 3 (PySide
    would only print it and go on)."""
    def fail(kind, value, tb) -> None:
        log("UNHANDLED EXCEPTION in a Qt slot:\n" + "".join(
            traceback.format_exception(kind, value, tb)))
        sys.stdout.flush()
        os._exit(3)

    sys.excepthook = fail


def stub_dialogs() -> None:
    """Modal dialogs would wait for a click forever: each answers as "cancel"."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    from aeviz.gui.controllers.files import FileController
    for name in ("about", "aboutQt"):
        setattr(QMessageBox, name, staticmethod(lambda *a, **k: None))
    for name in ("question", "warning", "information", "critical"):
        setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.Cancel))
    for name in ("getOpenFileName", "getSaveFileName"):
        setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: "")
    for name in ("getText", "getInt", "getDouble", "getItem"):
        setattr(QInputDialog, name, staticmethod(lambda *a, **k: (None, False)))
    QDialog.exec = lambda self: 0
    QMessageBox.exec = lambda self: QMessageBox.Cancel
    FileController.ask_unsaved = lambda self: "discard"
    FileController.ask_restore = lambda self, when: False
    FileController.show_error = lambda self, title, message: log(f"  (error dialog: {title})")


def open_walk_window(lesson, seed: int):
    """(app, rng, window) for a walk: the collector on the GUI thread, INI settings,
    dialogs stubbed, a window on ``lesson`` (a built-in lesson's name or a Model)
    that leaves the settings alone (not shown)."""
    import numpy as np
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.runtime import gc_guard
    from aeviz.gui.window.main_window import MainWindow
    app = QApplication.instance() or QApplication([])
    gc_guard.install(app)
    QSettings.setDefaultFormat(QSettings.IniFormat)
    stub_dialogs()
    rng = np.random.default_rng(seed)
    window = MainWindow(model=load_preset(lesson) if isinstance(lesson, str) else lesson)
    window.remember = False
    return app, rng, window


def edit_structure(w, rng, kind: str, layer: int) -> None:
    """One structure edit as the Network menu makes it: ``kind`` (add_neuron,
    remove_neuron, add_layer, remove_layer) at ``layer``, the unit or place drawn
    from ``rng``."""
    net = w.doc.lesson.network
    if kind == "add_neuron":
        w.editing.add_neuron(layer)
    elif kind == "remove_neuron":
        w.editing.remove_neuron(layer, int(rng.integers(net.sizes[layer])))
    elif kind == "add_layer":
        w.editing.add_layer(int(rng.integers(net.depth)))
    else:
        w.editing.remove_layer(int(rng.integers(1, net.depth + 1)))


def walk(lesson: str, seed: int, steps: int) -> None:
    import numpy as np
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

    from pyqtgraph import GraphicsScene
    from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

    from aeviz.core.files.presets import preset_paths

    app, rng, w = open_walk_window(lesson, seed)
    w.show()
    app.processEvents()
    lessons = sorted(preset_paths())

    def pump(ms: int = 0) -> None:
        QTest.qWait(ms) if ms else app.processEvents()

    def menu_action() -> str:
        # pyqtgraph's own context-menu actions (Export..., View All) are reached by a
        # right click that sets the scene's context item first: not triggered bare
        acts = [a for a in w.findChildren(QAction)
                if a.isEnabled() and a.text() and not a.menu()
                and a.objectName() not in SKIP_ACTIONS and "quit" not in a.text().lower()
                and not isinstance(a.parent(), GraphicsScene)]
        act = acts[int(rng.integers(len(acts)))]
        name = act.objectName() or act.text().replace("&", "")
        log(f"  menu action {name!r}")
        act.trigger()
        return name

    def tab_to_front() -> None:
        bars = [b for b in w.findChildren(QTabBar) if b.count()]
        docks = w.findChildren(QDockWidget)
        roll = rng.random()
        if roll < 0.4:                   # the data tabs (Patterns, Weights, ...): most used
            index = int(rng.integers(w.data_tabs.count()))
            log(f"  data tab {w.data_tabs.tabText(index)!r}")
            w.data_tabs.setCurrentIndex(index)
        elif roll < 0.7 and bars:
            bar = bars[int(rng.integers(len(bars)))]
            index = int(rng.integers(bar.count()))
            log(f"  tab {bar.tabText(index)!r}")
            bar.setCurrentIndex(index)
        else:
            dock = docks[int(rng.integers(len(docks)))]
            log(f"  dock {dock.objectName()!r} to the front")
            dock.show()
            dock.raise_()

    def structure() -> None:
        net = w.doc.lesson.network
        kind = str(rng.choice(["add_neuron", "remove_neuron", "add_layer", "remove_layer",
                               "menu"]))
        layer = int(rng.integers(len(net.sizes)))
        if kind == "menu":               # Network -> Remove layer / Add layer... as clicked
            name = str(rng.choice(["add_neuron", "remove_neuron", "add_layer", "remove_layer"]))
            log(f"  structure from the menu: {name}")
            w.registry[name].trigger()
            return
        log(f"  structure {kind} at layer {layer}")
        edit_structure(w, rng, kind, layer)

    def resize() -> None:
        width, height = SIZES[int(rng.integers(len(SIZES)))]
        log(f"  resize {width}x{height}")
        w.showNormal()
        w.resize(width, height)

    def key() -> None:
        name = str(rng.choice(KEYS))
        log(f"  key {name}")
        target = QApplication.focusWidget() or w.diagram
        QTest.keyClick(target, getattr(Qt, f"Key_{name}"))

    def switch_lesson() -> None:
        name = lessons[int(rng.integers(len(lessons)))]
        log(f"  open lesson {name}")
        w.files.open_preset(name)

    def training() -> None:
        if w.controller.running:
            log("  pause")
            w.controller.pause()
        else:
            log("  play")
            w.controller.play()

    def guide() -> None:
        go = str(rng.choice(["next", "back"]))
        log(f"  guide {go}")
        getattr(w.guide, go)()

    def undo_redo() -> None:
        go = str(rng.choice(["undo", "undo", "redo"]))
        log(f"  {go}")
        getattr(w.doc.lesson, go)()

    def edit() -> None:
        """What a person types: a weight, a settings field (good or bad values), a
        settings combo box or check box, a fed pattern."""
        panel = w.settings_panel
        roll = rng.random()
        if roll < 0.25:
            net = w.doc.lesson.network
            block = int(rng.integers(len(net.blocks)))
            rows, cols = net.blocks[block].shape
            row, col = int(rng.integers(rows)), int(rng.integers(cols))
            value = float(rng.choice([0.0, -1.5, 3.0, 250.0, float(rng.normal())]))
            log(f"  set weight block {block} ({row}, {col}) = {value}")
            w.doc.lesson.set_weight(block, row, col, value)
        elif roll < 0.6:
            name = str(rng.choice(sorted(panel.fields)))
            field = panel.fields[name]
            text = str(rng.choice(["0.02", "0.5", "1e-3", "0", "7", "-1", "abc", "1e9",
                                   "nan", "", "0.9", "42"]))
            log(f"  type {text!r} into {name}, Enter")
            type_and_enter(field, text)
        elif roll < 0.85:
            boxes = [b for kind in (QComboBox, QCheckBox, QSpinBox)
                     for b in panel.findChildren(kind) if b.isEnabled()]
            box = boxes[int(rng.integers(len(boxes)))]
            label = box.accessibleName() or type(box).__name__
            if isinstance(box, QComboBox):
                index = int(rng.integers(box.count()))
                log(f"  choose {box.itemText(index)!r} in {label}")
                box.setCurrentIndex(index)
                box.activated.emit(index)
            elif isinstance(box, QSpinBox):
                value = int(rng.choice([0, 1, 2, 5, 64]))
                log(f"  batch size {value}")
                box.setValue(value)
            else:
                log(f"  toggle {label}")
                box.toggle()
        else:
            rows = len(w.doc.lesson.data())
            index = int(rng.integers(rows))
            log(f"  feed pattern {index}")
            w.doc.lesson.feed_pattern(index)

    saved: list[str] = []

    def files() -> None:
        """Save (to a file in the walk's folder), open a saved file, New, Save again."""
        roll = rng.random()
        if roll < 0.4 or not saved:
            path = f"walk-{len(saved)}.aeviz"
            wait = bool(rng.random() < 0.5)
            log(f"  save to {path} (wait={wait})")
            w.files.save_to(Path(path), wait=wait)
            saved.append(path)
        elif roll < 0.7:
            path = saved[int(rng.integers(len(saved)))]
            log(f"  open {path}")
            w.files.open_path(path)
        elif roll < 0.85:
            log("  new")
            w.files.new_file()
        else:
            log("  save (Ctrl+S)")
            w.registry["save"].trigger()

    def step_through() -> None:
        name = str(rng.choice(["step", "step_update", "phase", "phase", "phase"]))
        count = int(rng.integers(1, 6))
        log(f"  {name} x{count}")
        for _ in range(count):
            if w.registry[name].isEnabled():
                w.registry[name].trigger()
                pump()

    def predict() -> None:
        """Predict, then reveal: hide the values, press N / step (refused while
        hidden), maybe feed a pattern, then reveal (or turn predict off)."""
        log("  predict (Ctrl+P)")
        w.registry["predict"].trigger()
        pump()
        for _ in range(int(rng.integers(0, 4))):
            name = str(rng.choice(["phase", "phase", "step", "feed", "training"]))
            if name == "feed":
                index = int(rng.integers(len(w.doc.lesson.data())))
                log(f"  feed pattern {index}")
                w.doc.lesson.feed_pattern(index)
            elif name == "training":
                training()
            else:
                log(f"  {name} (enabled={w.registry[name].isEnabled()})")
                w.registry[name].trigger()
            pump()
        end = str(rng.choice(["reveal", "reveal", "predict", "none"]))
        if end != "none" and w.registry[end].isEnabled():
            log(f"  {end}")
            w.registry[end].trigger()

    def presenter() -> None:
        log("  presenter toggle")
        w.classroom.toggle_presenter()

    def wait() -> None:
        ms = int(rng.integers(10, 120))
        log(f"  wait {ms} ms")
        pump(ms)

    actions = dict(menu=(menu_action, 5), tab=(tab_to_front, 5), structure=(structure, 4),
                   resize=(resize, 2), key=(key, 3), lesson=(switch_lesson, 0.5),
                   training=(training, 2), guide=(guide, 1.5), undo=(undo_redo, 3),
                   presenter=(presenter, 1), wait=(wait, 3), edit=(edit, 3),
                   files=(files, 1), step=(step_through, 1.5),
                   predict=(predict, 1.5))
    names = list(actions)
    p = np.array([actions[n][1] for n in names], float)
    if rng.random() < 0.75:              # most walks act while training runs
        log("step -: play")
        w.controller.play()
    for step in range(steps):
        name = names[int(rng.choice(len(names), p=p / p.sum()))]
        log(f"step {step}: {name}")
        actions[name][0]()
        pump()
        w.grab()                 # a real screen paints after every event: so does the walk
    log("done: closing")
    w.controller.shutdown()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def main(argv: list[str]) -> int:
    lesson, seed, steps = argv[0], int(argv[1]), int(argv[2])
    log(f"monkey walk: lesson {lesson}, seed {seed}, {steps} steps")

    exit_on_slot_exception()
    walk(lesson, seed, steps)
    log("walk finished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
