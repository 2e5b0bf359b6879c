"""Crashes the monkey (tests/monkey_walk.py) found, each kept as a plain GUI test.

linear-pca, seed 5, 80 steps: Remove layer (the network has no code any more),
then Dataset → Letters and shapes, then a resize: the code space placed its
labels for the codes of the previous dataset (``IndexError`` in a Qt slot)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from .conftest import open_lesson


def test_a_new_dataset_while_the_network_has_no_code_then_a_resize(qtbot):
    w = open_lesson(qtbot, "linear-pca")
    w.resize(1280, 800)
    cs = w.code_space
    qtbot.waitUntil(lambda: cs._placed is not None)        # 60 patterns: no labels
    assert cs.labels == [] and len(w.doc.lesson.model.dataset) == 60
    while w.doc.lesson.network.depth > 1:            # no hidden layer left: no code to show
        w.editing.remove_layer(1)
    letters = next(a for a in w.findChildren(QAction) if a.text().startswith("Letters"))
    letters.trigger()
    assert len(w.doc.lesson.model.dataset) == 8
    w.resize(1920, 1080)                      # the plot's sigResized places the labels
    qtbot.waitUntil(lambda: cs.plot.getViewBox().width() > 400)
    assert len(cs.labels) == 8
    w.editing.add_layer()                     # a code again: the 8 labels are placed
    qtbot.waitUntil(lambda: any(cs.label_texts()))
    assert len(cs.label_texts()) == 8


def test_the_window_timers_run_between_two_snapshots_at_full_speed(qtbot):
    """train-5-2-5 at full speed (tests/monkey_focus.py, real window): snapshots
    posted back to back starved every timer of the window (Qt runs timers only
    between posted events): a 50 ms timer fired about once a second, and with the
    Digits 7x5 set and Pictures on, one ``processEvents()`` call never returned.
    Between two shown snapshots, a due timer now gets its turn."""
    from PySide6.QtCore import QTimer
    w = open_lesson(qtbot, "train-5-2-5")
    ticks, seen = [0], []
    beat = QTimer()
    beat.setInterval(0)
    beat.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    beat.start()
    w.controller.trained.connect(lambda: seen.append(ticks[0]))
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: len(seen) >= 40, timeout=120_000)
    shown = seen[:40]                     # snapshots only (Pause commits the run: one more)
    w.controller.pause()
    beat.stop()
    starved = sum(a == b for a, b in zip(shown, shown[1:]))
    assert starved == 0, (starved, shown)


def test_hovering_a_dot_of_64_one_hot_patterns_shows_its_card(qtbot):
    """A 64-16-64 network on 64 one-hot patterns (tests/monkey_focus.py ``big``, real
    window): the code space draws small dots (more than 16 patterns) and hovering
    one read ``dataset.rows[p]``, empty for a one-hot set (``IndexError`` in a Qt
    slot); the card now names the pattern."""
    import numpy as np
    from PySide6.QtCore import QPointF

    from aeviz.core.config import TrainingConfig
    from aeviz.core.engine.network import Network
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    from aeviz.gui.window.main_window import MainWindow
    net = Network.create([64, 16, 64], ["sigmoid", "sigmoid"], rng=np.random.default_rng(0))
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse"), Dataset.one_hot(64), "big", "", {}))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.resize(1400, 900)
    w.show()
    cs = w.code_space
    qtbot.waitUntil(lambda: cs.many and len(cs._xy) == 64 and cs.plot.isVisible())
    vb = cs.plot.getPlotItem().vb
    p = 9
    # the mouse over dot p (what pyqtgraph's scene sends for a mouse move)
    cs.plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(*cs._xy[p])))
    assert cs.hovered() is not None
    assert cs.card.text.text() == f"pattern {cs.hovered() + 1}"
