"""The Denoising tab: for the fed pattern x, one corrupted x' and y = g(f(x'))
side by side; how often noisy inputs are recovered; and the same for a copy
trained without noise (:mod:`aeviz.core.measures.noise_comparison`, on a worker
thread).  While a prediction is open, y and the rates are hidden until R."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from aeviz.core.measures import analysis
from aeviz.core.config import Noise
from aeviz.core.engine.noise import corrupt
from aeviz.core.measures.noise_comparison import DRAWS, RATE_SEED, ComparisonResult, NoiseComparison
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.jobs import BackgroundJob
from aeviz.gui.panels.codes_view import MIN_CHART_HEIGHT
from aeviz.gui.panels.plots import PLOT_INTERVAL_MS, new_plot, plain_axes
from aeviz.gui.runtime.throttle import Throttled

COMPACT_CHART_HEIGHT = 96   # on stage (set_compact): the chart's least height


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
        self._layout = layout
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
        self.hidden = False                       # predict, then reveal: no y, no rates
        self._own = ""                            # this network's recovery sentence
        self.comparison = ""                      # the comparison's sentence (or progress)
        self._result: ComparisonResult | None = None   # the comparison's, when it is done
        self._compared_at: int | None = None      # the lesson revision it answers
        self.job = BackgroundJob("aeviz denoising comparison", self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_compared)
        self.job.failed.connect(self._on_failed)
        self.throttled = Throttled(self.refresh, PLOT_INTERVAL_MS, self)
        doc.values_changed.connect(self.throttled)
        doc.settings_changed.connect(self._on_settings_changed)
        self.refresh(new_noise=True)

    def set_compact(self, on: bool) -> None:
        """On stage: a shorter chart (its bars still read against 0, 0.5 and 1) and
        its rows closer, so that a guided step's words and the tab both fit at
        1024×768 while the diagram keeps its share."""
        self.plot.setMinimumHeight(COMPACT_CHART_HEIGHT if on else MIN_CHART_HEIGHT)
        self._layout.setSpacing(2 if on else -1)

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the output for the corrupted pattern and how often
        noisy inputs are recovered are hidden (the clean and corrupted x are no
        answer)."""
        self.hidden = hide
        self.refresh()

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
        self.items["output y = g(f(x′))"][0].setVisible(not self.hidden)
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
        shown = "? (hidden until R reveals it)" if self.hidden else f"{100 * rate:.0f} %"
        self._own = (f"{noise.kind.replace('_', ' ')} noise, level {noise.level:g}: "
                     f"this network recovers the clean pattern from {shown} "
                     f"of noisy inputs ({DRAWS} draws per pattern).")
        self._show_status()

    def _show_status(self) -> None:
        comparison = self.comparison
        if self._result is not None and self.hidden:      # its rates: after R
            comparison = "The comparison with a net trained without noise: after R."
        self.status.setText(f"{self._own} {comparison}".strip())

    def compare_with_plain(self) -> None:
        """Train the same start for the same number of epochs without noise, on a
        worker thread (:mod:`aeviz.core.measures.noise_comparison`), and measure it on the
        same noisy inputs; the status says so meanwhile, and any change of the
        lesson before it ends drops it (it would answer a lesson that is gone)."""
        job = NoiseComparison.of(self.doc.lesson)
        self._compared_at = self.doc.lesson.revision
        self.compare.setEnabled(False)
        self._result = None
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
        self.comparison, self._result = result.sentence(), result
        self.refresh()

    def _on_failed(self, error: str) -> None:
        self.comparison, self._result = f"The comparison failed ({error}).", None
        self.refresh()

    def _drop_comparison(self) -> None:
        self.job.cancel()
        self.comparison, self._result = "", None
        self._compared_at = None

    def shutdown(self) -> None:
        """On close: stop a comparison in progress and join its thread."""
        self.job.shutdown()
