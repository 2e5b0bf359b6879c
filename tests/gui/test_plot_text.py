"""Plots present (issue 23): ticks, axis labels, legends and the names under the
Images tab's pictures follow presenter mode and Ctrl+=, and come back with Ctrl+−."""

from __future__ import annotations

import pyqtgraph as pg

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow
from aeviz.gui.window.screenshot import present, show_tab

from .conftest import show_active


def text_sizes(w) -> set[str]:
    """Every tick font, axis label, legend entry and picture name's size (pt)."""
    sizes = set()
    for view in w.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem) and item.orientation in ("left", "bottom"):
                sizes.add(f"{item.style['tickFont'].pointSizeF():.1f}pt")
                sizes.add(item.labelStyle["font-size"])
            elif isinstance(item, pg.LabelItem) and item.text:
                title = isinstance(item.parentItem(), pg.PlotItem)   # 2 pt larger
                size = float(item.opts["size"].removesuffix("pt")) - (2 if title else 0)
                sizes.add(f"{size:.1f}pt")
    return sizes


def test_plot_text_follows_presenter_mode_and_zoom(qtbot):
    w = MainWindow(model=load_preset("denoising-bars"))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    show_active(qtbot, w)
    for tab in ("Outputs", "Codes", "Denoising", "Images", "Loss", "Code space"):
        show_tab(w, tab)
    images = w.tabs.page("Images").canvas
    assert any(isinstance(i, pg.LabelItem) for i in images.ci.items)
    w.registry["zoom_in"].trigger()
    zoomed = text_sizes(w)
    assert zoomed == {"10.3pt"}, zoomed
    w.registry["zoom_out"].trigger()
    assert text_sizes(w) == {"9.0pt"}
    present(w, (1024, 768))
    assert text_sizes(w) == {"13.5pt"}
    names = [i for i in images.ci.items if isinstance(i, pg.LabelItem)]
    row = images.ci.items[names[0]][0][0]
    assert images.ci.layout.rowMaximumHeight(row) >= 20             # the row fits the name
