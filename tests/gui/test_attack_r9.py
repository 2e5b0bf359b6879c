"""Attacks of round 9: the monkeys (monkey_walk, monkey_data, monkey_focus,
monkey_phase) and targeted experiments with training running at full speed
during structure edits, dataset changes, lesson switches, undo/redo, the
step-through, files, presenter mode and resizes; each case found is kept here as
a plain GUI test."""

from __future__ import annotations

import pytest

from .conftest import open_lesson

WAIT = 120_000          # ms: a bound on a busy machine (never a pass/fail time)


def test_the_training_panel_built_while_training_runs_has_a_timeline(qtbot):
    """The Training panel is built when first shown; shown while a run goes on,
    its timeline had no snapshot list until the run paused, and moving the slider
    then (monkey_phase digits-8x8 seed 401: the Training tab raised during a
    run) raised AttributeError in a Qt slot.  Moved during the run it shows
    nothing else; paused, it lists the run's snapshots."""
    w = open_lesson(qtbot, "encoder-8-3-8")       # its Training panel not yet built
    assert not w.training_dock.built()
    c = w.controller
    c.speed = 0
    c.play()
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0, timeout=WAIT)
    panel = w.training                      # built now, during the run
    assert c.running and not panel.timeline.isEnabled()
    panel.timeline.setValue(panel.timeline.maximum() // 2)
    assert c.running
    c.pause()
    epochs = c.snapshot_epochs()
    assert len(epochs) > 1 and panel.timeline.isEnabled()
    assert panel.timeline.maximum() == len(epochs) - 1
    assert panel.timeline_epoch() == epochs[-1] == w.doc.lesson.epoch


@pytest.mark.parametrize("name", ["train-5-2-5", "digits-8x8"])
def test_each_exported_frame_shows_its_own_epoch(qtbot, tmp_path, monkeypatch, name):
    """File → Export → Training run as PNG sequence: each frame is the window at
    one snapshot.  The Patterns table and the Codes tab (time-throttled) showed
    the previous snapshot's values in each frame, and for the digits (values
    computed off the GUI thread) every frame showed the epoch of Export: the
    Values panel's epoch and loss, the table and the diagram alike."""
    from aeviz.core.model import evaluate
    from aeviz.gui.drawing.diagram_items import fmt
    from aeviz.gui.window import export
    w = open_lesson(qtbot, name)
    w.data_tabs.setCurrentWidget(w.tabs.page("Codes"))
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
    w.controller.speed = 0
    w.controller.play()                            # (the digits: in the training process)
    qtbot.waitUntil(lambda: w.doc.lesson.epoch >= 30, timeout=WAIT)
    w.controller.pause()
    lesson = w.doc.lesson
    shown = []

    def grabbed(picture, path):
        """What the frame shows, and what it should show (the lesson now)."""
        ev = evaluate(lesson.network, lesson.training, lesson.data())
        _zs, acts = lesson.network.forward(lesson.x[None, :])
        from aeviz.core.measures import analysis
        codes = analysis.code_activity(lesson.network, lesson.data()).mean
        shown.append(((w.values.epoch.text(), w.values.loss.text().split(" + ")[0],
                       w.patterns.patterns_model.cells(0)[3],
                       [it._shown[0] for it in w.diagram.neurons[-1]][:3],
                       w.codes_view.bar_item.opts["height"][:3].tolist()),
                      (str(lesson.epoch), fmt(ev.loss), fmt(ev.errors[0]),
                       acts[-1][0][:3].tolist(), codes[:3].tolist())))
    monkeypatch.setattr(export, "save_png", grabbed)
    w.files.choose_export_folder = lambda: str(tmp_path)
    written = w.files.export_frames(max_frames=6)
    assert written == len(shown) == len({want[0] for _got, want in shown}) >= 4
    for got, want in shown:
        assert got == want


@pytest.mark.parametrize("switch", ["lesson", "new", "open"])
def test_the_pattern_editor_closes_when_another_lesson_opens(qtbot, tmp_path, switch):
    """Network → Dataset → Edit patterns… is not modal: with it open, another
    lesson (File → Lessons, New, Open) was opened while training ran, and OK then
    put the first lesson's patterns into the new one (renamed "… (edited
    patterns)", its input and output resized to them).  The editor closes with its
    lesson; the new lesson keeps its own patterns."""
    import numpy as np

    from aeviz.core.files.presets import load_preset
    w = open_lesson(qtbot, "train-5-2-5")
    path = tmp_path / "mine.aeviz"
    if switch == "open":
        from aeviz.core.files.fileformat import save
        save(load_preset("encoder-8-3-8"), path)
    w.controller.speed = 0
    w.controller.play()
    w.datasets.edit_patterns()
    editor = w.datasets.pattern_editor
    assert editor.isVisible()
    editor.toggle(0, 1)                          # an edit of the 5-2-5's patterns, not applied
    if switch == "lesson":
        w.files.open_preset("encoder-8-3-8")
        want = load_preset("encoder-8-3-8")
    elif switch == "new":
        w.registry["new"].trigger()
        from aeviz.core.model import default_model
        want = default_model()
    else:
        w.files.open_path(path)
        want = load_preset("encoder-8-3-8")
    if editor.isVisible():                       # as a person would: OK
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialogButtonBox
        ok = editor.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)
    assert not editor.isVisible()
    lesson = w.doc.lesson
    assert lesson.model.name == want.name
    assert lesson.network.sizes == want.network.sizes
    np.testing.assert_array_equal(lesson.data(), want.dataset.matrix())


