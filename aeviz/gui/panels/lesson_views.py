"""Views for the lessons: the codes of all patterns as a heat map with each code
unit's mean activity (sparsity), the angle to PCA for linear networks, and the
denoising view (x, the corrupted x', and y = g(f(x')) side by side)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF
from PySide6.QtGui import QBrush, QLinearGradient, QPainter
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from aeviz.core.measures import analysis
from aeviz.core.config import Noise
from aeviz.core.engine.noise import corrupt
from aeviz.core.measures.noise_comparison import DRAWS, RATE_SEED, ComparisonResult, NoiseComparison
from aeviz.gui.window import colors
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.jobs import BackgroundJob
from aeviz.gui.panels.plots import (PLOT_INTERVAL_MS, label_row_px, new_plot, plain_axes,
                                    plot_text_points)
from aeviz.gui.runtime.throttle import Throttled


MIN_CHART_HEIGHT = 140     # a chart stays readable when text above it grows (Compare)
MAX_TICKS = 20             # more patterns or units than this: every k-th is ticked
MAJOR_TICKS = 5            # the labels always shown; the others only where they fit


def whole_ticks(n: int) -> list[list[tuple[int, str]]]:
    """Ticks 1…n at whole numbers as two levels for pyqtgraph: up to 10 are all
    labelled; more: a few major ones (every k-th, at most MAJOR_TICKS), then up
    to MAX_TICKS in all, which the axis labels only where they fit (60 patterns
    in a small chart would overlap)."""
    if n <= 2 * MAJOR_TICKS:                                # few: every one, always
        return [[(i, str(i)) for i in range(1, n + 1)], []]
    step = max(1, -(-n // MAX_TICKS))                       # the finest step
    major_step = step * max(1, -(-n // (MAJOR_TICKS * step)))  # a multiple of it
    ticks = range(1, n + 1, step)
    return [[(i, str(i)) for i in ticks if (i - 1) % major_step == 0],
            [(i, str(i)) for i in ticks if (i - 1) % major_step != 0]]


class ColourBar(QLabel):
    """The heat map's key: the app's one colour scale from −s (blue) through 0
    (white) to +s (orange); s = 1 unless the values reach further
    (:func:`aeviz.gui.window.colors.scale_for`)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.scale = 1.0
        self.setAccessibleName("Colour bar")
        self.setMinimumHeight(MIN_CHART_HEIGHT)
        self._fit_width()

    @property
    def RANGE(self) -> tuple[float, float]:      # noqa: N802 (the key's ends)
        return (-self.scale, self.scale)

    def set_scale(self, scale: float) -> None:
        if scale != self.scale:
            self.scale = scale
            self._fit_width()
            self.update()

    @staticmethod
    def end_text(value: float) -> str:
        return f"{value:+g}".replace("-", "−") if value else "0"

    def _fit_width(self) -> None:
        """As wide as the bar and its widest end label (presenter text, ±1.5)."""
        metrics = self.fontMetrics()
        self.setFixedWidth(max(44, 25 + max(metrics.horizontalAdvance(self.end_text(v))
                                                for v in self.RANGE)))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_width()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height(), self.height() - metrics.height()
        gradient = QLinearGradient(0, top, 0, bottom)
        for t in np.linspace(0, 1, 9):
            gradient.setColorAt(t, colors.color(self.scale * (1 - 2 * t), self.scale))
        painter.fillRect(QRectF(4, top, 14, bottom - top), QBrush(gradient))
        painter.setPen(self.palette().windowText().color())
        painter.drawRect(QRectF(4, top, 14, bottom - top))
        for value, y in ((self.RANGE[1], top), (0.0, (top + bottom) / 2), (self.RANGE[0], bottom)):
            painter.drawText(QPointF(21, y + metrics.ascent() / 2 - 1), self.end_text(value))
        painter.end()


