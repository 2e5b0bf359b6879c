"""The one colour scale of the app: diverging blue (negative) - white (0) -
orange (positive), safe for the common colour-vision deficiencies.  Neurons
(activations) and connections (weights) use the same scale."""

from __future__ import annotations

import functools

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


ROUND_ENDS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)    # × 10^k


def scale_for(values: np.ndarray) -> float:
    """The end s of a colour scale −s … +s that no value of ``values`` saturates:
    1 when every |value| ≤ 1 (the app's one scale, as for tanh and sigmoid codes),
    else the next round number ≥ max |value| (1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15 …;
    a linear code reaching 3.5 gets ±4)."""
    v = np.asarray(values, float)
    top = float(np.max(np.abs(v[np.isfinite(v)]))) if np.isfinite(v).any() else 0.0
    if top <= 1.0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(top))
    return next(end * power for end in ROUND_ENDS + (10.0,) if end * power >= top - 1e-12)


def rgb_of(value: float, scale: float = 1.0) -> tuple[int, int, int]:
    """The scale's colour for one value as (r, g, b), 0-255 (plain arithmetic: called
    per neuron and cell; no QColor made; :func:`rgb` colours an array)."""
    t = max(-1.0, min(1.0, value / max(scale, 1e-12))) if value == value else 0.0
    end = POSITIVE if t >= 0 else NEGATIVE
    a = abs(t)
    return (int(ZERO[0] + (end[0] - ZERO[0]) * a), int(ZERO[1] + (end[1] - ZERO[1]) * a),
            int(ZERO[2] + (end[2] - ZERO[2]) * a))


def color(value: float, scale: float = 1.0) -> QColor:
    """The scale's colour for one value (:func:`rgb_of` as a QColor)."""
    return QColor(*rgb_of(value, scale))


BLACK = QColor(0, 0, 0)
AA = 4.5                                      # WCAG AA contrast for normal text


def relative_luminance(c: QColor) -> float:
    """WCAG 2 relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of the
    linearised sRGB channels (c/255 ≤ 0.04045: c/12.92, else ((c+0.055)/1.055)^2.4)."""
    def lin(v: int) -> float:
        v = v / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (L_light + 0.05) / (L_dark + 0.05), 1 … 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_on(fill: QColor) -> QColor:
    """The text colour for a fill, by the fill's luminance: the app's ink where it
    reaches 4.5 : 1, else pure black, or white where white contrasts more.  The
    better of black and white is always ≥ 4.58 : 1 (they cross at L ≈ 0.18).
    Remembered per fill and theme (~40 µs to work out; a training frame of the
    digits recolours ~60 neurons)."""
    return QColor(_text_on(fill.rgba(), INK.rgba(), PAPER.rgba()))     # a copy


@functools.lru_cache(maxsize=8192)
def _text_on(fill: int, ink: int, paper: int) -> int:
    fill_c, ink_c, paper_c = QColor.fromRgba(fill), QColor.fromRgba(ink), QColor.fromRgba(paper)
    dark = ink_c if contrast(ink_c, fill_c) >= AA else BLACK
    return (paper_c if contrast(paper_c, fill_c) > contrast(dark, fill_c) else dark).rgba()


def text_color_for(value: float, scale: float = 1.0) -> QColor:
    """The text colour on the scale's fill for ``value`` (see :func:`text_on`)."""
    return text_on(color(value, scale))
