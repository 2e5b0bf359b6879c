"""A dataset of one pattern with a code of 3+ units (#12 item 10): the code-space
plane (principal components of one point) must not crash the window or
``aeviz screenshot``; the pattern editor can make such a dataset."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from aeviz.core.measures import codespace
from aeviz.core.files import fileformat as ff
from aeviz.core.files.presets import load_preset

from .test_pattern_editor import open_editor

ROOT = Path(__file__).resolve().parents[2]


def test_the_plane_of_one_code_has_two_orthonormal_axes():
    net = load_preset("encoder-8-3-8").network
    plane = codespace.plane_for(net, np.array([[0.2, -0.4, 0.9]]))
    assert plane.axes.shape == (2, 3)
    np.testing.assert_allclose(plane.axes @ plane.axes.T, np.eye(2), atol=1e-12)
    assert codespace.decoder_map(net, plane, resolution=8).shape == (8, 8)


def test_editing_down_to_one_pattern_keeps_the_window_working(qtbot):
    w, e = open_editor(qtbot, load_preset("encoder-8-3-8"))
    while e.list.count() > 1:
        e.remove()
    e.apply()
    assert len(w.doc.lesson.data()) == 1 and w.doc.lesson.network.code_size == 3
    w.code_space.throttled.flush()
    xs, ys = w.code_space.points.getData()
    assert len(xs) == 1 and np.isfinite(xs).all() and np.isfinite(ys).all()
    w.controller.step_epoch()
    assert w.doc.lesson.epoch == 1


def test_screenshot_of_a_one_pattern_lesson(tmp_path):
    data = ff.to_dict(load_preset("encoder-8-3-8"))
    data["dataset"] = {"kind": "patterns", "rows": [[1, 0, 0, 0, 0, 0, 0, 0]]}
    lesson = tmp_path / "one.aeviz"
    lesson.write_text(json.dumps(data))
    out = subprocess.run([sys.executable, "-m", "aeviz", "screenshot", str(tmp_path / "s.png"),
                          str(lesson)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "s.png").stat().st_size > 0