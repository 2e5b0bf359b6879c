"""Datasets: the patterns an autoencoder learns to reproduce, as a (P, n) array."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

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
    labels: np.ndarray | None = None         # (P,) int >= 0: what each pattern shows
    label_names: tuple[str, ...] | None = None   # label k's name (else str(k))
    builtin: str | None = None               # the shipped set these rows are (see BUILTIN_DATA)

    @classmethod
    def one_hot(cls, size: int) -> "Dataset":
        return cls("one_hot", int(size))

    @classmethod
    def patterns(cls, rows: np.ndarray, image: tuple[int, int] | None = None,
                 labels=None, label_names=None, builtin: str | None = None) -> "Dataset":
        """Explicit rows (P, n); optional labels (P,) ints >= 0 and their names
        (one per label value 0..max).  ValueError: one sentence naming the problem."""
        rows = np.array(rows, dtype=float, ndmin=2)
        problem = value_problem(rows)
        if problem is not None:
            p, i, why = problem
            raise ValueError(f"pattern {p + 1}, value {i + 1}: {why}")
        if image is not None and image[0] * image[1] != rows.shape[1]:
            raise ValueError(f"an image of {image[0]}x{image[1]} pixels needs "
                             f"{image[0] * image[1]} values per pattern, not {rows.shape[1]}")
        if labels is not None:
            problem = label_problem(labels, len(rows), label_names)
            if problem is not None:
                raise ValueError(problem[1])
            labels = np.array(labels, dtype=np.int64)
            labels.setflags(write=False)
        elif label_names is not None:
            raise ValueError("label names are given but no labels")
        names = tuple(label_names) if label_names is not None else None
        return cls("patterns", rows.shape[1], rows, tuple(image) if image else None,
                   labels, names, builtin)

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
                and self.image == other.image
                and (self.labels is None) == (other.labels is None)
                and (self.labels is None or np.array_equal(self.labels, other.labels))
                and self.label_names == other.label_names)

    def label_text(self, p: int) -> str:
        """Pattern p's label as a student reads it ("7"), or "" without labels."""
        if self.labels is None:
            return ""
        k = int(self.labels[p])
        return self.label_names[k] if self.label_names else str(k)

    def label_count(self) -> int:
        """How many label values there are (0 without labels)."""
        if self.labels is None:
            return 0
        return len(self.label_names) if self.label_names else int(self.labels.max()) + 1

    def to_dict(self) -> dict:
        if self.kind == "one_hot":
            return {"kind": "one_hot", "size": self.size}
        if self.builtin is not None and self == builtin_dataset(self.builtin):
            return {"kind": "patterns", "builtin": self.builtin}
        out = {"kind": "patterns", "rows": [r.tolist() for r in self.rows]}   # row by row:
        # a save in a writer thread hands the interpreter back between rows
        if self.image:
            out["image"] = list(self.image)
        if self.labels is not None:
            out["labels"] = self.labels.tolist()
        if self.label_names is not None:
            out["label_names"] = list(self.label_names)
        return out


def label_problem(labels, count: int, names=None) -> tuple[int | None, str] | None:
    """(pattern or None, sentence) for the first thing wrong with ``labels`` for
    ``count`` patterns (and their ``names``, if given), or None."""
    try:
        n = len(labels)
    except TypeError:
        return None, "labels must be a list of whole numbers, one per pattern"
    if n != count:
        return None, f"there are {n} labels for {count} patterns; give one label per pattern"
    for p, v in enumerate(labels):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or v < 0:
            return p, f"label {p + 1} is {v!r}; a label is a whole number 0 or more"
    if names is not None:
        if isinstance(names, str) or not all(isinstance(t, str) and t for t in names):
            return None, "label names must be a list of non-empty texts"
        top = max((int(v) for v in labels), default=-1)
        if top >= len(names):
            return None, (f"label {top} has no name; {len(names)} label names name the "
                          f"labels 0 to {len(names) - 1}")
    return None


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


@lru_cache(maxsize=None)
def _shipped(name: str) -> Dataset:
    from aeviz.core.files.shipped import read_shipped   # reads resources/data once
    rows, labels, image, names = read_shipped(name)
    data = Dataset.patterns(rows, image, labels, names, name)
    data.rows.setflags(write=False)       # one copy shared by every lesson that uses it
    return data


BUILTIN_DATA = ("digits-8x8",)     # shipped sets a file may name as dataset.builtin


def builtin_dataset(name: str) -> Dataset:
    """The shipped set ``name`` (one of BUILTIN_DATA); KeyError if there is none."""
    if name not in BUILTIN_DATA:
        raise KeyError(name)
    return _shipped(name)


BUILT_IN = {"Bars 4×4 (8 patterns)": bars, "Letters and shapes 5×5 (8)": letters,
            "Digits 7×5 (10)": digits,
            "Handwritten digits 8×8 (1,797, labelled)": lambda: builtin_dataset("digits-8x8")}


# --- CSV ------------------------------------------------------------------------------
def read_csv(text: str, max_rows: int = MAX_PATTERNS) -> np.ndarray:
    """Patterns from CSV text (see :func:`read_labelled_csv`; a label column is dropped)."""
    return read_labelled_csv(text, max_rows)[0]


def read_labelled_csv(text: str, max_rows: int = MAX_PATTERNS
                      ) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...] | None]:
    """(rows (P, n), labels (P,) or None, label names or None) from CSV text: one
    pattern a line, numbers separated by commas (or semicolons, tabs, spaces);
    blank lines and lines starting with # skipped.  An optional first line of
    column names (a header) may name one column ``label``: that column is each
    pattern's label, whole numbers 0 or more, or texts (then the names, in order
    of first appearance, and labels their indices).  Raises ValueError with one
    sentence naming the line."""
    import re
    rows, tags = [], []
    label_col = None
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c for c in re.split(r"[,;\t ]+", line) if c]
        if not header_seen and not rows:
            header_seen = True
            if not all(_is_number(c) for c in cells):        # a header line
                names = [c.strip().strip('"').lower() for c in cells]
                if "label" in names:
                    label_col = names.index("label")
                continue
        if label_col is not None:
            if label_col >= len(cells):
                raise ValueError(f"line {number} has no value in the label column")
            tags.append(cells.pop(label_col).strip('"'))
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
    labels, names = _csv_labels(tags) if label_col is not None else (None, None)
    return np.array(rows), labels, names


def _csv_labels(tags: list[str]) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """Whole numbers >= 0 stay numbers; anything else: texts, numbered in order of
    first appearance (the names)."""
    if all(t.isdigit() for t in tags):
        return np.array([int(t) for t in tags], dtype=np.int64), None
    names = tuple(dict.fromkeys(tags))
    index = {t: k for k, t in enumerate(names)}
    return np.array([index[t] for t in tags], dtype=np.int64), names


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def to_csv(rows: np.ndarray, labels=None, label_names=None) -> str:
    """CSV text; with labels, a header line and a last column ``label`` (its name
    if the labels have names), which :func:`read_labelled_csv` reads back."""
    rows = np.atleast_2d(rows)
    if labels is None:
        return "".join(",".join(f"{v:g}" for v in row) + "\n" for row in rows)
    head = ",".join(f"x{i + 1}" for i in range(rows.shape[1])) + ",label\n"
    tag = (lambda k: label_names[k]) if label_names else str
    return head + "".join(",".join(f"{v:g}" for v in row) + f",{tag(int(k))}\n"
                          for row, k in zip(rows, labels))
