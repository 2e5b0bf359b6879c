"""The code space: where each pattern's code lies, and the decoder's map of it.

For a 2-unit code the plane is the code space itself; for more units it is the
plane of the codes' two principal components (through their mean); a 1-unit
code is drawn on a line.  ``decoder_map`` colours each point of the plane by
the output unit the decoder's argmax would pick there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aeviz.core.lessons.derived import Derived
from aeviz.core.engine.network import Network

RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


@dataclass(frozen=True)
class Plane:
    origin: np.ndarray      # (c,) a point of the code space
    axes: np.ndarray        # (2, c) orthonormal directions (second is 0 for c = 1)
    extent: tuple[float, float, float, float]   # x0, x1, y0, y1 in plane coordinates
    is_pca: bool


def decode(net: Network, h: np.ndarray) -> np.ndarray:
    """y = g(h) for codes h of shape (N, code_size): the layers after the code."""
    return net.decode(h)


def plane_for(net: Network, codes: np.ndarray, reach: np.ndarray | None = None) -> Plane:
    """The plane to draw: the code space (c <= 2) or its top-2 principal plane.
    ``reach`` (P, c), for c <= 2: how far around each code the view must reach
    too (a VAE's σ, whose ellipse μ ± σ is drawn around each mean code μ);
    non-finite entries are ignored."""
    c = codes.shape[1]
    lo, hi = RANGES.get(net.activations[net.code_layer - 1], (None, None))
    if c <= 2:
        axes = np.eye(2, c) if c == 2 else np.array([[1.0], [0.0]])
        origin = np.zeros(c)
        span_lo, span_hi = codes.min(), codes.max()
        if reach is not None:              # every ellipse inside the axes, not cut by them
            ends = np.concatenate([(codes - reach).ravel(), (codes + reach).ravel()])
            ends = ends[np.isfinite(ends)]
            if ends.size:
                span_lo, span_hi = min(span_lo, ends.min()), max(span_hi, ends.max())
        if lo is None:
            pad = 0.15 * max(span_hi - span_lo, 1.0)
            lo, hi = span_lo - pad, span_hi + pad
        else:                              # a bounded code: its range, wider if a σ reaches out
            lo, hi = min(lo, span_lo), max(hi, span_hi)
        m = 0.18 * (hi - lo)
        return Plane(origin, axes, (lo - m, hi + m, lo - m, hi + m) if c == 2
                     else (lo - m, hi + m, -0.5, 0.5), False)
    origin = codes.mean(axis=0)
    centred = codes - origin
    axes = _two_axes(_top_two(centred), c)
    xy = centred @ axes.T
    span = max(float(np.abs(xy).max()), 1e-3) * 1.3
    return Plane(origin, axes, (-span, span, -span, span), True)


EXACT_PCA_SIZE = 200_000     # codes.size up to which the full SVD is taken


def _top_two(centred: np.ndarray, iterations: int = 40) -> np.ndarray:
    """The top (at most) two principal directions of the rows of ``centred`` (P, c),
    as rows.  Small: the exact SVD.  Big (a 1024-unit code of 1024 patterns: a
    full SVD takes seconds on every weight edit): subspace iteration on
    centredᵀ·centred, O(P·c) a step, from a fixed start (the same plane every
    time), then ordered by a 2-column SVD (Rayleigh-Ritz)."""
    if centred.size <= EXACT_PCA_SIZE:
        return np.linalg.svd(centred, full_matrices=False)[2][:2]
    rng = np.random.default_rng(0)
    q = np.linalg.qr(rng.standard_normal((centred.shape[1], 2)))[0]
    for _ in range(iterations):
        q = np.linalg.qr(centred.T @ (centred @ q))[0]
    _, _, vt = np.linalg.svd(centred @ q, full_matrices=False)
    return (q @ vt.T).T


def _two_axes(rows: np.ndarray, c: int) -> np.ndarray:
    """``rows`` (at most 2 orthonormal rows of length c) completed to exactly 2: with
    one pattern the SVD gives a single direction (and it is arbitrary, the codes
    being one point), so the plane takes the next coordinate axes orthogonal to it."""
    axes = list(rows)
    for k in range(c):
        if len(axes) == 2:
            break
        v = np.eye(c)[k]
        for a in axes:
            v = v - (v @ a) * a
        norm = np.linalg.norm(v)
        if norm > 1e-6:
            axes.append(v / norm)
    return np.array(axes)


def project(plane: Plane, codes: np.ndarray) -> np.ndarray:
    """Plane coordinates (N, 2) of codes (N, c)."""
    return (np.atleast_2d(codes) - plane.origin) @ plane.axes.T


MAP_BUDGET = 2e8      # multiply-adds for one decoder map (64 x 64 points of a small net)


def map_resolution(net: Network, finest: int = 64, coarsest: int = 16) -> int:
    """Grid side for :func:`decoder_map`: ``finest`` unless decoding that many points
    would cost more than ``MAP_BUDGET`` (a 1024-1024 decoder: 16, not 64, so a
    weight edit does not decode 4,096 points through a million weights)."""
    per_point = sum(w.size for w in net.weights[net.code_layer:]) or 1
    side = int(np.sqrt(MAP_BUDGET / per_point))
    return int(min(finest, max(coarsest, side)))


def decoder_map(net: Network, plane: Plane, resolution: int = 64,
                patterns: np.ndarray | None = None) -> np.ndarray:
    """Over a resolution x resolution grid of the plane, shape (resolution,
    resolution), indexed [ix, iy]: argmax_i y_i (one-hot patterns: the pattern
    the decoder picks), or with ``patterns`` (P, n_0) the index of the pattern
    closest to the decoded y (pictures, where argmax over pixels means nothing)."""
    x0, x1, y0, y1 = plane.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution),
                         indexing="ij")
    points = plane.origin + np.column_stack([gx.ravel(), gy.ravel()]) @ plane.axes
    y = decode(net, points)
    if patterns is None:
        return y.argmax(axis=1).reshape(resolution, resolution)
    p = np.asarray(patterns, dtype=float)
    d = (y * y).sum(axis=1)[:, None] - 2 * y @ p.T + (p * p).sum(axis=1)[None, :]
    return d.argmin(axis=1).reshape(resolution, resolution)


@dataclass(frozen=True)
class CodeSpaceView:
    """What the code-space panel draws for one state: the plane, each pattern's
    point on it (P, 2), the decoder's map (None when there is none to draw) and
    its kind (see :func:`map_kind`)."""

    plane: Plane
    xy: np.ndarray
    grid: np.ndarray | None
    kind: str | None = None


MAX_NEAREST = 256     # patterns up to which the "nearest pattern" map is drawn
FEW = 16              # up to this many patterns are dots coloured one each (labelled or not)


def map_kind(model) -> str | None:
    """What the code space's background shows, one rule for the panel and its note:
    "argmax" (the output the decoder picks) for one-hot patterns and a softmax or
    sigmoid output; "nearest" (the pattern the decoded output is closest to) for
    pictures and for other patterns of 0s and 1s decoded by softmax or sigmoid,
    where an argmax over pixels means nothing; None for continuous data (such as
    the linear-PCA points), where neither names anything a student could check.
    Labelled data of more than FEW patterns, or more than MAX_NEAREST patterns: None
    too (the dots' colours are their labels; a "nearest of thousands" map costs
    grid x P distances on every change).  A few labelled patterns (the 10 digits
    of 7×5 pixels) are dots coloured one each, as unlabelled ones."""
    if model.dataset.labels is not None and len(model.dataset) > FEW:
        return None
    if model.dataset.kind == "one_hot":
        return "argmax" if model.network.activations[-1] in ("softmax", "sigmoid") else None
    if len(model.dataset) > MAX_NEAREST:
        return None
    data = model.data()
    binary = bool(np.all((data == 0) | (data == 1)))
    one_hot = binary and bool(np.all(data.sum(axis=1) == 1))
    classifies = model.network.activations[-1] in ("softmax", "sigmoid")
    if one_hot and classifies:
        return "argmax"
    if model.dataset.image is not None or (binary and classifies):
        return "nearest"
    return None


MAX_ELLIPSES = 64     # patterns up to which each code's σ ellipse is drawn (a VAE's)


def sigma_reach(model) -> np.ndarray | None:
    """σ = exp(log σ² / 2), shape (P, 2), of a 2-unit variational code whose
    ellipses μ ± σ the code space draws (up to MAX_ELLIPSES patterns); None
    otherwise.  The view includes them (:func:`plane_for`)."""
    net = model.network
    if not (net.variational and net.code_size == 2 and len(model.dataset) <= MAX_ELLIPSES):
        return None
    with np.errstate(all="ignore"):        # σ may overflow to inf: ignored by plane_for
        return np.exp(net.logvar(model.data()) / 2)


def view_of(d: Derived, finest: int = 64) -> CodeSpaceView | None:
    """The code space of the lesson state ``d`` (None without a code layer before the
    output).  A derived value: computed once per state, off the GUI thread for big
    networks.  The map: see :func:`map_kind`; none on a principal plane (a code
    of more than 2 units), where it would mislead: the codes lie off the plane,
    and the decoder's pick at a code's projection can name another pattern than
    the code's own output (the 8-3-8 after 300 epochs, every pattern
    reconstructed: at least one pattern so misnamed in 10 of 10 seeds;
    ``tests/core/test_code_space_map.py``)."""
    net = d.model.network
    if net.code_layer == net.depth:
        return None
    codes = d.get("evaluation").codes
    plane = plane_for(net, codes, sigma_reach(d.model))
    kind = map_kind(d.model) if not plane.is_pca else None
    grid = None
    if kind is not None:
        grid = decoder_map(net, plane, map_resolution(net, finest),
                           d.model.data() if kind == "nearest" else None)
    return CodeSpaceView(plane, project(plane, codes), grid, kind)


def label_groups(xy: np.ndarray, tolerance: float) -> list[list[int]]:
    """Patterns whose points lie within ``tolerance`` of each other (transitively),
    in order of their first member: [[0, 4], [1], [2], [3]] labels "1,5" once where
    the article's patterns 1 and 5 share a code.  xy: (P, 2) plane coordinates."""
    p = len(xy)
    group = list(range(p))                      # union-find over close pairs

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i
    if p:
        d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        for i, j in zip(*np.nonzero(np.triu(d <= tolerance, k=1))):
            a, b = root(int(i)), root(int(j))
            if a != b:
                group[max(a, b)] = min(a, b)
    out: dict[int, list[int]] = {}
    for i in range(p):
        out.setdefault(root(i), []).append(i)
    return list(out.values())
