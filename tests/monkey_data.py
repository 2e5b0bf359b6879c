"""A seeded monkey that checks data (round 8): a random walk of user-level actions
on the real window, training at full or normal speed most of the time, and after
about a third of the actions it pauses and checks what is on screen against a
fresh evaluation of the lesson's network:

    python -X faulthandler tests/monkey_data.py LESSON SEED STEPS

(``WALK_ONLY=feed,undo,...`` limits the actions; ``WALK_DIR`` is where it saves.)
Checked: the lesson's own evaluation, every shown frame's evaluation, the Values
panel's epoch, loss, d(x, y) and code (or a decoded code's output), the Patterns
table's d(x, y) and bold row, the diagram's connections and neuron values, the
Weights table, the loss curve's last point, the code space's dots and decoded
manifold, the samples, predict-then-reveal hiding, the window title's modified
mark; at the end undo all, redo as many, and the state before must come back.
Exit 0: all held; 3: an exception escaped a Qt slot; 4: a check failed (each
printed with "!!").  The hang bound (120 s) is a walk's, never a unit test's."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from monkey_walk import edit_structure, log, open_walk_window, type_and_enter  # noqa: E402

ERRORS = []


def fail(kind, value, tb):
    log("UNHANDLED EXCEPTION:\n" + "".join(traceback.format_exception(kind, value, tb)))
    sys.stdout.flush()
    os._exit(3)


def main(lesson, seed, steps):
    import numpy as np
    from PySide6.QtCore import QCoreApplication, QEvent, Qt, QPointF, QPoint
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDockWidget
    from PySide6.QtGui import QAction

    from aeviz.core.model import evaluate
    from aeviz.core.engine.losses import distances
    from aeviz.gui.drawing.diagram_items import fmt

    sys.excepthook = fail
    app, rng, w = open_walk_window(lesson, seed)
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    lessons = ["digits-8x8", "digits-8x8-vae", "train-5-2-5", "overcomplete-sparse",
               "denoising-bars", "vae-digits", "generate-digits", "deep-hourglass"]
    c = w.controller
    folder = Path(os.environ.get("WALK_DIR", "."))

    def wait_until(cond, what, limit_s=120):
        import time
        t0 = time.monotonic()
        while not cond():
            QTest.qWait(5)
            if time.monotonic() - t0 > limit_s:
                ERRORS.append(f"hang: {what}")
                log(f"  !! HANG waiting for {what}")
                return False
        return True

    def settle():
        wait_until(lambda: not c.steps.busy, "steps")
        wait_until(lambda: not w.doc.values_pending, "values")
        wait_until(lambda: not w.patterns.throttled.pending, "patterns")
        wait_until(lambda: not w.loss_plot.throttled.pending, "loss")
        wait_until(lambda: not w.code_space.throttled.pending, "codespace")
        QTest.qWait(30)

    def check(tag):
        was = c.running
        if was:
            c.pause()
        settle()
        lesson = w.doc.lesson
        net = lesson.network
        bad = []
        ev = evaluate(net, lesson.training, lesson.data())
        shown = lesson.evaluation()
        if not np.allclose(shown.errors, ev.errors, rtol=1e-10, atol=1e-12):
            bad.append(f"lesson.evaluation stale: {shown.loss} vs {ev.loss}")
        if w.values.epoch.text() != str(lesson.epoch):
            bad.append(f"epoch readout {w.values.epoch.text()} != {lesson.epoch}")
        decoding = w.generate.code is not None
        hidden = w.values.hidden
        if not hidden:
            loss = w.values.loss.text().split(" + ")[0]
            if loss != fmt(ev.loss):
                bad.append(f"loss readout {loss} != {fmt(ev.loss)}")
            _zs, acts = net.forward(lesson.x[None, :])
            d = float(distances(lesson.x, acts[-1][0])[0])
            if not decoding and not w.phases.active and w.values.error.text() != fmt(d):
                bad.append(f"d readout {w.values.error.text()} != {fmt(d)}")
            if not decoding and not w.values._stale and not w.phases.active:
                out = np.array([w.values.output.cell_text(i) for i in range(w.values.output.count)])
                if len(out) != net.sizes[-1]:
                    bad.append(f"output table has {len(out)} cells, net {net.sizes[-1]}")
        model = w.patterns.patterns_model
        if model.n != len(lesson.data()):
            bad.append(f"patterns rows {model.n} != {len(lesson.data())}")
        elif not w.patterns.hidden and model._shown is not None:
            for p in sorted(set(rng.integers(0, model.n, 5).tolist())):
                if model.cells(p)[3] != fmt(ev.errors[p]):
                    bad.append(f"patterns row {p} d {model.cells(p)[3]} != {fmt(ev.errors[p])}")
                    break
            fed = lesson.pattern_index()
            if model._shown[4] != fed:
                bad.append(f"bold row {model._shown[4]} != fed {fed}")
        if w.diagram.overlay is None:
            vals = np.concatenate([x.ravel() for x in net.weights])
            if not np.array_equal(w.diagram.edges.values, vals):
                bad.append("diagram edges != weights")
        if w.diagram.overlay is None and not hidden and not decoding:
            _zs, acts2 = net.forward(lesson.x[None, :])
            for k, items in enumerate(w.diagram.neurons):
                if k in w.diagram.hidden_layers:
                    continue
                vals = [it._shown[0] if it._shown else None for it in items]
                if vals != acts2[k][0].tolist():
                    bad.append(f"diagram layer {k} values != forward")
                    break
            if not w.values._stale and not w.phases.active:
                from aeviz.gui.drawing.diagram_items import output_formatter
                t = w.values.code
                txt = [t.cell_text(i) for i in range(t.count)]
                f = output_formatter(net.activations[net.code_layer - 1])
                want = [f(v) for v in acts2[net.code_layer][0]]
                if [s.replace("\u2212", "-") for s in txt] != [s.replace("\u2212", "-") for s in want]:
                    bad.append(f"code table {txt[:4]} != {want[:4]}")
        if decoding and not hidden and w.generate.code.size == net.code_size:
            from aeviz.core.measures import generate as gen
            y = gen.layer_values(net, w.generate.code)[-1]
            t = w.values.output
            txt = [t.cell_text(i) for i in range(t.count)]
            f = t.model().text
            want = [f(v) for v in y]
            if txt != want:
                bad.append(f"decoded output table {txt[:4]} != {want[:4]}")
        cs = w.code_space
        if cs.pictures_button.isChecked() and cs.decoded.item.isVisible():
            from aeviz.core.measures import generate as gen
            from aeviz.gui.panels import code_space_dots as dts
            view = lesson.derived.get("code space")
            cols, rows = cs.decoded.grid
            x0, x1, y0, y1 = dts.codes_box(view.xy, view.plane.extent)
            xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
            ys = y1 - (np.arange(rows) + 0.5) * (y1 - y0) / rows
            rgb = dts.grey_rgb(gen.mosaic_at(net, view.plane, xs, ys, lesson.model.dataset.image))
            img = rgb[::-1].transpose(1, 0, 2)
            if cs.decoded.item.image is None or not np.array_equal(cs.decoded.item.image, img):
                bad.append("manifold image != fresh mosaic")
        if w.tabs.built("Weights"):
            m = w.weights.model
            blk = m.block
            if blk < net.depth:
                P = net.blocks[blk]
                if (m.rowCount(), m.columnCount()) != P.shape:
                    bad.append(f"weights table {m.rowCount()}x{m.columnCount()} != {P.shape}")
                else:
                    for _ in range(3):
                        r, cc = int(rng.integers(P.shape[0])), int(rng.integers(P.shape[1]))
                        if m.data(m.index(r, cc), Qt.UserRole) != float(P[r, cc]):
                            bad.append(f"weights table ({r},{cc}) != network")
                            break
        w.writer.wait()
        app.processEvents()
        if w.isWindowModified() != lesson.modified:
            bad.append(f"title modified {w.isWindowModified()} != lesson {lesson.modified}")
        if lesson.model.name not in w.windowTitle():
            bad.append(f"title {w.windowTitle()!r} lacks {lesson.model.name!r}")
        if w.classroom.hiding:
            if w.tabs.built("Outputs") and w.output_bars.isVisible() and w.output_bars.y_bars.isVisible():
                bad.append("predict: Outputs y bars visible")
            if w.tabs.built("Images") and w.images_view.y_image is not None and w.images_view.isVisible() and \
                    w.images_view.y_image.isVisible() and w.generate.code is None:
                bad.append("predict: Images y visible")
            if w.generate.code is None and w.values.output.count and \
                    w.values.output.cell_text(0) != "?":
                bad.append(f"predict: output cell {w.values.output.cell_text(0)}")
        g = w.generate
        if g.samples is not None:
            from aeviz.core.measures import generate as gen
            wait_until(lambda: not g.samples_throttled.pending, "samples")
            fresh = gen.decode_codes(net, lesson.data(), g.samples.codes)
            if not np.array_equal(fresh.outputs, g.samples.outputs):
                bad.append("samples outputs stale")
        if [len(l) for l in w.diagram.neurons] != list(net.sizes):
            bad.append("diagram neurons != sizes")
        # loss curve: last point, at the epoch shown
        lp = w.loss_plot
        if not (lesson.live and not c.running) and not lesson.training.noise.active \
                and lesson.epoch > 0:
            xs, ys = lp.curves["loss"].getData()
            if lp.log.isChecked() and ys is not None:
                ys = 10.0 ** np.asarray(ys)
            if w.classroom.hiding:           # the hidden loss: the curve ends before now
                if xs is not None and len(xs) and int(round(xs[-1])) >= lesson.epoch:
                    bad.append(f"loss curve shows the hidden loss at {xs[-1]}")
            elif xs is None or len(xs) == 0:
                bad.append("loss curve empty")
            elif int(round(xs[-1])) != lesson.epoch or not np.isclose(ys[-1], ev.loss, rtol=1e-6):
                bad.append(f"loss curve end ({xs[-1]}, {ys[-1]}) != ({lesson.epoch}, {ev.loss})")
        # code space dots
        cs = w.code_space
        if net.code_layer < net.depth and cs._count == len(lesson.data()):
            view = lesson.derived.get("code space")
            if len(cs._xy) != len(lesson.data()):
                bad.append(f"code space {len(cs._xy)} dots")
            elif not np.array_equal(cs._xy, view.xy):
                bad.append("code space dots != derived")
        if bad:
            for b in bad:
                log(f"  !! CHECK FAILED after {tag}: {b}")
            ERRORS.extend(f"{tag}: {b}" for b in bad)
        if was and rng.random() < 0.8:
            c.play()

    def act_play():
        if c.running:
            log("  pause"); c.pause()
        else:
            c.speed = 0 if rng.random() < 0.6 else 5
            log(f"  play speed {c.speed}"); c.play()

    def act_wait():
        ms = int(rng.integers(10, 300)); log(f"  wait {ms}"); QTest.qWait(ms)

    def act_feed():
        i = int(rng.integers(len(w.doc.lesson.data())))
        log(f"  feed {i}"); w.feed_pattern(i)

    def act_weight():
        net = w.doc.lesson.network
        b = int(rng.integers(len(net.blocks))); r, cc = net.blocks[b].shape
        r, cc = int(rng.integers(r)), int(rng.integers(cc))
        v = float(rng.normal())
        log(f"  weight {b} {r} {cc} = {v}"); w.doc.lesson.set_weight(b, r, cc, v)

    def act_setting():
        p = w.settings_panel
        name = str(rng.choice(sorted(p.fields)))
        text = str(rng.choice(["0.02", "0.5", "0", "1e-3", "abc", "3", "", "0.9"]))
        log(f"  type {text!r} into {name}"); type_and_enter(p.fields[name], text)

    def act_structure():
        net = w.doc.lesson.network
        k = str(rng.choice(["add_neuron", "remove_neuron", "add_layer", "remove_layer"]))
        layer = int(rng.integers(len(net.sizes)))
        log(f"  {k} {layer}")
        edit_structure(w, rng, k, layer)

    def act_dataset():
        from aeviz.core.files.datasets import BUILT_IN
        names = list(BUILT_IN)
        t = names[int(rng.integers(len(names)))]
        log(f"  dataset {t}"); w.datasets.use_dataset(BUILT_IN[t](), t, pictures=True)

    def act_undo():
        n = int(rng.integers(1, 5))
        moves = [str(rng.choice(["undo", "undo", "redo"])) for _ in range(n)]
        log(f"  {moves}")
        for m in moves:
            getattr(w.doc.lesson, m)()

    saved = []

    def act_file():
        r = rng.random()
        if r < 0.35 or not saved:
            p = folder / f"walk{seed}-{len(saved)}.aeviz"
            log(f"  save {p.name}"); w.files.save_to(p, wait=bool(rng.random() < 0.5)); saved.append(p)
        elif r < 0.6:
            p = saved[int(rng.integers(len(saved)))]
            log(f"  open {p.name}"); w.files.open_path(p)
        elif r < 0.75:
            log("  new"); w.files.new_file()
        elif r < 0.9:
            p = folder / f"walk{seed}-as{len(saved)}.aeviz"
            w.files.choose_save_path = lambda: str(p)
            log(f"  save as {p.name}"); w.registry["save_as"].trigger(); saved.append(p)
        else:
            log("  ctrl+s"); w.registry["save"].trigger()

    def act_phase():
        name = str(rng.choice(["phase", "phase", "step", "step_update"]))
        n = int(rng.integers(1, 7))
        log(f"  {name} x{n}")
        for _ in range(n):
            if w.registry[name].isEnabled():
                w.registry[name].trigger()
                app.processEvents()

    def act_presenter():
        log("  presenter"); w.classroom.toggle_presenter()

    def act_tab():
        i = int(rng.integers(w.data_tabs.count()))
        log(f"  tab {w.data_tabs.tabText(i)}"); w.data_tabs.setCurrentIndex(i)
        if rng.random() < 0.5:
            docks = w.findChildren(QDockWidget)
            d = docks[int(rng.integers(len(docks)))]
            log(f"  dock {d.objectName()}"); d.show(); d.raise_()

    def act_resize():
        s = [(1024, 768), (1400, 900), (1920, 1080), (1280, 800)][int(rng.integers(4))]
        log(f"  resize {s}"); w.showNormal(); w.resize(*s)

    def act_filter():
        f = w.patterns.label_filter
        if f.count() > 1:
            i = int(rng.integers(f.count()))
            log(f"  label filter {f.itemText(i)}"); f.setCurrentIndex(i)
            if w.patterns.model().rowCount():
                r = int(rng.integers(w.patterns.model().rowCount()))
                log(f"  click row {r}")
                idx = w.patterns.model().index(r, 0)
                w.patterns.clicked.emit(idx)

    def act_codespace():
        cs = w.code_space
        r = rng.random()
        if r < 0.4 and cs.pictures_button.isVisible():
            log("  pictures toggle"); cs.pictures_button.toggle()
        elif r < 0.7:
            log("  decode_here"); w.registry["decode_here"].trigger()
            if rng.random() < 0.5:
                log("  nudge"); w.generate.nudge(1, 0)
        elif r < 0.85:
            vp = cs.plot.viewport()
            pos = QPoint(int(rng.integers(10, max(11, vp.width() - 10))),
                         int(rng.integers(10, max(11, vp.height() - 10))))
            log(f"  click code space {pos.x()},{pos.y()}")
            QTest.mouseClick(vp, Qt.LeftButton, pos=pos)
        else:
            name = str(rng.choice(["sample", "walk", "variational"]))
            log(f"  generate {name}")
            if w.registry[name].isEnabled():
                w.registry[name].trigger()

    def act_generate_panel():
        log("  generate panel"); w.generate_dock.show()
        p = w.generate_panel
        from PySide6.QtWidgets import QSlider, QAbstractButton, QDoubleSpinBox
        kids = [k for k in p.findChildren(QSlider) + p.findChildren(QAbstractButton)
                + p.findChildren(QDoubleSpinBox) if k.isEnabled() and k.isVisible()]
        if kids:
            k = kids[int(rng.integers(len(kids)))]
            log(f"  generate widget {type(k).__name__} {k.accessibleName() or k.objectName()}")
            if isinstance(k, QSlider):
                k.setValue(int(rng.integers(k.minimum(), k.maximum() + 1)))
            elif isinstance(k, QDoubleSpinBox):
                k.setValue(float(rng.uniform(k.minimum(), min(k.maximum(), 5))))
            else:
                k.click()

    def act_lesson():
        n = lessons[int(rng.integers(len(lessons)))]
        log(f"  open lesson {n}"); w.files.open_preset(n)

    def act_study():
        from aeviz.gui.panels.study_dialog import StudyDialog
        log("  study dialog")
        d = StudyDialog(w.doc.lesson.model.copy(), w)
        d.show()
        d.start()
        QTest.qWait(int(rng.integers(20, 200)))
        d.reject()
        d.deleteLater()

    def act_rewind():
        t = w.training
        if t.timeline.isEnabled():
            v = int(rng.integers(t.timeline.maximum() + 1))
            log(f"  timeline {v}"); t.timeline.setValue(v)
            if rng.random() < 0.5:
                log("  continue"); c.continue_from(t.timeline_epoch())

    def act_predict():
        name = str(rng.choice(["predict", "reveal"]))
        log(f"  {name}")
        if w.registry[name].isEnabled():
            w.registry[name].trigger()

    def act_speed():
        v = int(rng.choice([0, 1, 5, 30, 1000]))
        log(f"  speed {v}"); w.training_ui.set_speed(v)

    def act_key():
        k = str(rng.choice(["M", "G", "Space", "Right", "N", "1", "5", "Escape", "R"]))
        mod = Qt.AltModifier if rng.random() < 0.2 else Qt.NoModifier
        if mod == Qt.AltModifier:
            k = str(rng.choice(["Left", "Right", "Up", "Down"]))
        log(f"  key {'Alt+' if mod == Qt.AltModifier else ''}{k}")
        target = QApplication.focusWidget() or w.diagram
        QTest.keyClick(target, getattr(Qt, f"Key_{k}"), mod)

    def act_dot():
        cs = w.code_space
        if cs.many and len(cs._xy) and not cs.pictures_button.isChecked() and not cs.hidden:
            p = int(rng.integers(len(cs._xy)))
            vb = cs.plot.getPlotItem().vb
            scene = vb.mapViewToScene(QPointF(*cs._xy[p]))
            pos = cs.plot.mapFromScene(scene)
            log(f"  click dot {p}")
            before = w.doc.lesson.pattern_index()
            QTest.mouseClick(cs.plot.viewport(), Qt.LeftButton, pos=pos)
            got = w.doc.lesson.pattern_index()
            if got is None or not np.allclose(cs._xy[got], cs._xy[p], atol=1e-9) and \
                    np.hypot(*(cs._xy[got] - cs._xy[p]) / np.array(vb.viewPixelSize())) > 4:
                ERRORS.append(f"dot {p} click fed {got}")
                log(f"  !! dot {p} click fed {got} (before {before})")

    def act_menu():
        from pyqtgraph import GraphicsScene
        acts = [a for a in w.findChildren(QAction)
                if a.isEnabled() and a.text() and not a.menu()
                and a.objectName() not in ("quit",) and "quit" not in a.text().lower()
                and not isinstance(a.parent(), GraphicsScene)]
        a = acts[int(rng.integers(len(acts)))]
        log(f"  menu {a.objectName() or a.text()!r}")
        a.trigger()

    def act_guide():
        go = str(rng.choice(["next", "next", "back", "restart"]))
        log(f"  guide {go}"); getattr(w.guide, go)()

    def act_weights_tab():
        w.data_tabs.setCurrentIndex(1)
        panel = w.weights
        net = w.doc.lesson.network
        k = int(rng.integers(net.depth))
        log(f"  weights tab block {k}")
        panel.tabs.setCurrentIndex(k)
        m = panel.model
        if m.rowCount() and m.columnCount():
            r, cc = int(rng.integers(m.rowCount())), int(rng.integers(m.columnCount()))
            if rng.random() < 0.6:
                v = str(rng.choice(["0.5", "-2", "abc", "1e400", "", "0"]))
                log(f"  type {v!r} into weight cell ({r}, {cc})")
                m.setData(m.index(r, cc), v)
            else:
                from PySide6.QtCore import QItemSelectionModel
                panel.table.selectionModel().select(m.index(r, cc), QItemSelectionModel.ClearAndSelect)
                b = [x for x in panel.button_bar.findChildren(__import__("PySide6.QtWidgets", fromlist=["QPushButton"]).QPushButton)]
                btn = b[int(rng.integers(len(b)))]
                log(f"  weight button {btn.text()} on ({r}, {cc})"); btn.click()

    def act_misc():
        r = rng.random()
        if r < 0.3:
            log("  log scale"); w.loss_plot.log.toggle()
        elif r < 0.6:
            z = str(rng.choice(["zoom_in", "zoom_out"]))
            log(f"  {z}"); w.registry[z].trigger()
        else:
            log("  lesson text"); w.registry["lesson_text"].trigger()

    actions = dict(menu=(act_menu, 1.5), guide=(act_guide, 0.8), wtab=(act_weights_tab, 1),
                   misc=(act_misc, 0.6), predict=(act_predict, 0.7), speed=(act_speed, 0.7), key=(act_key, 1.5),
                   dot=(act_dot, 1), play=(act_play, 3), wait=(act_wait, 3), feed=(act_feed, 2),
                   weight=(act_weight, 1.5), setting=(act_setting, 1.5),
                   structure=(act_structure, 1.5), dataset=(act_dataset, 0.5),
                   undo=(act_undo, 2.5), file=(act_file, 1), phase=(act_phase, 1.5),
                   presenter=(act_presenter, 0.7), tab=(act_tab, 2), resize=(act_resize, 1),
                   filter=(act_filter, 1), codespace=(act_codespace, 1.5),
                   gen=(act_generate_panel, 1), lesson=(act_lesson, 0.3),
                   study=(act_study, 0.3), rewind=(act_rewind, 0.7))
    only = os.environ.get("WALK_ONLY")
    if only:
        actions = {k: v for k, v in actions.items() if k in only.split(",") or k in ("play", "wait")}
    names = list(actions)
    p = np.array([actions[n][1] for n in names]); p = p / p.sum()
    frames = [0]

    def frame():
        if w.doc.values_pending:
            return
        frames[0] += 1
        lesson = w.doc.lesson
        ev = evaluate(lesson.network, lesson.training, lesson.data())
        sh = lesson.evaluation()
        if not (np.allclose(sh.errors, ev.errors, rtol=1e-12, atol=1e-12)
                and np.isclose(sh.loss, ev.loss, rtol=1e-12, atol=1e-15)):
            ERRORS.append(f"stale frame at epoch {lesson.epoch}")
            log(f"  !! STALE FRAME epoch {lesson.epoch}: {sh.loss} vs {ev.loss}")
    w.doc.values_changed.connect(frame)
    c.speed = 0
    c.play()
    for step in range(steps):
        n = names[int(rng.choice(len(names), p=p))]
        log(f"step {step}: {n}")
        actions[n][0]()
        app.processEvents()
        if rng.random() < 0.35:
            check(f"step {step} {n}")
    check("end")
    # undo everything
    w.phases.cancel()
    c.pause()
    settle()
    L = w.doc.lesson
    L.end_live()
    settle()
    before = (L.network.sizes, L.network.params.copy(), L.epoch, L.training, len(L.history),
              L.model.dataset.matrix().copy() if hasattr(L.model.dataset, "matrix") else None)
    k = 0
    while L.undo_stack.can_undo() and k < 2000:
        L.undo(); k += 1
    settle()
    check("undo all")
    j = 0
    while L.undo_stack.can_redo() and j < k:
        L.redo(); j += 1
    settle()
    check("redo all")
    after = (L.network.sizes, L.network.params.copy(), L.epoch, L.training, len(L.history),
             L.model.dataset.matrix().copy() if hasattr(L.model.dataset, "matrix") else None)
    if not (before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:5] == after[2:5]
            and (before[5] is None or np.array_equal(before[5], after[5]))):
        ERRORS.append(f"redo all != before undo all: {before[0]} {after[0]} {before[2:5]} {after[2:5]}")
        log(f"  !! redo all != before undo all ({k} undos, {j} redos): {before[2]} {after[2]} {before[4]} {after[4]}")
    log(f"done, {len(ERRORS)} errors")
    c.shutdown()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return 4 if ERRORS else 0


if __name__ == "__main__":
    code = main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    log("walk finished")
    sys.stdout.flush()
    os._exit(code)
