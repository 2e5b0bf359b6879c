"""What a guided step points at: ``panel:Codes``, ``neuron:code.1``,
``connection:input.1-code.2``, ``row:Patterns.3`` (see the README's "Write a
lesson"), parsed against the lesson's network and dataset.  Numbers are ASCII
digits only (``str.isdigit`` also takes ``²``, which ``int`` refuses) and short,
so a hostile file meets a :class:`GuideError` sentence, never a ValueError.
No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aeviz.core.engine.network import Network


# what ``panel:NAME`` may name: the docks and the data tabs of the window
DOCKS = ("Values", "Training", "Settings", "Explain", "Loss", "Code space")
TABS = ("Patterns", "Weights", "Outputs", "Codes", "Denoising", "Images")
PANELS = ("Diagram",) + DOCKS + TABS
ROW_TABLES = ("Patterns",)
MAX_NUMBER_DIGITS = 6    # in a target (a unit, a layer, a row): more than any network has


class GuideError(ValueError):
    """A guide the loader refuses: ``field`` and one sentence."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")


@dataclass(frozen=True)
class Target:
    """Something a step points at: kind panel/neuron/connection/row."""

    kind: str
    panel: str = ""          # panel: its name; row: the table
    layer: int = 0           # neuron: layer (0 = input); connection: the lower layer
    unit: int = 0            # neuron: 0-based unit; connection: from-unit; row: 0-based row
    to_unit: int = 0         # connection: the unit in layer + 1
    source: str = ""         # the text in the file

    @property
    def tab(self) -> str | None:
        """The data tab to open (a tab panel, or a row's table)."""
        return self.panel if self.panel in TABS else None




def _count(text: str) -> int | None:
    """``text`` as a whole number if it is 1 to MAX_NUMBER_DIGITS ASCII digits
    (``str.isdigit`` also takes ``²`` and ``٣``, which ``int`` may refuse)."""
    if re.fullmatch(r"[0-9]{1,%d}" % MAX_NUMBER_DIGITS, text, re.ASCII):
        return int(text)
    return None


def _layer(name: str, net: "Network", where: str) -> int:
    words = {"input": 0, "code": net.code_layer, "output": net.depth}
    if name in words:
        return words[name]
    n = _count(name)
    if n is not None and n <= net.depth:
        return n
    raise GuideError(where, f"{name[:20]!r} is not a layer (input, code, output or 0 to "
                            f"{net.depth})")


def _unit(text: str, layer: int, net: "Network", where: str) -> int:
    n = _count(text)
    if n is None or not 1 <= n <= net.sizes[layer]:
        raise GuideError(where, f"layer {layer} has units 1 to {net.sizes[layer]}, "
                                f"not {text[:20]!r}")
    return n - 1


def parse_target(text: Any, net: "Network", patterns: int, where: str) -> Target:
    """``panel:Codes``, ``neuron:code.1``, ``connection:input.1-code.2``, ``row:Patterns.3``."""
    if not isinstance(text, str) or ":" not in text:
        raise GuideError(where, "must be text like panel:Codes, neuron:code.1, "
                                "connection:input.1-code.2 or row:Patterns.3")
    kind, _, rest = text.partition(":")
    if kind == "panel":
        if rest not in PANELS:
            raise GuideError(where, f"{rest[:30]!r} is not a panel; panels are " + ", ".join(PANELS))
        return Target("panel", panel=rest, source=text)
    if kind == "neuron":
        m = re.fullmatch(r"(\w+)\.(\w+)", rest, re.ASCII)
        if not m:
            raise GuideError(where, f"{text[:40]!r} must look like neuron:code.1")
        layer = _layer(m[1], net, where)
        return Target("neuron", layer=layer, unit=_unit(m[2], layer, net, where), source=text)
    if kind == "connection":
        m = re.fullmatch(r"(\w+)\.(\w+)-(\w+)\.(\w+)", rest, re.ASCII)
        if not m:
            raise GuideError(where, f"{text[:40]!r} must look like connection:input.1-code.2")
        a, b = _layer(m[1], net, where), _layer(m[3], net, where)
        if b != a + 1:
            raise GuideError(where, f"connections join neighbouring layers; {m[1]} and {m[3]} "
                                    "are not")
        return Target("connection", layer=a, unit=_unit(m[2], a, net, where),
                      to_unit=_unit(m[4], b, net, where), source=text)
    if kind == "row":
        table, _, row = rest.partition(".")
        if table not in ROW_TABLES:
            raise GuideError(where, f"{table[:30]!r} has no rows to point at; use "
                                    + ", ".join(ROW_TABLES))
        n = _count(row)
        if n is None or not 1 <= n <= patterns:
            raise GuideError(where, f"the {table} table has rows 1 to {patterns}, "
                                    f"not {row[:20]!r}")
        return Target("row", panel=table, unit=n - 1, source=text)
    raise GuideError(where, f"{kind[:20]!r} is not one of panel, neuron, connection, row")
