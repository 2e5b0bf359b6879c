"""The monkey: for every built-in lesson, a seeded random walk of user-level
actions (tests/monkey_walk.py) in its own process, so that a segfault fails the
test and prints the seed and the actions that led to it instead of killing the
run.  The normal suite walks one fixed seed a lesson; a soak walks more:

    AEVIZ_MONKEY_SEEDS=20 AEVIZ_MONKEY_STEPS=300 python3 main.py test tests/gui/test_monkey.py
    AEVIZ_MONKEY_SEEDS=6,7 AEVIZ_MONKEY_STEPS=120 ...     (a list of seeds)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aeviz.core.files.presets import preset_paths

WALK = Path(__file__).resolve().parents[1] / "monkey_walk.py"
ROOT = WALK.parents[1]

def seeds(text: str) -> list[int]:
    """AEVIZ_MONKEY_SEEDS: a count ("5": seeds 1..5) or a list ("6,7,40")."""
    if "," in text:
        return [int(s) for s in text.split(",") if s.strip()]
    return list(range(1, 1 + int(text)))


SEEDS = seeds(os.environ.get("AEVIZ_MONKEY_SEEDS", "1"))
STEPS = int(os.environ.get("AEVIZ_MONKEY_STEPS", "30"))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("lesson", sorted(preset_paths()))
def test_monkey_walk(lesson, seed, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               AEVIZ_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    run = subprocess.run([sys.executable, "-X", "faulthandler", str(WALK), lesson, str(seed),
                          str(STEPS)], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=580)
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-60:])
    assert run.returncode == 0, (
        f"monkey walk of {lesson!r}, seed {seed}, {STEPS} steps, exit {run.returncode}; "
        f"replay: python -X faulthandler tests/monkey_walk.py {lesson} {seed} {STEPS}\n{tail}")
    assert "walk finished" in run.stdout
