"""What the window's first picture does not need is not imported while it opens
(a fresh process, a first run, the default lesson): the panels behind another
tab, the dialogs, the writer's thread pool, csv, OpenSSL's hashes.
Each is imported when first used (tests elsewhere use them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from aeviz.gui.app import application
from aeviz.gui.window.main_window import MainWindow
app = application()
w = MainWindow()
w.remember = False
w.show()
for _ in range(20):
    app.processEvents()
print(" ".join(sorted(sys.modules)))
w.doc.lesson.mark_clean()
w.close()
"""

NOT_AT_START = ("aeviz.gui.panels.training_panel", "aeviz.gui.panels.settings_panel",
                "aeviz.gui.panels.explain_panel", "aeviz.gui.panels.weights_panel",
                "aeviz.gui.panels.generate_panel", "aeviz.gui.panels.output_bars",
                "aeviz.gui.panels.codes_view", "aeviz.gui.panels.noise_view",
                "aeviz.gui.panels.images_view",
                "aeviz.gui.panels.neuron_dialog", "aeviz.gui.panels.study_dialog",
                "concurrent.futures", "csv", "hashlib")


def test_the_first_window_imports_only_what_it_shows(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               AEVIZ_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               HOME=str(tmp_path))                        # no settings: a first run
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert "aeviz.gui.window.main_window" in loaded and "pyqtgraph" in loaded
    assert sorted(set(NOT_AT_START) & loaded) == []


def test_every_module_kept_from_the_start_exists():
    """A renamed or split module must be renamed here too, or the check above
    passes without checking anything (lesson_views was split and stayed here)."""
    import importlib.util
    assert [m for m in NOT_AT_START if importlib.util.find_spec(m) is None] == []


def test_an_unchanged_lesson_never_starts_the_writer_and_a_copy_still_goes(qtbot):
    """The autosaver removes its copy only when one was asked for: an unchanged
    lesson's minute ticks and its window's close start no writer thread; a copy
    that was written is removed at a clean close, as before."""
    from .conftest import open_lesson
    w = open_lesson(qtbot, "article-example")
    saver = w.autosaver
    assert not saver.save_now()                      # nothing to lose: nothing asked
    assert w.writer._pool is None and not w.writer.busy
    w.doc.lesson.set_weight(0, 0, 0, 0.5)
    assert saver.save_now()
    qtbot.waitUntil(lambda: not w.writer.busy)
    assert saver.path.exists() and saver.meta.exists()
    saver.close()                                    # a clean exit
    assert not saver.path.exists() and not saver.meta.exists()
