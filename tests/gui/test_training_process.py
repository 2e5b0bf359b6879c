"""A big lesson whose snapshots carry their values (the 1,797 digits) trains in a
child process while it plays (aeviz.gui.runtime.train_process): the window keeps
showing new epochs with their values, what the run trained comes back bit for
bit (one undo step), speed changes and settings edits reach the child, a child
that dies ends the run with a message, closing the window ends the child, and
the 5-2-5 (and a bundle) keep the training thread."""

from __future__ import annotations

import numpy as np

from aeviz.core.engine.trainer import Trainer
from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.lesson import Lesson
from aeviz.gui.runtime import process_keeper, train_process, training

from .conftest import open_lesson

WAIT = 120_000          # ms: a generous bound on a busy machine (never a pass/fail time)


def _state(lesson):
    s = lesson.trainer_state()
    return s["params"].copy(), s["epoch"], s["optimizer"], s["rng"]


def _same(a, b) -> bool:
    pa, ea, oa, ra = a
    pb, eb, ob, rb = b
    if oa is None or ob is None:                  # epoch 0: a fresh optimiser
        return np.array_equal(pa, pb) and ea == eb and ra == rb and oa is ob
    return (np.array_equal(pa, pb) and ea == eb and ra == rb and oa.keys() == ob.keys()
            and all(np.array_equal(oa[k], ob[k]) for k in oa))


def test_the_window_keeps_showing_new_epochs_while_the_digits_train(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    jobs = w.doc.background.jobs
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(
        (w.doc.lesson.epoch, w.doc.lesson.derived.complete())))
    w.controller.speed = 0
    w.controller.play()
    try:
        assert w.controller.in_process
        qtbot.waitUntil(lambda: len({e for e, _c in shown}) >= 6, timeout=WAIT)
        process = w.controller.process
        assert process is not None and process.alive() and process.runs == 1
        epochs = [e for e, _c in shown]
        assert epochs == sorted(epochs) and epochs[-1] > epochs[0]
        assert all(complete for _e, complete in shown)          # each with its values
        assert w.doc.background.jobs == jobs                    # none computed aside
    finally:
        w.controller.pause()
    assert not w.controller.running
    assert w.doc.lesson.epoch >= epochs[-1]
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    assert w.values.epoch.text() == str(w.doc.lesson.epoch)


def test_the_child_computes_every_value_of_the_digits_but_the_diagrams_styles():
    """The values the window registers are module-level functions the child can
    receive (a lambda would be computed in the window's process on each frame);
    the diagram's styles stay there (their module imports Qt: ~0.1 ms)."""
    from aeviz.gui.window.main_window import MainWindow
    w = MainWindow(model=load_preset("digits-8x8"))
    try:
        functions = w.doc.lesson.derived.functions
        sent = train_process.for_child(functions)
        assert set(functions) - set(sent) == {"edge styles"}
        assert {"evaluation", "code space", "shared codes", "twins"} <= set(sent)
    finally:
        w.controller.shutdown()
        w.doc.shutdown()
        w.deleteLater()


