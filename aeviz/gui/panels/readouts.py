"""Readouts of the fed pattern: the Input, Code and Output tables, d(x, y), the
loss and the epoch (the whole dataset's table is :mod:`aeviz.gui.panels.patterns_table`).
They only show the document's values: nothing here edits the model."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from aeviz.core.engine.losses import distances
from aeviz.core.model import penalty_name
from aeviz.core.numbers import nonfinite_note
from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.runtime.throttle import Throttled
from aeviz.gui.drawing.diagram_items import fmt, fmt_output, output_formatter
from aeviz.gui.runtime.document import Document
from aeviz.gui.panels.steady_label import SteadyLabel
from aeviz.gui.panels.vector_table import VectorTable


RUN_INTERVAL_MS = 100      # the Values panel while training runs: ~10 refreshes a second
# (its tables and five readouts repainted at every frame of the digits: in four
# interleaved pairs of runs the GUI thread spent 8.2-13.1 ms of CPU per frame with
# this and 12.5-19.0 without; nobody reads numbers faster, and the diagram shows
# each frame).  Its last frame is always shown; a pattern fed during a run at once.


class ValuesPanel(QWidget):
    """x, h, y of the fed pattern, d(x, y), the loss and the epoch."""

    # its readouts were set again (at once, or while a run goes on up to
    # RUN_INTERVAL_MS after the frame): what quotes them (the stage's strip) follows
    shown = Signal()

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.input = VectorTable("Input", "x")
        self.code = VectorTable("Code", "h")
        self.output = VectorTable("Output", "y", text=fmt_output)
        # the readouts first, so no scroll bar hides them; a long caption wraps above
        # its number, so the number is never clipped
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.error = self._readout("Reconstruction error")
        self.loss = self._readout("Loss")
        self.epoch = self._readout("Epoch")
        form.addRow("d(x, y) = ‖x − y‖", self.error)
        self.loss_caption = QLabel("Loss")
        self.loss_caption.setWordWrap(True)
        # its own row, the panel's width (a label column would clip a long caption
        # on stage), the number below it
        form.addRow(self.loss_caption)
        form.addRow(self.loss)
        form.addRow("Epoch", self.epoch)
        layout.addLayout(form)
        for title, table in (("Input x", self.input), ("Code h", self.code),
                             ("Output y", self.output)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box)
        self.kind = QLabel()
        self.kind.setAccessibleName("Network kind")
        self.kind.setWordWrap(True)
        layout.addWidget(self.kind)
        layout.addStretch(1)
        self.doc = doc
        self.hidden = False                     # predict, then reveal: values shown as "?"
        # a code set by hand and its output, (code, y), shown instead of the fed
        # pattern's h and y until show_decoded(None, None) (Generate)
        self.decoded: tuple[np.ndarray, np.ndarray] | None = None
        # while this returns True (the window: while training runs) a panel out of
        # sight is not refreshed, but caught up when it comes into sight
        self.skip_out_of_sight = lambda: False
        self._stale = False                     # values changed while out of sight
        self._resize_readouts = zero_timer(self, self._size_readouts)
        self._catch_up_later = zero_timer(self, self.catch_up)
        # while a run shows ~40 frames a second, at most RUN_INTERVAL_MS apart (its
        # last frame always shown); an edit, a step or a fed pattern: at once
        self.during_run = Throttled(self.refresh, RUN_INTERVAL_MS, self)
        self._frame = False                     # this values change is a training frame's
        doc.epoch_changed.connect(self._on_epoch)
        doc.values_changed.connect(self._on_values)
        doc.settings_changed.connect(self.refresh)
        self.refresh()

    def _on_epoch(self) -> None:
        self._frame = True                      # (values_changed follows in the same event)

    def _on_values(self) -> None:
        # a training frame (a new epoch) while a run goes on waits for its turn; a
        # pattern fed or a weight edited during the run is shown at once
        frame, self._frame = self._frame, False
        if frame and self.skip_out_of_sight():     # (the window: while training runs)
            self.during_run()
        else:
            self.during_run.flush()
            self.refresh()

    def preferred_width(self) -> int:
        """Wide enough for every x, h and y cell side by side (no sideways scroll)."""
        return max(t.count * t.horizontalHeader().minimumSectionSize()
                   for t in (self.input, self.code, self.output)) + 64

    def _readout(self, name: str) -> QLabel:
        label = SteadyLabel()                     # follows a run (RUN_INTERVAL_MS)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._size_readout(label)
        return label

    def _size_readout(self, label: QLabel) -> None:
        """1.5× the panel's text, following the UI zoom and presenter mode; smaller
        (down to the panel's size) when the number would not fit the panel's
        width: the label shrinks, never the number."""
        font = QFont(self.font())
        base = self.font().pointSizeF()
        room = self.width() - 24
        font.setBold(True)
        size = base * 1.5
        while True:
            font.setPointSizeF(size)
            if size <= base or room <= 0 or \
                    QFontMetrics(font).horizontalAdvance(label.text()) <= room:
                break
            size = max(base, size * 0.9)
        if label.font() != font:
            label.setFont(font)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_resize_readouts"):      # a moment later, never inside the resize
            self._resize_readouts.start()
            self._catch_up_later.start()           # (tables that waited out of sight)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "_resize_readouts"):
            self._resize_readouts.start()

    def _size_readouts(self) -> None:
        for label in (self.error, self.loss, self.epoch):
            self._size_readout(label)

    def out_of_sight(self) -> bool:
        """Shown but with no pixel on screen: behind another tab of its dock."""
        return self.isVisible() and self.visibleRegion().isEmpty()

    def catch_up(self) -> None:
        """Show what changed while out of sight (its tab raised, the run stopped)."""
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        doc = self.doc
        if doc.values_pending:          # computed off the GUI thread: shown when they are
            return                      # (values_changed), never computed here meanwhile
        net = doc.lesson.network
        zs, acts = doc.lesson.forward()
        x, y = doc.lesson.x, acts[-1][0]
        # the x, h and y tables (~1 ms a frame while the digits train) wait while out
        # of sight and are drawn when seen (catch_up); the readouts below follow the run
        self._stale = self.skip_out_of_sight() and self.out_of_sight()
        if not self._stale:
            self.input.set_values(x)
        if not self._stale and self.decoded is None:
            self.code.set_formatter(output_formatter(net.activations[net.code_layer - 1]))
            self.code.set_values(acts[net.code_layer][0])
            self.output.set_formatter(output_formatter(net.activations[-1]))
            self.output.set_values(y)
        d = float(distances(x, y)[0])
        self.error.setText(fmt(d))
        ev = doc.lesson.evaluation()
        note = nonfinite_note(d, ev.loss, ev.penalty)     # "inf"/"nan" shown: say what it is
        self.error.setToolTip(note)
        self.loss.setToolTip(note)
        loss = doc.lesson.model.training.loss.replace("_", "-")
        mean = ", at the mean code μ" if doc.lesson.network.variational else ""
        self.loss_caption.setText(f"Loss ({loss}, all patterns{mean})")
        penalty = penalty_name(net, doc.lesson.model.training)
        text = fmt(ev.loss) + (f" + {penalty} {fmt(ev.penalty)}" if ev.penalty else "")
        if len(text) != len(self.loss.text()):        # a penalty came or went: re-fit
            self.loss.setText(text)
            self._size_readout(self.loss)
        else:
            self.loss.setText(text)
        self.epoch.setText(str(doc.lesson.epoch))
        if self.decoded is not None:            # every redraw, not only the decoder's
            self._show_decoded()
            self.shown.emit()
            return
        if self.hidden:                         # predict, then reveal
            if not self._stale:                 # (tables waiting out of sight: when seen)
                self.code.hide_values()
                self.output.hide_values()
            self.error.setText("?")
            self.loss.setText("?")
        c, n = net.code_size, net.sizes[0]
        if c < n:
            self.kind.setText(f"Undercomplete: the code ({c}) is smaller than the input ({n}).")
        else:
            t = doc.lesson.model.training
            regularised = t.sparsity.active or t.noise.active
            size = (f"Overcomplete: the code ({c}) is larger than the input ({n})" if c > n
                    else f"The code ({c}) is as large as the input")
            self.kind.setText(size + ("; the sparsity penalty or the noise keeps it from "
                                      "simply copying." if regularised else
                                      "; with no sparsity or noise it can learn to copy."))
        self.shown.emit()


    def show_decoded(self, code: np.ndarray | None, y: np.ndarray | None) -> None:
        """A code set by hand (decode here, walks, samples): the code and what the
        decoder makes of it; there is no input, so no d(x, y).  Shown until
        ``show_decoded(None, None)`` brings the fed pattern back (a redraw for a
        settings edit or a tab brought to the front keeps it)."""
        self.decoded = None if code is None else (code, y)
        if code is None:
            self.refresh()
        else:
            self._show_decoded()

    def _show_decoded(self) -> None:
        code, y = self.decoded
        self.code.set_formatter(fmt)                 # set by hand: any value, ±1 too
        self.code.set_values(code)
        self.output.set_values(y)
        self.error.setText("—")
        self.kind.setText("Decoding a code set by hand: the input and the encoder are not "
                          "used; the output is what the decoder makes of this code.")
