"""Shared test set-up: Qt runs offscreen; nothing here imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def main_py():
    """main.py loaded as a module (its set-up decisions tested with calls replaced)."""
    spec = importlib.util.spec_from_file_location("aeviz_main_py", ROOT / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def child_env():
    """``child_env(data_dir, autosave_seconds)``: the environment of a child aeviz
    process: offscreen, this checkout's aeviz, its data and settings in ``data_dir``."""
    import os

    def make(data_dir: Path, autosave_seconds: float = 0.3) -> dict:
        return dict(os.environ, QT_QPA_PLATFORM="offscreen", AEVIZ_DATA_DIR=str(data_dir),
                    AEVIZ_AUTOSAVE_SECONDS=str(autosave_seconds), PYTHONPATH=str(ROOT),
                    XDG_CONFIG_HOME=str(data_dir / "config"))     # not the user's settings
    return make
