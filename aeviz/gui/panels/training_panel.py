"""Training controls: speed, stop conditions, the rewind timeline, messages, and
the step-through explanation.  Buttons for play/step/reset live in the toolbar
(MainWindow); this panel holds what needs more room."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QSignalBlocker
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSlider, QSpinBox, QVBoxLayout, QWidget)

from aeviz.core.lessons.session import StopRule
from aeviz.core.measures.solved import HOLD
from aeviz.gui.runtime.training import DEFAULT_SPEED, SPEEDS, TrainingController, listed_speed
from aeviz.gui.panels.steady_label import SteadyLabel
from aeviz.gui.panels.settings_panel import SpacePlays


def speed_text(speed: int) -> str:
    return "full speed" if speed == 0 else f"{speed} epoch{'s' if speed != 1 else ''}/s"


class TrainingPanel(QWidget):
    def __init__(self, controller: TrainingController, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)

        self.phase_title = QLabel()
        self.phase_title.setAccessibleName("Phase title")
        font = self.phase_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.phase_title.setFont(font)
        self.phase_text = QLabel("Press N to walk through one update phase by phase.")
        self.phase_text.setAccessibleName("Phase explanation")
        self.phase_text.setWordWrap(True)
        step_box = QGroupBox("Step-through")
        sl = QVBoxLayout(step_box)
        sl.addWidget(self.phase_title)
        sl.addWidget(self.phase_text)
        layout.addWidget(step_box)

        run_box = QGroupBox("Run")
        form = QFormLayout(run_box)
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setAccessibleName("Speed")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(SPEEDS.index(DEFAULT_SPEED))
        self.speed_label = QLabel(speed_text(DEFAULT_SPEED))
        self.speed.valueChanged.connect(self._on_speed)
        row = QHBoxLayout()
        row.addWidget(self.speed, 1)
        row.addWidget(self.speed_label)
        form.addRow("Speed", row)
        self.stop_epochs = QSpinBox()
        self.stop_epochs.setAccessibleName("Stop after epochs")
        self.stop_epochs.setRange(0, 10_000_000)
        self.stop_epochs.setSpecialValueText("never")
        self.stop_epochs.setToolTip("Pause after this many more epochs (0: never)")
        self.stop_loss = QLineEdit()
        self.stop_loss.setAccessibleName("Stop below loss")
        self.stop_loss.setPlaceholderText("off")
        self.stop_loss.setToolTip("Pause when the loss falls below this positive number")
        for field in (self.stop_epochs, self.stop_loss):      # Space plays, never typed
            SpacePlays(field)
        self.stop_all = QCheckBox(f"solved ({HOLD} epochs)")     # the rule in its tooltip
        self.stop_all.setAccessibleName("Stop when solved")
        self.stop_all.setToolTip("Pause once every pattern has been reconstructed after each "
                                 f"of {HOLD} epochs in a row: one reconstructed epoch can be a "
                                 "flicker")
        form.addRow("Stop after", self.stop_epochs)
        form.addRow("Stop when loss <", self.stop_loss)
        form.addRow("Stop when", self.stop_all)
        # on stage (a third of 1024 px) the check box keeps one word; its rule wraps below
        self.stop_all_note = QLabel(f"all reconstructed for {HOLD} epochs in a row")
        self.stop_all_note.setAccessibleName("Stop when solved: the rule")
        self.stop_all_note.setWordWrap(True)
        form.addRow("", self.stop_all_note)
        form.setRowVisible(self.stop_all_note, False)
        self.form = form
        self.stop_epochs.valueChanged.connect(self._on_stop_rule)
        self.stop_loss.editingFinished.connect(self._on_stop_rule)
        self.stop_all.toggled.connect(self._on_stop_rule)
        layout.addWidget(run_box)

        rewind_box = QGroupBox("Rewind")
        rl = QVBoxLayout(rewind_box)
        self.timeline = QSlider(Qt.Horizontal)
        self.timeline.setAccessibleName("Timeline")
        self._epochs: list[int] = []                 # the snapshots' epochs (while paused)
        self.timeline.valueChanged.connect(self._on_timeline)
        self.timeline_label = SteadyLabel()          # follows every frame of a run
        rl.addWidget(self.timeline)
        rl.addWidget(self.timeline_label)
        buttons = QHBoxLayout()
        self.buttons = buttons
        self.continue_button = QPushButton("Continue from here")
        self.continue_button.clicked.connect(
            lambda _checked=False: controller.continue_from(self.timeline_epoch()))
        self.restart_button = QPushButton("Restart")
        self.restart_button.setToolTip("Start again from the same initial weights (epoch 0)")
        self.restart_button.clicked.connect(lambda _checked=False: controller.restart())
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.restart_button)
        rl.addLayout(buttons)
        layout.addWidget(rewind_box)

        self.message = QLabel()
        self.message.setAccessibleName("Training message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #7a2e00; font-weight: bold")
        layout.addWidget(self.message)
        layout.addStretch(1)

        # the snapshots change only with committed changes (a preview changes none)
        controller.doc.snapshots_changed.connect(self.refresh_timeline)
        controller.message.connect(self.message.setText)
        controller.running_changed.connect(lambda _running: self.refresh_timeline())
        controller.doc.epoch_changed.connect(self._follow_training)
        self.refresh_timeline()

    def set_compact(self, on: bool) -> None:
        """On stage (presenter mode): no row wider than a third of 1024 px — the
        form's labels above their fields, the check box one word with its rule
        wrapped below, the rewind buttons one above the other."""
        self.stop_all.setText("solved" if on else
                              f"solved ({HOLD} epochs)")
        self.form.setRowVisible(self.stop_all_note, on)
        self.form.setRowWrapPolicy(QFormLayout.WrapAllRows if on else
                                   QFormLayout.DontWrapRows)
        self.buttons.setDirection(QHBoxLayout.TopToBottom if on else QHBoxLayout.LeftToRight)

    def _follow_training(self) -> None:
        """While training runs the timeline label says where the run is."""
        if self.controller.running:
            self.timeline_label.setText(f"training: epoch {self.controller.lesson.epoch}")

    def show_phase(self, title: str, text: str) -> None:
        self.phase_title.setText(title)
        self.phase_text.setText(text or "Press N to walk through one update phase by phase.")

    def set_speed(self, speed: int) -> None:
        """Select the listed speed nearest to ``speed`` (epochs/s, 0 = full)."""
        speed = listed_speed(speed)
        self.speed.setValue(SPEEDS.index(speed))
        self._on_speed(SPEEDS.index(speed))

    def _on_speed(self, index: int) -> None:
        self.controller.speed = SPEEDS[index]
        self.speed_label.setText(speed_text(SPEEDS[index]))

    def _on_stop_rule(self) -> None:
        text = self.stop_loss.text().strip()
        loss = None
        if text:
            try:
                loss = float(text)
            except ValueError:
                loss = math.nan
            if not (math.isfinite(loss) and loss > 0):
                self.message.setText(f"“{text}” is not a positive number: "
                                     "the loss stop is off")
                self.stop_loss.clear()
                loss = None
        epochs = self.stop_epochs.value() or None
        self.controller.set_stop_rule(StopRule(epochs, loss, self.stop_all.isChecked()))

    # --- the timeline (slider positions index the lesson's snapshots) --------------------
    def refresh_timeline(self) -> None:
        if self.controller.running:          # the timeline is for a paused session
            self.timeline.setEnabled(False)
            self.continue_button.setEnabled(False)
            self._follow_training()
            return
        self._epochs = self.controller.snapshot_epochs()
        with QSignalBlocker(self.timeline):
            self.timeline.setRange(0, max(len(self._epochs) - 1, 0))
            self.timeline.setValue(self.timeline.maximum())
        self.timeline.setEnabled(not self.controller.running and len(self._epochs) > 1)
        self.continue_button.setEnabled(False)
        self._show_timeline_label()

    def timeline_epoch(self) -> int:
        return self._epochs[self.timeline.value()] if self._epochs else 0

    def _on_timeline(self, _index: int) -> None:
        self.controller.show_epoch(self.timeline_epoch())
        self.continue_button.setEnabled(self.timeline.value() < self.timeline.maximum())
        self._show_timeline_label()

    def _show_timeline_label(self) -> None:
        latest = self._epochs[-1] if self._epochs else 0
        self.timeline_label.setText(f"showing epoch {self.timeline_epoch()} of {latest}")
