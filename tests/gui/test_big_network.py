"""The largest networks the format allows (#12 item 12, in part): the diagram
draws a summary (the strongest connections) above a size, so opening a
1024-1024-1024 network or editing one of its weights does not rebuild two
million line objects; the code-space plane of a 1024-unit code avoids a full SVD."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from aeviz.core import codespace
from aeviz.core.config import TrainingConfig
from aeviz.core.datasets import Dataset
from aeviz.core.model import Model
from aeviz.core.network import Network
from aeviz.gui.diagram_items import MAX_DRAWN_EDGES
from aeviz.gui.main_window import MainWindow


def big_model() -> Model:
    net = Network.create([1024, 1024, 1024], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    return Model(net, TrainingConfig(loss="mse"), Dataset.one_hot(1024), "big", "", {})


def test_a_1024_1024_1024_network_is_drawn_as_a_summary_of_its_strongest_edges(qtbot):
    w = MainWindow(model=big_model())
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    edges = w.diagram.edges
    assert len(edges.ids) == 2 * 1024 * 1024 and edges.summarised
    assert sum(len(g) for _, g in edges._groups) == MAX_DRAWN_EDGES
    notes = [i.text() for i in w.diagram.scene().items()
             if isinstance(i, QGraphicsSimpleTextItem) and "strongest" in i.text()]
    assert notes == [f"Drawn: the {MAX_DRAWN_EDGES:,} strongest of 2,097,152 connections "
                     "(every one is in the tables and the tooltips)"]
    # an edited weight that becomes the strongest is drawn once its values are computed
    w.doc.set_weight(0, 3, 5, 50.0)
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=30_000)
    e = int(np.flatnonzero((edges.ids == (0, 3, 5)).all(axis=1))[0])
    assert edges.values[e] == 50.0
    strongest = np.argsort(-np.abs(edges.values))[:MAX_DRAWN_EDGES]
    assert e in set(strongest.tolist())
    weakest_drawn = np.abs(edges.values[strongest]).min()
    lines = sum(len(g) for _, g in edges._groups)
    assert lines == MAX_DRAWN_EDGES and weakest_drawn > 0
    # every connection, drawn or not, can still be found under the pointer (tooltips)
    hidden = int(np.argmin(np.abs(edges.values)))
    assert hidden not in set(strongest.tolist())
    mid = (edges.p0[hidden] + edges.p1[hidden]) / 2
    found = edges.edge_at(QPointF(*mid), tolerance=1e-6)
    assert found is not None and edges.tooltip(found).startswith("weight w ")


def test_small_networks_draw_every_connection(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert not w.diagram.edges.summarised and w.diagram.edges.summary() == ""
    assert sum(len(g) for _, g in w.diagram.edges._groups) == len(w.diagram.edges.ids)


def test_the_fast_principal_plane_is_the_svd_plane():
    rng = np.random.default_rng(3)
    codes = rng.standard_normal((600, 2)) @ rng.standard_normal((2, 1024)) * [[5.0]]
    codes += 0.01 * rng.standard_normal(codes.shape)
    assert codes.size > codespace.EXACT_PCA_SIZE
    centred = codes - codes.mean(axis=0)
    fast = codespace._top_two(centred)
    exact = np.linalg.svd(centred, full_matrices=False)[2][:2]
    np.testing.assert_allclose(fast @ fast.T, np.eye(2), atol=1e-9)
    cosines = np.linalg.svd(fast @ exact.T)[1]
    assert cosines.min() > 1 - 1e-9                     # the same plane


def test_the_decoder_map_is_coarser_only_for_big_decoders():
    small = Network.create([8, 3, 8], ["tanh", "softmax"], rng=np.random.default_rng(0))
    big = big_model().network
    assert codespace.map_resolution(small) == 64
    assert codespace.map_resolution(big) == 16
    plane = codespace.plane_for(small, np.zeros((2, 3)) + [[0.1, 0.2, 0.3], [0.3, 0.1, 0.0]])
    assert codespace.decoder_map(small, plane, codespace.map_resolution(small)).shape == (64, 64)
