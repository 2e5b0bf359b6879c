"""The built-in lessons: .aeviz files in ``resources/presets``, named by file stem."""

from __future__ import annotations

from pathlib import Path

from aeviz.core.files.fileformat import FileFormatError, load
from aeviz.core.model import Model


def preset_dir() -> Path:
    from aeviz.paths import resource   # stdlib-only helper, no Qt
    return resource("presets")


def preset_paths() -> dict[str, Path]:
    """name -> file, in lesson order (files are numbered ``NN-name.aeviz``)."""
    out = {}
    for path in sorted(preset_dir().glob("*.aeviz")):
        name = path.stem.split("-", 1)[1] if path.stem[:2].isdigit() else path.stem
        out[name] = path
    return out


def load_preset(name: str) -> Model:
    paths = preset_paths()
    if name not in paths:
        raise FileFormatError(f"there is no preset called {name!r}; "
                              f"`aeviz presets` lists them")
    return load(paths[name])


DEFAULT_PRESET = "article-example"
