"""aeviz.core never imports Qt or pyqtgraph (napari's rule, enforced)."""

import subprocess
import sys
from pathlib import Path

import aeviz.core

BLOCKER = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('aeviz.core must not import ' + name)
sys.meta_path.insert(0, Block())
import pkgutil, importlib, aeviz.core, aeviz.cli
for m in pkgutil.walk_packages(aeviz.core.__path__, 'aeviz.core.'):
    importlib.import_module(m.name)
from aeviz.core.files.presets import load_preset
from aeviz.core import Trainer
m = load_preset('train-5-2-5')
Trainer(m.network, m.training, m.data()).run(10)
print('ok', sorted(k for k in sys.modules if k.startswith('aeviz.core.')))
"""


def test_core_and_cli_import_and_train_with_qt_blocked():
    root = Path(aeviz.core.__file__).parents[2]
    out = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True,
                         cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok") and "aeviz.core.engine.trainer" in out.stdout
