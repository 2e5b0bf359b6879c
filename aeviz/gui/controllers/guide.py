"""Guided lessons in the window: which step is shown, what it points at (the
tab is opened, the panel outlined, neurons, connections and rows marked), the
actions it performs on arrival, its task checked live after every change, and
the student's progress per lesson (resettable; kept in QSettings by
:mod:`aeviz.gui.controllers.guide_store`).

Back / Next are also Page Up / Page Down (what a presenter's clicker sends)."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from aeviz.core.guides.guide import (DOCKS, TABS, Step, Target, apply_action, fed_note,
                                     render, step_patterns)
from aeviz.core.guides.guide_progress import (belongs_to_state, restored_done, state_mark,
                                              still_done)
from aeviz.core.lessons.lesson_commands import EditRefused
from aeviz.gui.controllers.guide_store import save_progress, saved_progress
from aeviz.gui.window.actions import ActionSpec, Place
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.guide_panel import GuidePanel
from aeviz.gui.drawing.highlight import Flash, flash, flash_row
from aeviz.gui.runtime.throttle import Throttled

# the lesson events after which a step's task is checked and its text shown again
WATCHED = frozenset({"values", "settings", "history", "epoch"})


class GuideController:
    def __init__(self, window: QMainWindow, doc: Document, training, diagram, tabs,
                 classroom, panel: GuidePanel, status) -> None:
        self.window, self.doc, self.training, self.diagram = window, doc, training, diagram
        self.tabs, self.classroom, self.panel, self.status = tabs, classroom, panel, status
        self.index = 0
        self.done: set[int] = set()          # steps whose task the student completed
        self.marks: dict[int, str] = {}      # the state each state task was done in
        self.done_at: dict[int, int] = {}    # the epoch each task was done (or re-checked) at
        self.tried = False                   # a change (or answer) since the step began
        # the step whose prediction was wrong (its choices locked until it is left: the
        # values it revealed show the answer); None otherwise
        self.missed: int | None = None
        self.answer: int | None = None       # the choice picked on this step
        self.highlighted: list[Target] = []  # what the current step pointed at
        self.flashed: list[QWidget] = []
        self.predict_on = False              # the current step turned predict-then-reveal on
        self.training_for_step = False       # the step's train action runs (on the worker)
        self._after_training: list[dict] = []   # the step's actions after that run
        self.answers: dict[int, int] = {}    # the option picked on each answered step
        # the lesson (model) the state above belongs to: on a lesson switch the
        # lesson's other events arrive before ``replaced``, and the old lesson's step
        # and tasks must never be judged against, or saved under, the new one's
        self._model = None
        panel.back_clicked.connect(self.back)
        panel.next_clicked.connect(self.next)
        panel.choice_made.connect(self.choose)
        panel.restart_clicked.connect(self.restart)
        panel.stop_clicked.connect(training.pause)
        training.progress.connect(self._on_training_progress)
        training.running_changed.connect(self._on_running_changed)
        # one look per lesson event: a training frame changes epoch, history and
        # values at once (three checks and texts of the step a frame, before)
        doc.changed.connect(self._on_lesson_event)
        doc.replaced.connect(self._on_replaced)
        doc.structure_changed.connect(self._on_structure_changed)
        # the step's live numbers ("Epoch 300, loss 0.035") follow a run, a few times a second
        self.live_text = Throttled(self._show, 250, window)
        self.patterns: list[int | None] = []     # the pattern each step is written for
        # predict hides, reveal shows: the text's quoted code and output follow ("?")
        classroom.hiding_hooks.append(self._show)
        panel.hide()

    def start(self) -> None:
        """Show the opening lesson's guide (once the window's actions exist)."""
        self._on_replaced()

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec("guide_next", "Next step", self.next_key, ("PgDown",),
                       "The guided lesson's next step (Page Down, as a clicker sends; "
                       "an open question waits for its answer)",
                       enabled_when=lambda: bool(self.steps),
                       menu=Place("&Guide", 0, 1)),
            ActionSpec("guide_back", "Previous step", self.back, ("PgUp",),
                       "The guided lesson's previous step (Page Up)",
                       enabled_when=lambda: bool(self.steps),
                       menu=Place("&Guide", 0, 0)),
            ActionSpec("guide_restart", "Start the guide again", self.restart,
                       tip="Forget this lesson's progress and go back to step 1",
                       enabled_when=lambda: bool(self.steps),
                       menu=Place("&Guide", 1, 1)),
        ]

    # --- state ------------------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self.doc.lesson.model.guide

    @property
    def step(self) -> Step | None:
        # (None while another lesson's guide arrives and the index is not yet its own)
        return self.steps[self.index] if 0 <= self.index < len(self.steps) else None

    def _stale(self) -> bool:
        """The state is still the previous lesson's (its ``replaced`` is on its way)."""
        return self.doc.lesson.model is not self._model

    def _save_progress(self) -> None:
        if not self.window.remember or self._stale():   # `aeviz screenshot` leaves settings alone
            return
        save_progress(self.doc.lesson.path, self.steps, self.index, self.done, self.marks)

    def _on_replaced(self) -> None:
        """Another lesson: show its guide where the student left it (or hide the pane)."""
        self._model = self.doc.lesson.model
        self.answers = {}
        self._forget_training()
        self.panel.setVisible(bool(self.steps))
        self.window.registry.update_enabled()
        if not self.steps:
            self.highlighted = []
            self.diagram.set_marks(set(), set())
            return
        fed = self.doc.lesson.pattern_index()        # the lesson opens as its guide was written for
        self.patterns = step_patterns(self.steps, None if fed is None else fed + 1)
        self.index, done, marks = saved_progress(self.doc.lesson.path, self.steps)
        # the place is offered again; a task counts as done only if it holds for the
        # state the lesson opens in (fresh weights: a training task is open again)
        self.done = restored_done(self.steps, done, marks, self.doc.lesson)
        self.marks = {d: marks[str(d)] for d in self.done if str(d) in marks}
        self.done_at = {d: self.doc.lesson.epoch for d in self.done}
        self.go(self.index, perform=False, save=False)     # it opens as its file has it

    def _on_structure_changed(self) -> None:
        """A structure or dataset edit may have dropped the guide (or undo brought it back)."""
        if self._stale():
            return
        if bool(self.steps) != self.panel.isVisibleTo(self.window):
            self.panel.setVisible(bool(self.steps))
            self.window.registry.update_enabled()
        if not self.steps:
            self.highlighted = []
            self.diagram.set_marks(set(), set())
            return
        self.index = min(self.index, len(self.steps) - 1)
        self._show()

    # --- moving -------------------------------------------------------------------------
    def next_key(self) -> None:
        """Page Down (a presenter's clicker): never skips an unanswered question, so
        a prediction is never revealed by accident (the Skip button still skips)."""
        step = self.step
        if (step is not None and step.task is not None and step.task.is_choice
                and self._task_open() and self.answer is None):
            message = "Answer the question first (or click Skip to go on without it)."
            self.status(message)
            self.panel.say(message)              # on stage the status bar is off: say it here
            return
        self.next()

    def next(self) -> None:
        if self.steps and self.index + 1 < len(self.steps):
            self.go(self.index + 1, perform=True)

    def back(self) -> None:
        if self.steps and self.index > 0:
            self.go(self.index - 1, perform=False)

    def restart(self) -> None:
        if self.steps:
            self.done, self.marks, self.done_at = set(), {}, {}
            self.go(0, perform=True)

    def go(self, index: int, perform: bool, save: bool = True) -> None:
        """Show step ``index``; going forward (``perform``) does its actions first;
        ``save``: remember it as the student's place (not when merely reopened)."""
        if self.training_for_step:           # leaving a step ends its training there
            self._forget_training()
            self.training.pause()
        self.index, self.tried, self.answer = index, False, None
        self.missed = None                   # a new visit: a prediction to make afresh
        if self.predict_on:                  # a prediction belongs to its step
            self.predict_on = False
            if self.classroom.predicting:
                self.window.registry["predict"].trigger()
        step = self.steps[index]
        if perform:                          # an answered prediction is not hidden again
            self._perform_all([a for a in step.actions
                               if index not in self.done or "predict" not in a])
        elif index not in self.done:          # back to an open prediction: hidden again
            self._perform_all([a for a in step.actions if "predict" in a or "feed" in a])
        self.tried = False
        if not self.training_for_step:
            self._check()                    # a task already true on arrival is done
        self._point_at(step.look_at)
        if save:
            self._save_progress()
        self._show()

    def _perform_all(self, actions: list[dict]) -> None:
        """Do ``actions`` in order; a ``train`` runs on the training thread (as Play,
        with progress and Stop), and the actions after it wait for its end."""
        while actions:
            action = actions.pop(0)
            (kind, value), = action.items()
            if kind == "train":
                try:
                    self.training.run_epochs(value, "Guide: train")
                except EditRefused as e:
                    self.status(str(e))
                if self.training.running:
                    self.training_for_step, self._after_training = True, actions
                    self.panel.show_training(0, value)
                    return
                continue
            self._perform(action)

    def _on_training_progress(self, done: int, total: int) -> None:
        if self.training_for_step:
            self.panel.show_training(done, total)

    def _on_running_changed(self, running: bool) -> None:
        """The step's training ended (all its epochs, Stop, Space or an edit): the
        step's remaining actions follow, then its task is checked."""
        if running or not self.training_for_step:
            return
        rest = self._forget_training()
        self._perform_all(rest)
        if self.training_for_step:           # another train action began
            return
        self.tried = False
        self._check()
        self._show()

    def _forget_training(self) -> list[dict]:
        """No longer wait for a step's training; the actions that were to follow it."""
        rest, self._after_training = self._after_training, []
        self.training_for_step = False
        self.panel.show_training(0, None)
        return rest

    def _perform(self, action: dict) -> None:
        (kind, value), = action.items()
        try:
            if kind == "predict":
                if not self.classroom.predicting:
                    self.window.registry["predict"].trigger()
                    self.predict_on = True
            elif kind == "reset":
                self.training.reset_weights()
            else:
                apply_action(action, self.doc.lesson)
        except EditRefused as e:
            self.status(str(e))

    # --- pointing ------------------------------------------------------------------------
    def _point_at(self, targets: tuple[Target, ...]) -> None:
        self.highlighted = list(targets)
        self.flashed = []
        for old in self.window.findChildren(Flash):       # the last step's outlines
            old.hide()
        neurons = {(t.layer, t.unit) for t in targets if t.kind == "neuron"}
        edges = {(t.layer, t.unit, t.to_unit) for t in targets if t.kind == "connection"}
        self.diagram.set_marks(neurons, edges)
        for t in targets:
            widget = self.widget_for(t)
            if t.panel in DOCKS:
                dock = self.window.findChild(QDockWidget, t.panel)
                dock.show()
                dock.raise_()
            elif t.tab is not None:
                self.window.findChild(QDockWidget, "Patterns").show()
                self.window.findChild(QDockWidget, "Patterns").raise_()
                self.tabs.tabs.setCurrentWidget(widget)
            if t.kind == "row":
                flash_row(widget, t.unit)
            elif t.kind == "panel":
                self.flashed.append(widget)
                flash(widget)
            elif t.kind in ("neuron", "connection"):
                self.diagram.fit()
        front = [t.panel if t.panel in DOCKS else "Patterns" for t in targets
                 if t.panel in DOCKS or t.tab is not None]
        if front and hasattr(self.window, "stage"):    # the step's last-named panel in front
            self.window.stage.bring_front(self.window.findChild(QDockWidget, front[-1]))

    def widget_for(self, target: Target) -> QWidget:
        """The widget a panel or row target names (the diagram for neurons)."""
        if target.kind in ("neuron", "connection") or target.panel == "Diagram":
            return self.diagram
        if target.panel in TABS:
            return self.tabs.page(target.panel)
        return self.window.dock_page(target.panel)          # (a dock built when first needed)

    # --- the task ------------------------------------------------------------------------
    def choose(self, option: int) -> None:
        if self.missed == self.index:         # one prediction a visit (see below)
            return
        self.answer, self.tried = option, True
        self._check()
        if self.index in self.done:           # its button stays marked when revisited
            self.answers[self.index] = option
        task = self.step.task if self.step else None
        if task is not None and task.kind == "predict_winner":
            if self.index not in self.done:   # wrong: the values show the right one, so a
                self.missed = self.index      # second pick would be read, not predicted
            if self.classroom.predicting:
                self.classroom.reveal()         # the prediction is made: show the values
        self._show()

    def _on_lesson_event(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self._on_change()

    def _on_change(self) -> None:
        if not self.steps or self._stale():
            return
        if not self.doc.lesson.live:         # (a rewind preview only shows an earlier epoch)
            self._forget_undone()
        if self.training_for_step:           # the step's own run: its task is checked at
            self._show()                     # the end; its text's numbers follow it live
            return
        if self.doc.lesson.live and not self._task_open():
            self.live_text()                    # only the numbers in the text change
            return
        step = self.step
        if not (step is not None and step.task is not None and step.task.is_choice):
            self.tried = True                   # a question is tried by answering it only
        self._check()
        self._show()

    def _forget_undone(self) -> None:
        """The lesson went back before a task was done (Reset weights, New seed, an
        undone run): the task counts as done only if it still holds
        (:func:`aeviz.core.guides.guide_progress.still_done`)."""
        epoch = self.doc.lesson.epoch
        back = [d for d in self.done if self.done_at.get(d, 0) > epoch and d < len(self.steps)]
        if not back:
            return
        stale = {d for d in back if not still_done(self.steps[d], self.marks.get(d),
                                                   self.doc.lesson)}
        for d in back:
            self.done_at[d] = epoch
        if stale:
            self.done -= stale
            for d in stale:
                self.marks.pop(d, None)
            self._save_progress()

    def _task_open(self) -> bool:
        step = self.step
        return step is not None and step.task is not None and self.index not in self.done

    def _check(self) -> None:
        step = self.step
        if step is None or step.task is None or self.index in self.done:
            return
        if self.missed == self.index:         # a wrong prediction is judged once: an edit
            return                            # that makes its output win later is no pick
        if step.task.is_choice and self.answer is None:
            return
        if step.task.check(self.doc.lesson, self.answer).done:
            self.done.add(self.index)
            if belongs_to_state(step):           # done in this state (see guide_progress)
                self.marks[self.index] = state_mark(self.doc.lesson)
            self.done_at[self.index] = self.doc.lesson.epoch
            self._save_progress()

    def check(self):
        """The current task's live verdict (None without a task)."""
        step = self.step
        if step is None or step.task is None:
            return None
        return step.task.check(self.doc.lesson, self.answer)

    def _show(self) -> None:
        step = self.step
        if step is None:
            return
        tasks = sum(s.task is not None for s in self.steps)
        pattern = self.patterns[self.index] if self.index < len(self.patterns) else None
        note = fed_note(step, pattern, self.doc.lesson)    # the text never contradicts the window
        self.panel.show_step(self.index, len(self.steps), len(self.done), tasks,
                             render(step.text, self.doc.lesson, self.classroom.hiding)
                             + (f"\n{note}" if note else ""))
        task = step.task
        done = self.index in self.done
        if task is None:
            self.panel.show_task("", (), True)
            self.panel.show_state("", "", self.index + 1 == len(self.steps), False)
            return
        choices = task.choices(self.doc.lesson) if task.is_choice else ()
        missed = self.missed == self.index and not done
        self.panel.show_task(task.prompt, choices, locked=done or missed,
                             chosen=self.answers.get(self.index) if done else
                             self.answer if missed else None)
        hint = ""
        if missed and self.classroom.hiding:  # hidden again (a new question): no numbers
            hint = (f"Your pick, output {self.answer + 1}, was not the largest. "
                    "R reveals the outputs.")
        elif not done and self.tried:
            hint = self.check().hint
        done_text = ""
        if done:
            done_text = "✓ Done." + (f" {task.reveal}" if task.reveal else "")
        self.panel.show_state(hint, done_text, self.index + 1 == len(self.steps),
                              not done and not missed)