class CodesView(QWidget):
    """Pattern x code unit heat map, mean activity per unit (against rho when the
    KL penalty is on), active units per pattern, and for linear nets the angle
    between the code space and the PCA subspace."""

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 5, 5)      # clear of the guide's 5 px outline
        self.summary = QLabel()
        self.summary.setAccessibleName("Code summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        self.heat = new_plot(title="codes h")
        self.heat.setAccessibleName("Code heat map")
        self.heat.invertY(True)
        self.heat.setLabel("left", "pattern")
        self.heat.setLabel("bottom", "code unit")
        self.image = pg.ImageItem()
        self.heat.addItem(self.image)
        self.bars = new_plot(title="mean activity")
        self.bars.setAccessibleName("Code activity")
        plain_axes(self.bars)
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.7, brush=(230, 97, 1))
        self.bars.addItem(self.bar_item)
        self.target = pg.InfiniteLine(angle=0, pen=pg.mkPen((33, 102, 172), width=2,
                                                          style=pg.QtCore.Qt.DashLine))
        self.bars.addItem(self.target)
        self.heat.setMinimumHeight(MIN_CHART_HEIGHT)
        self.bars.setMinimumHeight(MIN_CHART_HEIGHT)
        self.colour_bar = ColourBar()
        row.addWidget(self.heat, 1)
        row.addWidget(self.colour_bar)
        row.addWidget(self.bars, 1)
        layout.addLayout(row, 1)
        self.angles: list[tuple[int, float]] = []
        self._ticked: tuple[int, int] | None = None
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        doc.values_changed.connect(self.throttled)
        doc.structure_changed.connect(self.angles.clear)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.image.image is not None:
            return
        net, x = self.doc.lesson.network, self.doc.lesson.data()
        a = analysis.code_activity(net, x)
        scale = colors.scale_for(a.codes)                     # a linear code: no saturation
        self.colour_bar.set_scale(scale)
        rgb = colors.rgb(a.codes.T, scale).astype(np.uint8)    # (units, patterns, 3)
        self.image.setImage(rgb, levels=(0, 255))
        self.image.setRect(0.5, 0.5, a.codes.shape[1], a.codes.shape[0])
        if self._ticked != a.codes.shape:                      # one tick per pattern, per unit
            self._ticked = a.codes.shape
            self.heat.getAxis("left").setTicks(whole_ticks(a.codes.shape[0]))
            self.heat.getAxis("bottom").setTicks(whole_ticks(a.codes.shape[1]))
            self.bars.getAxis("bottom").setTicks(whole_ticks(a.codes.shape[1]))  # unit 1, 2
        units = np.arange(1, len(a.mean) + 1)
        self.bar_item.setOpts(x=units, height=a.mean)
        sp = self.doc.lesson.model.training.sparsity
        self.target.setVisible(sp.penalty == "kl")
        self.target.setValue(sp.target)
        self.bars.setYRange(0, max(1.0, float(a.mean.max()) * 1.1) if a.mapped else
                            max(1e-3, float(a.mean.max()) * 1.1))
        scale = "mean m(h) in (0, 1)" if a.mapped else "mean |h|"
        text = (f"Bars: {scale} per code unit"
                + (f"; dashed: the KL target ρ = {sp.target:g}" if sp.penalty == "kl" else "")
                + ". Active units (|h| > 0.5) per pattern: "
                + ", ".join(f"{p + 1}: {n}" for p, n in enumerate(a.active[:16]))
                + (" …" if len(a.active) > 16 else "") + ".")
        if analysis.is_linear(net) and net.code_layer < net.depth:
            angle = analysis.principal_angle(net, x)
            if not self.angles or self.angles[-1][0] != self.doc.lesson.epoch:
                self.angles.append((self.doc.lesson.epoch, angle))
            first = self.angles[0]
            text += (f" Largest angle between the code space and the PCA plane: {angle:.2f}° "
                     f"(epoch {first[0]}: {first[1]:.2f}°).")
        self.summary.setText(text)


