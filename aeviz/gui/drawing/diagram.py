"""The network diagram: neurons as circles filled by their activation, connections
coloured by sign and sized by |weight|, biases as a badge under each neuron.

The scene is rebuilt only when the structure changes (``rebuild``); a change of
values only recolours (``refresh``).  All connections are one ``EdgesItem``
that draws them grouped by pen (a few ``drawLines`` calls however many edges),
and finds the edge under the mouse with NumPy, so a 64-16-64 net (2,048 edges)
stays smooth.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView, QMenu)

from aeviz.gui.window import colors
from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.drawing.diagram_items import (MIN_LABEL_PX, NeuronItem, fmt, output_formatter,
                                             size_neuron_texts)
from aeviz.gui.drawing.edge_styles import edge_styles
from aeviz.gui.drawing.edges import EdgesItem
from aeviz.gui.drawing.columns import LAYER_GAP, caption_item, column_positions
from aeviz.gui.drawing.neuron_text import neuron_formula
from aeviz.gui.drawing.overlay import Overlay, SideEdges, overlay_tooltip
from aeviz.gui.drawing.selected_value import SelectedValue
from aeviz.gui.drawing.titles import HEADER_PX, LayerTitles
from aeviz.gui.runtime.document import Document, unit_label

__all__ = ["LAYER_GAP", "MIN_LABEL_PX", "NetworkView", "Overlay", "fmt"]   # Overlay: the step-through imports it here

PRESENTER_EDGE_SCALE = 1.6  # presenter mode draws connections this much thicker


def _weights_and_styles(d) -> tuple:
    """Every weight, flat in the diagram's edge order, and their drawn styles."""
    weights = np.concatenate([w.ravel() for w in d.model.network.weights])
    return weights, edge_styles(weights)


