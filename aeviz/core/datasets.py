"""Datasets: the patterns an autoencoder learns to reproduce, as a (P, n) array."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DATASET_KINDS = ("one_hot", "patterns")
MAX_PATTERNS = 100_000
MAX_VALUE = 1e6          # |x| above this overflows the losses and distances (x² > 1e300 soon)
MAX_CSV_BYTES = 256 * 1024 * 1024


def value_problem(rows: np.ndarray) -> tuple[int, int, str] | None:
    """(pattern, value, sentence) for the first value outside [-MAX_VALUE, MAX_VALUE]
    (0-based indices), or None if every value is one the maths can hold."""
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(rows) <= MAX_VALUE)          # NaN too
    if not bad.any():
        return None
    p, i = (int(k) for k in np.argwhere(bad)[0])
    return p, i, (f"{rows[p, i]:g} is outside the range patterns may take "
                  f"({-MAX_VALUE:g} to {MAX_VALUE:g})")


@dataclass(frozen=True, eq=False)
class Dataset:
    """``one_hot``: the N unit vectors of size N; ``patterns``: explicit rows."""

    kind: str = "one_hot"
    size: int = 5
    rows: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    image: tuple[int, int] | None = None     # (height, width) when patterns are pictures

    @classmethod
    def one_hot(cls, size: int) -> "Dataset":
        return cls("one_hot", int(size))

    @classmethod
    def patterns(cls, rows: np.ndarray, image: tuple[int, int] | None = None) -> "Dataset":
        rows = np.array(rows, dtype=float, ndmin=2)
        problem = value_problem(rows)
        if problem is not None:
            p, i, why = problem
            raise ValueError(f"pattern {p + 1}, value {i + 1}: {why}")
        if image is not None and image[0] * image[1] != rows.shape[1]:
            raise ValueError(f"an image of {image[0]}x{image[1]} pixels needs "
                             f"{image[0] * image[1]} values per pattern, not {rows.shape[1]}")
        return cls("patterns", rows.shape[1], rows, tuple(image) if image else None)

    def matrix(self) -> np.ndarray:
        """The patterns x, shape (P, n), a fresh array."""
        if self.kind == "one_hot":
            return np.eye(self.size)
        return self.rows.copy()

    @property
    def width(self) -> int:
        return self.size

    def __len__(self) -> int:
        return self.size if self.kind == "one_hot" else len(self.rows)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Dataset) and self.kind == other.kind
                and self.size == other.size and np.array_equal(self.rows, other.rows)
                and self.image == other.image)

    def to_dict(self) -> dict:
        if self.kind == "one_hot":
            return {"kind": "one_hot", "size": self.size}
        out = {"kind": "patterns", "rows": [r.tolist() for r in self.rows]}   # row by row:
        # a save in a writer thread hands the interpreter back between rows
        if self.image:
            out["image"] = list(self.image)
        return out


# --- built-in pixel datasets, drawn by the app itself (nothing is downloaded) ----------
def bars(side: int = 4) -> Dataset:
    """The classic of sparse coding: each horizontal and each vertical line of a
    side x side grid (2 * side patterns)."""
    rows = []
    for i in range(side):
        img = np.zeros((side, side))
        img[i, :] = 1.0
        rows.append(img.ravel())
    for j in range(side):
        img = np.zeros((side, side))
        img[:, j] = 1.0
        rows.append(img.ravel())
    return Dataset.patterns(np.array(rows), (side, side))


_GLYPHS_5X5 = {
    "A": ".###.#...#######...##...#", "C": ".#####....#....#.....####",
    "H": "#...##...#######...##...#", "L": "#....#....#....#....#####",
    "O": ".###.#...##...##...#.###.", "T": "#####..#....#....#....#..",
    "X": "#...#.#.#...#...#.#.#...#", "plus": "..#....#..#####..#....#..",
}

_DIGITS_5X7 = [
    ".###.#...##..###.#.###..##...#.###.", "..#...##....#....#....#....#...###.",
    ".###.#...#....#...#...#...#....####", ".###.#...#....#..##.....##...#.###.",
    "...#...##..#.#.#..#.#####...#....#.", "#####" "#...." "####." "....#" "....#" "#...#" ".###.",
    ".###.#....#....####.#...##...#.###.", "#####....#...#...#...#....#....#...",
    ".###.#...##...#.###.#...##...#.###.", ".###.#...##...#.####....#....#.###.",
]


def _glyphs(strings: list[str], shape: tuple[int, int]) -> Dataset:
    n = shape[0] * shape[1]
    assert all(len(s) == n for s in strings), "every glyph fills its grid"
    rows = [[1.0 if c == "#" else 0.0 for c in s] for s in strings]
    return Dataset.patterns(np.array(rows), shape)


def letters() -> Dataset:
    """Eight simple letters and shapes on 5x5 pixels."""
    return _glyphs(list(_GLYPHS_5X5.values()), (5, 5))


def digits() -> Dataset:
    """The ten digits on 7x5 pixels (7 rows of 5)."""
    return _glyphs(_DIGITS_5X7, (7, 5))


BUILT_IN = {"Bars 4×4 (8 patterns)": bars, "Letters and shapes 5×5 (8)": letters,
            "Digits 7×5 (10)": digits}


# --- CSV ------------------------------------------------------------------------------
def read_csv(text: str, max_rows: int = MAX_PATTERNS) -> np.ndarray:
    """Patterns from CSV text: one pattern a line, numbers separated by commas
    (or semicolons, tabs, spaces); blank lines and lines starting with # skipped.
    Raises ValueError with one sentence naming the line."""
    import re
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c for c in re.split(r"[,;\t ]+", line) if c]
        try:
            values = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not _is_number(c))
            raise ValueError(f"line {number}: {bad[:20]!r} is not a number") from None
        if not np.isfinite(values).all():
            raise ValueError(f"line {number}: every value must be a finite number")
        problem = value_problem(values)
        if problem is not None:
            raise ValueError(f"line {number}, value {problem[1] + 1}: {problem[2]}")
        if rows and len(values) != len(rows[0]):
            raise ValueError(f"line {number} has {len(values)} values; the first pattern "
                             f"has {len(rows[0])}")
        rows.append(values)
        if len(rows) > max_rows:
            raise ValueError(f"more than {max_rows} patterns")
    if not rows:
        raise ValueError("the file holds no patterns")
    if not 1 <= len(rows[0]) <= 1024:
        raise ValueError(f"patterns of {len(rows[0])} values do not fit (1 to 1024)")
    return np.array(rows)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def to_csv(rows: np.ndarray) -> str:
    return "".join(",".join(f"{v:g}" for v in row) + "\n" for row in np.atleast_2d(rows))
