"""Step-through: one update, phase by phase, drawn on the diagram.

Each press of Next phase (N) shows the next of the six phases of
:mod:`aeviz.core.measures.phases`; the numbers come from a StepTrace computed by the
trainer itself, and phase 6 applies exactly one engine step.  A seventh press
returns the diagram to its normal view with the new weights.

For a big network the trace (phases 1-5) and the update (phase 6) are computed
off the GUI thread by the controller's :class:`~aeviz.gui.runtime.steps.StepRunner`
(1.4 s and 0.4 s on a 1024-1024-1024); a press while one computes is ignored.
A change of the lesson cancels a trace in flight and waits for an update."""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from aeviz.core.measures import phases
from aeviz.gui.drawing.diagram import NetworkView, Overlay
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.training import TrainingController


class PhaseWalker(QObject):
    changed = Signal(str, str)           # title, explanation ("" , "" when idle)
    refused = Signal(str)                # a step that would blow the weights up

    def __init__(self, doc: Document, controller: TrainingController, view: NetworkView,
                 parent=None) -> None:
        super().__init__(parent)
        self.doc, self.controller, self.view = doc, controller, view
        self.trace: phases.StepTrace | None = None
        self.session = None          # the private copy the traced step runs on
        self.phase = -1
        self._making = None          # makes the session of a trace being computed
        self._tracing = None         # the step runner's step computing this walk's trace
        self._begun_at = -1          # the lesson's revision when the traced step began
        self._awaiting = None        # (trace, phase) drawn once the lesson's values are shown
        # why a walk may not go on now (the window's rule: a hidden prediction), or None
        self.blocked: Callable[[], str | None] = lambda: None
        self.feeding = False         # the walk feeds the pattern it trains on (online)
        doc.structure_changed.connect(self.cancel)
        for signal in (doc.params_changed, doc.settings_changed, doc.epoch_changed):
            signal.connect(self._on_lesson_changed)     # what a traced step depends on
        doc.replaced.connect(self.cancel)
        doc.values_changed.connect(self._on_values)
        doc.input_changed.connect(self._on_input)

    @property
    def active(self) -> bool:
        return self.trace is not None

    @property
    def begun(self) -> bool:
        """A walk is shown, or its first phases are being computed (a big network)."""
        return self.trace is not None or self._making is not None

    def _on_lesson_changed(self) -> None:
        """An edit, undo or run of the weights, the settings or the clock made the
        traced step stale, or the update shown no longer the lesson's last change
        (its own commit excepted); or the timeline shows another epoch (a rewind
        preview: the walk's numbers are not those shown)."""
        lesson = self.doc.lesson
        walking = self.session is not None or self._tracing is not None or self.trace is not None
        if walking and (lesson.live or (self._begun_at is not None
                                        and self._begun_at != lesson.revision)):
            self.cancel()

    def cancel(self) -> None:
        if self._tracing is not None:
            self.controller.steps.cancel(self._tracing)   # a trace in flight is stale
        self._tracing = None
        self.trace, self.session, self.phase, self._making = None, None, -1, None
        self._awaiting = None
        self.view.set_overlay(None)
        self.changed.emit("", "")

    def next(self) -> None:
        """Show the next phase (starting a new update after the last one)."""
        steps = self.controller.steps
        if steps.busy:
            return                                        # a step computes: ignored
        reason = self.blocked()
        if reason:
            self.cancel()
            self.refused.emit(reason)
            return
        # a big network's edit tells params_changed only once its values are computed
        # off the GUI thread: a press meanwhile must not go on with the stale step
        self._on_lesson_changed()
        if self.trace is not None and self.phase == len(phases.PHASES) - 1:
            self.cancel()                                 # back to the normal view
            return
        if self.trace is None:
            self.controller.pause()
            self.doc.lesson.end_live()                    # a rewind preview
            make = self._making = self.doc.lesson.prepare_session()   # copied off-thread too
            self._begun_at = self.doc.lesson.revision

            def trace():
                session = make()
                return session, session.begin_step()
            step = steps.run(trace, lambda made: self._traced(make, *made), keep=False)
            self._tracing = step if steps.busy else None  # None: traced already (small)
            return
        self._next_phase()

    def _traced(self, make, session, trace: phases.StepTrace) -> None:
        """Phases 1-5 of the step are computed: show the first."""
        self._tracing = None
        if make is not self._making:
            return                                        # cancelled meanwhile
        self._making = None
        self.doc.lesson.adopt_session(session)
        self.session, self.trace = session, trace
        if self.trace.blows_up:                           # the divergence rule, foreseen
            self.cancel()
            self.refused.emit("The gradient of this step is not finite (NaN or infinity): "
                              "the weights are too large. Reset them or lower the "
                              "learning rate.")
            return
        if len(self.trace.patterns) == 1:                 # online: show the pattern trained on
            self.feeding = True                           # (the walk's own: no new question)
            try:
                self.doc.lesson.feed_pattern(int(self.trace.patterns[0]))
            finally:
                self.feeding = False
            if self.trace is None:                        # the feed ended the walk
                return
        self._next_phase()

    def _next_phase(self) -> None:
        self.phase += 1
        name = phases.PHASES[self.phase]
        if name == "update":
            # the training session's own step (loss row, streak, snapshot), then the
            # lesson's commit: the path Step and the worker take
            session, trace, lesson = self.session, self.trace, self.doc.lesson

            def update():                             # the step and its undo step's copies
                event = session.finish_step(trace)
                return event, lesson.change_of(session, "Step one update")
            self.controller.steps.run(update, lambda done: self._updated(session, trace, *done))
            return
        self._show(name)

    def _updated(self, session, trace: phases.StepTrace, event, change) -> None:
        """Phase 6 is computed: commit it (one undo step) and show it.  Pressed,
        so never lost: a settings edit that ended the walk while it computed
        (off the GUI thread) leaves it committed, only not shown."""
        shown = trace is self.trace
        if event is not None and event.kind == "diverged":
            if shown:
                self.cancel()                             # never apply or draw NaN/∞
                self.refused.emit(
                    f"This update would blow the weights up (NaN or infinity) at learning "
                    f"rate {trace.learning_rate:g}; it was not applied. Lower the learning "
                    "rate and try again.")
            return
        if shown:
            self.session = None                           # committed: no longer stale
            self._begun_at = None                         # (its own change: not an edit)
        self.doc.lesson.commit_change(session, change)
        if shown:
            self._begun_at = self.doc.lesson.revision     # a later change ends the walk
            self._show("update")

    def _on_input(self) -> None:
        """Another pattern fed during the walk (a Patterns row clicked): the phase
        shown is drawn and explained for it; a pattern the step did not train on
        (online, or an input typed by hand) ends the walk (no numbers of it)."""
        if self.trace is None or self.phase < 0:
            return                                        # (the walk feeds its own first)
        name = phases.PHASES[self.phase]
        if name == "update" and self.session is not None:
            return      # the update computes (a big network's input, told late): drawn then
        p = self.doc.lesson.pattern_index()
        if p is None or p not in self.trace.patterns:
            self.cancel()
        else:
            self._show(name)

    def _on_values(self) -> None:
        """A big network's values of the committed step are shown: the phase too."""
        if self._awaiting is not None and not self.doc.values_pending:
            trace, name = self._awaiting
            self._awaiting = None
            if trace is self.trace:
                self._show(name)

    def _show(self, name: str) -> None:
        if self.doc.values_pending:
            # a big network's committed update: its values (evaluation, edge styles) are
            # computed off the GUI thread (0.5-1 s of it on a 1024-1024-1024); the phase
            # is drawn and explained with them (_on_values), all at once
            self._awaiting = (self.trace, name)
            return
        self.view.set_overlay(self._overlay(name))
        row = self._row()
        net = self.doc.lesson.network
        title, text = phases.explain(self.trace, name, row, net.activations, net.code_layer,
                                     self.doc.lesson.model.training.loss,
                                     len(self.doc.lesson.model.dataset))
        self.changed.emit(title, text)

    def _row(self) -> int:
        """The batch row of the fed pattern (the first row if it is not in the batch)."""
        p = self.doc.lesson.pattern_index()
        hits = np.flatnonzero(self.trace.patterns == p) if p is not None else []
        return int(hits[0]) if len(hits) else 0

    def _overlay(self, name: str) -> Overlay:
        t, net, row = self.trace, self.doc.lesson.network, self._row()
        L, code = net.depth, net.code_layer
        acts = [a[row] for a in t.acts]
        revealed = {"input": 0, "encode": code, "decode": L}.get(name, L)
        values = [acts[k] if k <= revealed else None for k in range(L + 1)]
        highlight = {"input": {0}, "encode": set(range(1, code + 1)),
                     "decode": set(range(code + 1, L + 1)), "error": {L}}.get(name, set())
        edges, caption = None, ""
        names = {}
        if name == "backprop":
            values = [acts[0]] + [d[row] for d in t.deltas]
            blocks = net.split(t.grad)
            edges = np.concatenate([g[:-1].ravel() for g in blocks])
            names = dict(biases=[g[-1] for g in blocks], edge_name="∂J/∂w", bias_name="∂J/∂b",
                         neuron_name="δ = ∂J/∂z")
            caption = "neurons: δ (fed pattern)   connections: ∂J/∂w   badges: ∂J/∂b = Σ δ"
            highlight = set(range(1, L + 1))
            if t.logvar:                                  # the VAE's log σ² path, dashed
                names["side_edges"] = t.logvar["grad"][:-1]
                caption += "   dashed: the log σ² weights' ∂J/∂w"
        elif name == "update":
            blocks = net.split(t.params_after - t.params_before)
            edges = np.concatenate([g[:-1].ravel() for g in blocks])
            names = dict(biases=[g[-1] for g in blocks], edge_name="Δw", bias_name="Δb")
            caption = "connections: the change Δw of each weight   badges: Δb"
            if t.logvar:
                n = t.logvar["before"].size
                change = (t.params_after[-n:] - t.params_before[-n:])
                names["side_edges"] = change.reshape(t.logvar["before"].shape)[:-1]
                caption += "   dashed: the log σ² weights' Δw"
        return Overlay(values, edges, highlight, caption, **names)

