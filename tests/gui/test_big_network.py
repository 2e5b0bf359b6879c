"""The largest networks the format allows (#12 item 12, in part): the diagram
draws a summary (the strongest connections) above a size, so opening a
1024-1024-1024 network or editing one of its weights does not rebuild two
million line objects; the code-space plane of a 1024-unit code avoids a full SVD."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from aeviz.core.measures import codespace
from aeviz.core.config import TrainingConfig
from aeviz.core.files.datasets import Dataset
from aeviz.core.model import Model
from aeviz.core.engine.network import Network
from aeviz.core.model import evaluate
from aeviz.gui.drawing.diagram_items import fmt
from aeviz.gui.drawing.edge_styles import MAX_DRAWN_EDGES, edge_styles, strongest
from aeviz.gui.drawing.edges import EdgesItem
from aeviz.gui.window.main_window import MainWindow
from aeviz.gui.panels.code_space import MAP_RESOLUTION
from .conftest import WAIT, cell, columns, engine_forward, rows, table_values, type_into


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
    w.doc.lesson.set_weight(0, 3, 5, 50.0)
    qtbot.waitUntil(lambda: not w.doc.values_pending, timeout=WAIT)
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


# --- values computed off the GUI thread (#12 item 12) ----------------------------------
def open_big(qtbot, model: Model | None = None) -> MainWindow:
    w = MainWindow(model=model or big_model())
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    return w


def settle(qtbot, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: not w.doc.values_pending and not w.doc.background.busy,
                    timeout=WAIT)


def test_a_weight_edit_of_a_1024_1024_1024_network_is_shown_once_computed(qtbot):
    w = open_big(qtbot)
    assert w.doc.in_background()
    view, edges = w.diagram, w.diagram.edges
    e = edges.index_of(0, 0, 5)                     # from x1 (pattern 1 is fed) to h6
    before = float(view.neurons[1][5].brush().color().rgb())
    w.doc.lesson.set_weight(0, 0, 5, 3.0)
    assert w.doc.values_pending and edges.values[e] != 3.0     # computing; old values shown
    settle(qtbot, w)
    assert edges.values[e] == 3.0 and e in set(edges.drawn_indices().tolist())
    code, out = engine_forward(w, w.doc.lesson.x)
    np.testing.assert_allclose(table_values(w, "Code"), code, atol=5e-4)
    np.testing.assert_allclose(table_values(w, "Output"), out, atol=5e-4)
    assert view.neurons[1][5].brush().color().rgb() != before
    ev = evaluate(w.doc.lesson.network, w.doc.lesson.model.training, w.doc.lesson.data())
    np.testing.assert_array_equal(w.doc.lesson.evaluation().codes, ev.codes)
    w.patterns.scrollToTop()
    assert cell(w.patterns, 0, 3) == fmt(ev.errors[0])
    shown = codespace.view_of(w.doc.lesson.derived.frozen_copy(), MAP_RESOLUTION)
    w.code_space.throttled.flush()
    np.testing.assert_allclose(w.code_space.points.getData()[0], shown.xy[:, 0])


def test_two_quick_edits_show_the_second_and_drop_the_stale_result(qtbot):
    w = open_big(qtbot)
    shown = []
    w.doc.values_changed.connect(lambda: shown.append(w.diagram.edges.values.copy()))
    e = w.diagram.edges.index_of(0, 2, 7)
    w.doc.lesson.set_weight(0, 2, 7, 4.0)           # computing this one ...
    w.doc.lesson.set_weight(0, 2, 7, -6.0)          # ... when this one comes: it waits, then runs
    settle(qtbot, w)
    assert w.doc.background.jobs == 2
    assert len(shown) == 1 and shown[0][e] == -6.0      # the first result was never shown
    assert w.diagram.edges.values[e] == -6.0


def test_many_edits_while_computing_cost_at_most_one_more_computation(qtbot):
    w = open_big(qtbot)
    for k in range(10):
        w.doc.lesson.set_weight(0, 1, k, 0.5 + k)
    settle(qtbot, w)
    assert w.doc.background.jobs == 2
    np.testing.assert_array_equal(w.diagram.edges.values[:10], w.doc.lesson.network.weights[0][0, :10])
    assert w.diagram.edges.values[w.diagram.edges.index_of(0, 1, 9)] == 9.5


def test_nothing_is_left_running_when_the_window_closes_mid_computation(qtbot):
    w = open_big(qtbot)
    w.doc.lesson.set_weight(0, 0, 0, 2.0)
    assert w.doc.background.running and w.doc.background.busy
    thread = w.doc.background._thread
    w.close()
    assert not thread.isRunning() and not w.doc.background.running


def test_small_networks_are_computed_at_once_on_the_gui_thread(lesson):
    assert not lesson.doc.in_background()
    lesson.doc.lesson.set_weight(0, 0, 0, 1.25)
    assert not lesson.doc.values_pending and not lesson.doc.background.running
    assert lesson.diagram.edges.values[0] == 1.25


# --- the diagram's connections by arithmetic ---------------------------------------------
def old_layout(pos: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows the diagram used to build for every connection (block by block)."""
    p0, p1, ids = [], [], []
    for k in range(len(pos) - 1):
        a, b = pos[k], pos[k + 1]
        ii, jj = np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij")
        p0.append(a[ii.ravel()])
        p1.append(b[jj.ravel()])
        ids.append(np.column_stack([np.full(ii.size, k), ii.ravel(), jj.ravel()]))
    return np.vstack(p0), np.vstack(p1), np.vstack(ids)


