"""The guide pane against hostile or unlucky lessons (issue 22, items 7, 12, 15,
16): progress belongs to a file and its steps, not to a name; a hint is text,
never HTML; a lesson that cannot be shown is refused with a dialog and the open
one keeps working; a guide's train action runs on the training thread with
progress and Stop."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from aeviz.core.files import fileformat as ff
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_guide import lesson_doc  # noqa: E402

CHOICE = {"kind": "choice", "options": ["right", "wrong"], "answer": 1}


def write(path: Path, steps: list[dict], name: str = "Untitled") -> Path:
    doc = lesson_doc(steps)
    doc["name"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def window(qtbot, path: Path | None = None, steps=None) -> MainWindow:
    w = MainWindow(path) if path is not None else MainWindow(model=ff.from_dict(lesson_doc(steps)))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    return w


def shown(label) -> str:
    """What a rich-text label shows a person (tags rendered, entities decoded)."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def test_two_untitled_lessons_do_not_share_progress(qtbot, tmp_path):
    a = write(tmp_path / "a" / "lesson.aeviz",
              [{"text": "a1"}, {"text": "a2"}, {"text": "a3", "task": CHOICE}])
    b = write(tmp_path / "b" / "lesson.aeviz",
              [{"text": "b1"}, {"text": "b2"}, {"text": "b3", "task": {"kind": "epochs",
                                                                        "at_least": 5000}}])
    w = window(qtbot, a)
    w.guide.go(2, perform=True)
    w.guide.choose(0)
    assert w.guide.index == 2 and w.guide.done == {2}
    assert w.files.open_path(b)
    assert w.doc.lesson.model.name == "Untitled" and w.doc.lesson.epoch == 0
    assert w.guide.index == 0 and w.guide.done == set()
    w.guide.go(2, perform=True)
    assert w.guide.done == set() and not w.guide_panel.done.isVisible()   # no ✓ at epoch 0
    # the same steps in another file are another lesson too; the same file resumes
    c = write(tmp_path / "c" / "lesson.aeviz",
              [{"text": "a1"}, {"text": "a2"}, {"text": "a3", "task": CHOICE}])
    assert w.files.open_path(c)
    assert w.guide.index == 0 and w.guide.done == set()
    assert w.files.open_path(a)
    assert w.guide.index == 2 and w.guide.done == {2}


def test_changed_steps_in_the_same_file_start_afresh(qtbot, tmp_path):
    path = write(tmp_path / "lesson.aeviz",
                 [{"text": "1"}, {"text": "2"}, {"text": "3", "task": CHOICE}])
    w = window(qtbot, path)
    w.guide.go(2, perform=True)
    w.guide.choose(0)
    write(path, [{"text": "1"}, {"text": "2"}, {"text": "3 (new)", "task": CHOICE}])
    assert w.files.open_path(path)
    assert w.guide.index == 0 and w.guide.done == set()


def test_a_hint_is_shown_as_text_not_html(qtbot):
    hint = "<b>bold</b> <a href='x'>link</a> & <i>more</i>"
    w = window(qtbot, steps=[{"text": "x", "task": {**CHOICE, "hint": hint}}])
    w.guide.choose(1)                                  # a wrong try: the hint shows
    p = w.guide_panel
    assert p.hint.isVisible()
    assert hint in shown(p.hint), shown(p.hint)
    assert p.hint.textFormat() == Qt.RichText and "<b>" not in p.hint.text()


def test_a_lesson_that_cannot_be_shown_is_refused_and_the_open_one_keeps_working(
        qtbot, tmp_path):
    w = window(qtbot, steps=[{"text": "one {epoch}"}, {"text": "two"}, {"text": "three"}])
    errors = []
    w.files.show_error = lambda title, message: errors.append((title, message))
    for k, steps in enumerate([[{"text": "{loss:d}"}],
                               [{"text": "x"}, {"text": "{x:>" + "9" * 21 + "}"}],
                               [{"text": "x", "look_at": ["row:Patterns.\u00b2"]}],
                               [{"text": "x", "look_at": ["neuron:code." + "1" * 5000]}]]):
        bad = write(tmp_path / f"bad{k}.aeviz", steps)
        assert not w.files.open_path(bad)
        assert len(errors) == k + 1
        title, message = errors[-1]
        assert message.startswith(f"bad{k}.aeviz: guide[") and "\n" not in message
    assert [s.text for s in w.doc.lesson.model.guide] == ["one {epoch}", "two", "three"]
    assert "one 0" in shown(w.guide_panel.text)
    qtbot.keyClick(w, Qt.Key_PageDown)
    assert w.guide.index == 1 and "two" in shown(w.guide_panel.text)


