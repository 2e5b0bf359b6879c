"""Readouts that follow every frame of a run (the Values panel's epoch, loss and
d(x, y), the Training panel's "training: epoch N") never make their panel lay
itself out again when a new text fits; a wider text or a new font still fits."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget

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
    qtbot.waitUntil(lambda: len(frames) >= 12, timeout=20_000)
    w.controller.pause()
    requests.stop()
    assert w.values.epoch.text() == str(w.doc.lesson.epoch)
    assert requests.count <= 4, f"{requests.count} layouts in {len(frames)} frames"
