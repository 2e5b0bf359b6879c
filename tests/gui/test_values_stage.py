"""The Values panel on stage (issue 23): a long loss caption wraps inside the
panel (it was clipped on the right in the VAE lesson at 1024×768)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDockWidget

from aeviz.gui.window.screenshot import present
from aeviz.gui.window.stage import SIDE_SHARE

from .test_presenter import open_lesson


def test_the_loss_caption_lies_inside_the_values_panel_on_stage(qtbot):
    w = open_lesson(qtbot, "vae-digits")
    present(w, (1024, 768))
    w.stage.toggle_panel("Values")
    v = w.values
    qtbot.waitUntil(lambda: v.isVisible() and not v.visibleRegion().isEmpty())
    caption = v.loss_caption
    assert "mean code" in caption.text()
    dock = w.findChild(QDockWidget, "Values")
    qtbot.waitUntil(lambda: dock.width() <= SIDE_SHARE * w.width() + 2)   # its share on stage
    left = caption.mapTo(dock, QPoint(0, 0)).x()
    assert left + caption.width() <= dock.width()
    # the text fits the label's width: its wrapped height is what the label has
    assert caption.heightForWidth(caption.width()) <= caption.height()
