"""A guided step's text never quotes what an open prediction hides: the code, the
output and the current weights' measures read "?", the input and the clock stay."""

from __future__ import annotations

from aeviz.core.files.presets import load_preset
from aeviz.core.guides.guide_text import HIDDEN_WHILE_PREDICTING, LIVE, render
from aeviz.core.lessons.lesson import Lesson


def test_a_prediction_hides_the_code_output_and_measures_in_the_text():
    lesson = Lesson(load_preset("forward-pass"))
    text = "x {x} h {h} y {y} loss {loss} epoch {epoch} fed {fed}"
    shown = render(text, lesson)
    hidden = render(text, lesson, predicting=True)
    assert "?" not in shown
    assert hidden == (f"x {LIVE['x'](lesson)} h ? y ? loss ? epoch {lesson.epoch} "
                      f"fed {LIVE['fed'](lesson)}")
    assert HIDDEN_WHILE_PREDICTING <= set(LIVE)            # every name hidden is a placeholder