class NoiseView(QWidget):
    """For the fed pattern: x, one corrupted x' and y = g(f(x')); how often noisy
    inputs are recovered; and the same for a copy trained without noise."""

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.rng = np.random.default_rng(doc.lesson.model.training.seed + 10_000)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)      # text clear of the guide's 5 px outline
        self.status = QLabel()
        self.status.setAccessibleName("Denoising summary")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.plot = new_plot()
        self.plot.setAccessibleName("Denoising bars")
        self.plot.setYRange(-0.05, 1.05)
        self.plot.setMinimumHeight(MIN_CHART_HEIGHT)
        plain_axes(self.plot)
        self.items = {}
        keys = []
        for name, color, dx in (("clean x", (150, 150, 150), -0.27),
                                ("corrupted x′", (33, 102, 172), 0.0),
                                ("output y = g(f(x′))", (230, 97, 1), 0.27)):
            self.items[name] = (pg.BarGraphItem(x=[], height=[], width=0.26, brush=color,
                                                name=name), dx)
            self.plot.addItem(self.items[name][0])
            keys.append(f'<span style="color: rgb{color}">■</span> {name}')
        # the legend is a line above the chart: it never covers a bar
        self.legend = QLabel("&nbsp;&nbsp;&nbsp;".join(keys))
        self.legend.setAccessibleName("Denoising legend")
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        buttons = QHBoxLayout()
        self.resample = QPushButton("Resample noise")
        self.resample.clicked.connect(lambda _c=False: self.refresh(new_noise=True))
        self.compare = QPushButton("Compare with a net trained without noise")
        self.compare.clicked.connect(lambda _c=False: self.compare_with_plain())
        buttons.addWidget(self.resample)
        buttons.addWidget(self.compare)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.x_noisy: np.ndarray | None = None
        self._own = ""                            # this network's recovery sentence
        self.comparison = ""                      # the comparison's sentence (or progress)
        self._compared_at: int | None = None      # the lesson revision it answers
        self.job = BackgroundJob("aeviz denoising comparison", self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_compared)
        self.job.failed.connect(self._on_failed)
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        doc.values_changed.connect(self.throttled)
        doc.settings_changed.connect(self._on_settings_changed)
        self.refresh(new_noise=True)

    def noise(self) -> Noise:
        return self.doc.lesson.model.training.noise

    def _on_settings_changed(self) -> None:
        self._drop_comparison()
        self.refresh(new_noise=True)

    def refresh(self, new_noise: bool = False) -> None:
        if self._compared_at is not None and self._compared_at != self.doc.lesson.revision:
            self._drop_comparison()        # an edit, undo or run since: it answers no more
        x = self.doc.lesson.x
        if new_noise or self.x_noisy is None or self.x_noisy.shape != x.shape:
            self.x_noisy = corrupt(x, self.noise(), self.rng)[0]
        y = self.doc.lesson.network.output(self.x_noisy[None, :])[0]
        units = np.arange(1, len(x) + 1)
        for (item, dx), values in zip(self.items.values(), (x, self.x_noisy, y)):
            item.setOpts(x=units + dx, height=values)
        noise = self.noise()
        if not noise.active:
            self.status.setText("Denoising is off: choose a noise kind and level in Settings "
                                "(the bars then show a corrupted x′ and what the network "
                                "makes of it).")
            self.compare.setEnabled(False)
            return
        self.compare.setEnabled(not self.computing)
        rate = analysis.recovery_rate(self.doc.lesson.network, self.doc.lesson.data(), noise,
                                      np.random.default_rng(RATE_SEED), DRAWS)
        self._own = (f"{noise.kind.replace('_', ' ')} noise, level {noise.level:g}: "
                     f"this network recovers the clean pattern from {100 * rate:.0f} % "
                     f"of noisy inputs ({DRAWS} draws per pattern).")
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(f"{self._own} {self.comparison}".strip())

    def compare_with_plain(self) -> None:
        """Train the same start for the same number of epochs without noise, on a
        worker thread (:mod:`aeviz.core.measures.noise_comparison`), and measure it on the
        same noisy inputs; the status says so meanwhile, and any change of the
        lesson before it ends drops it (it would answer a lesson that is gone)."""
        job = NoiseComparison.of(self.doc.lesson)
        self._compared_at = self.doc.lesson.revision
        self.compare.setEnabled(False)
        self.comparison = (f"Training a copy without noise for {job.epochs} "
                           f"epoch{'s' if job.epochs != 1 else ''}…")
        self.job.start(job.run)
        self.refresh()

    @property
    def computing(self) -> bool:
        return self.job.busy

    def _on_progress(self, done: int, total: int) -> None:
        self.comparison = f"Training a copy without noise: epoch {done} of {total}…"
        self._show_status()

    def _on_compared(self, result: ComparisonResult) -> None:
        self.comparison = result.sentence()
        self.refresh()

    def _on_failed(self, error: str) -> None:
        self.comparison = f"The comparison failed ({error})."
        self.refresh()

    def _drop_comparison(self) -> None:
        self.job.cancel()
        self.comparison = ""
        self._compared_at = None

    def shutdown(self) -> None:
        """On close: stop a comparison in progress and join its thread."""
        self.job.shutdown()


