"""Every QSettings key, declared once with its type and default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any


GEOMETRY = Key("window/geometry", bytes, b"")
WINDOW_STATE = Key("window/state", bytes, b"")
RECENT_FILES = Key("files/recent", list, [])
MAX_RECENT = 8


def store() -> QSettings:
    return QSettings("aeviz", "aeviz")


def read(key: Key) -> Any:
    """The stored value, or the default if it is missing or of the wrong type
    (e.g. written by another version): never raises."""
    try:
        value = store().value(key.name, key.default)
    except Exception:                              # a corrupt settings file
        return key.default
    if key.type is bytes:
        if isinstance(value, QByteArray):
            return value.data()
        return bytes(value) if isinstance(value, (bytes, bytearray)) else key.default
    if key.type is list:
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else key.default
    return value if isinstance(value, key.type) else key.default


def write(key: Key, value: Any) -> None:
    store().setValue(key.name, value)
