"""The seed study in the window: background run, result, stop, close."""

from __future__ import annotations

import numpy as np


from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import WAIT


def open_study(qtbot, preset: str) -> MainWindow:
    w = MainWindow(model=load_preset(preset))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.registry["study"].trigger()
    return w


def start(d, seeds: int, epochs: int) -> None:
    """Run a study of ``seeds`` seeds of at most ``epochs`` epochs in dialog ``d``."""
    d.seeds.setValue(seeds)
    d.epochs.setValue(epochs)
    d.run_button.click()
    assert d.running


def test_study_runs_in_the_background_and_reports(qtbot):
    w = open_study(qtbot, "encoder-4-2-4")
    d = w.training_ui.study_dialog
    start(d, 6, 500)
    qtbot.waitUntil(lambda: d.study is not None, timeout=WAIT)
    assert not d.running and d.progress.value() == 6 and d.progress.text() == "6 of 6 seeds finished"
    assert d.result.text().startswith("6 of 6 seeds were solved")
    assert "Ackley" in d.result.text()
    assert sum(d.bars.opts["height"]) == 6
    assert d.bars.opts["width"] >= 0.9                  # bins of whole epochs, never narrower
    epochs = d.study.epochs_to_solve
    assert d.result.text().count(f"median run reconstructing every pattern from epoch {np.median(epochs):.0f} on") == 1


def test_stuck_runs_are_listed(qtbot):
    w = open_study(qtbot, "stuck-5-2-5")
    d = w.training_ui.study_dialog
    start(d, 4, 600)
    qtbot.waitUntil(lambda: d.study is not None, timeout=WAIT)
    text = d.result.text()
    assert text.startswith("0 of 4 seeds were solved")
    assert "Stuck (the loss stopped falling): seed 0 (" in text and "seed 1 (4 distinct codes)" in text


def test_closing_the_window_during_a_study_stops_it(qtbot):
    w = open_study(qtbot, "stuck-5-2-5")                  # long, stuck runs
    d = w.training_ui.study_dialog
    start(d, 500, 1_000_000)
    assert w.close()              # a study that did not stop would hang (test timeout)
    assert not d.running and d.study is None


def test_the_histogram_fills_while_the_study_runs(qtbot):
    w = open_study(qtbot, "stuck-8-3-8")
    d = w.training_ui.study_dialog
    # 1,000 seeds: beyond the old limit of 500; some solve after ~1,400 epochs, many later
    start(d, 1000, 1_000_000)
    qtbot.waitUntil(lambda: 0 < sum(d.bars.opts["height"]) and d.running, timeout=WAIT)
    assert d.progress.value() > 0 and "epoch" in d.progress.text()
    assert d.study is None                 # still running: what is drawn is the partial study
    d.cancel_button.click()
    assert not d.running and d.result.text() == "Stopped."


def whole_ticks(dialog) -> tuple[list[float], list[float]]:
    bottom = dialog.plot.getAxis("bottom")._tickLevels
    left = dialog.plot.getAxis("left")._tickLevels
    assert bottom is not None and left is not None          # set, not pyqtgraph's 0, 0.2, …
    return [t for t, _ in bottom[0]], [t for t, _ in left[0]]


def test_the_empty_histogram_has_whole_number_ticks_and_round_edges(qtbot):
    """Before a run and at its start (no seed solved yet): no "0.5 runs" tick; the
    epochs axis at round steps up to the epochs per seed, at most ~6 labels."""
    from aeviz.core.files.presets import load_preset
    from aeviz.core.measures.study import SeedRun, Study
    from aeviz.gui.panels.study_dialog import StudyDialog
    dialog = StudyDialog(load_preset("stuck-5-2-5"))
    qtbot.addWidget(dialog)
    for study in (None, Study([], 5000, planned=20),
                  Study([SeedRun(3, "stuck", 5000, 3, 0.5)], 5000, planned=20)):
        if study is not None:
            dialog._draw_histogram(study)
        bottom, left = whole_ticks(dialog)
        assert all(float(t).is_integer() for t in left) and left[-1] >= 1
        assert bottom[0] == 0 and bottom[-1] == 5000 and len(bottom) <= 7
        assert all(t % 1000 == 0 for t in bottom)
        (_x0, _x1), (y0, y1) = dialog.plot.getViewBox().viewRange()
        assert y0 <= 0 and 1 <= y1 < 1.5
    dialog.epochs.setValue(20_000)
    bottom, _left = whole_ticks(dialog)
    assert bottom[-1] == 20_000 and all(t % 1000 == 0 for t in bottom)


def test_one_study_dialog_per_lesson_as_it_is(qtbot):
    """"Study many seeds…" again brings the open dialog forward (a study running
    in it goes on); after the layers changed it is closed, its run stopped, and
    a dialog for the network now opens; another lesson closes it."""
    w = open_study(qtbot, "encoder-4-2-4")
    d = w.training_ui.study_dialog
    start(d, 400, 20_000)
    w.doc.lesson.set_weight(0, 0, 0, 0.5)               # weights: the same study
    w.registry["study"].trigger()
    assert w.training_ui.study_dialog is d and d.isVisible() and d.running
    assert d.windowTitle().endswith("(4-2-4)")          # the network studied, named
    w.doc.lesson.add_neuron(1)                          # a 4-3-4 now: another study
    w.registry["study"].trigger()
    new = w.training_ui.study_dialog
    assert new is not d and new.isVisible() and not d.isVisible() and not d.running
    assert new.model.network.sizes == w.doc.lesson.network.sizes
    assert new.windowTitle().endswith("(4-3-4)")
    start(new, 400, 20_000)
    w.files.open_preset("encoder-8-3-8")                # another lesson: its view afresh
    assert w.training_ui.study_dialog is None
    assert not new.running