class NetworkView(QGraphicsView):
    """Shows a Document's network; selection and key/wheel edits come back as
    Document calls (through the signals the main window connects)."""

    selection_changed = Signal()
    neuron_double_clicked = Signal(int, int)
    refused = Signal(str)                         # an edit the model refused, and why

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        # one rectangle around a frame's changes, not a region of ~130 neurons' own
        # rectangles: the scene's update pass of a digits frame cost 0.76-0.79 of
        # the frame's own Python work (the controller's) against 1.11-1.12, with
        # the same paint time
        self.setViewportUpdateMode(QGraphicsView.BoundingRectViewportUpdate)
        self.setAccessibleName("Network diagram")
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setBackgroundBrush(colors.PAPER)
        self.doc: Document = doc
        self._refit_later = zero_timer(self, self._refit)
        self.selection: tuple | None = None       # ("edge", k, i, j) or ("neuron", layer, j)
        self.neurons: list[list[NeuronItem]] = []
        self._looked: tuple[int, int] | None = None   # the neuron drawn as selected
        self.edges: EdgesItem | None = None
        self.summary_caption: QGraphicsSimpleTextItem | None = None   # a big net's note
        self.overlay: Overlay | None = None
        self.hidden_layers: set[int] = set()      # predict, then reveal
        self.marked_neurons: set[tuple[int, int]] = set()   # a guided step's (layer, unit)
        self.marked_edges: set[tuple[int, int, int]] = set()  # and (block, from, to)
        self.presenting = False
        self.text_scale = 1.0                     # the UI zoom (Ctrl+=, presenter mode)
        self.user_zoom = 1.0                      # Ctrl+wheel, on top of the fit; Ctrl+0 resets
        self.background, self.ink = colors.PAPER, colors.INK     # the theme's (set_colors)
        self.caption: QGraphicsSimpleTextItem | None = None
        self.titles = LayerTitles()               # the columns' titles
        self.side = SideEdges(self.scene())       # a VAE's log σ² path in the step-through
        # (layer, unit) -> the context menu's (text, handler) entries; set by the window
        self.action_factory: Callable[[int, int], list] = lambda _layer, _unit: []
        doc.lesson.add_derived("edge styles", _weights_and_styles)
        doc.structure_changed.connect(self.rebuild)
        doc.values_changed.connect(self.refresh)
        self.rebuild()

    # --- building ---------------------------------------------------------------
    def positions(self) -> list[np.ndarray]:
        """Centres (n_k, 2) of each layer's neurons (sets the radius and spacings)."""
        pos, self.spacings, self.radius = column_positions(self.doc.lesson.network.sizes)
        return pos

    def rebuild(self) -> None:
        scene = self.scene()
        scene.clear()
        self.overlay = None                  # an overlay belongs to the old structure
        self.side.forget()                   # (its items went with the scene)
        net = self.doc.lesson.network
        pos = self._pos = self.positions()
        self.edges = EdgesItem(pos)
        self.edges.width_scale = self._edge_scale()
        self.edges.unit_label = lambda layer, unit: unit_label(net, layer, unit)
        self.edges.clicked.connect(lambda k, i, j: self.select(("edge", k, i, j)))
        scene.addItem(self.edges)
        self.value_box = SelectedValue()    # on stage: the selected weight, written
        scene.addItem(self.value_box)
        self._keep_valid_marks()
        self._looked = None                      # the neuron drawn as selected (none yet)
        self.neurons = [[NeuronItem(k, j, QPointF(x, y), self.radius, self)
                         for j, (x, y) in enumerate(layer)] for k, layer in enumerate(pos)]
        for items in self.neurons:
            for item in items:
                scene.addItem(item)
        top = min(layer[:, 1].min() for layer in pos) - self.radius
        self.titles.build(scene, net, [layer[0][0] for layer in pos], top, self.ink, colors.ACCENT)
        if self.selection and not self._selection_valid():
            self.selection = None
        bottom = max(layer[:, 1].max() for layer in pos) + self.radius * 2.2
        self.caption = caption_item("", -self.radius, bottom, colors.ACCENT)   # the overlay's
        scene.addItem(self.caption)
        self.summary_caption = None
        if self.edges.summary():           # a big network's connections are summarised
            self.summary_caption = caption_item(self.edges.summary(), -self.radius, top - 90,
                                                self.ink)
            scene.addItem(self.summary_caption)
        self.refresh()
        self._refit()

    @property
    def headers(self) -> list[QGraphicsSimpleTextItem]:
        """The columns' titles, input first."""
        return self.titles.items

    # --- fitting, zoom and label sizes ---------------------------------------------------
    def fit(self) -> None:
        """Ctrl+0: forget the Ctrl+wheel zoom and fit the whole network."""
        self.user_zoom = 1.0
        self._refit()

    def set_text_scale(self, scale: float) -> None:
        """The UI's text zoom (Ctrl+=/−, presenter mode): labels follow it."""
        if scale == self.text_scale:       # (the window's start sets the zoom it has)
            return
        self.text_scale = scale
        self._refit()

    def view_scale(self) -> float:
        """Screen pixels per scene unit."""
        return self.transform().m11()

    def _refit(self) -> None:
        """Fit the network to the view, keep the user's zoom on top, and size the
        labels so they are at least MIN_LABEL_PX × text scale on screen.  Bigger
        labels widen the neurons, so fitting is repeated once with the new size."""
        if not self.neurons:
            return
        for _ in range(2):
            rect = self.scene().itemsBoundingRect().adjusted(-30, -20, 30, 40)
            self.scene().setSceneRect(rect)
            self.fitInView(rect, Qt.KeepAspectRatio)
            if self.user_zoom != 1.0:
                self.scale(self.user_zoom, self.user_zoom)
            self._size_labels()

    def _size_labels(self) -> None:
        s = max(self.view_scale(), 1e-6)
        size_neuron_texts(self.neurons, self.spacings, s, self.text_scale, LAYER_GAP)
        # one size for every title, never running into a neighbour's title
        self.titles.size(max(HEADER_PX, MIN_LABEL_PX * 1.1 / s) * self.text_scale)
        if self.summary_caption is not None:     # above the titles, however many lines
            caption = self.summary_caption
            caption.setY(self.titles.top() - caption.boundingRect().height() - 8)
        if self.selection and self.selection[0] == "edge":
            self._write_selected(self.selection)       # its text in the new size

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refit_later.start()      # fitting may show a scroll bar: never inside a resize

    # --- values ------------------------------------------------------------------
    def set_colors(self, background, ink) -> None:
        """Theme: the background and the headers' text (the data colours stay)."""
        self.background, self.ink = background, ink
        self.setBackgroundBrush(background)
        self.titles.set_ink(ink)                 # recoloured, not rebuilt (start-up: ~7 ms)

    def _edge_scale(self) -> float:
        """Connections' width factor: thicker in presenter mode (the back row)."""
        return PRESENTER_EDGE_SCALE if self.presenting else 1.0

    def set_presenting(self, on: bool) -> None:
        """Presenter mode: thicker connections and neuron outlines."""
        self.presenting = on
        if self.edges is not None:
            self.edges.width_scale = self._edge_scale()
        self.refresh()
        self._refit()

    def set_marks(self, neurons: set[tuple[int, int]], edges: set[tuple[int, int, int]]) -> None:
        """What a guided step points at: outlined neurons and connections (those the
        network no longer has are skipped)."""
        self.marked_neurons, self.marked_edges = set(neurons), set(edges)
        self._keep_valid_marks()
        self.refresh()

    def _keep_valid_marks(self) -> None:
        net = self.doc.lesson.network
        self.marked_neurons = {(k, j) for k, j in self.marked_neurons
                               if k < len(net.sizes) and j < net.sizes[k]}
        self.marked_edges = {(k, i, j) for k, i, j in self.marked_edges
                             if k < net.depth and i < net.sizes[k] and j < net.sizes[k + 1]}
        if self.edges is not None:
            self.edges.set_marked([self.edges.index_of(*e) for e in sorted(self.marked_edges)])

    def set_overlay(self, overlay: Overlay | None) -> None:
        self.overlay = overlay
        self.refresh()

    def refresh(self) -> None:
        """Recolour everything from the document's current values (no rebuild)."""
        net = self.doc.lesson.network
        if self.edges is None or len(self.neurons) != len(net.sizes):
            return
        ov = self.overlay
        weights, styles = self.doc.lesson.derived.get("edge styles")
        if ov is None or ov.edges is None:
            self.edges.set_values(weights, styles=styles)
        else:                 # gradients and changes are small: scale to their own largest
            self.edges.set_values(ov.edges, scale=float(np.abs(ov.edges).max()),
                                  name=ov.edge_name, weights=weights)
        acts = self.doc.lesson.forward()[1]
        for k, items in enumerate(self.neurons):
            shown = acts[k][0] if ov is None else ov.neurons[k]
            if k in self.hidden_layers and ov is None:
                shown = None
            over = ov is not None and ov.biases is not None and k > 0
            # plain floats once per layer (a 1024-unit layer: no NumPy scalar per neuron)
            biases = ((ov.biases[k - 1] if over else net.biases[k - 1]).tolist() if k
                      else [None] * len(items))
            name = ov.bias_name if over else "b"
            if shown is None:
                for item, bias in zip(items, biases):
                    item.set_blank(ov.blank if ov is not None else "?")
                    if bias is not None:      # a parameter, not the answer: always shown
                        item.set_bias(bias, name)
            else:
                # a unit's value after tanh/sigmoid/softmax never shows the bound it
                # cannot reach (">0.999"); δ, Δ and the input are plain numbers
                text = fmt if k == 0 or (ov is not None and ov.neuron_name) else \
                    output_formatter(net.activations[k - 1])
                for item, value, bias in zip(items, np.asarray(shown, float).tolist(), biases):
                    item.set_value(value, bias, name, text)
            lit = ov is not None and k in ov.highlight
            marked = self.marked_neurons
            for j, item in enumerate(items):
                item.set_highlight(lit or (bool(marked) and (k, j) in marked))
        if self.caption is not None:
            self.caption.setText("" if ov is None else ov.caption)
        self.side.show(ov, net, self._pos, self.radius)
        self._show_selection()

    @property
    def side_edges(self) -> EdgesItem | None:
        """A VAE's log σ² path while the step-through shows it (else None)."""
        return self.side.edges

    def neuron_tooltip(self, k: int, j: int) -> str:
        """The hover text of neuron j of layer k, with the current numbers (in the
        step-through: what the circle shows, named; a layer hidden for a prediction:
        none)."""
        if self.overlay is not None:
            return overlay_tooltip(self.overlay, self.doc.lesson.network, k, j)
        zs, acts = self.doc.lesson.forward()
        return neuron_formula(self.doc.lesson.network, k, j, zs, acts, k in self.hidden_layers)

    # --- selection and edits --------------------------------------------------------
    def _selection_valid(self) -> bool:
        s, net = self.selection, self.doc.lesson.network
        if s[0] == "edge":
            k, i, j = s[1:]
            return k < net.depth and i < net.sizes[k] and j < net.sizes[k + 1]
        return s[1] < len(net.sizes) and s[2] < net.sizes[s[1]]

    def select(self, selection: tuple | None) -> None:
        self.selection = selection
        self._show_selection()
        self.selection_changed.emit()
        self.setFocus()

    def _show_selection(self) -> None:
        s = self.selection
        if self.edges is not None:
            idx = None
            if s and s[0] == "edge":
                idx = self.edges.index_of(*s[1:])
            if idx != self.edges.selected:
                self.edges.selected = idx
                self.edges.update()
            self._write_selected(s if idx is not None else None)
        looked = s[1:] if s and s[0] == "neuron" else None
        if looked != self._looked:           # only the neurons whose look changes
            for k, j in [n for n in (self._looked, looked) if n is not None]:
                if k < len(self.neurons) and j < len(self.neurons[k]):
                    self.neurons[k][j].set_selected_look((k, j) == looked)
            self._looked = looked

    def _write_selected(self, s: tuple | None) -> None:
        """On stage (no toolbar), the selected connection's weight on the diagram."""
        box = getattr(self, "value_box", None)
        if box is None:
            return
        if s is None or not self.presenting:
            box.hide()
            return
        k, i, j = s[1:]
        value = float(self.doc.lesson.network.weights[k][i, j])
        px = self.neurons[k + 1][j].label.font().pixelSize() if self.neurons else 16
        box.show_value("w", value, self._pos[k][i], self._pos[k + 1][j], px * 0.85)

    def neuron_double_click(self, layer: int, unit: int) -> None:
        self.neuron_double_clicked.emit(layer, unit)

    def neuron_clicked(self, layer: int, unit: int) -> None:
        if layer == 0:
            self.doc.lesson.toggle_input(unit)
        self.select(("neuron", layer, unit))

    def selected_param(self) -> tuple[int, int, int] | None:
        """(block, row, col) of the selected weight, or of the selected neuron's bias."""
        s = self.selection
        if not s:
            return None
        if s[0] == "edge":
            return s[1], s[2], s[3]
        layer, unit = s[1], s[2]
        if layer == 0:
            return None
        return layer - 1, self.doc.lesson.network.sizes[layer - 1], unit

    def selected_value(self) -> float | None:
        p = self.selected_param()
        if p is None:
            return None
        return float(self.doc.lesson.network.blocks[p[0]][p[1], p[2]])

    def edit_selected(self, value: float, merge: bool = False) -> None:
        p = self.selected_param()
        if p is None:
            return
        try:
            self.doc.lesson.set_weight(*p, value, merge=merge)
        except ValueError as e:
            self.refused.emit(str(e))

    def keyPressEvent(self, event) -> None:
        value = self.selected_value()
        key, text = event.key(), event.text()
        if value is not None and key == Qt.Key_F:
            self.edit_selected(-value)
        elif value is not None and text in ("+", "="):
            self.edit_selected(1.0)
        elif value is not None and text in ("-", "−"):
            self.edit_selected(-1.0)
        elif value is not None and text == "0":
            self.edit_selected(0.0)
        elif key == Qt.Key_Escape:
            self.select(None)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event) -> None:
        value = self.selected_value()
        if event.modifiers() & Qt.ControlModifier or value is None:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.user_zoom = min(max(self.user_zoom * factor, 0.25), 8.0)
            self._refit()                  # stays until Ctrl+0, through resizes and re-fits
            return
        step = 0.01 if event.modifiers() & Qt.ShiftModifier else 0.1
        direction = 1 if event.angleDelta().y() > 0 else -1
        self.edit_selected(round(value + direction * step, 10), merge=True)

    def mousePressEvent(self, event) -> None:
        point = event.position().toPoint()
        item = self.itemAt(point)
        on_edge = item is self.edges and self.edges.edge_at(self.mapToScene(point)) is not None
        if not isinstance(item, (NeuronItem, QGraphicsRectItem)) and not on_edge:
            self.select(None)
        super().mousePressEvent(event)

    def show_neuron_menu(self, layer: int, unit: int, screen_pos) -> None:
        self.select(("neuron", layer, unit))
        menu = QMenu(self)
        for text, handler in self.neuron_actions(layer, unit):
            menu.addAction(text).triggered.connect(lambda _checked=False, h=handler: h())
        menu.exec(screen_pos)
        menu.deleteLater()                     # with its actions: nothing left behind

    def neuron_actions(self, layer: int, unit: int) -> list[tuple[str, Callable[[], None]]]:
        """(text, handler) of a neuron's context-menu entries (from ``action_factory``,
        which the window's editing controller sets)."""
        return self.action_factory(layer, unit)
