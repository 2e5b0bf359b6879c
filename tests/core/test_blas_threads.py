"""aeviz asks for one BLAS thread unless the user chose a number (the GUI thread and
the training thread already share the cores; spinning BLAS threads stall both)."""

from __future__ import annotations

import os
import subprocess
import sys

READ = "import aeviz, os; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"


def _run(env_extra: dict) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", READ], env=env, check=True,
                          capture_output=True, text=True).stdout.split()


def test_one_blas_thread_by_default():
    assert _run({}) == ["1", "1"]


def test_the_users_choice_is_kept():
    assert _run({"OPENBLAS_NUM_THREADS": "2"}) == ["2", "1"]
