"""Run in a child process by test_line_render.py: the diagram's lines are being
drawn aside (in the child process, or on the renderer's thread) when Python
exits.  ``python -X faulthandler exit_while_drawing.py process|thread SECONDS``
queues a long drawing, waits SECONDS and exits: the exit code must be 0 (a
daemon thread caught inside a Qt call when Python finalizes aborts the process)."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(mode: str, seconds: float) -> None:
    import numpy as np
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QApplication

    from aeviz.gui.runtime import line_render
    app = QApplication([])              # noqa: F841 - the renderer's relay needs one
    line_render.set_in_process(mode == "process")
    lines = np.random.default_rng(0).uniform(0, 800, (60_000, 4))      # ~0.5-1 s to draw
    renderer = line_render.LineRenderer(lambda image, key: None)
    renderer.render([(QPen(QColor(200, 0, 0), 2.0), lines)],
                    ((1, 0, 0, 0, 1, 0, 0, 0, 1), (800, 800), 1.0), 1)
    time.sleep(seconds)                 # the drawing is under way
    print("exiting", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
    sys.exit(0)
