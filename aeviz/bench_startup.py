"""Benchmarks of the app as a process: start-up (``aeviz screenshot`` against a
minimal PySide6 + pyqtgraph window, each a fresh process) and the memory of a
long run with history and rewind snapshots.  ``bench_app.run_all`` prints them
after the in-window rows."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


MINIMAL_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(pg.PlotWidget()); w.resize(1280, 800); w.show()
app.processEvents(); w.grab().save(sys.argv[1], "PNG")
"""


def _compile_bytecode() -> None:
    """Bytecode for aeviz and for what both sides import (NumPy, PySide6,
    pyqtgraph), as an installed app has it: pip compiles on install, but a venv
    used with PYTHONDONTWRITEBYTECODE (as here) may have none, and then each
    start compiles hundreds of modules (aeviz ~60, pyqtgraph ~200) and measures
    the compiler, not the app.  Up-to-date files are skipped."""
    import compileall
    import importlib.util
    compileall.compile_dir(str(ROOT / "aeviz"), quiet=1)
    for name in ("numpy", "PySide6", "shiboken6", "pyqtgraph"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=2)


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one child process run to
    its end; CPU time is what load from other processes inflates least."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def startup(repeats: int = 7) -> dict:
    """Seconds for `aeviz screenshot` of the default lesson vs a minimal PySide6 +
    pyqtgraph window doing the same, each a fresh process (best of ``repeats``,
    the two alternating so that both see the same machine load), in wall time
    and in CPU time (user + system of the child; the ratio of record is CPU's,
    as wall time on a shared machine also counts other processes' turns).

    Both sides run from bytecode (``_compile_bytecode``), as installed."""
    _compile_bytecode()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = str(Path(os.environ.get("TMPDIR", "/tmp")) / "aeviz-bench.png")
    commands = {"aeviz": [sys.executable, "-m", "aeviz", "screenshot", out],
                "minimal": [sys.executable, "-c", MINIMAL_WINDOW, out]}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, cmd in commands.items():
            w, c = _timed(cmd, env)
            wall[name].append(w)
            cpu[name].append(c)
    app, minimal = min(wall["aeviz"]), min(wall["minimal"])
    app_cpu, minimal_cpu = min(cpu["aeviz"]), min(cpu["minimal"])
    return {"aeviz_s": app, "minimal_s": minimal, "wall_ratio": app / minimal,
            "aeviz_cpu_s": app_cpu, "minimal_cpu_s": minimal_cpu,
            "ratio": app_cpu / minimal_cpu}


MEMORY_RUN = """
import resource, sys
from aeviz.core.files.presets import load_preset
from aeviz.core.lessons.session import TrainingSession
m = load_preset("train-5-2-5")
s = TrainingSession(m.network, m.training, m.data())
for _ in range(1000):
    s.advance(1000, 50)                   # at full speed the window records every 50th
try:      # the peak of this process's own memory (ru_maxrss can carry the parent's over exec)
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak / 1024, len(s.history), len(s.snapshots))
"""


def memory() -> dict:
    """Peak resident MB after 10^6 epochs with history and rewind snapshots on."""
    out = subprocess.run([sys.executable, "-c", MEMORY_RUN], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    return {"peak_mb": float(out[0]), "history_rows": int(out[1]), "snapshots": int(out[2])}
