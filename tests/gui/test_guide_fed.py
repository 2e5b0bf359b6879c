"""A guided step written for one pattern never contradicts the window (issue 23):
"Feed pattern 1 and read y = [...]" with pattern 3 fed says that the numbers are
pattern 3's; feeding pattern 1 again removes the note."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from aeviz.core.engine.activations import output_text
from aeviz.core.guides.guide import step_patterns
from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active


def test_each_step_is_written_for_the_pattern_it_or_an_earlier_step_feeds():
    steps = load_preset("forward-pass").guide
    patterns = step_patterns(steps, 1)
    assert patterns[:3] == [1, 1, 1] and patterns[3] == 3       # step 4 feeds pattern 3


def test_the_step_says_which_pattern_its_numbers_belong_to(qtbot):
    w = MainWindow(model=load_preset("article-example"))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    show_active(qtbot, w)
    text = w.guide_panel.text
    assert w.guide.index == 0 and "Feed pattern 1" in text.text()
    assert "Now pattern" not in text.text()
    qtbot.keyClick(w, Qt.Key_3)
    assert w.doc.lesson.pattern_index() == 2
    y = np.asarray(w.doc.lesson.forward()[1][-1]).ravel()
    shown = "[" + ", ".join(output_text(v, "softmax") for v in y) + "]"
    qtbot.waitUntil(lambda: shown in text.text())                # the numbers are pattern 3's
    assert "Now pattern 3 is fed, not pattern 1: the numbers above are pattern 3&#x27;s" \
        in text.text()                                           # (the label's HTML)
    qtbot.keyClick(w, Qt.Key_1)
    qtbot.waitUntil(lambda: "Now pattern" not in text.text())


def test_switching_on_stage_from_a_late_step_to_a_shorter_guide(qtbot):
    """Step 4 of the forward pass, then a lesson with 3 steps, in presenter mode:
    the stage asked the guide for step 4 of the new lesson (IndexError)."""
    from aeviz.gui.window.screenshot import present
    w = MainWindow(model=load_preset("forward-pass"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    show_active(qtbot, w)
    present(w, (1024, 768))
    w.guide.go(3, perform=True)
    w.files.open_preset("denoising-bars")
    assert w.guide.index < len(w.guide.steps) == 3
    assert "Step" in w.guide_panel.counter.text()
