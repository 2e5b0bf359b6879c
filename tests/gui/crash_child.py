"""Run in a child process by test_crash_free.py (a segfault there fails one test
instead of killing pytest; ``-X faulthandler`` prints the Python frame).

    python -X faulthandler crash_child.py structure LESSON [train]
    python -X faulthandler crash_child.py sizes LESSON
    python -X faulthandler crash_child.py fresh LESSON

``structure``: with the Weights tab in front (and, with ``train``, training at full
speed), add and remove layers and neurons, undo and redo; after each step the
table in front shows the network's block.  ``sizes``: the window, as ``aeviz
screenshot`` builds it, resized through every screen size, normal and presenter,
and grabbed at each; the deferred layout has settled before each grab.  ``fresh``:
``aeviz screenshot``'s own function, a new window at each size and mode.  Prints
"ok" at the end; any failure is an exception (exit 1) or a crash."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = ((1024, 768), (1280, 800), (1366, 768), (1400, 900), (1440, 900), (1600, 900),
         (1920, 1080))
STRUCTURE_STEPS = ("add_layer", "undo", "redo", "undo", "remove_layer", "undo", "redo", "undo",
                   "add_layer", "remove_layer", "undo", "undo", "add_neuron", "undo", "redo",
                   "remove_neuron", "undo", "undo", "undo")


def settle(app, window) -> None:
    """Let the zero-timers and posted layouts run (a few passes of the event loop)."""
    for _ in range(5):
        app.processEvents()
    while window.doc.values_pending:
        app.processEvents()


def weights_in_front(window):
    """The table shown in the Weights tab (whatever class it is)."""
    from PySide6.QtWidgets import QTableView
    return next(t for t in window.weights.findChildren(QTableView) if t.isVisible())


def check_weights(window) -> None:
    """The table in front shows a block of the network, cell for cell (a corner)."""
    table = weights_in_front(window)
    model, net = table.model(), window.doc.lesson.network
    shapes = [p.shape for p in net.blocks]
    shape = (model.rowCount(), model.columnCount())
    assert shape in shapes, (shape, shapes)
    block = net.blocks[getattr(table, "block", shapes.index(shape))]
    assert block.shape == shape, (block.shape, shape)
    for i, j in ((0, 0), (shape[0] - 1, shape[1] - 1)):
        text = model.data(model.index(i, j))
        if text is not None:
            assert abs(float(text) - block[i, j]) <= 5e-4 + 1e-3 * window.controller.running, \
                (i, j, text, block[i, j])


def structure(window, app, train: bool) -> None:
    window.data_tabs.setCurrentWidget(window.weights)
    settle(app, window)
    assert weights_in_front(window).isVisible()
    if train:
        window.controller.speed = 0
        window.controller.play()
        while window.doc.lesson.epoch == 0:
            app.processEvents()
    for step in STRUCTURE_STEPS:
        if step in ("undo", "redo"):
            getattr(window.doc.lesson, step)()
        else:
            window.diagram.select(None)
            getattr(window.editing, step)()
        settle(app, window)
        if not train:
            check_weights(window)
        print(step, window.doc.lesson.network.sizes, flush=True)
    window.controller.pause()
    settle(app, window)
    check_weights(window)


def open_as_screenshot(app, name: str, size: tuple[int, int]):
    """The window as ``aeviz screenshot`` first lays it out (see take_screenshot)."""
    from PySide6.QtCore import Qt

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    window = MainWindow(model=load_preset(name))
    window.remember = False
    window.files.ask_unsaved = lambda: "discard"
    window.lesson.welcome = False
    window.lesson.show_text()
    window.setWindowState(Qt.WindowNoState)
    window.setMinimumSize(min(size[0], 1024), min(size[1], 600))
    window.resize(*size)
    window.setAttribute(Qt.WA_DontShowOnScreen, True)
    window.setUpdatesEnabled(False)
    window.show()
    window.fit_docks()
    return window


def sizes(window, app) -> None:
    """One window through every size, normal and presenter, grabbed at each."""
    from PySide6.QtCore import Qt

    from aeviz.gui.window.screenshot import present, settle as settle_axes
    for size in SIZES:
        for presenter in (False, True):
            window.setUpdatesEnabled(False)        # as aeviz screenshot: painted once, by grab()
            if presenter:
                present(window, size)
            else:
                window.classroom.set_presenter(False)
                window.setWindowState(Qt.WindowNoState)
                window.setMinimumSize(min(size[0], 1024), min(size[1], 600))
                window.resize(*size)
                window.fit_docks()
            settle(app, window)
            settle_axes(window, app)
            picture = window.grab()
            assert (picture.width(), picture.height()) == size, (picture.size(), size)
            tables = (window.values.input, window.values.code, window.values.output)
            laid_out = [t.per_row for t in tables]
            settle(app, window)                     # settled: no layout flips back and forth
            assert [t.per_row for t in tables] == laid_out, (laid_out, size, presenter)
            for table in tables:
                if hasattr(table, "_per_row") and table.count:   # the deferred re-layout ran
                    assert table.per_row == table._per_row(table.count), (
                        table.accessibleName(), table.per_row, table._per_row(table.count),
                        table.width(), table.viewport().width(), table.count, table.isVisible())
            print(size, "presenter" if presenter else "normal", flush=True)


def fresh(name: str) -> None:
    """``aeviz screenshot`` itself (take_screenshot: a new window each time) at every
    size, normal and presenter, in this one process."""
    import tempfile
    from pathlib import Path

    from PySide6.QtGui import QImage

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.screenshot import take_screenshot
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "shot.png")
        for size in SIZES:
            for presenter in (False, True):
                assert take_screenshot(out, load_preset(name), None, size=size,
                                       presenter=presenter) == 0
                image = QImage(out)
                assert (image.width(), image.height()) == size
                print(size, "presenter" if presenter else "normal", flush=True)


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.app import application, close_window
    from aeviz.gui.window.main_window import MainWindow
    from aeviz.gui.window.screenshot import fresh_settings

    command, name = argv[0], argv[1]
    app = application()
    if command == "fresh":
        fresh(name)
        print("ok", flush=True)
        return 0
    folder = fresh_settings()
    if command == "sizes":
        window = open_as_screenshot(app, name, SIZES[0])
    else:
        window = MainWindow(model=load_preset(name))
        window.remember = False
        window.files.ask_unsaved = lambda: "discard"
        window.show()
    try:
        if command == "structure":
            structure(window, app, "train" in argv[2:])
        else:
            sizes(window, app)
    finally:
        window.controller.shutdown()
        window.close()
        close_window(window)
        QApplication.processEvents()
        folder.cleanup()
    print("ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
