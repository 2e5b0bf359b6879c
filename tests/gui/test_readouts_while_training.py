"""Readouts while training: those that follow every frame of a run (the Values
panel's epoch, loss and d(x, y), the Training panel's "training: epoch N") never
make their panel lay itself out again when a new text fits (a wider text or a
new font still fits), and the Values panel behind another tab waits until seen."""

from __future__ import annotations

import numpy as np

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget

from aeviz.gui.panels.steady_label import SteadyLabel

from .conftest import show_active


class LayoutRequests(QObject):
    """Counts the layout requests ``widgets`` receive."""

    def __init__(self, *widgets) -> None:
        super().__init__()
        self.widgets, self.count = set(widgets), 0
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:              # noqa: N802 (Qt's name)
        if event.type() == QEvent.LayoutRequest and obj in self.widgets:
            self.count += 1
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)


def test_a_new_text_that_fits_asks_for_no_layout_and_a_wider_one_is_never_cut(qtbot):
    panel = QWidget()
    form = QFormLayout(panel)
    label = SteadyLabel("120")
    form.addRow("Epoch", label)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    requests = LayoutRequests(panel)
    for text in ("121", "122", "99", "123"):
        label.setText(text)
        QApplication.processEvents()
    assert requests.count == 0 and label.text() == "123"
    label.setText("1,000,000")                         # wider: fitted, never cut
    QApplication.processEvents()
    assert label.width() >= label.sizeHint().width()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)          # presenter mode: a bigger font
    label.setFont(font)
    QApplication.processEvents()
    assert label.width() >= label.sizeHint().width()
    assert label.height() >= label.fontMetrics().height()
    requests.stop()


def test_a_run_makes_neither_the_values_nor_the_training_panel_lay_itself_out_each_frame(qtbot):
    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    training = w.training                               # (built when first asked for)
    QApplication.processEvents()
    frames = []
    w.doc.values_changed.connect(lambda: frames.append(1))
    requests = LayoutRequests(w.values, training)
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 24, timeout=20_000)
    w.controller.pause()
    requests.stop()
    assert w.values.epoch.text() == str(w.doc.lesson.epoch)
    # a readout lays its panel out again only when its text gets wider (the epoch's
    # 3rd, 4th, 5th digit...); before, both panels did on every frame (2 a frame)
    assert requests.count <= len(frames) // 3, f"{requests.count} layouts in {len(frames)} frames"


def test_the_values_panel_behind_a_tab_waits_while_training_and_shows_the_run_when_seen(qtbot):
    """While training runs, the Values panel's x, h and y tables behind the Training
    tab are not redrawn on every frame (its readouts are); raised, they show the
    run's current numbers at once, and a run that stops while they are behind
    leaves them showing the last epoch."""
    from PySide6.QtWidgets import QDockWidget

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    values_dock = w.findChild(QDockWidget, "Values")
    w.training_dock.show()                               # the Training tab in front
    qtbot.waitUntil(w.values.out_of_sight)
    frames = []
    w.doc.values_changed.connect(lambda: frames.append(w.values._stale))
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 8, timeout=20_000)
    assert w.values._stale                               # the tables wait while out of sight
    w.values.during_run.flush()                          # (its refresh, at most 100 ms away)
    assert abs(int(w.values.epoch.text()) - w.doc.lesson.epoch) <= 1     # the readouts follow
    values_dock.raise_()                                 # seen: the run's numbers at once
    qtbot.waitUntil(lambda: not w.values.out_of_sight())
    qtbot.waitUntil(lambda: not w.values._stale)
    w.values.during_run.flush()
    assert abs(int(w.values.epoch.text()) - w.doc.lesson.epoch) <= 1
    w.training_dock.show()
    qtbot.waitUntil(w.values.out_of_sight)
    n = len(frames)
    qtbot.waitUntil(lambda: len(frames) >= n + 4, timeout=20_000)
    w.controller.pause()                                 # stopped while behind the tab
    qtbot.waitUntil(lambda: not w.controller.running)
    assert w.values.epoch.text() == str(w.doc.lesson.epoch) and not w.values._stale
    d = float(w.values.error.text())
    x, y = w.doc.lesson.x, w.doc.lesson.forward()[1][-1][0]
    assert abs(d - float(((x - y) ** 2).sum() ** 0.5)) < 1e-3
    shown = [float(w.values.output.cell_text(i).lstrip("<>")) for i in range(5)]
    np.testing.assert_allclose(shown, y, atol=1e-3)      # the tables caught up


def test_a_selectable_readout_is_never_cut_whatever_text_comes(qtbot):
    """The fit is told by a one-line text's advance: every text shown, narrower or
    wider than the last, one line or two, is whole (the label as wide and as high
    as the text's own size hint) and the label never shrinks while its font stays."""
    from PySide6.QtCore import Qt
    label = SteadyLabel("0")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)      # as the readouts are
    qtbot.addWidget(label)
    label.show()
    rng = np.random.default_rng(5)
    widths = []
    for _ in range(200):
        text = rng.choice(["1", "0.123", "12,345", "−0.987 + Ω 0.012", "WWW", "iii",
                           "inf", "nan", "0.1\n0.2"])
        label.setText(str(text) if rng.random() < 0.5 else f"{rng.normal():.4f}")
        hint = QLabel(label.text())
        hint.setFont(label.font())
        hint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        assert label.width() >= hint.sizeHint().width()
        assert label.height() >= hint.sizeHint().height()
        widths.append(label.width())
    assert widths == sorted(widths)