def big_guided(qtbot, epochs: int = 20_000, after: list[dict] | None = None,
               n: int = 128) -> MainWindow:
    """An n-n-n lesson whose step 2 trains ``epochs`` epochs (at n = 128 and 20,000
    epochs, far more work than a test waits for)."""
    doc = lesson_doc([{"text": "one"},
                      {"text": "two {epoch}", "action": [{"train": epochs}] + (after or [])},
                      {"text": "three"}])
    doc["layers"] = [{"size": n}, {"size": n, "activation": "sigmoid"},
                     {"size": n, "activation": "sigmoid"}]
    doc["dataset"] = {"kind": "one_hot", "size": n}
    doc["training"]["loss"] = "cross_entropy"
    for key in ("weights", "biases"):
        del doc[key]
    w = MainWindow(model=ff.from_dict(doc))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    return w


def test_a_train_action_runs_on_the_training_thread_with_progress_and_stop(qtbot):
    w = big_guided(qtbot, after=[{"feed": 2}])
    p = w.guide_panel
    qtbot.keyClick(w, Qt.Key_PageDown)
    # Next returned at once: the epochs run on the worker, as Play's do
    assert w.guide.index == 1 and w.controller.running and w.controller.bounded == 20_000
    assert p.training.isVisible() and p.stop.isVisible() and p.training.maximum() == 20_000
    assert w.doc.lesson.pattern_index() != 1            # the feed waits for the training
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0 and p.training.value() > 0)   # progress, live
    assert w.controller.running and p.training.value() == w.doc.lesson.epoch
    assert f"two {w.doc.lesson.epoch}" in shown(p.text)         # the step's numbers follow it
    qtbot.mouseClick(p.stop, Qt.LeftButton)             # Stop: what was trained stays
    assert not w.controller.running and not p.training.isVisible() and not p.stop.isVisible()
    epoch = w.doc.lesson.epoch
    assert 0 < epoch < 20_000
    assert w.doc.lesson.pattern_index() == 1            # the step's next action followed
    assert w.doc.lesson.undo_stack.undo_text() == f"Guide: train {epoch} epochs"
    assert "two" in shown(p.text) and str(epoch) in shown(p.text)


def test_leaving_the_step_stops_its_training_and_drops_what_was_to_follow(qtbot):
    w = big_guided(qtbot, after=[{"feed": 2}])
    qtbot.keyClick(w, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: w.doc.lesson.epoch > 0)
    qtbot.keyClick(w, Qt.Key_PageDown)                   # Next again, mid-run
    assert w.guide.index == 2 and not w.controller.running
    assert not w.guide_panel.training.isVisible()
    assert w.doc.lesson.pattern_index() != 1             # step 2's feed never came
    epoch = w.doc.lesson.epoch
    qtbot.keyClick(w, Qt.Key_PageUp)                     # Back never acts
    assert w.guide.index == 1 and not w.controller.running and w.doc.lesson.epoch == epoch


def test_a_finished_train_action_is_one_undo_step_and_the_rest_follows(qtbot):
    w = big_guided(qtbot, epochs=3, after=[{"feed": 2}, {"train": 2}], n=5)
    qtbot.keyClick(w, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: not w.controller.running and not w.guide.training_for_step)
    assert w.doc.lesson.epoch == 5 and w.doc.lesson.pattern_index() == 1
    assert not w.guide_panel.training.isVisible()
    assert w.doc.lesson.undo_stack.undo_text() == "Guide: train 2 epochs"
    w.doc.lesson.undo()                                         # one run at a time
    assert w.doc.lesson.epoch == 3
