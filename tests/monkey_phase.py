"""A seeded monkey aimed at the step-through (Next phase, N) of a big network,
whose trace, update and values are computed off the GUI thread:

    python -X faulthandler tests/monkey_phase.py SHAPE SEED STEPS

SHAPE: layer sizes such as 256-256-256 (a one-hot set of that many patterns, as
aeviz/bench_app.py builds it), or a built-in lesson (digits-8x8 is big too).  Actions: N once or pressed quickly many times,
a weight edit, a settings field, undo/redo, another lesson (a built-in one or a
big network again), resize, presenter mode, Play/Pause, Step epoch/update,
tabs, short waits; each lands while a phase may still be computing.  Often the
walk lets everything settle and checks that the window agrees with the lesson:
no phase left waiting, the overlay and the explanation of the phase shown (or
none), the weights those of the phase, the Values panel's loss and epoch the
lesson's.  Exit 0: all checks held; 3: an exception in a Qt slot; 4: a check
failed; 5: the event loop did not settle within 20 s (a hang)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from monkey_walk import exit_on_slot_exception, log, open_walk_window, type_and_enter  # noqa: E402

SIZES = ((1024, 768), (1280, 800), (1400, 900), (1920, 1080), (1366, 768))
PRESETS = ("train-5-2-5", "digits-8x8", "64-16-64")


def model_of(shape):
    import numpy as np
    if isinstance(shape, str):                   # a built-in lesson
        from aeviz.core.files.presets import load_preset
        return load_preset(shape)

    from aeviz.core.engine.network import Network
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.model import Model
    net = Network.create(list(shape), ["tanh"] * (len(shape) - 2) + ["sigmoid"],
                         rng=np.random.default_rng(0))
    return Model(net, dataset=Dataset.one_hot(shape[0]))


def walk(shape, seed: int, steps: int) -> int:
    import numpy as np
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtTest import QTest

    from aeviz.core.files.presets import preset_paths
    from aeviz.core.measures.phases import PHASES, TITLES
    from aeviz.gui.drawing.diagram_items import fmt

    app, rng, w = open_walk_window(model_of(shape), seed)
    w.resize(1280, 800)
    w.show()
    app.processEvents()
    presets = [p for p in PRESETS if p in preset_paths()]
    errors: list[str] = []
    walker = w.phases

    def settled() -> bool:
        return not (w.doc.values_pending or w.doc.background.busy
                    or w.controller.steps.busy)

    def settle() -> bool:
        start = time.monotonic()
        while not settled():
            app.processEvents()
            if time.monotonic() - start > 20:
                return False
        for _ in range(5):
            app.processEvents()
        return settled()

    def check(where: str) -> None:
        if w.controller.running:
            w.controller.pause()
        if not settle():
            log(f"HANG: not settled within 20 s ({where}): pending={w.doc.values_pending} "
                f"background={w.doc.background.busy} steps={w.controller.steps.busy}")
            sys.stdout.flush()
            os._exit(5)
        lesson = w.doc.lesson
        title, text = w.training_ui.phase
        found = []
        if walker._awaiting is not None:
            found.append(f"a phase still awaits values: {walker._awaiting[1]}")
        if walker.active:
            name = PHASES[walker.phase]
            if title != TITLES[name]:
                found.append(f"phase {name} but the title shown is {title!r}")
            if w.diagram.overlay is None:
                found.append(f"phase {name} but no overlay")
            t = walker.trace
            params = lesson.network.params
            want = t.params_after if name == "update" else t.params_before
            if params.shape != want.shape or not np.array_equal(params, want):
                found.append(f"phase {name}: the network's weights are not the phase's")
            want_edges = {"backprop": "∂J/∂w", "update": "Δw"}.get(name, "w")
            ov = w.diagram.overlay
            if ov is not None and ov.edge_name != want_edges:
                found.append(f"phase {name} but the overlay draws {ov.edge_name}")
            row = walker._row()
            fed = lesson.pattern_index()
            if (name != "update" and fed is not None and int(t.patterns[row]) == fed
                    and np.array_equal(t.inputs[row], t.targets[row])
                    and not lesson.network.variational):    # (a VAE's step samples z)
                y = lesson.forward()[1][-1][0]
                if not np.allclose(y, t.acts[-1][row], atol=1e-9):
                    found.append(f"phase {name}: the Values panel's output is not the trace's")
                drawn = ov.neurons[-1] if ov is not None else None
                if name in ("decode", "error") and drawn is not None \
                        and not np.allclose(drawn, y, atol=1e-9):
                    found.append(f"phase {name}: the diagram's output is not the fed pattern's")
        else:
            if title or text:
                found.append(f"no walk but the explanation shows {title!r}")
            if w.diagram.overlay is not None and w.generate.code is None:
                found.append("no walk (nor a code decoded) but an overlay is drawn")
        if not w.values.hidden:
            ev = lesson.evaluation()
            if not w.values.loss.text().startswith(fmt(ev.loss)):
                found.append(f"Values loss {w.values.loss.text()!r} != {fmt(ev.loss)!r}")
            if w.values.epoch.text() != str(lesson.epoch):
                found.append(f"Values epoch {w.values.epoch.text()!r} != {lesson.epoch}")
        for f in found:
            log(f"CHECK FAILED ({where}): {f}")
        errors.extend(found)

    def phase() -> None:
        count = int(rng.choice([1, 1, 1, 2, 3, 6]))
        pause = bool(rng.random() < 0.5)
        log(f"  N x{count} (events between: {pause})")
        for _ in range(count):
            QTest.keyClick(w.diagram, Qt.Key_N) if rng.random() < 0.5 else \
                w.registry["phase"].trigger()
            if pause:
                app.processEvents()

    def phase_pending() -> None:
        """N until the update phase is pressed; then act while its values compute."""
        log("  N up to the update, then act at once")
        for _ in range(8):
            if walker.active and PHASES[walker.phase] == "update":
                break
            while w.controller.steps.busy:
                app.processEvents()
            walker.next()
        other = actions_list[int(rng.integers(len(actions_list)))]
        log(f"  (pending={w.doc.values_pending}) then {other.__name__}")
        other()

    def set_weight() -> None:
        net = w.doc.lesson.network
        block = int(rng.integers(len(net.blocks)))
        rows, cols = net.blocks[block].shape
        row, col = int(rng.integers(rows)), int(rng.integers(cols))
        value = float(rng.normal())
        log(f"  set weight block {block} ({row}, {col}) = {value:.3f}")
        w.doc.lesson.set_weight(block, row, col, value)

    def setting() -> None:
        panel = w.settings_panel
        name = str(rng.choice(sorted(panel.fields)))
        field = panel.fields[name]
        text = str(rng.choice(["0.02", "0.5", "1e-3", "7", "abc", "0.9", "1"]))
        log(f"  type {text!r} into {name}, Enter")
        type_and_enter(field, text)

    def undo_redo() -> None:
        go = str(rng.choice(["undo", "undo", "redo"]))
        log(f"  {go}")
        w.registry[go].trigger()

    def lesson() -> None:
        roll = rng.random()
        if roll < 0.5 or not presets:
            log(f"  open a big network {shape}")
            w.doc.lesson.replace(model_of(shape), None)
        else:
            name = presets[int(rng.integers(len(presets)))]
            log(f"  open lesson {name}")
            w.files.open_preset(name)

    def resize() -> None:
        width, height = SIZES[int(rng.integers(len(SIZES)))]
        log(f"  resize {width}x{height}")
        w.resize(width, height)

    def presenter() -> None:
        log("  presenter toggle")
        w.classroom.toggle_presenter()

    def play() -> None:
        log("  play/pause")
        w.registry["play"].trigger()

    def step() -> None:
        name = str(rng.choice(["step", "step_update"]))
        log(f"  {name}")
        if w.registry[name].isEnabled():
            w.registry[name].trigger()

    def tab() -> None:
        index = int(rng.integers(w.data_tabs.count()))
        log(f"  data tab {w.data_tabs.tabText(index)!r}")
        w.data_tabs.setCurrentIndex(index)

    def menu() -> None:
        name = str(rng.choice(["guide_back", "guide_next", "reset", "new_seed", "predict",
                               "reveal", "add_neuron", "remove_neuron", "add_layer",
                               "remove_layer", "decode_here", "sample", "walk", "explain",
                               "guide_restart"]))
        act = w.registry[name]
        log(f"  action {name} (enabled {act.isEnabled()})")
        if act.isEnabled():
            act.trigger()

    def timeline() -> None:
        panel = w.training
        slider = panel.timeline
        v = int(rng.integers(slider.maximum() + 1))
        go_on = bool(rng.random() < 0.5)
        log(f"  timeline to {v}/{slider.maximum()} (continue from here: {go_on})")
        slider.setValue(v)
        app.processEvents()
        if go_on and panel.continue_button.isEnabled():
            panel.continue_button.click()

    def feed() -> None:
        index = int(rng.integers(len(w.doc.lesson.data())))
        log(f"  feed pattern {index}")
        w.doc.lesson.feed_pattern(index)

    def wait() -> None:
        ms = int(rng.integers(10, 400))
        log(f"  wait {ms} ms")
        QTest.qWait(ms)

    actions_list = [set_weight, setting, undo_redo, lesson, resize, presenter, play, step,
                    tab, wait, phase, menu, timeline, feed]
    weights = dict(phase=8, phase_pending=4, set_weight=1, setting=1, undo_redo=1.5,
                   lesson=0.4, resize=1, presenter=0.7, play=1, step=1, tab=1, wait=3,
                   menu=1.5, timeline=1, feed=1.5, check=3)
    table = dict((f.__name__, f) for f in actions_list + [phase_pending])
    table["check"] = lambda: check("check")
    names = list(weights)
    p = np.array([weights[n] for n in names], float)
    for i in range(steps):
        name = names[int(rng.choice(len(names), p=p / p.sum()))]
        log(f"step {i}: {name}")
        table[name]()
        app.processEvents()
        w.grab()
    check("end")
    log("done: closing")
    w.controller.shutdown()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return 4 if errors else 0


def main(argv: list[str]) -> int:
    shape = (tuple(int(n) for n in argv[0].split("-")) if argv[0][0].isdigit()
             else argv[0])
    seed, steps = int(argv[1]), int(argv[2])
    log(f"monkey phase: {shape}, seed {seed}, {steps} steps")

    exit_on_slot_exception()
    code = walk(shape, seed, steps)
    log(f"walk finished: {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
