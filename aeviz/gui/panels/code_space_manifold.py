"""The decoded manifold: the picture the decoder draws at each code of a grid spread
evenly over the codes' box on the code space's plane (image lessons only, shown
by the Pictures button).

For the codes' box (x0, x1, y0, y1) (:func:`aeviz.gui.panels.code_space_dots.codes_box`)
and a grid of C columns and R rows, tile (r, c) shows
``decoder(plane.lift(x0 + (c + ½)(x1 − x0)/C, y1 − (r + ½)(y1 − y0)/R))`` as a grey
picture (:func:`aeviz.core.measures.generate.mosaic_at`).  C and R follow the
plot's size and the text scale (:func:`aeviz.gui.panels.code_space_dots.grid_for`):
each picture square on screen, at least TILE_PX × the scale, the grid filling the
plot, at most TILES² pictures (decoded in one call)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from aeviz.core.measures import codespace
from aeviz.core.measures import generate
from aeviz.gui.panels import code_space_dots as dots


class Manifold:
    """One ImageItem of C x R decoder outputs over the codes' box (TILES² decodes
    at most per draw), above the decoder's map and below the dots."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.item = pg.ImageItem()
        self.item.setZValue(1)
        self.item.setVisible(False)
        plot.addItem(self.item)
        self.tiles = dots.TILES                    # pictures along the shorter side, last drawn
        self.grid = (dots.TILES, dots.TILES)       # (columns, rows) drawn last
        self.box = (0.0, 1.0, 0.0, 1.0)            # (x0, x1, y0, y1) the grid covers
        self.scale = 1.0                           # presenter mode, Ctrl+=: larger pictures

    def draw(self, network, plane: codespace.Plane, shape, on: bool,
             xy: np.ndarray | None = None) -> None:
        """Draw the manifold of ``network``'s decoder over the box of the codes
        ``xy`` (P, 2, plane coordinates; None: the whole plane) as pictures of
        ``shape`` (rows, cols) when ``on``; hide it otherwise."""
        on = on and shape is not None
        self.item.setVisible(on)
        if not on:
            return
        view = self.plot.getPlotItem().vb
        cols, rows = self.grid = dots.grid_for(view.width(), view.height(), self.scale)
        self.tiles = min(cols, rows)
        x0, x1, y0, y1 = self.box = (plane.extent if xy is None
                                     else dots.codes_box(xy, plane.extent))
        xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
        ys = y1 - (np.arange(rows) + 0.5) * (y1 - y0) / rows      # top row first
        rgb = dots.grey_rgb(generate.mosaic_at(network, plane, xs, ys, shape))
        self.item.setImage(rgb[::-1].transpose(1, 0, 2), levels=(0, 255))
        self.item.setRect(*dots.manifold_rect(self.box, self.grid, shape))