def test_a_run_in_the_process_commits_exactly_what_the_lesson_trains_itself(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    before = _state(w.doc.lesson)
    w.controller.run_epochs(12, "Train")
    assert w.controller.in_process
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.epoch == 12
    here = Lesson(load_preset("digits-8x8"))
    here.run(lambda s: s.advance(12), "Train")
    assert _same(_state(w.doc.lesson), _state(here))
    np.testing.assert_array_equal(w.doc.lesson.history.rows(), here.history.rows())
    m = load_preset("digits-8x8")                 # every rewind snapshot: a state it reached
    t = Trainer(m.network.copy(), m.training, m.data())
    for epoch, state in zip(w.doc.lesson.snapshots.epochs, w.doc.lesson.snapshots.states):
        t.run(epoch - t.epoch)
        assert np.array_equal(state["params"], t.net.params)
    w.doc.lesson.undo()
    assert _same(_state(w.doc.lesson), before)
    w.doc.lesson.redo()
    assert _same(_state(w.doc.lesson), _state(here))
    # a second run goes on from there in the same process, exactly
    w.controller.run_epochs(3, "Train")
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    here.run(lambda s: s.advance(3), "Train")
    assert _same(_state(w.doc.lesson), _state(here))
    assert w.controller.process.runs == 2


def test_a_speed_change_during_a_run_reaches_the_process(qtbot):
    """At 2 epochs/s the child trains no faster than that (a ceiling: a busy
    machine only makes it slower), and each frame shows the next epoch."""
    import time
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(lesson.epoch))
    c.speed = 0
    c.play()
    try:
        qtbot.waitUntil(lambda: len(shown) >= 3, timeout=WAIT)
        assert c.in_process
        c.speed = 2
        at = len(shown)
        qtbot.waitUntil(lambda: len(shown) >= at + 3, timeout=WAIT)   # (2 on their way)
        at, start, since = len(shown), lesson.epoch, time.perf_counter()
        qtbot.waitUntil(lambda: len(shown) >= at + 6, timeout=WAIT)
        elapsed = time.perf_counter() - since
        assert np.all(np.diff(shown[at:]) == 1), shown
        # (+3: the child may be up to two frames ahead of the one shown at the start)
        assert lesson.epoch - start <= 2 * elapsed + 3
    finally:
        c.pause()


def test_a_rate_edit_during_a_process_run_trains_as_a_restart_with_it_would(qtbot):
    """The child takes the edit (frames valued with the new settings come back
    saying so), and the run is bitwise the trainer's: N epochs at the old rate,
    then on at the new one with the same optimiser state and generator."""
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    c.speed = 0
    c.play()
    try:
        qtbot.waitUntil(lambda: lesson.epoch >= 3, timeout=WAIT)
        assert c.in_process
        old = lesson.training
        lesson.set_setting("learning_rate", old.learning_rate / 2)
        assert c.running                                  # not stopped: taken along
        new = lesson.training
        qtbot.waitUntil(lambda: c.latest is not None and c.latest.training == new,
                        timeout=WAIT)
        at = lesson.epoch
        qtbot.waitUntil(lambda: lesson.epoch > at, timeout=WAIT)
    finally:
        c.pause()
    assert lesson.undo_stack.undo_text().startswith("Train")
    m = load_preset("digits-8x8")
    epochs, found = lesson.epoch, None
    for switch in range(1, epochs):        # the one switch epoch that reproduces the run
        t = Trainer(m.network.copy(), m.training, m.data())
        t.run(switch)
        t.set_config(new)
        t.run(epochs - switch)
        if np.array_equal(t.net.params, lesson.network.params):
            found = switch
            break
    assert found is not None


def test_values_the_child_computed_with_the_old_settings_are_not_shown(qtbot):
    """A frame the child valued before it took an edit carries the old settings:
    the window computes that frame's values itself, with the lesson's."""
    from aeviz.core.model import evaluate
    from aeviz.gui.runtime.snapshot import Snapshot
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    c.speed = 1
    c.play()
    try:
        assert c.in_process
        old = lesson.training
        lesson.set_setting("weight_decay", 0.01)
        params = lesson.network.params + 0.01
        values = {"evaluation": evaluate(lesson.network, old, lesson.data())}
        c._on_snapshot(Snapshot(c._run_id, lesson.epoch, params, 0, None, None, None,
                                values, old))
        qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
        assert lesson.evaluation() is not values["evaluation"]
        assert lesson.evaluation().penalty == evaluate(lesson.network, lesson.training,
                                                       lesson.data()).penalty > 0
    finally:
        c.pause()


def test_the_5_2_5_keeps_its_training_thread(qtbot):
    w = open_lesson(qtbot, "train-5-2-5")
    w.controller.play()
    try:
        assert w.controller.running and not w.controller.in_process
        qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0 or w.controller.latest is not None)
    finally:
        w.controller.pause()
    assert w.controller.process is None


