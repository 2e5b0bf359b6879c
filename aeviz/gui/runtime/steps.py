"""Single steps of a big network off the GUI thread: Step epoch, Step update and
the phase walker's trace (phases 1-5) and update (phase 6).

A step runs ``work()`` on a private :class:`~aeviz.core.lessons.session.TrainingSession`
(nobody else touches it) and hands the result to ``done`` on the GUI thread,
which commits it.  For a big network even the copies are made on the step
thread (``Lesson.prepare_session``: ~0.7 s of copies of the weights and the
optimiser's state at 1024-1024-1024, and ``Lesson.change_of``: the undo step's),
which is safe because the lesson's training clock does not change meanwhile:
every change waits for the step first (below).  For a network whose parameters x
patterns exceed ``STEP_WORK`` (the rule and figure of
:data:`aeviz.gui.runtime.background.BACKGROUND_WORK`: a step costs about what
the dataset's evaluation costs, ~3 x parameters x patterns multiply-adds) the
work runs on a :class:`~aeviz.gui.runtime.jobs.BackgroundJob` thread: one
1024-1024-1024 epoch takes ~1.4 s, a 10 x 1024 ~6 s, and the window stays
responsive meanwhile.  Smaller lessons step synchronously, exactly as before
(tests and teaching rely on a step being there when the key is released).
The same code computes both ways, so the results are bitwise equal.

While a step computes (``busy``; ``busy_changed`` lets the window say so):

* another step (any of the three keys, or the same one held down) is
  **ignored**, not queued: never two overlapping steps, and a held arrow key
  does not pile up seconds of work to be done after it is released;
* any change of the lesson first **waits** for the step and commits it (the
  lesson's guard), and so does Play: no update is lost or done twice, and Undo
  takes back exactly that step;
* a phase walker's trace (nothing applied yet: ``keep`` False) is **cancelled**
  instead (the change makes it stale anyway); its thread finishes on a copy
  no one reads and its result is dropped.

On close (``shutdown``) a step still computing is dropped and its thread joined.
"""

from __future__ import annotations

import sys
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from aeviz.core.lessons.lesson import Lesson
from aeviz.core.lessons.session import Event, TrainingSession
from aeviz.gui.runtime.background import BACKGROUND_WORK
from aeviz.gui.runtime.jobs import BackgroundJob
from aeviz.gui.runtime.threads import assert_gui_thread

STEP_WORK = BACKGROUND_WORK      # parameters x patterns above which a step runs off the
                                 # GUI thread: 64-16-64 on 64 patterns 136,000 (< 1 ms, here);
                                 # digits-8x8 7.8M (an epoch ~14 ms, there, as its values);
                                 # 1024-2-1024 on 1,024 5.2M (~0.2 s); 1024-1024-1024 2,150M
SWITCH_INTERVAL = 0.00005        # s: the GUI thread gets the GIL back this soon (as the
                                 # training worker: every Qt call releases and retakes it)


def stepped_in_background(parameters: int, patterns: int) -> bool:
    """Whether a single step of this network is computed off the GUI thread."""
    return parameters * max(patterns, 1) > STEP_WORK


class _Step:
    """One step in flight: ``work`` (run on the job thread), its result or error."""

    def __init__(self, work: Callable[[], object], done: Callable[[object], None],
                 keep: bool) -> None:
        self.work, self.done, self.keep = work, done, keep
        self.result: object = None
        self.error: BaseException | None = None

    def compute(self, _cancelled=None, _progress=None) -> "_Step":
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            self.result = self.work()
        except Exception as e:        # noqa: BLE001 - raised again on the GUI thread
            self.error = e
        finally:
            sys.setswitchinterval(switch)
        return self


class StepRunner(QObject):
    """``run(work, done, keep)``: one step at a time; see the module docstring."""

    busy_changed = Signal(bool)

    def __init__(self, lesson: Lesson, parent: QObject) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.job = BackgroundJob("step", self)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self._step: _Step | None = None
        self.background_steps = 0        # steps computed off the GUI thread (tests, bench)
        lesson.add_guard(self._before_change)

    @property
    def busy(self) -> bool:
        """A step is computing off the GUI thread."""
        return self._step is not None

    def in_background(self) -> bool:
        lesson = self.lesson
        return stepped_in_background(lesson.network.params.size, len(lesson.model.dataset))

    def run(self, work: Callable[[], object], done: Callable[[object], None],
            keep: bool = True) -> _Step | None:
        """``done(work())``: now for a small lesson, else ``work`` on the step
        thread and ``done`` on the GUI thread when it is computed.  Returns the
        step (for :meth:`cancel`), None (and nothing done) while another step
        computes.  ``keep``: a change of the lesson waits for it (True) or
        cancels it (False)."""
        assert_gui_thread()
        if self.busy:
            return None
        step = _Step(work, done, keep)
        if not self.in_background():
            done(work())
            return step
        self._step = step
        self.background_steps += 1
        self.job.start(step.compute)
        self.busy_changed.emit(True)
        return step

    def train(self, step: Callable[[TrainingSession], Event | None], verb: str,
              run_now: Callable[[Callable, str], object],
              report: Callable[[Event | None], None]) -> None:
        """Step epoch, Step update: ``run_now(step, verb)`` for a small lesson (the
        lesson's ``run``, in this thread); for a big one the session's copies, the
        ``step`` and the undo step's copies on the step thread, then the commit
        as one undo step named ``verb`` and ``report(event)``.  Ignored while a
        step computes."""
        if self.busy:
            return
        if not self.in_background():
            run_now(step, verb)
            return
        lesson = self.lesson
        with lesson.changing(resume=False):     # a run is committed first, not resumed
            make = lesson.prepare_session()

        def work() -> tuple:
            session = make()
            event = step(session)
            return session, event, lesson.change_of(session, verb)

        def done(result: tuple) -> None:
            session, event, change = result
            lesson.adopt_session(session)
            lesson.commit_change(session, change)
            report(event)
        self.run(work, done)

    def wait(self) -> None:
        """Finish the step in flight now (join its thread, then ``done``); a
        step that is not kept is cancelled instead."""
        step = self._step
        if step is None:
            return
        if not step.keep:
            self.cancel()
            return
        self.job.join()
        self._deliver(step)

    def cancel(self, step: _Step | None = None) -> None:
        """Forget the step in flight (``step``: only if it is that one); its
        result is dropped."""
        if self._step is not None and (step is None or step is self._step):
            self._step = None
            self.job.cancel()
            self.busy_changed.emit(False)

    def shutdown(self) -> None:
        self.cancel()
        self.job.shutdown()

    def _before_change(self, may_resume: bool) -> None:
        """The lesson's guard: a change waits for the step (it is committed first)."""
        self.wait()
        return None

    @Slot(object)
    def _on_finished(self, step: _Step) -> None:
        if step is self._step:
            self._deliver(step)

    @Slot(str)
    def _on_failed(self, error: str) -> None:      # compute() catches: never expected
        if self._step is not None:
            self.cancel()
            raise RuntimeError(error)

    def _deliver(self, step: _Step) -> None:
        assert_gui_thread()
        self._step = None
        self.job.cancel()                  # a result still queued is dropped
        self.busy_changed.emit(False)
        if step.error is not None:
            raise step.error
        step.done(step.result)
