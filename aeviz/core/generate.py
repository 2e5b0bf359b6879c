"""Generating from the code space: decode a code set by hand, walk between two
patterns' codes, draw codes from the prior N(0, I) (what a VAE is trained for).

Shapes: codes h are (N, c) for a code of c units, outputs y (N, n_L).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.activations import evaluate
from aeviz.core.codespace import Plane
from aeviz.core.network import Network


def from_plane(plane: Plane, xy: np.ndarray) -> np.ndarray:
    """The codes (N, c) at plane coordinates xy (N, 2): origin + xy @ axes (for a
    1-unit code the second coordinate is ignored)."""
    return plane.origin + np.atleast_2d(xy) @ plane.axes


def layer_values(net: Network, code: np.ndarray) -> list[np.ndarray | None]:
    """What the diagram shows when the code is set by hand: None for the input and
    encoder layers (not used), the code, then each decoder layer's activation."""
    values: list[np.ndarray | None] = [None] * net.code_layer
    a = np.atleast_2d(np.asarray(code, dtype=float))
    values.append(a[0])
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(net.code_layer, net.depth):
            a = evaluate(net.activations[k], a @ net.weights[k] + net.biases[k])
            values.append(a[0])
    return values


def walk(net: Network, start: np.ndarray, end: np.ndarray, steps: int) -> tuple[np.ndarray,
                                                                                np.ndarray]:
    """The straight line from code ``start`` to code ``end`` in ``steps`` points
    (both ends included) and what each decodes to: (codes (steps, c), y (steps, n_L))."""
    t = np.linspace(0.0, 1.0, steps)[:, None]
    codes = (1.0 - t) * np.asarray(start, dtype=float) + t * np.asarray(end, dtype=float)
    return codes, net.decode(codes)


@dataclass(frozen=True)
class Samples:
    codes: np.ndarray        # (N, c), drawn from N(0, I)
    outputs: np.ndarray      # (N, n_L), what they decode to
    nearest: np.ndarray      # (N,) index of the closest training pattern
    distance: np.ndarray     # (N,) d(y, x_nearest) = ||y - x||


def sample_prior(net: Network, data: np.ndarray, count: int,
                 rng: np.random.Generator) -> Samples:
    """``count`` codes z ~ N(0, I) decoded, each with its nearest training pattern."""
    codes = rng.standard_normal((count, net.code_size))
    outputs = net.decode(codes)
    nearest, distance = nearest_rows(outputs, np.asarray(data, dtype=float))
    return Samples(codes, outputs, nearest, distance)


def nearest_rows(y: np.ndarray, data: np.ndarray, block: int = 256) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """For each row of y (N, n): the index of the closest row of data (P, n) and
    the distance ||y - x|| to it, in blocks of ``block`` rows (memory O(block·P),
    not O(N·P·n): 10,000 samples of 1,797 digits would need 9 GB at once)."""
    sq = (data * data).sum(axis=1)
    nearest = np.empty(len(y), dtype=np.int64)
    distance = np.empty(len(y))
    for s in range(0, len(y), block):
        part = y[s:s + block]
        d2 = (part * part).sum(axis=1)[:, None] - 2 * part @ data.T + sq[None, :]
        k = d2.argmin(axis=1)
        nearest[s:s + block] = k
        # the exact distance to the one chosen (the expansion above loses digits near 0)
        distance[s:s + block] = np.linalg.norm(part - data[k], axis=1)
    return nearest, distance


def mosaic(net: Network, plane: Plane, tiles: int, image: tuple[int, int]) -> np.ndarray:
    """The decoded pictures of a tiles x tiles grid over the plane, as one image
    (tiles * (h + 1) - 1, tiles * (w + 1) - 1) with NaN gutters; row 0 is the top
    (largest second coordinate)."""
    h, w = image
    x0, x1, y0, y1 = plane.extent
    xs, ys = np.linspace(x0, x1, tiles + 2)[1:-1], np.linspace(y1, y0, tiles + 2)[1:-1]
    out = np.full((tiles * (h + 1) - 1, tiles * (w + 1) - 1), np.nan)
    for r, y in enumerate(ys):
        codes = from_plane(plane, np.column_stack([xs, np.full(tiles, y)]))
        for c, picture in enumerate(net.decode(codes)):
            out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = picture.reshape(h, w)
    return out
