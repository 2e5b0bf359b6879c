"""GUI test fixtures: the real MainWindow, offscreen, with settings in a temp folder."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QSettings, Qt, QThread
from PySide6.QtWidgets import QApplication

from aeviz.gui.window.main_window import MainWindow

# How long qtbot.waitUntil/waitSignal wait for a condition, in ms.  Not a speed
# claim (speed is measured by `aeviz bench`): only a bound under the 120 s
# per-test timeout, so a condition that never comes fails with its own message.
WAIT = 100_000


@pytest.fixture(autouse=True)
def waits_are_bounds_not_limits(monkeypatch):
    """qtbot's waits (waitUntil, waitSignal, ...) wait for a condition; without a
    timeout of their own they wait up to WAIT, a bound under the per-test timeout,
    not pytest-qt's 5 s, which on a loaded machine would be a speed claim."""
    from pytestqt.qtbot import QtBot

    def bounded(original):
        def wait(self, *args, timeout: int = WAIT, **kwargs):
            return original(self, *args, timeout=timeout, **kwargs)
        return wait
    for name in ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive",
                 "waitCallback"):
        monkeypatch.setattr(QtBot, name, bounded(getattr(QtBot, name)))


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread(qapp):
    """As in the app: no garbage collection in training threads (see gc_guard)."""
    from aeviz.gui.runtime import gc_guard
    gc_guard.install(qapp)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Each test's settings, autosaves and desktop files in its own folder, for this
    process and the aeviz processes it starts (so parallel workers share nothing)."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("AEVIZ_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "share"))
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch):
    """A modal dialog would wait for a click forever: by default the unsaved-changes
    question discards, the recovery offer declines, and an error dialog fails the
    test.  Tests that check a dialog replace it on their window."""
    from aeviz.gui.controllers.files import FileController

    def unexpected_error(self, title, message):
        raise AssertionError(f"unexpected error dialog: {title}: {message}")
    monkeypatch.setattr(FileController, "ask_unsaved", lambda self: "discard")
    monkeypatch.setattr(FileController, "ask_restore", lambda self, when: False)
    monkeypatch.setattr(FileController, "show_error", unexpected_error)


@pytest.fixture(autouse=True)
def no_window_left_behind(qapp):
    """After every test, on the GUI thread: stop training, close and delete every
    top-level window, and collect the garbage here, so that no cycle holding Qt
    objects is ever collected later on a training thread.  A test that leaves a
    thread running fails."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.files.ask_unsaved = lambda: "discard"
            widget.controller.shutdown()
            widget.remember = False
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    running = [t for t in qapp.findChildren(QThread) if t.isRunning()]
    assert not running, f"threads left running: {running}"


@pytest.fixture
def window(qtbot):
    """The default window, shown; it is never left with an unsaved-changes dialog."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    return w


@pytest.fixture
def lesson(qtbot):
    """The 'Train the 5-2-5' lesson, shown and active (training stops at teardown)."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    return w


@pytest.fixture
def stuck_lesson(qtbot):
    """The article's network at learning rate 0 after 400 epochs of training (one undo
    step), with the stuck check run: the status bar and the stuck button offer a new
    seed (two patterns share a code)."""
    from aeviz.core.files.presets import load_preset
    m = load_preset("article-example")
    m.training = m.training.with_(learning_rate=0.0)
    w = MainWindow(model=m)
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.controller.run_now(lambda session: session.advance(400), "Train", True)
    w.training_ui.check_stuck(force=True)
    return w


def open_lesson(qtbot, name: str) -> MainWindow:
    """A window on the built-in lesson ``name``, shown."""
    from aeviz.core.files.presets import load_preset
    w = MainWindow(model=load_preset(name))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    return w


def show_active(qtbot, w: MainWindow) -> None:
    """Show the window and wait until it is the active one (window shortcuts such as
    Space and 1-9 only reach the active window; offscreen, activation comes later)."""
    from PySide6.QtWidgets import QApplication
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=WAIT)


def engine_forward(w: MainWindow, x) -> tuple[np.ndarray, np.ndarray]:
    """(code, output) from the engine directly, for comparison with the tables."""
    net = w.doc.lesson.network
    _, acts = net.forward(np.asarray(x, float)[None, :])
    return acts[net.code_layer][0], acts[-1][0]


def click_edge(qtbot, w: MainWindow, block: int, i: int, j: int) -> None:
    """Click on the drawn connection W[block][i, j] as a person would (where no
    neuron or badge lies over it)."""
    view, edges = w.diagram, w.diagram.edges
    e = int(np.flatnonzero((edges.ids == (block, i, j)).all(axis=1))[0])
    for t in (0.35, 0.3, 0.4, 0.25, 0.45, 0.55, 0.6, 0.65):
        p = edges.p0[e] + t * (edges.p1[e] - edges.p0[e])
        point = QPointF(*p)
        pos = view.mapFromScene(point)
        if edges.edge_at(point, tolerance=2.0) == e and view.itemAt(pos) is edges:
            qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
            return
    raise AssertionError("no unambiguous point on that edge")


def click_neuron(qtbot, w: MainWindow, layer: int, unit: int, double: bool = False) -> None:
    item = w.diagram.neurons[layer][unit]
    pos = w.diagram.mapFromScene(item.center)
    if double:
        qtbot.mouseDClick(w.diagram.viewport(), Qt.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(w.diagram.viewport(), Qt.LeftButton, pos=pos)


def table_values(w: MainWindow, name: str) -> np.ndarray:
    from PySide6.QtWidgets import QTableView
    table = next(t for t in w.findChildren(QTableView) if t.accessibleName() == name)
    shown = {"<0.001": 0.00025, ">0.999": 0.99975,      # the middle of what they stand for
             "<-0.999": -0.99975, "<\u22120.999": -0.99975}
    texts = [table.cell_text(i) for i in range(table.count)]
    return np.array([shown.get(t, None) or float(t) for t in texts])


def cell(table, row: int, col: int, role=Qt.DisplayRole):
    """What a table view shows in a cell (its model's data; None for nothing)."""
    model = table.model()
    return model.data(model.index(row, col), role)


def rows(table) -> int:
    return table.model().rowCount()


def columns(table) -> int:
    return table.model().columnCount()


def header(table, section: int) -> str:
    return table.model().headerData(section, Qt.Horizontal, Qt.DisplayRole)


def type_into(qtbot, table, row: int, col: int, text: str) -> None:
    """Type ``text`` into a cell as a person does: select it, F2, replace the
    editor's text, press Enter."""
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit
    index = table.model().index(row, col)
    table.scrollTo(index)
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key_F2)
    editor = table.indexWidget(index) or table.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit), editor
    editor.selectAll()
    qtbot.keyClicks(editor, text) if text else editor.clear()
    qtbot.keyClick(editor, Qt.Key_Return)
    # the delegate commits and closes the editor on the next pass of the event loop
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)


def readout(w: MainWindow, name: str) -> str:
    from PySide6.QtWidgets import QLabel
    return next(l for l in w.findChildren(QLabel) if l.accessibleName() == name).text()
