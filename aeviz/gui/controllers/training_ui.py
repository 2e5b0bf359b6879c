"""The window's training controls: Play/Step/Next phase/Reset actions, the Play
button's label, the step-through's explanation, the stuck detector's offer, and
the seed study dialog."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QPushButton, QStatusBar, QWidget

from aeviz.gui.window.actions import ActionSpec, Place, Actions
from aeviz.gui.runtime.document import Document
from aeviz.gui.drawing.phase_walk import PhaseWalker
from aeviz.gui.runtime.training import (CLASS_SPEED, DEFAULT_SPEED, TrainingController,
                                        listed_speed)
from aeviz.gui.window.lazy_tabs import LazyDock

if TYPE_CHECKING:
    from aeviz.gui.panels.training_panel import TrainingPanel

STUCK_CHECK_SECONDS = 1.0
COMPUTING = "Computing the step… (a big network: the window stays usable)"


class TrainingUi:
    """The Training dock's panel is built when the dock is first shown or asked for
    (``panel_dock``, a LazyDock): until then the speed goes to the controller, and
    the step-through's phase and the last training message are kept for it."""

    def __init__(self, parent: QWidget, doc: Document, training: TrainingController,
                 phases: PhaseWalker, panel_dock: LazyDock,
                 status_bar: QStatusBar, status: Callable[[str], None]) -> None:
        self.parent, self.doc, self.training, self.phases = parent, doc, training, phases
        self.panel_dock, self.status = panel_dock, status
        self.phase = ("", "")                  # the step-through's (title, text)
        self.message = ""                      # the last training message
        self.actions_: Actions | None = None
        self.study_dialog = None
        self.status_bar = status_bar
        self.stuck_button = QPushButton("Restart with a new seed")
        self.stuck_button.clicked.connect(lambda _checked=False: self.follow_stuck_advice())
        self._stuck_rate: float | None = None      # the rate the last report offers
        self.stuck_button.hide()
        status_bar.addPermanentWidget(self.stuck_button)
        self._speed_before_class = DEFAULT_SPEED
        self._last_stuck_check = 0.0
        training.running_changed.connect(self._on_running_changed)
        training.message.connect(status)
        training.message.connect(self._keep_message)
        training.trained.connect(self.check_stuck)
        phases.changed.connect(self._on_phase)
        training.steps.busy_changed.connect(self._on_step_busy)
        # a new lesson, a reset, a new seed: yesterday's messages go
        doc.structure_changed.connect(self.clear_messages)
        doc.replaced.connect(self.close_study)          # a study belongs to its lesson

    @property
    def panel(self) -> TrainingPanel:
        """The Training dock's panel (built now if it was not yet)."""
        return self.panel_dock.page()

    def attach_panel(self, panel: TrainingPanel) -> None:
        """The panel, just built: the speed, phase and message it would have shown."""
        panel.restart_button.clicked.connect(lambda _checked=False: self.clear_messages())
        panel.set_speed(self.training.speed)
        panel.show_phase(*self.phase)
        panel.message.setText(self.message)

    def _keep_message(self, text: str) -> None:
        self.message = text

    def clear_messages(self) -> None:
        """The stuck offer and the training messages belong to the run they were about."""
        built = self.panel_dock.built()
        if self.stuck_button.isVisible() or self.message or (built and self.panel.message.text()):
            self.stuck_button.hide()
            self.status_bar.clearMessage()
            self.message = ""
            if built:
                self.panel.message.clear()

    def set_speed(self, speed: int) -> None:
        """The listed speed nearest to ``speed`` (the panel's slider, once built)."""
        if self.panel_dock.built():
            self.panel.set_speed(speed)
        else:
            self.training.speed = listed_speed(speed)

    def follow_stuck_advice(self) -> None:
        """The stuck offer's button does what the report advised: a lower rate
        and fresh weights (the steps were too large), or a new seed (a plateau)."""
        if self._stuck_rate is None:
            self.restart_new_seed()
            return
        rate, self._stuck_rate = self._stuck_rate, None
        self.clear_messages()
        self.training.pause()
        lesson = self.doc.lesson
        with lesson.changing():
            self.doc.lesson.set_training(lesson.training.with_(learning_rate=rate),
                                  f"Learning rate {rate:g}")
            self.training.reset_weights()
        self.training.play()

    def restart_new_seed(self) -> None:
        """The stuck offer's button: the next seed, fresh weights, and train again."""
        self.clear_messages()
        self.training.new_seed()
        self.training.play()

    def reset_weights(self) -> None:
        self.clear_messages()
        self.training.reset_weights()

    def new_seed(self) -> None:
        self.clear_messages()
        self.training.new_seed()

    def toggle_class_speed(self) -> None:
        """C: a speed a class can follow (CLASS_SPEED epochs/s), and back."""
        if self.training.speed == CLASS_SPEED:
            self.set_speed(self._speed_before_class)
        else:
            self._speed_before_class = self.training.speed
            self.set_speed(CLASS_SPEED)
        if self.actions_ is not None:
            self.actions_["class_speed"].setChecked(self.training.speed == CLASS_SPEED)

    def actions(self) -> list[ActionSpec]:
        t = self.training
        return [
            ActionSpec("play", "Play", t.toggle, ("Space",), "Train in the background (Space)",
                       menu=Place("&Training"), toolbar=Place("Training")),
            ActionSpec("step", "Step epoch", t.step_epoch, ("Right",),
                       "Train exactly one epoch (→)",
                       menu=Place("&Training"), toolbar=Place("Training")),
            ActionSpec("step_update", "Step update", t.step_pattern, ("Shift+Right",),
                       "One update: one pattern in online training (Shift+→)",
                       menu=Place("&Training"), toolbar=Place("Training")),
            ActionSpec("phase", "Next phase", self.phases.next, ("N",),
                       "Walk through one update phase by phase (N)",
                       menu=Place("&Training"), toolbar=Place("Training")),
            ActionSpec("reset", "Reset weights", self.reset_weights, ("Ctrl+R",),
                       "New random weights from the seed, epoch 0 (Ctrl+R)",
                       menu=Place("&Training", 1), toolbar=Place("Training", 1)),
            ActionSpec("new_seed", "New seed", self.new_seed, (),
                       "Next seed, then reset the weights",
                       menu=Place("&Training", 1), toolbar=Place("Training", 1)),
            ActionSpec("class_speed", "Class speed", self.toggle_class_speed, ("C",),
                       f"Train at {CLASS_SPEED} epochs/s, slow enough to narrate (C); "
                       "again for the previous speed", checkable=True,
                       menu=Place("&Training", 2), toolbar=Place("Training", 2)),
            ActionSpec("study", "Study many seeds…", self.open_study, (),
                       "Train this network from many seeds: how often, how fast",
                       menu=Place("&Training", 3)),
        ]

    def bind(self, actions: Actions) -> None:
        """The declared actions exist now: the Play action's label follows the run."""
        self.actions_ = actions
        self._on_running_changed(self.training.running)

    def open_study(self) -> None:
        """One Study dialog: the open one is brought to the front if it studies
        this lesson as it is now (a study depends on the layers, the settings and
        the patterns, not on the weights: every seed starts afresh); else it is
        closed (its run stopped) and one for the lesson now opens."""
        from aeviz.gui.panels.study_dialog import StudyDialog, studies_the_same
        self.training.pause()
        open_one = self.study_dialog
        if open_one is not None and open_one.isVisible():
            if studies_the_same(open_one.model, self.doc.lesson.model):
                open_one.raise_()
                open_one.activateWindow()
                return
        self.close_study()
        self.study_dialog = StudyDialog(self.doc.lesson.model, self.parent)
        self.study_dialog.show()

    def close_study(self) -> None:
        """Close the Study dialog (its run stopped), if one is open: another lesson
        came, whose view starts afresh."""
        if self.study_dialog is not None:
            self.study_dialog.close()
            self.study_dialog.deleteLater()
            self.study_dialog = None

    def _on_running_changed(self, running: bool) -> None:
        if self.actions_ is not None:
            play = self.actions_["play"]
            play.setText("Pause" if running else "Play")
            play.setToolTip(("Pause" if running else "Train in the background") + " (Space)")
        if running:
            self.phases.cancel()

    def _on_step_busy(self, busy: bool) -> None:
        """A big network's single step computes off the GUI thread: the status bar
        says so until it is committed (a key pressed meanwhile is ignored)."""
        if busy:
            self.status_bar.showMessage(COMPUTING)
        elif self.status_bar.currentMessage() == COMPUTING:
            self.status_bar.clearMessage()

    def _on_phase(self, title: str, text: str) -> None:
        self.phase = (title, text)
        if self.panel_dock.built():
            self.panel.show_phase(title, text)
        if title:
            self.panel_dock.dock.raise_()      # (shown: built, with the phase)

    def check_stuck(self, force: bool = False) -> None:
        """At most once a second: say so when training has stalled."""
        now = time.monotonic()
        if not force and now - self._last_stuck_check < STUCK_CHECK_SECONDS:
            return
        self._last_stuck_check = now
        report = self.training.stuck_report()
        self._stuck_rate = getattr(report, "rate", None)
        self.stuck_button.setText("Restart with a new seed" if self._stuck_rate is None else
                                  f"Learning rate {self._stuck_rate:g}, fresh weights")
        self.stuck_button.setVisible(report is not None)
        if report:
            self.status(report)
