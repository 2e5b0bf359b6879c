"""Attacks of round 10: training running while the throttled Values panel
(RUN_INTERVAL_MS), the diagram's bounding-rect repaints and the Values tables'
colour cache are read; each case found is kept here as a plain GUI test."""

from __future__ import annotations

from aeviz.gui.window.screenshot import present

from .test_presenter import open_lesson


def test_the_stage_strip_quotes_the_values_panel_after_each_of_its_refreshes(qtbot):
    """On stage with no guide the context strip quotes the Values panel's d(x, y),
    loss and epoch; it read them at each frame (values_changed), but while a run
    goes on the panel shows a frame up to RUN_INTERVAL_MS later: the strip was
    then one refresh behind the panel (encoder-4-2-4, presenter mode at 1024x768,
    Space: the strip said "epoch 5" while the panel said "epoch 36")."""
    w = open_lesson(qtbot, "encoder-4-2-4")
    present(w, (1024, 768))
    strip, panel = w.stage.strip, w.values
    qtbot.waitUntil(strip.isVisible)                 # no guide: the strip has the readouts
    checked = []
    run = panel.during_run._run

    def trailing() -> None:                          # a frame the panel shows late
        run()
        checked.append(f"epoch {panel.epoch.text()}" in strip.text()
                       and f"loss {panel.loss.text()}" in strip.text())
    panel.during_run._run = trailing
    w.controller.speed = 0
    w.controller.play()
    try:
        qtbot.waitUntil(lambda: len(checked) >= 5)
    finally:
        w.controller.pause()
    assert all(checked), checked
