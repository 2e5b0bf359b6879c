"""Shared test set-up: Qt runs offscreen; nothing here imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
