"""The classic experiment in the window: train the current network from many
seeds in the background, with a progress bar; then the fraction that learned
every pattern, a histogram of the epochs they needed, the stuck runs, and the
published figures where they exist."""

from __future__ import annotations

import threading
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QSpinBox, QVBoxLayout)

from aeviz.core.model import Model
from aeviz.core.measures.study import HOLD, PUBLISHED, Study, round_width, run_study
from aeviz.gui.panels.plots import MIN_PLOT_HEIGHT, new_plot, plain_axes
from aeviz.gui.runtime.threads import assert_gui_thread


class StudyWorker(QObject):
    """Runs ``run_study`` (all seeds trained together) off the GUI thread and
    sends the partial study at most every ``REPORT_SECONDS``."""

    REPORT_SECONDS = 0.1
    progress = Signal(object)              # partial Study
    finished = Signal(object)              # Study, or None if cancelled

    def __init__(self, model: Model, seeds: int, epochs: int) -> None:
        super().__init__()
        self.model, self.seeds, self.epochs = model, seeds, epochs
        self.cancelled = threading.Event()
        self._last = 0.0

    def _report(self, partial: Study) -> None:
        now = time.monotonic()
        if now - self._last >= self.REPORT_SECONDS:
            self._last = now
            self.progress.emit(partial)

    @Slot()
    def run(self) -> None:
        study = run_study(self.model, range(self.seeds), self.epochs, self._report,
                          self.cancelled.is_set)
        self.finished.emit(study if study.complete and not self.cancelled.is_set() else None)


def studies_the_same(a: Model, b: Model) -> bool:
    """Whether a study of ``a`` is one of ``b``: the same layers, settings and
    patterns (neither the weights nor the lesson's seed matter: run s starts
    from seed s)."""
    na, nb = a.network, b.network
    return (na.sizes == nb.sizes and na.activations == nb.activations
            and na.variational == nb.variational
            and a.training.with_(seed=0) == b.training.with_(seed=0)
            and np.array_equal(a.data(), b.data()))


