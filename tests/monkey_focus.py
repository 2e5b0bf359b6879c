"""A seeded monkey aimed at the views that change at every training frame (code
space Pictures and dots, the Patterns table and its filter, the loss plot, the
many-connections diagram), with checks after each burst of actions:

    python -X faulthandler tests/monkey_focus.py LESSON SEED BURSTS

LESSON is a built-in lesson or ``big`` (a 64-16-64 network on 64 one-hot
patterns).  Training runs at full speed most of the time.  After each burst the
walk pauses training and checks: no exception escaped a Qt slot, the event loop
answers within 2 s, the Epoch and Loss readouts show the lesson's, and the
diagram's connections are painted with the current colours within a second
(``edges._painted == edges._version``).  Exit 0: all checks held; 3: an
exception in a slot; 4: a check failed (each printed)."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from monkey_walk import edit_structure, log, stub_dialogs, type_and_enter  # noqa: E402

SIZES = ((1024, 768), (1400, 900), (1920, 1080), (1280, 800))
ERRORS: list[str] = []


def big_model():
    import numpy as np

    from aeviz.core.config import TrainingConfig
    from aeviz.core.engine.network import Network
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    net = Network.create([64, 16, 64], ["sigmoid", "sigmoid"], rng=np.random.default_rng(0))
    return Model(net, TrainingConfig(loss="mse"), Dataset.one_hot(64), "big", "", {})


def walk(lesson: str, seed: int, bursts: int) -> int:
    import numpy as np
    from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from aeviz.core.files.presets import load_preset
    from aeviz.gui.drawing.diagram_items import fmt
    from aeviz.gui.runtime import gc_guard
    from aeviz.gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    gc_guard.install(app)
    QSettings.setDefaultFormat(QSettings.IniFormat)
    stub_dialogs()
    rng = np.random.default_rng(seed)
    model = big_model() if lesson == "big" else load_preset(lesson)
    w = MainWindow(model=model)
    w.remember = False
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    failures = 0

    def pump(ms: int = 0) -> None:
        QTest.qWait(ms) if ms else app.processEvents()

    def check(ok: bool, what: str) -> None:
        nonlocal failures
        if not ok:
            failures += 1
            log(f"  CHECK FAILED: {what}")

    def responsive() -> None:
        done = []
        QTimer.singleShot(0, lambda: done.append(1))
        t0 = time.perf_counter()
        while not done and time.perf_counter() - t0 < 5:
            app.processEvents()
            time.sleep(0.001)
        check(bool(done) and time.perf_counter() - t0 < 2.0,
              f"event loop answered in {time.perf_counter() - t0:.2f} s")

    def checks(step: int) -> None:
        if ERRORS:
            log("UNHANDLED EXCEPTION(S):\n" + "\n".join(ERRORS))
            sys.stdout.flush()
            os._exit(3)
        running = w.controller.running
        w.controller.pause()
        t1 = time.perf_counter()
        while w.generate.walk_timer.isActive() and time.perf_counter() - t1 < 5:
            pump(40)                     # Walk between codes recolours for 2 s
        responsive()
        t0 = time.perf_counter()
        edges = w.diagram.edges
        while time.perf_counter() - t0 < 1.0:
            pump(20)
            if edges._painted == edges._version and not w.doc.values_pending:
                break
        w.grab()
        pump(20)
        if edges._painted != edges._version:
            from aeviz.gui.runtime import line_render
            img = edges._image[1][0] if edges._image else None
            same = edges._image is not None and edges._image[1][1] == edges._target
            log(f"  edges lag: timer {edges._repaint.isActive()} pending {edges._repaint_pending}"
                f" target None {edges._target is None} image v{img} same-target {same}"
                f" jobs {edges._renderer.jobs} queued {list(line_render._jobs)}"
                f" drawn {edges.drawn} view visible {w.diagram.isVisible()}")
            t1 = time.perf_counter()
            while edges._painted != edges._version and time.perf_counter() - t1 < 3:
                pump(50)
            log(f"  after 3 s more: painted {edges._painted}/{edges._version}")
        check(edges._painted == edges._version or not edges.isVisible(),
              f"edges painted {edges._painted} != version {edges._version} 1 s after pause"
              f" (visible {edges.isVisible()})")
        lesson_ = w.doc.lesson
        t1 = time.perf_counter()
        while (w.values.epoch.text() != str(lesson_.epoch) or w.doc.values_pending) \
                and time.perf_counter() - t1 < 5:
            pump(50)
        if time.perf_counter() - t1 > 0.1:
            log(f"  readouts waited {time.perf_counter() - t1:.2f} s more"
                f" (values pending {w.doc.values_pending})")
        check(w.values.epoch.text() == str(lesson_.epoch),
              f"epoch readout {w.values.epoch.text()!r} != lesson {lesson_.epoch}")
        if not w.values.hidden:
            loss = fmt(lesson_.evaluation().loss)
            check(w.values.loss.text().startswith(loss),
                  f"loss readout {w.values.loss.text()!r} != lesson {loss}")
        if not w.values.hidden and w.patterns.isVisible():
            model = w.patterns.patterns_model
            ev = lesson_.evaluation()
            # the table's refresh is throttled (TABLE_INTERVAL_MS, and after a frame or
            # another view's refresh FRAME_CLEAR_MS more): the trailing one may be due
            t1 = time.perf_counter()
            while time.perf_counter() - t1 < 2 and (
                    model.rowCount() != len(lesson_.data())
                    or model.data(model.index(0, 3)) != fmt(ev.errors[0])):
                pump(20)
            check(model.rowCount() == len(lesson_.data()),
                  f"patterns rows {model.rowCount()} != {len(lesson_.data())}")
            for q in {0, model.rowCount() - 1, int(rng.integers(max(1, model.rowCount())))}:
                if 0 <= q < model.rowCount():
                    shown = model.data(model.index(q, 3))
                    want = fmt(ev.errors[q])
                    check(shown == want, f"patterns row {q} error {shown!r} != {want!r}")
                    shown = model.data(model.index(q, 4))
                    want = "yes" if ev.reconstructed[q] else "no"
                    check(shown == want, f"patterns row {q} reconstructed {shown!r} != {want!r}")
        cs = w.code_space
        if cs.isVisible() and not cs._pictures_shown() and not cs.hidden \
                and getattr(cs, "_xy", None) is not None and len(cs._xy):
            t1 = time.perf_counter()
            while (cs.throttled.pending or cs.throttled.timer.isActive()) \
                    and time.perf_counter() - t1 < 2:
                pump(20)
            (x0, x1), (y0, y1) = cs.plot.getViewBox().viewRange()
            xy = cs._xy
            inside = ((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0)
                      & (xy[:, 1] <= y1))
            log(f"  code space: {len(xy)} dots in the range shown checked")
            check(bool(inside.all()), f"code space: {int((~inside).sum())} of {len(xy)} dots "
                  f"outside the range shown x {x0:.3g}..{x1:.3g} y {y0:.3g}..{y1:.3g}")
        log(f"  checked at burst {step}: epoch {lesson_.epoch}, sizes "
            f"{lesson_.network.sizes}, painted {edges._painted}/{edges._version}")
        if running and rng.random() < 0.8:
            w.controller.play()

    # --- actions -------------------------------------------------------------------
    def pictures() -> None:
        log("  key M (Pictures)")
        w.code_space.pictures_button.toggle()

    def code_tab() -> None:
        log("  code space to front")
        w.registry["panel_Code space"].trigger()

    def hover() -> None:
        plot = w.code_space.plot
        if not plot.isVisible():
            code_tab()
            pump()
        for _ in range(int(rng.integers(1, 8))):
            pos = QPoint(int(rng.integers(max(1, plot.width()))), int(rng.integers(max(1, plot.height()))))
            click = rng.random() < 0.3
            log(f"  {'click' if click else 'hover'} code space at {pos.x()},{pos.y()}")
            QTest.mouseMove(plot.viewport(), pos)
            if click:
                QTest.mouseClick(plot.viewport(), Qt.LeftButton, Qt.NoModifier, pos)
            pump(10)

    def patterns() -> None:
        if not w.patterns.isVisible():
            log("  patterns to front")
            w.registry["panel_Patterns"].trigger()
            pump()
        roll = rng.random()
        combo = w.patterns.label_filter
        if roll < 0.4 and combo.count() and combo.isVisible():
            i = int(rng.integers(combo.count()))
            log(f"  patterns filter {combo.itemText(i)!r}")
            combo.setCurrentIndex(i)
        else:
            bar = w.patterns.verticalScrollBar()
            v = int(rng.integers(bar.maximum() + 1)) if bar.maximum() > 0 else 0
            log(f"  patterns scroll to {v}/{bar.maximum()}")
            bar.setValue(v)
            if rng.random() < 0.3:
                QTest.mouseClick(w.patterns.viewport(), Qt.LeftButton, Qt.NoModifier,
                                 QPoint(20, int(rng.integers(5, max(6, w.patterns.viewport().height())))))

    def tab() -> None:
        i = int(rng.integers(w.data_tabs.count()))
        log(f"  data tab {w.data_tabs.tabText(i)!r}")
        w.data_tabs.setCurrentIndex(i)

    def resize() -> None:
        size = SIZES[int(rng.integers(len(SIZES)))]
        log(f"  resize {size[0]}x{size[1]}")
        w.showNormal()
        w.resize(*size)

    def presenter() -> None:
        if w.classroom.presenting:
            log("  presenter off (Esc)")
            w.classroom.set_presenter(False)
        else:
            log("  presenter on (F5)")
            w.classroom.set_presenter(True)

    def zoom() -> None:
        name = str(rng.choice(["zoom_in", "zoom_out", "zoom_in"]))
        if name in w.registry.actions if hasattr(w.registry, "actions") else True:
            try:
                act = w.registry[name]
            except KeyError:
                log(f"  (no action {name})")
                return
            log(f"  {name}")
            act.trigger()

    def structure() -> None:
        net = w.doc.lesson.network
        kind = str(rng.choice(["add_neuron", "remove_neuron", "add_layer", "remove_layer"]))
        layer = int(rng.integers(len(net.sizes)))
        log(f"  structure {kind} at {layer}")
        edit_structure(w, rng, kind, layer)

    def settings() -> None:
        panel = w.settings_panel
        names = [n for n in panel.fields if "rate" in n or "batch" in n.lower()] or list(panel.fields)
        name = str(rng.choice(sorted(names)))
        text = str(rng.choice(["0.02", "0.5", "2", "50", "1e-3", "abc", "0"]))
        field = panel.fields[name]
        log(f"  type {text!r} into {name}")
        type_and_enter(field, text)

    def undo() -> None:
        go = str(rng.choice(["undo", "undo", "redo"]))
        log(f"  {go}")
        getattr(w.doc.lesson, go)()

    def registry(names) -> None:
        name = str(rng.choice(names))
        try:
            act = w.registry[name]
        except KeyError:
            log(f"  (no action {name})")
            return
        log(f"  action {name} (enabled {act.isEnabled()})")
        if act.isEnabled():
            act.trigger()

    def steps() -> None:
        roll = rng.random()
        c = w.controller
        if roll < 0.2:
            panel = w.training
            slider = panel.timeline
            v = int(rng.integers(slider.maximum() + 1))
            log(f"  timeline to {v}/{slider.maximum()}, continue from here "
                f"(enabled {panel.continue_button.isEnabled()})")
            slider.setValue(v)
            pump()
            if panel.continue_button.isEnabled() and rng.random() < 0.7:
                panel.continue_button.click()
        elif roll < 0.3:
            log("  batch size")
            w.settings_panel.batch.setValue(int(rng.choice([0, 1, 4, 32])))
        elif roll < 0.4:
            log("  reset weights")
            c.reset_weights()
        else:
            registry(["step", "step_update", "phase", "phase", "phase", "walk"])

    def files() -> None:
        roll = rng.random()
        if roll < 0.5 or not saved:
            path = f"focus-{len(saved)}.aeviz"
            log(f"  save to {path}")
            w.files.save_to(Path(path), wait=bool(rng.random() < 0.5))
            saved.append(path)
        else:
            path = saved[int(rng.integers(len(saved)))]
            log(f"  open {path}")
            w.files.open_path(path)

    def switch() -> None:
        if lesson == "big":
            return
        name = str(rng.choice(["digits-8x8", "digits-8x8-vae", "train-5-2-5", lesson]))
        log(f"  open lesson {name}")
        w.files.open_preset(name)

    def dataset() -> None:
        net_menu = next(a.menu() for a in w.menuBar().actions() if "Network" in a.text())
        sub = next(a.menu() for a in net_menu.actions() if "Dataset" in a.text())
        acts = [a for a in sub.actions() if a.isEnabled() and a.text() and not a.menu()]
        if not acts:
            log("  (no dataset actions)")
            return
        act = acts[int(rng.integers(len(acts)))]
        log(f"  dataset action {act.text()!r}")
        act.trigger()

    def diverge() -> None:
        field = w.settings_panel.fields.get("learning_rate") or next(
            (f for n, f in w.settings_panel.fields.items() if "rate" in n), None)
        if field is None:
            return
        log("  learning rate 50, play")
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, "50")
        QTest.keyClick(field, Qt.Key_Return)
        field.clearFocus()
        w.controller.speed = 0
        w.controller.play()
        pump(300)

    def play() -> None:
        w.controller.speed = 0
        if not w.controller.running:
            log("  play (full speed)")
            w.controller.play()

    def keys() -> None:
        from PySide6.QtWidgets import QApplication as _A
        name = str(rng.choice(["F5", "Escape", "Ctrl+=", "Ctrl+-", "M", "N", "Space", "Right"]))
        log(f"  key {name}")
        w.activateWindow()
        target = _A.focusWidget() or w.diagram
        if name.startswith("Ctrl+"):
            QTest.keyClick(target, Qt.Key_Equal if name.endswith("=") else Qt.Key_Minus,
                           Qt.ControlModifier)
        else:
            QTest.keyClick(target, getattr(Qt, f"Key_{name}"))

    def wait() -> None:
        ms = int(rng.integers(30, 300))
        log(f"  wait {ms} ms")
        pump(ms)

    saved: list[str] = []
    actions = dict(pictures=(pictures, 3), hover=(hover, 3), patterns=(patterns, 3),
                   tab=(tab, 3), resize=(resize, 2), presenter=(presenter, 1),
                   zoom=(zoom, 1), structure=(structure, 1.5), settings=(settings, 1.5),
                   undo=(undo, 1.5), steps=(steps, 1.5), files=(files, 0.7),
                   switch=(switch, 0.5), dataset=(dataset, 0.5), diverge=(diverge, 0.6),
                   play=(play, 2), wait=(wait, 3), keys=(keys, 3))
    names = list(actions)
    p = np.array([actions[n][1] for n in names], float)
    w.controller.speed = 0
    w.controller.play()
    for burst in range(bursts):
        for _ in range(int(rng.integers(3, 9))):
            name = names[int(rng.choice(len(names), p=p / p.sum()))]
            log(f"burst {burst}: {name}")
            actions[name][0]()
            pump()
            if rng.random() < 0.5:
                w.grab()
        checks(burst)
    log("done: closing")
    w.controller.shutdown()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return failures


def main(argv: list[str]) -> int:
    lesson, seed, bursts = argv[0], int(argv[1]), int(argv[2])
    log(f"monkey focus: lesson {lesson}, seed {seed}, {bursts} bursts")

    def record(kind, value, tb) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        ERRORS.append(text)
        log("EXCEPTION in a Qt slot:\n" + text)

    sys.excepthook = record
    failures = walk(lesson, seed, bursts)
    if ERRORS:
        return 3
    log(f"focus walk finished, {failures} failed checks")
    return 4 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
