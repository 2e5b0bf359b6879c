"""The training worker and the GUI thread take turns with the GIL (#25): a worker
that sends a snapshot does not train again until the GUI thread has drawn it and
gone back to sleep, so a frame never shares the GIL with a training chunk."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from aeviz.core.files.presets import load_preset
from aeviz.gui.runtime.training import Pacing, TrainingWorker
from aeviz.core.lessons.session import TrainingSession


def test_a_sent_snapshot_marks_the_gui_busy_until_it_sleeps(qtbot):
    m = load_preset("train-5-2-5")
    session = TrainingSession(m.network, m.training, m.data())
    pacing = Pacing()
    pacing.speed = 0
    worker = TrainingWorker(session, 1, pacing)
    seen = []

    def on_snapshot(snap):             # in the worker's thread (direct connection)
        seen.append((snap.epoch, pacing.gui_idle.is_set()))
        worker.request_stop()

    worker.snapshot_ready.connect(on_snapshot, Qt.DirectConnection)
    pacing.gui_idle.set()
    thread = threading.Thread(target=worker._loop)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert seen and seen[0][1] is False          # busy from the moment it was sent
    epoch = session.epoch
    assert epoch == seen[0][0]                   # and nothing trained after it