class StudyDialog(QDialog):
    def __init__(self, model: Model, parent=None) -> None:
        super().__init__(parent)
        self.model = model.copy()
        # the network studied in the title: an open dialog stays as the lesson changes
        sizes = "-".join(str(n) for n in model.network.sizes)
        self.setWindowTitle(f"Study many seeds: {model.name} ({sizes})")
        # room for the large numbers and the histogram at the UI's text size (presenter
        # mode: 1.5x), inside the window it belongs to
        room = parent.size() if parent is not None else None
        width = int(640 * max(1.0, self.font().pointSizeF() / 10))
        height = int(560 * max(1.0, self.font().pointSizeF() / 10))
        if room is not None and room.width() > 100:
            width, height = min(width, int(room.width() * 0.95)), min(height, int(room.height() * 0.95))
        self.resize(width, height)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.seeds = QSpinBox()
        self.seeds.setAccessibleName("Seeds")
        self.seeds.setRange(2, 10_000)
        self.seeds.setValue(20)
        self.epochs = QSpinBox()
        self.epochs.setAccessibleName("Epochs per seed")
        self.epochs.setRange(10, 1_000_000)
        self.epochs.setValue(5000)
        form.addRow("Seeds", self.seeds)
        form.addRow("At most epochs per seed", self.epochs)
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m seeds finished")
        layout.addWidget(self.progress)
        self.result = QLabel("Each seed starts from fresh Glorot-uniform weights and trains "
                             "with this lesson's settings until every pattern is reconstructed.")
        self.result.setAccessibleName("Study result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # the result at a glance: three large numbers
        glance = QHBoxLayout()
        self.counts: dict[str, QLabel] = {}
        self.count_names: dict[str, QLabel] = {}
        for status, caption in (("solved", "solved"), ("stuck", "stuck"),
                                ("not finished", "not finished")):
            number = QLabel("–")
            number.setAccessibleName(f"Runs {status}")
            number.setAlignment(Qt.AlignCenter)
            font = number.font()
            font.setPointSizeF(font.pointSizeF() * 2.6)
            font.setBold(True)
            number.setFont(font)
            column = QVBoxLayout()
            column.addWidget(number)
            name = QLabel(caption)
            name.setAlignment(Qt.AlignCenter)
            column.addWidget(name)
            glance.addLayout(column)
            self.counts[status] = number
            self.count_names[status] = name
        layout.addLayout(glance)
        layout.addWidget(self.result)
        self.plot = new_plot(title="epochs needed by the runs that learned every pattern")
        plain_axes(self.plot)
        self.plot.setLabel("bottom", "epochs")
        self.plot.setLabel("left", "runs")
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0, brush=(230, 97, 1))
        self.plot.addItem(self.bars)
        self.plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        layout.addWidget(self.plot, 1)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(lambda _c=False: self.start())
        self.cancel_button = QPushButton("Stop")
        self.cancel_button.clicked.connect(lambda _c=False: self.stop())
        self.cancel_button.setEnabled(False)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._thread: QThread | None = None
        self._worker: StudyWorker | None = None
        self.study: Study | None = None
        self._empty_axes(self.epochs.value())          # whole-number ticks before a run too
        self.epochs.valueChanged.connect(self._on_epochs_changed)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self.running:
            return
        self.study = None
        self.progress.setRange(0, self.seeds.value())
        self.progress.setValue(0)
        self._thread = QThread(self)
        self._worker = StudyWorker(self.model, self.seeds.value(), self.epochs.value())
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress, Qt.QueuedConnection)
        self._worker.finished.connect(self._on_finished, Qt.QueuedConnection)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.result.setText("Running…")
        self._thread.start()

    def stop(self) -> None:
        """Cancel after the current epoch and wait for the thread (never left running)."""
        if not self.running:
            return
        self._worker.cancelled.set()
        self._thread.quit()
        self._thread.wait()
        self._cleanup()
        self.result.setText("Stopped.")

    def _cleanup(self) -> None:
        self._thread.deleteLater()
        self._worker.deleteLater()
        self._thread = self._worker = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, partial: Study) -> None:
        """The histogram fills while the study runs."""
        assert_gui_thread()
        if self._thread is None:
            return
        self.progress.setValue(len(partial.runs))
        self.progress.setFormat(f"%v of %m seeds finished · epoch {partial.epoch:,} of "
                                f"{partial.max_epochs:,}")
        self._draw_histogram(partial)

    def _on_finished(self, study: Study | None) -> None:
        assert_gui_thread()
        if self._thread is None or study is None:
            return
        self._thread.quit()
        self._thread.wait()
        self._cleanup()
        self.study = study
        self.show_result(study)

    def show_result(self, study: Study) -> None:
        n = len(study.runs)
        solved = sum(r.solved for r in study.runs)
        text = (f"{solved} of {n} seeds were solved (every pattern reconstructed for "
                f"{HOLD} epochs in a row) within {study.max_epochs} epochs")
        text += (f", the median run reconstructing every pattern from epoch "
                 f"{study.median_epochs:.0f} on." if solved else ".")
        for status, label in (("not confirmed", f"Not confirmed (every pattern reconstructed "
                                                f"at the end, for fewer than {HOLD} epochs)"),
                              ("stuck", "Stuck (the loss stopped falling)"),
                              ("not finished", "Not finished (the loss still falls)"),
                              ("diverged", "Weights blew up")):
            runs = study.with_status(status)
            if runs:
                text += f" {label}: " + "; ".join(
                    f"seed {r.seed} ({r.distinct_codes} distinct codes)" for r in runs[:3]) + (
                    f" and {len(runs) - 3} more" if len(runs) > 3 else "") + "."
        published = PUBLISHED.get(self.model.network.sizes)
        if published:
            text += " Compare: " + published
        self.result.setText(text)
        self._show_counts(study)
        self.progress.setFormat("%v of %m seeds finished")
        self.progress.setMaximum(max(study.planned, len(study.runs)))
        self.progress.setValue(len(study.runs))
        self._draw_histogram(study)

    def _show_counts(self, study: Study) -> None:
        """Solved, stuck (a diverged run counts as stuck: it learned nothing more)
        and not finished, of the runs done so far."""
        diverged = len(study.with_status("diverged"))
        stuck = len(study.with_status("stuck")) + diverged
        self.count_names["stuck"].setText("stuck or blew up" if diverged else "stuck")
        for status, n in (("solved", sum(r.solved for r in study.runs)), ("stuck", stuck),
                          ("not finished", len(study.with_status("not finished")))):
            self.counts[status].setText(str(n))

    def _draw_histogram(self, study: Study) -> None:
        """Bars of the epochs the solved runs needed, on round bin edges; whole-number
        ticks always, before the first solved run too (an empty plot's default ticks
        would read "0.5 runs")."""
        self._show_counts(study)
        if not study.epochs_to_solve:
            self.bars.setOpts(x=[], height=[])
            self._empty_axes(study.max_epochs)
            return
        counts, edges = study.histogram()
        centers = (edges[:-1] + edges[1:]) / 2
        self.bars.setOpts(x=centers, height=counts, width=float(np.diff(edges)[0]) * 0.9)
        self._set_axes(edges, top=int(counts.max()) if len(counts) else 1)

    def _on_epochs_changed(self, epochs: int) -> None:
        if self.study is None and not self.running:       # the empty plot's epochs axis
            self._empty_axes(epochs)

    def _empty_axes(self, max_epochs: int) -> None:
        """No solved run yet: 0..max_epochs at round steps, 0..1 runs."""
        step = round_width(max_epochs / 5)
        self._set_axes(np.arange(0, max_epochs + step, step), top=1)

    def _set_axes(self, edges: np.ndarray, top: int) -> None:
        """The view: edges[0]..edges[-1] epochs and 0..top runs, ticked at every
        k-th round edge (at most ~6 labels: none crowd at presenter sizes) and at
        whole numbers of runs."""
        every = max(1, -(-(len(edges) - 1) // 6))
        self.plot.getAxis("bottom").setTicks([[(float(e), f"{e:.0f}")
                                               for e in edges[::every]]])
        step = round_width(top / 5)                       # whole runs: never "0.5 runs"
        self.plot.getAxis("left").setTicks([[(float(k), str(k))
                                             for k in range(0, top + step, step)]])
        self.plot.setRange(xRange=(float(edges[0]), float(edges[-1])), yRange=(0, top),
                           padding=0.04)

    def reject(self) -> None:
        self.stop()
        super().reject()

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)
