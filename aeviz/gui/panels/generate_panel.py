"""The Generate panel: what a decoded code makes, walks between two patterns'
codes, samples from the prior N(0, I), and the variational autoencoder's
controls (variational code, beta).  It shows; ``GenerateController`` acts."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget)

from aeviz.core.measures import generate
from aeviz.core.numbers import activation_value, nonfinite_note, number, stated, vector
from aeviz.gui.controllers.generate import GenerateController
from aeviz.gui.panels.plots import PLOT_INTERVAL_MS
from aeviz.gui.panels.settings_panel import SpacePlays
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled

TILES = 6            # the decoded plane: TILES x TILES pictures


def sample_columns(n: int, shape: tuple[int, int], width: int, height: int) -> int:
    """The columns of an n-picture grid (pictures ``shape`` = (h, w), one pixel
    apart) that make the pictures largest in a ``width`` × ``height`` box."""
    h, w = shape
    best, best_scale = 1, 0.0
    for cols in range(1, n + 1):
        rows = -(-n // cols)
        scale = min(max(width, 1) / (cols * (w + 1)), max(height, 1) / (rows * (h + 1)))
        if scale > best_scale + 1e-9:
            best, best_scale = cols, scale
    return best


class GeneratePanel(QWidget):
    def __init__(self, doc: Document, controller: GenerateController, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.controller = doc, controller
        layout = QVBoxLayout(self)
        intro = QLabel("Click or drag in the code space to decode any code: the diagram "
                       "then shows the decoder alone. <b>G</b> starts at the fed pattern's "
                       "code, <b>Alt+arrows</b> move it, <b>G</b> again returns.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.intro = intro
        self.readout = QLabel()
        self.readout.setAccessibleName("Decoded code")
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)
        self.pictures = pg.GraphicsLayoutWidget()
        self.pictures.setAccessibleName("Generated pictures")
        self.pictures.setMinimumHeight(150)
        self.pictures.setMaximumHeight(230)
        self.picture_box = self.pictures.addViewBox(lockAspect=True, invertY=True,
                                                    enableMouse=False)
        self.picture = pg.ImageItem()
        self.picture_box.addItem(self.picture)
        layout.addWidget(self.pictures)

        walk = QGroupBox("Walk between codes")
        form = QFormLayout(walk)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.walk_from, self.walk_to = QComboBox(), QComboBox()
        self.walk_from.setAccessibleName("Walk from")
        self.walk_to.setAccessibleName("Walk to")
        form.addRow("from pattern", self.walk_from)
        form.addRow("to pattern", self.walk_to)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setAccessibleName("Walk position")
        self.slider.setRange(0, 100)
        self.slider.valueChanged.connect(self._on_slider)
        form.addRow("position", self.slider)
        self.animate = QPushButton("Walk")
        self.animate.setToolTip("Slide from the first code to the second and watch the output")
        self.animate.clicked.connect(lambda _c=False: controller.animate_walk())
        stop = QPushButton("Return")
        stop.setToolTip("Back to the fed pattern (G)")
        stop.clicked.connect(lambda _c=False: controller.end_decoding())
        row = QHBoxLayout()
        row.addWidget(self.animate)
        row.addWidget(stop)
        form.addRow(row)
        layout.addWidget(walk)

        prior = QGroupBox("Sample from the prior N(0, I)")
        box = QVBoxLayout(prior)
        self.sample_button = QPushButton("Sample 16")
        self.sample_button.setToolTip("Ctrl+G: draw 16 codes z ~ N(0, I) and decode them")
        self.sample_button.clicked.connect(lambda _c=False: controller.sample())
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        box.addLayout(buttons)
        self.sample_text = QLabel("")
        self.sample_text.setAccessibleName("Samples")
        self.sample_text.setWordWrap(True)
        box.addWidget(self.sample_text)
        self.plane_button = QPushButton("Decode the plane")
        self.plane_button.setToolTip("For pictures: what the decoder draws on a grid over "
                                     "the code space")
        self.plane_button.clicked.connect(lambda _c=False: self.show_plane())
        buttons.addWidget(self.plane_button)
        layout.addWidget(prior)


        vae = QGroupBox("Variational autoencoder")
        form = QFormLayout(vae)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.variational = QCheckBox("variational code")
        self.variational.setToolTip("The encoder gives μ and σ; training decodes z = μ + σ·ε")
        self.variational.setAccessibleName("Variational code")
        self.variational.clicked.connect(lambda _c=False: controller.toggle_variational())
        form.addRow(self.variational)
        self.beta = QDoubleSpinBox()
        self.beta.setAccessibleName("beta")
        self.beta.setDecimals(4)
        self.beta.setRange(0.0, 1e6)
        self.beta.setSingleStep(0.01)
        self.beta.setKeyboardTracking(False)
        self.beta.valueChanged.connect(controller.set_beta)
        SpacePlays(self.beta)                  # Space plays, as in every number field
        form.addRow("β (KL weight)", self.beta)
        self.vae_note = QLabel()
        self.vae_note.setWordWrap(True)
        form.addRow(self.vae_note)
        layout.addWidget(vae)
        self.vae_box = vae
        self.compact = False            # on stage: the instructions and a plain net's VAE box off
        self.hidden = False             # predict, then reveal: no picture of the fed output y
        layout.addStretch(1)
        doc.settings_changed.connect(self._sync_vae)
        # the decoded picture and caption: at most ~7 times a second while training,
        # as the plots (a single change at once, always ending on the latest state)
        self._values_throttled = Throttled(self._on_values, PLOT_INTERVAL_MS, self)
        doc.values_changed.connect(self._values_throttled)
        self.rebuild()
        # built late (the dock is built when first shown): show what is going on already
        if controller.samples is not None:
            self.show_samples(controller.samples)
        if controller.code is not None:        # after the samples: the decoding is on screen
            self.show_decoded(controller.code, self.doc.lesson.network.decode(controller.code[None])[0])

    # --- from the controller ---------------------------------------------------------
    def rebuild(self) -> None:
        """A new network or dataset: the pattern lists and the picture area."""
        n = len(self.doc.lesson.data())
        for combo, default in ((self.walk_from, 0), (self.walk_to, min(1, n - 1))):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([self.pattern_name(p) for p in range(n)])
            combo.setCurrentIndex(default)
            combo.blockSignals(False)
        self.pictures.setVisible(self.doc.lesson.model.dataset.image is not None)
        self.plane_button.setEnabled(self.doc.lesson.model.dataset.image is not None)
        self.picture.clear()
        self.sample_text.setText("")
        self._sync_vae()
        self.show_fed()

    def pattern_name(self, p: int) -> str:
        """Pattern p (0-based) as the lesson names it: "5 (label 4)" when pattern 5
        is labelled "4" (the digit 4), else "5"."""
        label = self.doc.lesson.model.dataset.label_text(p)
        return f"{p + 1} (label {label})" if label else str(p + 1)

    def _on_values(self) -> None:
        self._sync_vae()
        if self.controller.code is None and self.controller.samples is None:
            self.show_fed()

    def show_fed(self) -> None:
        """Nothing decoded by hand, no samples: the fed input's output y, and a
        caption that says which pattern that is (or that the input is none)."""
        y = np.asarray(self.doc.lesson.forward()[1][-1]).ravel()
        p = self.doc.lesson.pattern_index()
        dataset = self.doc.lesson.model.dataset
        fed = ("the fed input (no pattern of the lesson)" if p is None else
               f"pattern {self.pattern_name(p)}")
        shape = dataset.image
        if shape is None or y.size != shape[0] * shape[1]:
            self.readout.setText(f"Showing {fed} in the diagram.")
            return
        if self.hidden:
            self.readout.setText(f"The output y of {fed} is hidden: predict it, then "
                                 "reveal it (R).")
            self.picture.clear()
            return
        self.readout.setText(f"Showing the output y of {fed}: what the decoder draws "
                             "from its code.")
        self._show_picture(y.reshape(shape))

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the fed pattern's output is the answer (a code
        decoded by hand and samples are no prediction: they stay)."""
        self.hidden = hide
        if self.controller.code is None and self.controller.samples is None:
            self.show_fed()

    def set_compact(self, on: bool) -> None:
        """On stage (presenter mode): what is shown and its controls; the mouse
        instructions and, for a plain autoencoder, the VAE box leave the panel."""
        self.compact = on
        self.intro.setVisible(not on)
        self.pictures.setMaximumHeight(190 if on else 230)     # the panel fits the stage
        self.layout().setContentsMargins(*((4, 4, 4, 4) if on else (9, 9, 9, 9)))
        if self.controller.samples is not None and self.controller.code is None:
            self.show_samples(self.controller.samples)      # the captions for the stage
        self._sync_vae()

    def _sync_vae(self) -> None:
        net, t = self.doc.lesson.network, self.doc.lesson.model.training
        self.vae_box.setVisible(net.variational or not self.compact)
        self.variational.setChecked(net.variational)
        if self.beta.value() != round(t.beta, self.beta.decimals()):   # (setValue rewrites
            # the text: a β being typed while training ran was replaced at every frame)
            self.beta.blockSignals(True)
            self.beta.setValue(t.beta)
            self.beta.blockSignals(False)
        self.beta.setEnabled(net.variational)
        if not net.variational:
            self.vae_note.setText("A plain autoencoder: nothing asks its codes to fill the "
                                  "space around 0.")
            return
        x = self.doc.lesson.data()
        from aeviz.core.engine.penalties import vae_kl
        with np.errstate(all="ignore"):          # σ = exp(log σ² / 2) may overflow: "inf"
            kl = vae_kl(net.code(x), net.logvar(x))
            sigma = np.exp(net.logvar(x) / 2).mean()
        note = nonfinite_note(kl, sigma)
        numbers = (f"KL to N(0, I): {number(kl)} per pattern (× β = {t.beta:g} in the loss); "
                   f"mean σ {number(sigma)}.")
        why = "Large β pulls every code to 0 (blurry, all alike); small β leaves gaps between codes."
        extra = f"\n{note[0].upper()}{note[1:]}" if note else ""
        self.vae_note.setToolTip(f"{numbers} {why}{extra}")
        # on stage the numbers only (the why in the tooltip): every line stays in view
        self.vae_note.setText(f"{numbers}{extra}" if self.compact else f"{numbers} {why}{extra}")

    def show_decoded(self, code, y) -> None:
        if code is None:
            samples = self.controller.samples
            if samples is not None:
                self.readout.setText(self._samples_caption(samples))
                self.show_samples(samples)
            else:
                self.show_fed()
            return
        shown = vector(code, 2)[1:-1]
        best = int(np.argmax(y))
        dataset = self.doc.lesson.model.dataset
        rows = dataset.rows if dataset.kind == "patterns" else dataset.matrix()
        with np.errstate(all="ignore"):
            d = np.linalg.norm(rows - y, axis=1)
        near = int(np.nanargmin(d)) if np.isfinite(d).any() else 0
        largest = activation_value(y[best], self.doc.lesson.network.activations[-1])
        self.readout.setText(f"Decoding h = ({shown}): the output is closest to pattern "
                             f"{self.pattern_name(near)} (d = {number(d[near], 2)}); largest "
                             f"output {stated(f'y{best + 1}', largest)}.")
        shape = self.doc.lesson.model.dataset.image
        if shape is not None:
            self._show_picture(np.asarray(y).reshape(shape))

    def show_samples(self, samples: generate.Samples) -> None:
        shape = self.doc.lesson.model.dataset.image
        dataset = self.doc.lesson.model.dataset
        near = ", ".join(self.pattern_name(p) for p in samples.nearest)
        lesson = self.doc.lesson             # (the Patterns table's "reconstructed")
        close = int(generate.counted(samples, lesson.network, lesson.data(),
                                     lesson.evaluation().reconstructed).sum())
        rule = ("its output unit is the largest by over 0.001" if
                self.doc.lesson.network.activations[-1] == "softmax" else
                "every output on its side of 0.5")
        count = (f"{close} of {len(samples.codes)} decode to a pattern the network "
                 f"reconstructs, by the Patterns table's rule ({rule})")
        whole = (f"{len(samples.codes)} codes from N(0, I) (grey dots in the code space); "
                 f"nearest patterns: {near}. {count}.")
        self.sample_text.setToolTip(whole)
        # on stage the code space (where the grey dots are) is off stage: no "grey dots"
        short = f"{close} of {len(samples.codes)} decode to a pattern the net reconstructs."
        self.sample_text.setText(short if self.compact else whole)
        self.readout.setText(self._samples_caption(samples))
        if shape is not None:
            h, w = shape
            n = min(len(samples.outputs), 16)
            cols = sample_columns(n, (h, w), self.pictures.width(), self.pictures.height())
            rows = -(-n // cols)
            grid = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
            for i, y in enumerate(samples.outputs[:n]):
                r, c = divmod(i, cols)
                grid[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = y.reshape(h, w)
            self._show_picture(grid, padding=0.01)

    def _samples_caption(self, samples: generate.Samples) -> str:
        n = min(len(samples.codes), 16)
        if self.compact:                         # on stage: one line
            return f"Showing {n} codes z ~ N(0, I), decoded:"
        return f"Showing {n} samples: the decoder's pictures of {n} codes z ~ N(0, I)."

    def show_plane(self) -> None:
        shape = self.doc.lesson.model.dataset.image
        if shape is None or not self.controller.has_code():
            return
        plane = self.controller.plane()
        self._show_picture(generate.mosaic(self.doc.lesson.network, plane, TILES, shape))
        self.sample_text.setText(f"The decoder's picture at {TILES}×{TILES} points of the "
                                 "code space shown (top left: smallest h1, largest h2).")

    def _show_picture(self, image: np.ndarray, padding: float = 0.04) -> None:
        rgb = np.where(np.isnan(image), 200, 255 * (1 - np.clip(np.nan_to_num(image), 0, 1)))
        rgb = np.repeat(rgb[..., None], 3, axis=2).astype(np.uint8)
        self.picture.setImage(rgb.transpose(1, 0, 2), levels=(0, 255))
        h, w = image.shape
        self.picture_box.setRange(xRange=(0, w), yRange=(0, h), padding=padding)

    def set_walk_position(self, t: float) -> None:
        self.slider.setValue(int(round(100 * t)))

    def _on_slider(self, value: int) -> None:
        self.controller.walk_to(self.walk_from.currentIndex(), self.walk_to.currentIndex(),
                                value / 100)

