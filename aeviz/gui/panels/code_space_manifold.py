"""The decoded manifold: the picture the decoder draws at each code of a grid spread
evenly over the code space's plane (image lessons only, shown by the Pictures button).

For a plane of extent (x0, x1, y0, y1) and T tiles a side, tile (i, j) shows
``decoder(plane.lift(x0 + (j + ½)(x1 − x0)/T, y0 + (i + ½)(y1 − y0)/T))`` as a grey
picture (:func:`aeviz.core.measures.generate.mosaic`); T follows the plot's size
and the text scale (:func:`aeviz.gui.panels.code_space_dots.tiles_for` of the
shorter side / scale, at most TILES)."""

from __future__ import annotations

import pyqtgraph as pg

from aeviz.core.measures import codespace
from aeviz.core.measures import generate
from aeviz.gui.panels import code_space_dots as dots


class Manifold:
    """One ImageItem of T x T decoder outputs over the plane (225 decodes at most
    per draw), above the decoder's map and below the dots."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.item = pg.ImageItem()
        self.item.setZValue(1)
        self.item.setVisible(False)
        plot.addItem(self.item)
        self.tiles = dots.TILES                    # pictures a side drawn last
        self.scale = 1.0                           # presenter mode, Ctrl+=: larger pictures

    def draw(self, network, plane: codespace.Plane, shape, on: bool) -> None:
        """Draw the manifold of ``network``'s decoder over ``plane`` as pictures of
        ``shape`` (rows, cols) when ``on``; hide it otherwise."""
        on = on and shape is not None
        self.item.setVisible(on)
        if not on:
            return
        box = self.plot.getPlotItem().vb
        # each picture at least TILE_PX × the text scale: on stage fewer, larger ones
        tiles = self.tiles = dots.tiles_for(min(box.width(), box.height()) / self.scale)
        rgb = dots.grey_rgb(generate.mosaic(network, plane, tiles, shape))
        self.item.setImage(rgb[::-1].transpose(1, 0, 2), levels=(0, 255))
        self.item.setRect(*dots.manifold_rect(plane.extent, tiles))
