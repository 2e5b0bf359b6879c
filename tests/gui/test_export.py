"""Every export is read back: image sizes, valid SVG, CSV columns."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication, QImage

from aeviz.core.files.presets import load_preset
from aeviz.gui.window.main_window import MainWindow


@pytest.fixture
def trained(qtbot):
    w = MainWindow(model=load_preset("train-5-2-5"))
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.resize(1280, 800)
    w.show()
    for _ in range(30):
        w.controller.step_epoch()
    return w


def export(w, title, tmp_path, ext):
    path = tmp_path / f"out.{ext}"
    w.files.choose_export_path = lambda t, e: str(path)
    action = next(a for a in w.files.export_menu.actions() if a.text() == title)
    action.trigger()
    assert path.exists() and path.stat().st_size > 0
    return path


def test_diagram_png_is_the_whole_scene_at_twice_the_size(trained, tmp_path):
    path = export(trained, "Diagram as PNG…", tmp_path, "png")
    image = QImage(str(path))
    rect = trained.diagram.scene().sceneRect()
    assert (image.width(), image.height()) == (int(rect.width() * 2), int(rect.height() * 2))
    # what is drawn: each neuron's own fill colour inside its ellipse (above its value
    # label), at twice the scene's scale
    for layer in trained.diagram.neurons:
        for neuron in layer:
            box = neuron.sceneBoundingRect()
            inside = (QPointF(box.center().x(), box.top() + 0.12 * box.height()) - rect.topLeft()) * 2
            drawn = image.pixelColor(int(inside.x()), int(inside.y()))
            fill = neuron.brush().color()
            assert max(abs(drawn.red() - fill.red()), abs(drawn.green() - fill.green()),
                       abs(drawn.blue() - fill.blue())) <= 2, (drawn.name(), fill.name())


@pytest.mark.parametrize("title", ["Diagram as SVG…", "Loss plot as SVG…", "Code space as SVG…"])
def test_svg_exports_are_valid_svg(trained, tmp_path, title):
    path = export(trained, title, tmp_path, "svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert sum(1 for _ in root.iter()) > 20                  # it has drawn content
    texts = {"".join(e.itertext()).strip() for e in root.iter() if e.tag.endswith("text")}
    if title == "Diagram as SVG…":                           # the neurons' values, as shown
        shown = {n.label.text() for layer in trained.diagram.neurons for n in layer}
        assert shown <= texts, shown - texts
    else:                                                    # the plot's axis numbers
        assert any(t.replace(".", "").replace("−", "").isdigit() for t in texts), texts


@pytest.mark.parametrize("title,plot", [("Loss plot as PNG…", "loss_plot"),
                                        ("Code space as PNG…", "code_space")])
def test_plot_png_exports(trained, tmp_path, title, plot):
    path = export(trained, title, tmp_path, "png")
    widget = getattr(trained, plot).plot
    image = QImage(str(path))
    assert (image.width(), image.height()) == (widget.width(), widget.height())
    shown = widget.grab().toImage().convertToFormat(image.format())
    assert image == shown                                    # pixel for pixel what is shown


def test_history_csv_has_epochs_losses_and_per_pattern_errors(trained, tmp_path):
    path = export(trained, "Training history as CSV…", tmp_path, "csv")
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["epoch", "loss", "penalty", "mean_error"] + [f"error_{p}" for p in range(1, 6)]
    epochs = [int(r[0]) for r in rows[1:]]
    assert epochs[0] == 0 and epochs[-1] == 30 and epochs == sorted(epochs)
    last = [float(v) for v in rows[-1][1:]]
    ev = trained.doc.lesson.evaluation()
    assert last[0] == pytest.approx(ev.loss, rel=1e-5)
    assert last[3:] == pytest.approx(list(ev.errors), rel=1e-5)


def test_copy_diagram_to_clipboard(trained):
    action = next(a for a in trained.files.export_menu.actions() if a.text() == "Copy diagram to clipboard")
    QGuiApplication.clipboard().clear()
    action.trigger()
    assert not QGuiApplication.clipboard().pixmap().isNull()


def test_failed_export_says_so(trained, tmp_path):
    errors = []
    trained.files.show_error = lambda title, text: errors.append(text)
    trained.files.choose_export_path = lambda t, e: str(tmp_path / "missing-folder" / "x.png")
    action = next(a for a in trained.files.export_menu.actions() if a.text() == "Diagram as PNG…")
    action.trigger()
    assert errors and "Could not write" in errors[0]


def test_training_run_as_png_sequence(trained, tmp_path):
    trained.files.choose_export_folder = lambda: str(tmp_path)
    epoch_before = trained.doc.lesson.epoch
    written = trained.files.export_frames(max_frames=8)
    frames = sorted(tmp_path.glob("frame_*.png"))
    assert written == len(frames) == min(8, len(trained.controller.snapshot_epochs()))
    assert frames[0].name == "frame_0001.png"
    sizes = {(QImage(str(f)).width(), QImage(str(f)).height()) for f in frames}
    assert sizes == {(trained.width(), trained.height())}
    assert QImage(str(frames[0])) != QImage(str(frames[-1]))     # the network changed
    assert trained.doc.lesson.epoch == epoch_before                     # back to where it was


def _try_export(w, title, path):
    """Trigger an export to ``path``; (errors shown, status messages)."""
    errors, said = [], []
    w.files.show_error = lambda t, m: errors.append(m)
    w.files.status = said.append
    w.files.choose_export_path = lambda t, e: str(path)
    next(a for a in w.files.export_menu.actions() if a.text() == title).trigger()
    return errors, said


@pytest.mark.parametrize("title", ["Diagram as SVG…", "Loss plot as SVG…", "Diagram as PNG…",
                                   "Training history as CSV…"])
def test_export_over_a_folder_reports_failure(trained, tmp_path, title):
    folder = tmp_path / "out.svg"
    folder.mkdir()
    errors, said = _try_export(trained, title, folder)
    assert len(errors) == 1 and "folder" in errors[0] and not said
    assert folder.is_dir() and not list(folder.iterdir())


@pytest.mark.parametrize("title", ["Diagram as SVG…", "Code space as PNG…"])
def test_export_on_a_full_disk_reports_failure_and_leaves_no_file(trained, tmp_path,
                                                                   monkeypatch, title):
    import errno
    import os

    from aeviz.core.files import safeio

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(safeio.os, "fsync", full)
    path = tmp_path / "out.svg"
    errors, said = _try_export(trained, title, path)
    assert len(errors) == 1 and "No space left" in errors[0] and not said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_export_to_a_fifo_is_refused_without_blocking(trained, tmp_path):
    import os
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    errors, said = _try_export(trained, "Diagram as SVG…", fifo)
    assert len(errors) == 1 and "named pipe" in errors[0] and not said


def test_plots_offer_no_pyqtgraph_menu_whose_svg_export_fails(window):
    """Right-click on a plot opens nothing: pyqtgraph's menu would offer its SVG
    exporter, which fails with current PySide6 (File > Export is aeviz's own)."""
    for plot in (window.loss_plot.plot, window.code_space.plot, window.output_bars.plot):
        box = plot.getViewBox()
        assert not box.menuEnabled() and box.menu is None
