"""Generating from the code space: decode a code set by hand, walk between two
patterns' codes, draw codes from the prior N(0, I) (what a VAE is trained for).

Shapes: codes h are (N, c) for a code of c units, outputs y (N, n_L).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.engine.activations import evaluate
from aeviz.core.measures.codespace import Plane
from aeviz.core.engine.network import Network


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


CHUNK_BYTES = 16 * 2**20      # one chunk of decoded rows or squared distances (float64)
MAX_SAMPLES = 10_000          # codes per call of `aeviz sample`
MAX_SAMPLE_VALUES = 2_000_000  # codes x output units: the outputs kept (16 MB) and printed


def sample_limit(net: Network) -> int:
    """How many codes ``aeviz sample`` draws at most for ``net``: 10,000, and at most
    2,000,000 output values in all (n x n_L)."""
    return max(1, min(MAX_SAMPLES, MAX_SAMPLE_VALUES // net.sizes[-1]))


def sample_prior(net: Network, data: np.ndarray, count: int,
                 rng: np.random.Generator) -> Samples:
    """``count`` codes z ~ N(0, I) decoded, each with its nearest training pattern.

    Memory is bounded: codes are decoded in chunks of rows, and each chunk's squared
    distances to the P patterns come from ||y||^2 - 2 y.x + ||x||^2, a (rows, P)
    array, never (N, P, n_L).  Patterns within rounding of the smallest are compared
    again exactly (||y - x||, the first of equals wins), so ``nearest`` and
    ``distance`` are those of the direct formula."""
    return decode_codes(net, data, rng.standard_normal((count, net.code_size)))


def decode_codes(net: Network, data: np.ndarray, codes: np.ndarray) -> Samples:
    """The codes (N, c) decoded by ``net``, each output with its nearest training
    pattern (:func:`sample_prior` once it has drawn them; again after training,
    for the same codes)."""
    count = len(codes)
    data = np.asarray(data, dtype=float)
    widest = max(max(net.sizes[net.code_layer:]), len(data))
    rows = max(1, CHUNK_BYTES // (8 * widest))
    outputs = np.empty((count, net.sizes[-1]))
    nearest = np.empty(count, dtype=np.int64)
    distance = np.empty(count)
    with np.errstate(over="ignore", invalid="ignore"):
        for a in range(0, count, rows):
            y = outputs[a:a + rows] = net.decode(codes[a:a + rows])
            nearest[a:a + rows], distance[a:a + rows] = nearest_rows(y, data, block=rows)
    return Samples(codes, outputs, nearest, distance)


def nearest_rows(y: np.ndarray, data: np.ndarray, block: int = 256) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """For each row of y (N, n): the index of the closest row of data (P, n) and
    the distance ||y - x|| to it, ``block`` rows at a time (memory O(block P), not
    O(N P n): 10,000 samples of 1,797 digits would need 9 GB at once).  Squared
    distances come from ||y||^2 - 2 y.x + ||x||^2; the rows within rounding of the
    smallest are compared again exactly (the first of equals wins), so the result
    is that of the direct formula."""
    data = np.asarray(data, dtype=float)
    xx = (data * data).sum(axis=1)
    nearest = np.empty(len(y), dtype=np.int64)
    distance = np.empty(len(y))
    with np.errstate(over="ignore", invalid="ignore"):
        for a in range(0, len(y), block):
            part = y[a:a + block]
            yy = (part * part).sum(axis=1)
            sq = yy[:, None] - 2.0 * (part @ data.T) + xx[None, :]
            close = sq <= (np.nanmin(sq, axis=1, initial=np.inf, where=~np.isnan(sq))
                           + 1e-9 * (yy + xx.max()) + 1e-12)[:, None]
            for i in range(len(part)):
                idx = np.flatnonzero(close[i])
                if idx.size == 0:                      # NaN outputs: nothing is near
                    idx = np.arange(len(data))
                d = np.linalg.norm(part[i] - data[idx], axis=1)
                j = int(np.argmin(d))
                nearest[a + i], distance[a + i] = idx[j], d[j]
    return nearest, distance


def counted(samples: Samples, net: Network, data: np.ndarray,
            own: np.ndarray | None = None) -> np.ndarray:
    """Which samples decode to a pattern, (N,) bool: the sample's output y is
    reconstructed *as* its nearest pattern p by the Patterns table's rule
    (:func:`aeviz.core.model.is_reconstructed`: argmax by more than 0.001 for
    softmax, every unit on p's side of 0.5 otherwise) and the network
    reconstructs p from p itself.  (For one-hot data every softmax output has an
    argmax: without the second condition an untrained 8-3-8 would count 99 %.)
    ``own`` (P,) bool: which patterns the network reconstructs, if known (an
    evaluation's ``reconstructed``: one forward pass of the data saved)."""
    from aeviz.core.model import is_reconstructed
    data = np.asarray(data, dtype=float)
    out = net.activations[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        if own is None:
            own = is_reconstructed(data, net.forward(data)[1][-1], out)
        return is_reconstructed(data[samples.nearest], samples.outputs, out) & own[samples.nearest]


def mosaic(net: Network, plane: Plane, tiles: int, image: tuple[int, int]) -> np.ndarray:
    """The decoded pictures of a tiles x tiles grid over the plane, as one image
    (tiles * (h + 1) - 1, tiles * (w + 1) - 1) with NaN gutters; row 0 is the top
    (largest second coordinate)."""
    x0, x1, y0, y1 = plane.extent
    xs, ys = np.linspace(x0, x1, tiles + 2)[1:-1], np.linspace(y1, y0, tiles + 2)[1:-1]
    return mosaic_at(net, plane, xs, ys, image)


def mosaic_at(net: Network, plane: Plane, xs: np.ndarray, ys: np.ndarray,
              image: tuple[int, int]) -> np.ndarray:
    """The decoded pictures at the plane points (xs[c], ys[r]) as one image
    (len(ys) * (h + 1) - 1, len(xs) * (w + 1) - 1) with NaN gutters: tile (r, c)
    is ``decoder(plane.lift(xs[c], ys[r]))`` reshaped to (h, w), row r of tiles
    from the top (give ys largest first for the plane's orientation).  One decode
    of all len(ys) * len(xs) codes, tiled without a Python loop."""
    h, w = image
    rows, cols = len(ys), len(xs)
    gx, gy = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    pictures = net.decode(from_plane(plane, np.column_stack([gx.ravel(), gy.ravel()])))
    out = np.full((rows, h + 1, cols, w + 1), np.nan)
    out[:, :h, :, :w] = pictures.reshape(rows, cols, h, w).transpose(0, 2, 1, 3)
    return out.reshape(rows * (h + 1), cols * (w + 1))[:-1, :-1]
