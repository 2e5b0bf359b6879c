"""The diagram's layer titles are readable at 1024×768 (r8 screenshot review):
in the 5-column digit networks the long "code h = hidden 2 (linear)" made every
title shrink to 7-8 px, since all share one size.  A title too long for its
column now wraps; each is at least MIN_LABEL_PX on screen (font size × the
view's scale) and no two titles' rects overlap, nor a title and a neuron."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from aeviz.gui.drawing.diagram import MIN_LABEL_PX

from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


@pytest.mark.parametrize("presenter", [False, True])
@pytest.mark.parametrize("preset", ["vae-digits", "generate-digits", "train-5-2-5", "digits-8x8"])
def test_titles_are_at_least_min_label_px_and_apart(qtbot, preset, presenter):
    w = open_lesson(qtbot, preset)
    if presenter:                                   # F5 at 1024×768: text × 1.5
        present(w, (1024, 768))
    diagram = w.diagram
    diagram._refit()
    QApplication.processEvents()
    s = diagram.view_scale()
    assert diagram.text_scale == (1.5 if presenter else 1.0)
    assert len(diagram.headers) == len(diagram.doc.lesson.network.sizes)
    for title in diagram.headers:
        on_screen = title.font().pixelSize() * s
        assert on_screen >= MIN_LABEL_PX * diagram.text_scale - 0.5, (title.text(), on_screen)
    rects = [(t.text(), t.sceneBoundingRect()) for t in diagram.headers]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            assert not ra.intersects(rb), (a, b)
        for column in diagram.neurons:
            for neuron in column:
                assert not ra.intersects(neuron.sceneBoundingRect()), (a, neuron.layer)


def test_a_summarised_networks_note_sits_above_its_wrapped_titles(qtbot):
    """A big network's note ("Drawn: the 20,000 strongest …") was at a fixed height
    above the neurons; titles wrapped onto three lines would run into it."""
    import numpy as np
    from PySide6.QtCore import Qt

    from aeviz.core.config import TrainingConfig
    from aeviz.core.engine.network import Network
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    from aeviz.gui.window.main_window import MainWindow

    net = Network.create([200, 100, 2, 100, 200], ["tanh", "linear", "tanh", "sigmoid"],
                         rng=np.random.default_rng(0))
    w = MainWindow(model=Model(net, TrainingConfig(loss="mse"), Dataset.one_hot(200),
                               "big", "", {}))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.setWindowState(Qt.WindowNoState)
    w.resize(1024, 768)
    w.show()
    w.diagram._refit()
    QApplication.processEvents()
    from PySide6.QtWidgets import QGraphicsSimpleTextItem
    notes = [i for i in w.diagram.scene().items()
             if isinstance(i, QGraphicsSimpleTextItem) and "strongest" in i.text()]
    assert len(notes) == 1
    note = notes[0]
    assert any("\n" in t.text() for t in w.diagram.headers)     # the case in question
    for title in w.diagram.headers:
        assert not title.sceneBoundingRect().intersects(note.sceneBoundingRect()), title.text()


def one_line_width(title) -> float:
    """How wide ``title`` would be on one line, in its font (scene units)."""
    from PySide6.QtGui import QFontMetricsF
    return QFontMetricsF(title.font()).horizontalAdvance(title.text().replace("\n", " "))


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
@pytest.mark.parametrize("presenter", [False, True])
def test_the_5_2_5s_titles_never_wrap(qtbot, presenter, size):
    """On stage at 1024x768 "output y (softmax)" wrapped onto two lines while the
    other two titles stayed on one: every title was held to 0.9 of the columns'
    pitch, though an outer title has a neighbour on one side only, and there was
    room between it and the code's title."""
    w = open_lesson(qtbot, "train-5-2-5", size)
    if presenter:
        present(w, size)
    w.diagram._refit()
    QApplication.processEvents()
    assert [t.text() for t in w.diagram.headers] == [
        "input x (5)", "code h (tanh)", "output y (softmax)"]


@pytest.mark.parametrize("presenter", [False, True])
@pytest.mark.parametrize("preset", ["digits-8x8", "deep-hourglass"])
def test_a_title_wraps_only_if_on_one_line_it_would_run_into_a_neighbour(
        qtbot, preset, presenter):
    """Of the 5-column networks' titles only those wrap that on one line would come
    closer to a neighbour's title than TITLE_GAP ems (the long code title and,
    beside it, what it needs); the others, the outer ones included, stay on one line."""
    from aeviz.gui.drawing.titles import TITLE_GAP
    w = open_lesson(qtbot, preset)
    if presenter:
        present(w, (1024, 768))
    w.diagram._refit()
    QApplication.processEvents()
    titles = w.diagram.headers
    centres = [t.sceneBoundingRect().center().x() for t in titles]
    widths = [t.boundingRect().width() for t in titles]
    em = titles[0].font().pixelSize()
    for i, title in enumerate(titles):
        if "\n" not in title.text():
            continue
        one = one_line_width(title)
        needed = [abs(centres[j] - centres[i]) - (one + widths[j]) / 2 < TITLE_GAP * em
                  for j in (i - 1, i + 1) if 0 <= j < len(titles)]
        assert any(needed), (title.text(), [t.text() for t in titles])
    for a, b in zip(titles, titles[1:]):                   # neighbours stay TITLE_GAP apart
        gap = b.sceneBoundingRect().left() - a.sceneBoundingRect().right()
        assert gap >= TITLE_GAP * em - 1, (a.text(), b.text(), gap)
