"""JSON text as aeviz writes it: ``json.dumps(value, indent=2, ensure_ascii=False)``
except that a list of numbers goes on one line, written a row at a time (a
writer thread pauses between rows, so the GUI thread keeps the interpreter)
and handed out in blocks (the 46 MB text of a 1024-1024-1024 lesson is never
one string).  Floats round-trip exactly; strings go through ``json.dumps``
alone, byte for byte; NaN and infinities are refused.  It knows nothing of
the .aeviz format (:mod:`aeviz.core.files.fileformat` builds the object it
writes); the command line's ``--json`` is :mod:`aeviz.core.files.jsonout`'s."""

from __future__ import annotations

import json
import math
from typing import Any, Callable, Iterator

import numpy as np

BLOCK_CHARS = 1 << 18


def no_pause() -> None:
    pass


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number(v: int | float) -> str:
    """As json.dumps writes it; NaN and infinities are refused (no JSON for them)."""
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{v} is not a finite number; JSON has no value for it")
        return float.__repr__(v)
    return int.__repr__(v)


def encode(value: Any, indent: str, out: list[str],
           pause: Callable[[], None] = no_pause) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes
    it, except that a list of numbers goes on one line.  Strings (names, texts,
    keys) go through ``json.dumps`` alone, so they are written exactly and never
    rewritten.  The work is done one row at a time, ``pause()`` before each row
    of numbers, so a writer thread can leave the interpreter to the GUI thread."""
    if isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, np.ndarray) and value.ndim == 1 and value.size:
        pause()          # one row of numbers, as Python floats only while it is written
        out.append("[" + ", ".join(map(_number, value.tolist())) + "]")
    elif isinstance(value, np.ndarray):
        encode(list(value), indent, out, pause)          # a matrix: a list of rows
    elif value is None or isinstance(value, bool):
        out.append("null" if value is None else "true" if value else "false")
    elif _is_number(value):
        out.append(_number(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
        elif all(map(_is_number, value)):
            pause()
            out.append("[" + ", ".join(map(_number, value)) + "]")
        else:
            inner = indent + "  "
            out.append("[\n" + inner)
            for i, item in enumerate(value):
                if i:
                    out.append(",\n" + inner)
                encode(item, inner, out, pause)
            out.append("\n" + indent + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{\n" + inner)
        for i, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError(f"keys must be str, not {type(key).__name__}")
            out.append((",\n" + inner if i else "") + json.dumps(key, ensure_ascii=False) + ": ")
            encode(item, inner, out, pause)
        out.append("\n" + indent + "}")
    else:
        raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def blocks(value: Any, pause: Callable[[], None] = no_pause) -> Iterator[bytes]:
    """``value``'s text and a final newline as UTF-8, in blocks of about
    ``BLOCK_CHARS`` characters: no single step (a join, an encode) keeps the
    interpreter for long."""
    out: list[str] = []
    encode(value, "", out, pause)
    out.append("\n")
    batch, size = [], 0
    for piece in out:
        batch.append(piece)
        size += len(piece)
        if size >= BLOCK_CHARS:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")