def test_connections_found_by_arithmetic_are_those_the_rows_listed(qtbot):
    rng = np.random.default_rng(1)
    for sizes in ((5, 2, 5), (3, 7, 1, 4), (200, 150, 200)):
        pos = [rng.uniform(-100, 100, (n, 2)) + [300 * k, 0] for k, n in enumerate(sizes)]
        edges = EdgesItem(pos)
        p0, p1, ids = old_layout(pos)
        np.testing.assert_array_equal(edges.ids, ids)
        np.testing.assert_array_equal(edges.p0, p0)
        np.testing.assert_array_equal(edges.p1, p1)
        for e in rng.integers(0, len(ids), 20):
            assert edges.index_of(*ids[e]) == e
        assert edges.index_of(len(sizes) - 1, 0, 0) is None
        assert edges.summarised == (len(ids) > MAX_DRAWN_EDGES)


def test_the_summarised_hit_test_finds_what_the_full_search_finds(qtbot):
    rng = np.random.default_rng(2)
    pos = [np.column_stack([np.full(n, 300.0 * k), (np.arange(n) - n / 2) * 2.0])
           for k, n in enumerate((160, 140, 160))]
    edges = EdgesItem(pos)
    assert edges.summarised
    p0, p1, _ = old_layout(pos)
    for point in rng.uniform([0, -150], [600, 150], (15, 2)):
        d = p1 - p0
        t = np.clip(((point - p0) * d).sum(1) / (d * d).sum(1), 0, 1)
        dist = np.hypot(*(p0 + t[:, None] * d - point).T)
        found = edges.edge_at(QPointF(*point), tolerance=5.0)
        if dist.min() > 5.0:
            assert found is None
        else:
            assert found is not None and dist[found] <= dist.min() + 1e-9


def test_the_strongest_are_those_a_full_partition_picks():
    rng = np.random.default_rng(4)
    for n, k in ((10, 3), (50_000, 20_000), (2_000_000, 20_000), (500_000, 1000)):
        a = np.abs(rng.standard_normal(n))
        expected = np.argpartition(a, n - k)[-k:]
        assert set(strongest(a, k).tolist()) == set(expected.tolist())
    a = np.zeros(1_000_000)                 # all equal: still k of them
    assert len(set(strongest(a, 20_000).tolist())) == 20_000


def test_edge_styles_of_the_summary_are_those_of_the_full_drawing():
    values = np.random.default_rng(5).standard_normal(100_000)
    full, summary = edge_styles(values, summarised=False), edge_styles(values)
    assert len(summary.shown) == MAX_DRAWN_EDGES
    np.testing.assert_array_equal(summary.bucket, full.bucket[summary.shown])
    np.testing.assert_array_equal(summary.sign, full.sign[summary.shown])


def test_a_big_weight_table_reads_the_cells_in_view_and_follows_edits(qtbot, monkeypatch):
    from aeviz.gui.panels.weights_panel import WeightsModel
    read = []
    value = WeightsModel._value
    monkeypatch.setattr(WeightsModel, "_value",
                        lambda self, i, j: read.append((i, j)) or value(self, i, j))
    w = open_big(qtbot)
    w.data_tabs.setCurrentIndex(w.data_tabs.indexOf(w.weights))
    table = w.weights.table
    qtbot.waitUntil(table.isVisible)
    assert (rows(table), columns(table)) == (1025, 1024)
    w0 = w.doc.lesson.network.blocks[0]
    assert cell(table, 0, 0) == f"{w0[0, 0]:.3f}"
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    assert cell(table, 1024, 1023) == f"{w0[1024, 1023]:.3f}"     # the last bias
    assert table.model().headerData(1024, Qt.Vertical) == "bias"
    type_into(qtbot, table, 1020, 1020, "2.5")                  # typed, as a person would
    assert w.doc.lesson.network.blocks[0][1020, 1020] == 2.5
    settle(qtbot, w)
    assert cell(table, 1020, 1020) == "2.500"
    read.clear()
    table.viewport().repaint()                                  # what one frame reads
    assert 0 < len(set(read)) < 1025 * 1024 / 100               # a screenful, not a million


def test_a_big_diagram_looks_for_the_tooltip_once_the_pointer_rests(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QGraphicsSceneHoverEvent
    w = open_big(qtbot)
    edges = w.diagram.edges
    _, p0, p1 = edges.ends(edges.index_of(0, 500, 600))
    point = QPointF(*(0.7 * p0[0] + 0.3 * p1[0]))
    searched = []
    search = edges.edge_at
    edges.edge_at = lambda pos, *a: searched.append(1) or search(pos, *a)
    for dy in range(5):                            # the pointer moving: no search yet
        event = QGraphicsSceneHoverEvent(QEvent.GraphicsSceneHoverMove)
        event.setPos(point + QPointF(0, dy * 0.01))
        edges.hoverMoveEvent(event)
    assert searched == [] and edges.toolTip() == ""
    qtbot.waitUntil(lambda: edges.toolTip() != "", timeout=WAIT)
    assert len(searched) == 1
    assert edges.toolTip() == edges.tooltip(search(point + QPointF(0, 0.04)))


def test_a_computation_that_fails_off_the_gui_thread_is_done_on_it(qtbot):
    import threading
    w = open_big(qtbot)

    def only_here(d):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("not in the worker")
        return "computed here"
    w.doc.lesson.add_derived("fragile", only_here)
    w.doc.lesson.set_weight(0, 0, 3, -2.0)
    settle(qtbot, w)
    assert w.diagram.edges.values[w.diagram.edges.index_of(0, 0, 3)] == -2.0
    assert w.doc.lesson.derived.get("fragile") == "computed here"