class ImagesView(QWidget):
    """For pictures (a dataset with an image shape): the fed x and the output y
    as images, and each first-layer unit's incoming weights as a small image
    (blue negative, orange positive), which shows what that unit looks for."""

    MAX_UNITS = 32
    MIN_PICTURE_PX = 40        # a picture's row never gets smaller: the canvas scrolls instead
    TITLE_PX = 16              # the row of names under the pictures

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.note = QLabel()
        self.note.setAccessibleName("Images note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setAccessibleName("Images")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.x_image = self.y_image = None
        self.unit_images: list[pg.ImageItem] = []
        self.decoded: np.ndarray | None = None     # y of a code set by hand (Generate)
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        doc.structure_changed.connect(self.rebuild)
        doc.values_changed.connect(self.throttled)
        self.rebuild()

    def _image_box(self, row: int, col: int, title: str) -> pg.ImageItem:
        box = self.canvas.addViewBox(row=row, col=col, lockAspect=True, invertY=True,
                                     enableMouse=False)
        item = pg.ImageItem()
        box.addItem(item)
        points = plot_text_points()                     # presenter mode, Ctrl+=
        self.canvas.addLabel(title, row=row + 1, col=col, size=f"{points:.1f}pt")
        grid = self.canvas.ci.layout
        grid.setRowMinimumHeight(row, self.MIN_PICTURE_PX)
        grid.setRowFixedHeight(row + 1, max(self.TITLE_PX, label_row_px(points)))
        return item

    def rebuild(self) -> None:
        grid = self.canvas.ci.layout
        for row in range(grid.rowCount()):        # another shape: no row keeps its old size
            grid.setRowMinimumHeight(row, 0)
            grid.setRowMaximumHeight(row, 1e6)
        self.canvas.clear()
        self.canvas.setMinimumHeight(0)
        self.unit_images = []
        self.x_image = self.y_image = None
        shape = self.doc.lesson.model.dataset.image
        if shape is None:
            self.note.setText("The dataset has no image shape. Choose Network → Dataset → "
                              "bars, letters or digits to see patterns and weights as pictures.")
            return
        units = min(self.doc.lesson.network.sizes[1], self.MAX_UNITS)
        self.note.setText(f"Top: the fed pattern x and the output y ({shape[0]}×{shape[1]} "
                          f"pixels). Below: the incoming weights of the first {units} units "
                          "of the first layer after the input.")
        cols = max(2, min(units, 8))
        self.x_image = self._image_box(0, 0, "x")
        self.y_image = self._image_box(0, 1, "y")
        for j in range(units):
            self.unit_images.append(self._image_box(2 + 2 * (j // cols), j % cols, f"h{j + 1}"))
        rows = 1 + -(-units // cols)             # x and y, then the units' rows
        title = max(self.TITLE_PX, label_row_px(plot_text_points()))
        self.canvas.setMinimumHeight(rows * (self.MIN_PICTURE_PX + title + 8) + 8)
        self.refresh()

    def refresh(self) -> None:
        shape = self.doc.lesson.model.dataset.image
        if shape is None or self.x_image is None or not self.isVisible():
            return
        gray = lambda v: np.repeat((255 * (1 - np.clip(v, 0, 1))).reshape(shape)[..., None],
                                   3, axis=2).astype(np.uint8)
        y = self.doc.lesson.forward()[1][-1][0] if self.decoded is None else self.decoded
        x = self.doc.lesson.x if self.decoded is None else np.zeros_like(self.doc.lesson.x)
        self.x_image.setImage(gray(x).transpose(1, 0, 2), levels=(0, 255))
        self.y_image.setImage(gray(y).transpose(1, 0, 2), levels=(0, 255))
        w = self.doc.lesson.network.weights[0]
        scale = max(float(np.abs(w).max()), 1e-9)
        for j, item in enumerate(self.unit_images):
            rgb = colors.rgb(w[:, j].reshape(shape), scale).astype(np.uint8)
            item.setImage(rgb.transpose(1, 0, 2), levels=(0, 255))

    def show_decoded(self, y: np.ndarray | None) -> None:
        """Show what the decoder makes of a code set by hand (None: the fed pattern)."""
        self.decoded = None if y is None else np.asarray(y, dtype=float)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
