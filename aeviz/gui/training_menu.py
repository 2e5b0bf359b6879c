"""Training controls of the main window: the Play/Step/Next phase/Reset actions,
their toolbar, and the stuck detector's offer.  A mixin of MainWindow."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QDockWidget, QPushButton, QToolBar


class TrainingMixin:
    """Needs ``self.controller``, ``self.phases``, ``self.training`` and ``self._action``."""

    def _make_training_actions(self) -> None:
        a, c = self._action, self.controller
        self.act_play = a("Play", c.toggle, "Space", "Train in the background (Space)")
        self.act_step = a("Step epoch", c.step_epoch, "Right", "Train exactly one epoch (→)")
        self.act_step_pattern = a("Step update", c.step_pattern, "Shift+Right",
                                  "One update: one pattern in online training (Shift+→)")
        self.act_phase = a("Next phase", self.phases.next, "N",
                           "Walk through one update phase by phase (N)")
        self.act_reset = a("Reset weights", c.reset_weights, "Ctrl+R",
                           "New random weights from the seed, epoch 0 (Ctrl+R)")
        self.act_new_seed = a("New seed", c.new_seed, None, "Next seed, then reset the weights")
        self.act_study = a("Study many seeds…", self.open_study, None,
                           "Train this network from many seeds: how often, how fast")

    def open_study(self) -> None:
        from aeviz.gui.study_dialog import StudyDialog
        self.study_dialog = StudyDialog(self.doc.model, self)
        self.study_dialog.show()

    def _make_training_toolbar(self) -> None:
        tb = QToolBar("Training")
        tb.setObjectName("Training toolbar")
        tb.setMovable(False)
        self.addToolBarBreak()
        self.addToolBar(tb)
        tb.addActions([self.act_play, self.act_step, self.act_step_pattern, self.act_phase])
        tb.addSeparator()
        tb.addActions([self.act_reset, self.act_new_seed])
        self.play_button = tb.widgetForAction(self.act_play)
        self.play_button.setAccessibleName("Play")
        self.play_button.setMinimumWidth(70)
        self.stuck_button = QPushButton("Restart with a new seed")
        self.stuck_button.clicked.connect(lambda _checked=False: self.controller.new_seed())
        self.stuck_button.hide()
        self.statusBar().addPermanentWidget(self.stuck_button)

    def _on_running_changed(self, running: bool) -> None:
        self.act_play.setText("Pause" if running else "Play")
        self.act_play.setToolTip(("Pause" if running else "Train in the background") + " (Space)")
        if running:
            self.phases.cancel()

    def _on_phase(self, title: str, text: str) -> None:
        self.training.show_phase(title, text)
        if title:
            self.findChild(QDockWidget, "Training").raise_()

    def _check_stuck(self) -> None:
        """At most once a second: say so when training has stalled."""
        now = time.monotonic()
        if now - self._last_stuck_check < 1.0:
            return
        self._last_stuck_check = now
        report = self.controller.stuck_report()
        self.stuck_button.setVisible(report is not None)
        if report:
            self.statusBar().showMessage(report, 15_000)