def test_a_bundle_trains_the_digits_on_the_thread(qtbot, monkeypatch):
    monkeypatch.setattr(process_keeper, "IN_PROCESS", False)
    w = open_lesson(qtbot, "digits-8x8")
    w.controller.run_epochs(2, "Train")
    assert w.controller.running and not w.controller.in_process
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.epoch == 2 and w.controller.process is None


def test_a_training_process_that_dies_ends_the_run_and_the_next_play_starts_another(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    messages = []
    w.controller.message.connect(messages.append)
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: w.controller.latest is not None, timeout=WAIT)
    dead = w.controller.process
    dead.process.kill()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert messages[-1] == training.PROCESS_FAILED
    assert w.doc.lesson.epoch == 0 and not w.doc.lesson.undo_stack.can_undo()
    assert np.array_equal(w.doc.lesson.network.params,
                          load_preset("digits-8x8").network.params)
    w.controller.run_epochs(2, "Train")
    qtbot.waitUntil(lambda: not w.controller.running, timeout=WAIT)
    assert w.doc.lesson.epoch == 2 and w.controller.process.alive()
    assert w.controller.process is not dead


def test_another_lesson_ends_the_process_and_closing_the_window_ends_it(qtbot):
    w = open_lesson(qtbot, "digits-8x8")
    w.controller.speed = 0
    w.controller.play()
    qtbot.waitUntil(lambda: w.controller.latest is not None, timeout=WAIT)
    first = w.controller.process
    w.files.open_preset("train-5-2-5")                   # while it trains
    assert not w.controller.running
    qtbot.waitUntil(lambda: w.controller.process is None, timeout=WAIT)
    qtbot.waitUntil(lambda: not first.alive(), timeout=WAIT)     # (asked to quit: not waited for)
    w.files.open_preset("digits-8x8")
    w.controller.play()
    qtbot.waitUntil(lambda: w.controller.latest is not None, timeout=WAIT)
    child = w.controller.process
    assert child.alive() and child is not first
    w.close()                                            # with the child training
    assert not child.alive() and not w.controller.running


def test_edits_while_the_process_trains_commit_the_run_first_and_undo_back_to_the_start(qtbot):
    """A weight edit and a structure edit during a run in the process: each ends
    the run (one undo step, what the child trained), is made, and training goes
    on in the process; undoing everything gives the preset's weights bit for bit."""
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    c.speed = 0
    c.play()
    qtbot.waitUntil(lambda: lesson.epoch >= 2, timeout=WAIT)
    lesson.set_weight(0, 0, 0, 0.5)
    assert lesson.network.weights[0][0, 0] == 0.5 and c.running and c.in_process
    at = lesson.epoch
    qtbot.waitUntil(lambda: lesson.epoch > at, timeout=WAIT)
    w.editing.add_neuron(1)
    assert list(lesson.network.sizes) == [64, 33, 2, 32, 64] and c.running and c.in_process
    at = lesson.epoch
    qtbot.waitUntil(lambda: lesson.epoch > at, timeout=WAIT)
    c.pause()
    assert np.isfinite(lesson.network.params).all()
    while lesson.undo_stack.can_undo():
        lesson.undo()
    assert lesson.epoch == 0
    assert np.array_equal(lesson.network.params, load_preset("digits-8x8").network.params)


def test_play_after_a_rewind_in_the_process_goes_on_from_the_epoch_shown(qtbot):
    """Rewind (a preview of epoch 10), then a run in the process: the rewind
    snapshots the window holds are sent by index and come back as they were;
    the result is bitwise a straight run of 10 + 5 epochs, one undo step."""
    w = open_lesson(qtbot, "digits-8x8")
    c, lesson = w.controller, w.doc.lesson
    c.run_epochs(25, "Train")
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    assert lesson.epoch == 25 and 10 in lesson.snapshots.epochs
    kept = [s["params"].copy() for s in lesson.snapshots.states if s["epoch"] <= 10]
    c.show_epoch(10)
    assert lesson.live and lesson.epoch == 10
    c.run_epochs(5, "Train")
    assert c.in_process
    qtbot.waitUntil(lambda: not c.running, timeout=WAIT)
    assert lesson.epoch == 15
    assert lesson.undo_stack.undo_text().startswith("Rewind to epoch 10")
    m = load_preset("digits-8x8")
    t = Trainer(m.network.copy(), m.training, m.data())
    t.run(15)
    assert np.array_equal(lesson.network.params, t.net.params)
    assert max(lesson.snapshots.epochs) == 15
    early = [s["params"] for s in lesson.snapshots.states if s["epoch"] <= 10]
    assert len(early) == len(kept) and all(np.array_equal(a, b) for a, b in zip(early, kept))


