"""The code space of the 5×7 digit lessons (#23 rehearsal): each point is named
by its digit (pattern 1 is the digit 0), and ten patterns get ten colours a
student tells apart (patterns 1 and 9 were two oranges, 2 and 10 two blues)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from aeviz.gui.panels.plots import category_colors

from .test_presenter import open_lesson


def cie_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB 0..255 (n, 3) to CIELAB (D65)."""
    c = np.asarray(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                  [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]),
                     200 * (f[:, 1] - f[:, 2])], -1)


@pytest.mark.parametrize("n", [2, 5, 8, 10])
def test_up_to_ten_patterns_get_colours_told_apart(n):
    colours = category_colors(n)
    pale = colours * 0.45 + 255 * 0.55                     # the map's background shades
    for shades, least in ((colours, 25.0), (pale, 10.0)):
        lab = cie_lab(shades)
        worst = min(np.linalg.norm(lab[i] - lab[j])
                    for i, j in itertools.combinations(range(n), 2))
        assert worst >= least, (n, worst)                 # ΔE*ab 2.3 is "just noticeable"


@pytest.mark.parametrize("preset", ["generate-digits", "vae-digits"])
def test_the_digit_lessons_name_each_point_by_its_digit(qtbot, preset):
    w = open_lesson(qtbot, preset)
    cs = w.code_space
    cs.throttled.flush()
    QApplication.processEvents()
    shown = [t for t in cs.label_texts() if t]
    named = sorted(d for t in shown for d in t.split(","))
    assert named == [str(d) for d in range(10)]
    for group, text in zip(cs.label_groups, shown):       # each label names its digits
        assert text == ",".join(w.doc.lesson.model.dataset.label_text(p) for p in group)
    assert "pattern 1 is “0”" in cs.note.toolTip()


def test_patterns_without_labels_keep_their_numbers(qtbot):
    w = open_lesson(qtbot, "encoder-8-3-8")
    cs = w.code_space
    cs.throttled.flush()
    shown = sorted(d for t in cs.label_texts() if t for d in t.split(","))
    assert shown == sorted(str(p) for p in range(1, 9))
    assert "named by its pattern's label" not in cs.note.toolTip()
