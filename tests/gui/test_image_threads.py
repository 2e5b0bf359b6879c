"""Qt draws big images on the GUI thread itself, not split between pool threads
it then waits for (while the digits train, those threads wait for a core that
training holds: longer event-loop gaps)."""

from __future__ import annotations

import os
import sys

import aeviz  # noqa: F401 - what sets the default


def _threads() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/task"))


def test_big_image_draws_start_no_pool_threads(qapp):
    if not sys.platform.startswith("linux"):
        import pytest
        pytest.skip("counts the process's threads in /proc")
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QImage, QPainter
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"
    before = _threads()
    source = QImage(2000, 2000, QImage.Format_ARGB32_Premultiplied)
    source.fill(Qt.transparent)
    target = QImage(2000, 2000, QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(target)     # a smooth scale of this size is split when a pool exists
    painter.drawImage(QPointF(0, 0), source.scaled(1900, 1900, Qt.IgnoreAspectRatio,
                                                   Qt.SmoothTransformation))
    painter.end()
    assert _threads() == before