def test_a_divergence_in_the_process_ends_the_run_as_the_lesson_itself_would(qtbot):
    """The worker and a child alone, on a net that blows up (the digits' sigmoid
    outputs never do): the run stops with the lesson's own event, and the state
    that comes back is bit for bit the one a run in this process reaches."""
    from aeviz.core import Dataset, Model, Network, TrainingConfig
    from aeviz.gui.runtime.process_worker import ProcessWorker, TrainerProcess
    from aeviz.gui.runtime.thread_worker import Pacing

    def lesson() -> Lesson:
        net = Network.create([4, 3, 4], ["relu", "linear"], rng=np.random.default_rng(0))
        return Lesson(Model(net, TrainingConfig(loss="mse", learning_rate=50.0),
                            Dataset.one_hot(4)))
    there = lesson()
    session = there.start_session()
    pacing = Pacing()
    process = TrainerProcess()
    try:
        worker = ProcessWorker(session, 1, pacing, 0, None, process)
        ended = []
        worker.snapshot_ready.connect(lambda _snap: pacing.display_ready.set())
        worker.finished.connect(lambda run, event: ended.append(event))
        worker.run()                          # here, to its end
    finally:
        process.close()
    event = ended[0]
    assert not worker.failed and event is not None and event.kind == "diverged"
    there.commit(session, "Train")
    here = lesson()
    again = here.run(lambda s: s.advance(event.epoch + 50), "Train")
    assert again.message == event.message
    assert _same(_state(there), _state(here))
    assert np.isfinite(there.network.params).all()


def test_a_frame_reuses_the_reconstruction_checks_forward_pass_to_the_bit():
    """A training process keeps the forward pass its reconstruction check made
    of the epoch it trained (``keep_checked``); a frame of that epoch evaluates
    the dataset from it (``values_of(..., forward)``) with the very bits of a
    fresh evaluation, and a state set since (a rewind, a divergence's replay)
    drops it."""
    import numpy as np

    from aeviz.core.files.presets import load_preset
    from aeviz.core.lessons.derived import lesson_values, shared_code_groups
    from aeviz.core.lessons.lesson import Lesson
    from aeviz.gui.runtime.train_process import values_of
    for name in ("encoder-8-3-8", "denoising-bars", "vae-digits"):
        lesson = Lesson(load_preset(name))
        session = lesson.clock.session(lesson.model.training, lesson.data())
        assert np.array_equal(session.trainer.data, lesson.model.data())   # (_run's guard)
        session.advance(3)
        assert session.checked is None                   # not kept unless asked
        session.keep_checked = True
        session.advance(2)
        epoch, zs, acts = session.checked
        assert epoch == session.epoch
        functions = lesson_values() | {"shared codes": shared_code_groups}
        recipe = (lesson.model.copy(), lesson.data()[0].copy(), functions)
        params = session.params.copy()
        fresh = values_of(recipe, params, session.config)["evaluation"]
        reused = values_of(recipe, params, session.config, (zs, acts))["evaluation"]
        for field in ("codes", "outputs", "errors", "reconstructed"):
            assert np.array_equal(getattr(fresh, field), getattr(reused, field)), (name, field)
        assert fresh.loss == reused.loss and fresh.penalty == reused.penalty
        session.set_state(session.snapshots.at_or_before(0))      # a rewind
        assert session.checked is None                   # another state: not its check
