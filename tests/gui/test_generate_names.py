"""The Generate panel names patterns as the lesson does (issue 23): the digit
lessons' patterns carry their digit, and the caption says what the picture shows."""

from __future__ import annotations

import numpy as np

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow

from .conftest import show_active


def open_generate(qtbot, name: str) -> MainWindow:
    w = MainWindow(model=load_preset(name))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    show_active(qtbot, w)
    w.generate.panel_wanted.emit()                  # as Walk and Sample ask for it
    return w


def test_the_7x5_digit_lessons_label_each_pattern_with_its_digit():
    for name in ("generate-digits", "vae-digits"):
        data = load_preset(name).dataset
        assert [data.label_text(p) for p in range(10)] == [str(d) for d in range(10)]


def test_walk_lists_and_nearest_patterns_say_the_digit(qtbot):
    w = open_generate(qtbot, "generate-digits")
    panel = w.generate_panel
    assert panel.walk_from.itemText(4) == "5 (label 4)"        # pattern 5 is the digit 4
    s = w.generate.sample()
    names = [f"{p + 1} (label {p})" for p in s.nearest]          # pattern p+1 draws digit p
    assert ", ".join(names) in panel.sample_text.toolTip()


def test_the_caption_says_what_the_picture_shows(qtbot):
    w = open_generate(qtbot, "generate-digits")
    panel = w.generate_panel
    w.doc.lesson.feed_pattern(4)
    qtbot.waitUntil(lambda: "pattern 5 (label 4)" in panel.readout.text())
    assert panel.readout.text().startswith("Showing the output y of pattern 5 (label 4)")
    y = np.asarray(w.doc.lesson.forward()[1][-1]).ravel()                # the fed pattern's output
    shown = panel.picture.image                                  # (w, h, 3) uint8 grey
    expected = 255 * (1 - np.clip(y.reshape(7, 5), 0, 1))
    np.testing.assert_array_equal(shown[..., 0], expected.astype(np.uint8).T)
    w.generate.sample()
    assert panel.readout.text().startswith("Showing 16 samples")
    w.generate.decode(np.zeros(2))
    assert panel.readout.text().startswith("Decoding h = (")
    w.generate.end_decoding()
    assert panel.readout.text().startswith("Showing 16 samples")   # the samples are back


def test_a_few_labelled_patterns_keep_their_own_colours_without_a_label_legend(qtbot):
    """The 10 digits are dots coloured one per pattern (as their trails): a legend
    of label colours would name colours no dot has."""
    w = open_generate(qtbot, "vae-digits")
    cs = w.code_space
    assert not cs.many and not cs.legend.isVisible()
    w.code_space.throttled.flush()
    assert "its label" not in cs.note.toolTip() and "label" not in cs.note.text()


def test_the_vae_generate_panel_with_samples_fits_the_stage(qtbot):
    """Issue 23's lecture state "the Generate panel with samples" in the VAE
    lesson (its β box on stage too): every word and button in view at 1024×768."""
    from aeviz.gui.window.screenshot import present

    from .test_presenter import open_lesson
    from .test_stage import check_stage
    w = open_lesson(qtbot, "vae-digits")
    present(w, (1024, 768))
    w.generate.panel_wanted.emit()                  # as Walk and Sample ask for it
    w.generate.sample()
    panel = w.generate_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.vae_box.isVisible())
    assert panel.readout.text() == "Showing 16 codes z ~ N(0, I), decoded:"
    check_stage(w, "generate with samples (VAE)")
    w.classroom.set_presenter(False)                  # off stage: the long captions again
    assert panel.readout.text().startswith("Showing 16 samples: the decoder's pictures")
    assert "Large β pulls every code to 0" in panel.vae_note.text()
