"""The stage (#23) with the overcomplete 5-8-5 (the rehearsal at 1024×768): the
eight code neurons never overlap, the output's bias badges never lie on the next
output, and each guided step with its answer fits the stage."""

from __future__ import annotations

import pytest

from .test_presenter import open_lesson
from .test_stage import answer_right, check_stage, fits, settle, whole_tables
from aeviz.gui.window.screenshot import present, show_tab


def overlapping(w) -> list:
    """Pairs of diagram items (neurons, badges) whose scene rectangles overlap."""
    d = w.diagram
    boxes = []
    for k, layer in enumerate(d.neurons):
        for j, item in enumerate(layer):
            boxes.append(((k, j, "neuron"), item.sceneBoundingRect()))
            badge = item.bias_badge
            if badge is not None and badge.isVisible():
                boxes.append(((k, j, "badge"), badge.sceneBoundingRect()))
    pairs = []
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            (na, ra), (nb, rb) = boxes[a], boxes[b]
            if na[:2] == nb[:2]:
                continue                                  # a neuron and its own badge
            if ra.adjusted(1, 1, -1, -1).intersects(rb.adjusted(1, 1, -1, -1)):
                pairs.append((na, nb))
    return pairs


@pytest.mark.parametrize("tab, epochs", [(None, 0), ("Codes", 0), ("Codes", 3000)])
def test_the_overcomplete_steps_fit_the_stage_without_overlaps(qtbot, tab, epochs):
    """Seen in the rehearsal with the Codes tab on stage: the code neurons lay on
    each other, the output badges on the next output, and step 3 answered left
    the diagram ~27 % of the window."""
    w = open_lesson(qtbot, "overcomplete-5-8-5")
    present(w, (1024, 768))
    for index in range(len(w.guide.steps)):
        w.guide.go(index, perform=True)
        if tab is not None:
            show_tab(w, tab)
        if epochs and index == 2:                         # trained, as step 2 asks
            w.controller.run_now(lambda s: s.advance(epochs), "Train", True)
        qtbot.waitUntil(lambda: not w.guide.training_for_step, timeout=20000)
        answer_right(w)
        qtbot.waitUntil(lambda: fits(w))
        check_stage(w, f"step {index + 1}")
        whole_tables(w, f"step {index + 1}")
        assert overlapping(w) == [], (index + 1, overlapping(w))


@pytest.mark.parametrize("size", [(1024, 768), (1024, 600), (800, 600)])
def test_the_eight_code_neurons_never_overlap_in_a_short_diagram(qtbot, size):
    """Node size and spacing follow the column's height: with the Codes tab below
    a short diagram, no neuron or badge lies on another."""
    w = open_lesson(qtbot, "overcomplete-5-8-5", size)
    present(w, size)
    show_tab(w, "Codes")
    w.controller.run_now(lambda s: s.advance(3000), "Train", True)
    for index in range(len(w.guide.steps)):
        w.guide.go(index, perform=False)
        answer_right(w)
        settle()
        assert overlapping(w) == [], (size, index + 1, overlapping(w))
