"""Every QSettings key, declared once with its type and default, and the
migration of settings written by other versions.

Reading never raises: a missing value, a value of the wrong type or a corrupt
settings file gives the default.  ``aeviz --reset-settings`` clears them all.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

SCHEMA = 1          # the layout of the keys below; stored as meta/schema


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any


GEOMETRY = Key("window/geometry", bytes, b"")
WINDOW_STATE = Key("window/state", bytes, b"")          # docks and toolbars
THEME = Key("view/theme", str, "system")                 # system, light or dark
FONT_STEP = Key("view/font_step", int, 3)                # index into classroom.FONT_STEPS
SPEED = Key("training/speed", int, 200)                  # epochs per second; 0 = full speed
RECENT_FILES = Key("files/recent", list, [])
GUIDE_PROGRESS = Key("guide/progress", str, "{}")   # JSON: lesson -> {step, done}
MAX_RECENT = 8
THEMES = ("system", "light", "dark")

# keys of earlier layouts -> today's key (schema 0 had no meta/schema and flat names)
RENAMED = {"geometry": GEOMETRY, "recent": RECENT_FILES, "theme": THEME}


def store() -> QSettings:
    """An INI file in the user's config folder (~/.config/aeviz/aeviz.ini on Linux);
    IniFormat so that QSettings.setPath can point tests elsewhere."""
    return QSettings(QSettings.IniFormat, QSettings.UserScope, "aeviz", "aeviz")


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
    if key.type is int:
        try:
            return int(value)                      # INI files give strings back
        except (TypeError, ValueError):
            return key.default
    if key is THEME and value not in THEMES:
        return key.default
    return value if isinstance(value, key.type) else key.default


def write(key: Key, value: Any) -> None:
    store().setValue(key.name, value)


def migrate() -> None:
    """Bring settings of other versions to this layout: rename known old keys,
    drop unknown ones, never fail.  A newer schema is left alone (read() falls
    back to defaults for anything it does not understand)."""
    s = store()
    try:
        schema = int(s.value("meta/schema", 0))
    except (TypeError, ValueError):
        schema = 0
    if schema > SCHEMA:
        return
    if schema < SCHEMA:
        for old, key in RENAMED.items():
            if s.contains(old):
                if not s.contains(key.name):
                    s.setValue(key.name, s.value(old))
                s.remove(old)
        s.setValue("meta/schema", SCHEMA)


def reset() -> None:
    """Clear every setting.  OSError (naming the settings file) if it cannot be
    written, e.g. a read-only config folder: nothing is claimed that did not happen."""
    s = store()
    s.clear()
    s.sync()
    if s.status() != QSettings.NoError:
        raise OSError(errno.EACCES, "the settings file cannot be written, so the settings "
                                    "were not reset", s.fileName())
