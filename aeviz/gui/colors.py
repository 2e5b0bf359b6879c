"""The one colour scale of the app: diverging blue (negative) - white (0) -
orange (positive), safe for the common colour-vision deficiencies.  Neurons
(activations) and connections (weights) use the same scale."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

NEGATIVE = np.array([33, 102, 172], float)    # blue  #2166ac
ZERO = np.array([247, 247, 247], float)       # near-white
POSITIVE = np.array([230, 97, 1], float)      # orange #e66101
INK = QColor(30, 30, 30)
PAPER = QColor(255, 255, 255)
ACCENT = QColor(120, 40, 160)                 # selection: purple, distinct from both ends
MUTED = QColor(110, 110, 110)


def rgb(values: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """(n, 3) RGB in 0..255 for values, saturating at |value| = scale."""
    t = np.clip(np.asarray(values, float) / max(scale, 1e-12), -1.0, 1.0)[..., None]
    end = np.where(t >= 0, POSITIVE, NEGATIVE)
    return ZERO + (end - ZERO) * np.abs(t)


def color(value: float, scale: float = 1.0) -> QColor:
    """The scale's colour for one value (plain arithmetic: called per neuron and cell)."""
    t = max(-1.0, min(1.0, value / max(scale, 1e-12))) if value == value else 0.0
    end = POSITIVE if t >= 0 else NEGATIVE
    a = abs(t)
    return QColor(int(ZERO[0] + (end[0] - ZERO[0]) * a), int(ZERO[1] + (end[1] - ZERO[1]) * a),
                  int(ZERO[2] + (end[2] - ZERO[2]) * a))


def text_color_for(value: float, scale: float = 1.0) -> QColor:
    """Dark text on pale fills, white on saturated ones."""
    return QColor(PAPER if abs(value) / max(scale, 1e-12) > 0.55 else INK)   # a copy
