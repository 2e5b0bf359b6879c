"""A big network's single steps (Step epoch, Step update, the phase walker)
compute off the GUI thread (aeviz.gui.runtime.steps): the same result bitwise,
one step at a time, and every change of the lesson waits for the step first.

The threshold is lowered (``STEP_WORK``) so that a mid-size network steps in
the background here; a step's result is handed over by a queued signal, so
until the test lets the event loop run, the step is still "computing" — the
tests check what happens then without any sleep."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core.config import TrainingConfig
from aeviz.core.engine.network import Network
from aeviz.core.files.datasets import Dataset
from aeviz.core.files.presets import load_preset
from aeviz.core.model import Model
from aeviz.gui.controllers.training_ui import COMPUTING
from aeviz.gui.runtime import steps as steps_module
from aeviz.gui.window.main_window import MainWindow


def mid_model() -> Model:
    """64-32-64, Adam, batches of 16 of 64 one-hot patterns: 4,192 parameters."""
    net = Network.create([64, 32, 64], ["tanh", "softmax"], rng=np.random.default_rng(3))
    return Model(net, TrainingConfig(optimizer="adam", learning_rate=0.01, batch_size=16),
                 Dataset.one_hot(64), "mid", "", {})


def window(qtbot, model: Model | None = None) -> MainWindow:
    w = MainWindow(model=model or mid_model())
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    return w


def state(lesson):
    return (lesson.network.params.copy(), lesson.epoch, lesson.history.rows(0).copy(),
            list(lesson.snapshots.epochs), lesson.streak.to_state(),
            lesson.trainer_state()["pending"],
            [lesson.undo_stack.text(i) for i in range(lesson.undo_stack.count())])


def assert_same(a, b) -> None:
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[2], b[2])
    assert a[1] == b[1] and a[3] == b[3] and a[4] == b[4] and a[6] == b[6]
    assert len(a[5]) == len(b[5]) and all(np.array_equal(p, q) for p, q in zip(a[5], b[5]))


def settle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.controller.steps.busy)


@pytest.fixture
def threaded(monkeypatch):
    """Every lesson steps off the GUI thread."""
    monkeypatch.setattr(steps_module, "STEP_WORK", 0)


def walk_one_update(qtbot, w) -> None:
    for _ in range(6):
        w.phases.next()
        settle(qtbot, w)
    w.phases.next()                                   # back to the normal view


def test_a_step_in_the_background_is_bitwise_the_step_in_the_gui_thread(qtbot, monkeypatch):
    synchronous = window(qtbot)
    for _ in range(3):
        synchronous.controller.step_epoch()
        synchronous.controller.step_pattern()
    walk_one_update(qtbot, synchronous)
    assert synchronous.controller.steps.background_steps == 0

    monkeypatch.setattr(steps_module, "STEP_WORK", 0)
    threaded = window(qtbot)
    for _ in range(3):
        threaded.controller.step_epoch()
        settle(qtbot, threaded)
        threaded.controller.step_pattern()
        settle(qtbot, threaded)
    walk_one_update(qtbot, threaded)
    assert threaded.controller.steps.background_steps == 3 + 3 + 2     # trace + update
    assert_same(state(threaded.doc.lesson), state(synchronous.doc.lesson))
    assert threaded.doc.lesson.epoch >= 3


def test_small_lessons_step_at_once_as_before(qtbot):
    w = window(qtbot, load_preset("train-5-2-5"))
    w.registry["step"].trigger()
    assert w.doc.lesson.epoch == 1 and not w.controller.steps.busy
    w.phases.next()
    assert w.phases.trace is not None and w.controller.steps.background_steps == 0


def test_a_second_press_while_a_step_computes_is_ignored(qtbot, threaded):
    w = window(qtbot)
    w.registry["step"].trigger()
    assert w.controller.steps.busy and w.doc.lesson.epoch == 0
    assert w.statusBar().currentMessage() == COMPUTING
    for name in ("step", "step_update", "phase", "step"):
        w.registry[name].trigger()                   # ignored: never two steps at once
    assert w.phases.trace is None
    settle(qtbot, w)
    assert w.doc.lesson.epoch == 1 and w.controller.steps.background_steps == 1
    assert w.doc.lesson.undo_stack.count() == 1
    assert w.doc.lesson.undo_stack.text(0) == "Step one epoch"
    assert w.statusBar().currentMessage() != COMPUTING


@pytest.mark.parametrize("change", ["reset", "structure", "undo", "open"])
def test_a_change_during_a_step_waits_for_it_and_commits_it_first(qtbot, monkeypatch, change):
    reference = window(qtbot)
    reference.controller.step_epoch()
    stepped = reference.doc.lesson.network.params.copy()

    monkeypatch.setattr(steps_module, "STEP_WORK", 0)
    w = window(qtbot)
    w.controller.step_epoch()
    lesson = w.doc.lesson
    assert w.controller.steps.busy and lesson.epoch == 0
    if change == "reset":
        w.training_ui.reset_weights()
        assert [lesson.undo_stack.text(i) for i in range(2)] == ["Step one epoch",
                                                                 "Reset weights (seed 0)"]
        lesson.undo()
    elif change == "structure":
        lesson.add_neuron(1)
        assert lesson.undo_stack.text(0) == "Step one epoch"
        lesson.undo()
    elif change == "undo":
        lesson.undo()                                # takes back exactly the step
        assert lesson.epoch == 0 and lesson.undo_stack.index == 0
        lesson.redo()
    else:                                            # a new lesson: the step is no more
        w.files.open_preset("train-5-2-5")
        assert lesson.epoch == 0 and not w.controller.steps.busy
        assert lesson.undo_stack.count() == 0 and lesson.network.params.size == 27
        return
    assert not w.controller.steps.busy and lesson.epoch == 1
    np.testing.assert_array_equal(lesson.network.params, stepped)


def test_play_during_a_step_trains_on_from_it_and_undo_takes_each_back(qtbot, threaded):
    w = window(qtbot)
    lesson = w.doc.lesson
    start = lesson.network.params.copy()
    w.registry["step"].trigger()
    w.registry["play"].trigger()                     # the step is committed first
    assert w.controller.running and not w.controller.steps.busy
    qtbot.waitUntil(lambda: lesson.epoch > 1)
    w.registry["play"].trigger()                     # Pause
    texts = [lesson.undo_stack.text(i) for i in range(lesson.undo_stack.count())]
    assert texts[0] == "Step one epoch" and texts[1].startswith("Train") and len(texts) == 2
    lesson.undo()
    assert lesson.epoch == 1
    lesson.undo()
    assert lesson.epoch == 0
    np.testing.assert_array_equal(lesson.network.params, start)


def test_a_rate_edit_during_a_step_is_its_own_undo_step(qtbot, threaded):
    w = window(qtbot)
    lesson = w.doc.lesson
    w.controller.step_epoch()
    lesson.set_setting("learning_rate", 0.5)          # taken along: no wait
    assert w.controller.steps.busy
    settle(qtbot, w)
    assert lesson.epoch == 1 and lesson.model.training.learning_rate == 0.5
    assert lesson.undo_stack.count() == 2


def test_a_trace_in_flight_is_dropped_by_a_change_an_update_in_flight_is_kept(qtbot, threaded):
    w = window(qtbot)
    lesson = w.doc.lesson
    w.phases.next()                                   # the trace computes
    assert w.controller.steps.busy and w.phases.trace is None
    lesson.add_neuron(1)                              # stale: cancelled, nothing applied
    assert not w.controller.steps.busy and w.phases.trace is None and lesson.epoch == 0
    qtbot.waitUntil(lambda: all(t.isFinished() for t in w.controller.steps.job._threads))
    qtbot.wait(0)                                     # its queued result: dropped
    assert w.phases.trace is None and lesson.epoch == 0
    for _ in range(5):                                # phases 1-5 of a fresh step
        w.phases.next()
        settle(qtbot, w)
    assert w.phases.phase == 4
    w.phases.next()                                   # 6: the update computes
    assert w.controller.steps.busy and lesson.epoch == 0
    lesson.remove_neuron(1, 0)                        # waits: the update is committed first
    assert lesson.undo_stack.text(lesson.undo_stack.index - 2) == "Step one update"
    assert w.phases.trace is None


def test_closing_during_a_step_joins_its_thread(qtbot, threaded):
    w = window(qtbot)
    w.controller.step_epoch()
    assert w.controller.steps.busy
    w.close()
    assert not w.controller.steps.busy and w.controller.steps.job._threads == []


def test_pause_and_a_guide_run_during_a_step_commit_it_first(qtbot, threaded):
    w = window(qtbot)
    lesson = w.doc.lesson
    w.controller.step_pattern()
    assert w.controller.steps.busy
    assert w.controller.pause() is False              # nothing was running: the step is in
    assert lesson.undo_stack.count() == 1 and lesson.undo_stack.text(0) == "Step one update"
    w.controller.step_epoch()
    w.controller.run_epochs(3, "Train")               # a guide's run: after the step
    qtbot.waitUntil(lambda: not w.controller.running)
    assert [lesson.undo_stack.text(i) for i in range(3)] == [
        "Step one update", "Step one epoch", "Train 3 epochs"]


def test_a_big_networks_update_phase_is_shown_with_values_computed_off_the_gui_thread(
        qtbot, threaded, monkeypatch):
    """Phase 6 (the update) of a big network: the step is committed at once, and
    the phase is drawn and explained when the new weights' values (the dataset's
    evaluation, the diagram's styles) have been computed off the GUI thread; the
    GUI thread never computes them meanwhile (0.5-1 s frozen on a 1024-1024-1024)."""
    import threading

    from aeviz.core.lessons import derived as derived_module
    from aeviz.core.measures.phases import PHASES
    from aeviz.gui.runtime import background
    monkeypatch.setattr(background, "BACKGROUND_WORK", 0)    # every lesson's values
    on_gui = []
    evaluate = derived_module.evaluate

    def recorded(*args, **kwargs):
        on_gui.append(threading.current_thread() is threading.main_thread())
        return evaluate(*args, **kwargs)
    monkeypatch.setattr(derived_module, "evaluate", recorded)
    w = window(qtbot)
    w.show()
    shown = []
    w.phases.changed.connect(lambda title, text: shown.append(text))
    for _ in range(len(PHASES) - 1):                  # phases 1-5
        w.phases.next()
        settle(qtbot, w)
        qtbot.waitUntil(lambda: not w.doc.values_pending)
    before = w.doc.lesson.network.params.copy()
    on_gui.clear()
    shown.clear()
    w.phases.next()                                   # the update: committed off the GUI thread
    settle(qtbot, w)
    assert not np.array_equal(w.doc.lesson.network.params, before)     # committed
    qtbot.waitUntil(lambda: bool(shown))
    assert "Each weight moves against its gradient" in shown[-1]
    assert w.diagram.overlay is not None and w.diagram.overlay.edge_name == "Δw"
    assert not w.doc.values_pending
    assert on_gui.count(True) == 0, on_gui            # the evaluation came from the thread
    ev = w.doc.lesson.evaluation()                    # and the window shows it
    assert w.values.loss.text().startswith(f"{ev.loss:.3f}"[:4])


def test_a_weight_edit_during_a_big_networks_walk_ends_it_before_its_values_are_shown(
        qtbot, threaded, monkeypatch):
    """tests/monkey_phase.py 256-256-256 seed 4: a weight edited in phase 1 of a big
    network's walk; its params_changed waits for the values computed off the GUI
    thread, so the walker had not heard of it when N was pressed up to phase 6:
    the update of the stale step ran and its commit raised ("the lesson changed
    while this session trained a copy") in a Qt slot.  The edit ends the walk at
    the next press (which starts a fresh step), as it does for a small network."""
    from aeviz.core.measures.phases import PHASES
    from aeviz.gui.runtime import background
    monkeypatch.setattr(background, "BACKGROUND_WORK", 0)    # every lesson's values
    w = window(qtbot)
    w.show()
    w.phases.next()
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.doc.values_pending)
    assert w.phases.phase == 0
    w.doc.lesson.set_weight(0, 1, 1, 0.75)          # its values: computed off the GUI thread
    assert w.doc.values_pending                      # (params_changed not emitted yet)
    edited = w.doc.lesson.network.params.copy()
    for _ in range(len(PHASES)):                     # N pressed up to the update at once
        w.phases.next()
        settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.doc.values_pending and w.phases._awaiting is None)
    lesson = w.doc.lesson
    assert w.phases.phase == len(PHASES) - 1         # a fresh walk, begun after the edit
    np.testing.assert_array_equal(w.phases.trace.params_before, edited)
    np.testing.assert_array_equal(lesson.network.params, w.phases.trace.params_after)
    assert w.diagram.overlay.edge_name == "Δw"
    texts = [lesson.undo_stack.text(i) for i in range(lesson.undo_stack.count())]
    assert texts[-2:] == ["Set w x2→h2", "Step one update"], texts


def test_a_big_networks_fed_pattern_told_while_the_update_computes(qtbot, threaded,
                                                                     monkeypatch):
    """tests/monkey_phase.py 256-256-256 seed 92: a pattern fed in phase 5 of a big
    network (its input_changed waits for the values computed off the GUI thread),
    then N: the input was told while the update computed, and the walker drew
    phase 6 without its new weights (TypeError in a Qt slot).  Phase 6 is drawn
    for the fed pattern once it is computed."""
    from aeviz.core.measures.phases import PHASES
    from aeviz.gui.runtime import background
    monkeypatch.setattr(background, "BACKGROUND_WORK", 0)    # every lesson's values
    w = window(qtbot)
    w.show()
    for _ in range(len(PHASES) - 1):                  # phases 1-5
        w.phases.next()
        settle(qtbot, w)
        qtbot.waitUntil(lambda: not w.doc.values_pending and not w.doc.background.busy)
    held, request = [], w.doc.background.request
    monkeypatch.setattr(w.doc.background, "request", held.append)   # values held back
    fed = int(w.phases.trace.patterns[3])             # a pattern of the step's batch
    w.doc.lesson.feed_pattern(fed)
    assert w.doc.values_pending and held
    import threading

    from aeviz.core.lessons.session import TrainingSession
    go, finish_step = threading.Event(), TrainingSession.finish_step

    def held_step(session, trace):                    # the update waits for the test
        go.wait()
        return finish_step(session, trace)
    monkeypatch.setattr(TrainingSession, "finish_step", held_step)
    w.phases.next()                                   # the update: computing
    assert w.controller.steps.busy
    values = held[-1].frozen_copy()                   # the input's values, told now
    values.compute_all()
    try:
        w.doc._on_values_ready(values)
    finally:
        go.set()
    monkeypatch.setattr(w.doc.background, "request", request)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.doc.values_pending and w.phases._awaiting is None)
    assert w.phases.phase == len(PHASES) - 1 and w.diagram.overlay.edge_name == "Δw"
    assert w.training_ui.phase[0].startswith("6 ·")
    assert w.doc.lesson.pattern_index() == fed and w.phases._row() == 3