def test_the_neuron_dialog_writes_no_old_bias_back(qtbot):
    """Double-click a neuron while training runs, choose another activation, OK:
    the dialog also set the bias to the text it showed at opening (the bias then,
    to 6 digits), undoing what training had done to it since, as an undo step
    "Set bias of h1" nobody asked for.  Only an edited bias is set."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    from aeviz.gui.panels.neuron_dialog import NeuronDialog
    from .conftest import click_neuron
    w = open_lesson(qtbot, "train-5-2-5")
    lesson, c = w.doc.lesson, w.controller
    c.speed = 50
    c.play()
    seen = {}

    def in_the_dialog():
        dialog = next(d for d in w.findChildren(NeuronDialog) if d.isVisible())
        seen["bias"], epoch = dialog.bias.text(), lesson.epoch
        qtbot.waitUntil(lambda: lesson.epoch >= epoch + 3, timeout=WAIT)   # training goes on
        dialog.activation.setCurrentText("sigmoid")
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok),
                         Qt.LeftButton)
    QTimer.singleShot(0, in_the_dialog)
    click_neuron(qtbot, w, 1, 0, double=True)
    c.pause()
    texts = [command.text for command in lesson.undo_stack.commands]
    assert seen and lesson.network.activations[0] == "sigmoid"
    assert "The code layer: sigmoid" in texts
    assert not any(text.startswith("Set bias") for text in texts), texts


def test_typing_a_weight_while_training_runs_keeps_what_is_typed(qtbot):
    """The Weights tab while training runs: F2 on a cell and type a number.  Qt
    refills an open editor at every dataChanged, so each training frame replaced
    the text being typed with the weight's new value (a person could not type a
    weight at all), and an editor closed untouched (Tab) wrote the value it had
    opened with back over training's.  What is typed stays and is set on Return;
    an untouched editor sets nothing."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit
    w = open_lesson(qtbot, "train-5-2-5")
    lesson, c = w.doc.lesson, w.controller
    w.data_tabs.setCurrentWidget(w.tabs.page("Weights"))
    table = w.weights.table
    c.speed = 50
    c.play()

    def open_editor(row: int, col: int) -> QLineEdit:
        index = table.model().index(row, col)
        table.setCurrentIndex(index)
        qtbot.keyClick(table, Qt.Key_F2)
        assert table.state() == QAbstractItemView.EditingState
        return open_one()

    def open_one() -> QLineEdit:
        """The open editor (a closed one may linger until deleted)."""
        editor, = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
        return editor

    def frames(n: int) -> None:
        epoch = lesson.epoch
        qtbot.waitUntil(lambda: lesson.epoch >= epoch + n, timeout=WAIT)

    editor = open_editor(1, 0)
    editor.selectAll()
    for key in "0.12":                    # a frame (or more) between two keys
        qtbot.keyClicks(editor, key)
        frames(1)
    assert editor.text() == "0.12"
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState, timeout=WAIT)
    sets = [cmd for cmd in lesson.undo_stack.commands if cmd.text.startswith("Set w")]
    assert len(sets) == 1 and list(sets[0].after) == [0.12]

    editor = open_editor(2, 0)           # opened, left untouched while training goes on
    frames(3)
    qtbot.keyClick(editor, Qt.Key_Tab)                  # on to the next cell's editor
    qtbot.waitUntil(lambda: table.currentIndex().column() == 1, timeout=WAIT)
    qtbot.keyClick(open_one(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState, timeout=WAIT)
    c.pause()
    assert [cmd.text for cmd in lesson.undo_stack.commands if cmd.text.startswith("Set")] == \
        [sets[0].text]


def test_typing_beta_while_training_runs_keeps_what_is_typed(qtbot):
    """The Generate panel's β while a VAE trains: the panel set the field to the
    lesson's β at every frame (to refresh its KL note), and setting a spin box's
    value rewrites its text, so what was typed was replaced before Return; β
    could not be typed during a run."""
    from PySide6.QtCore import Qt
    w = open_lesson(qtbot, "vae-digits")
    lesson, c = w.doc.lesson, w.controller
    panel = w.generate_dock.show()
    field = panel.beta.lineEdit()
    c.speed = 0
    c.play()
    panel.beta.setFocus()
    field.selectAll()
    for key in "0.5":                    # frames come between two keys
        qtbot.keyClicks(field, key)
        epoch = lesson.epoch
        qtbot.waitUntil(lambda: lesson.epoch > epoch, timeout=WAIT)
        qtbot.wait(200)                  # (the panel follows frames at most ~7 a second)
    assert field.text() == "0.5"
    qtbot.keyClick(field, Qt.Key_Return)
    c.pause()
    assert lesson.model.training.beta == 0.5
    assert any(cmd.text == "Set β 0.01 → 0.5" for cmd in lesson.undo_stack.commands)


def test_a_run_that_blows_up_keeps_its_loss_rows_and_snapshots(qtbot):
    """Learning rate 0.5 on the linear-PCA lesson: the weights blow up at epoch 9
    and the last finite weights (epoch 8) come back.  The rows and snapshots of
    the epochs before (the loss rising) were dropped back to where the run's
    chunk began: the loss curve and the timeline ended at epoch 0 while the
    window showed epoch 8.  They end at the epoch shown."""
    w = open_lesson(qtbot, "linear-pca")
    lesson = w.doc.lesson
    w.settings_panel.fields["learning_rate"].setText("0.5")
    w.settings_panel.fields["learning_rate"].editingFinished.emit()
    assert lesson.model.training.learning_rate == 0.5
    event = w.controller.run_now(lambda session: session.advance(200), "Train", True)
    assert event.kind == "diverged" and lesson.epoch == event.epoch - 1 == 8
    rows = lesson.history.thinned()
    assert rows["epoch"].tolist() == list(range(1, 9))
    assert (rows["loss"][1:] > rows["loss"][:-1]).all()            # the rise is kept
    w.loss_plot.throttled.flush()
    xs, _ys = w.loss_plot.curves["loss"].getData()
    assert xs[-1] == 7                   # epoch 8's row, drawn at 7 (its weights'); no inf point
    panel = w.training
    assert panel.timeline.isEnabled() and panel.timeline_epoch() == 8
