"""Input corruption for denoising autoencoders: x' = corrupt(x).

All draws come from the generator passed in (the trainer's, seeded by
``training.seed``), so a run is reproducible.
"""

from __future__ import annotations

import numpy as np

from aeviz.core.config import Noise


def corrupt_inplace(x: np.ndarray, noise: Noise, rng: np.random.Generator) -> None:
    """Corrupt x (batch, n) in place.

    gaussian: x + N(0, level^2);  masking: each x_i -> 0 with probability level;
    salt_pepper: each x_i -> 0 or 1 (equally likely) with probability level.
    """
    if not noise.active:
        return
    if noise.kind == "gaussian":
        x += rng.normal(0.0, noise.level, size=x.shape)
    elif noise.kind == "masking":
        x[rng.random(x.shape) < noise.level] = 0.0
    elif noise.kind == "salt_pepper":
        hit = rng.random(x.shape) < noise.level
        x[hit] = (rng.random(int(hit.sum())) < 0.5).astype(float)
    else:
        raise ValueError(f"unknown noise kind {noise.kind!r}")


def corrupt(x: np.ndarray, noise: Noise, rng: np.random.Generator) -> np.ndarray:
    """A corrupted copy of x."""
    out = np.array(x, dtype=float, copy=True, ndmin=2)
    corrupt_inplace(out, noise, rng)
    return out
