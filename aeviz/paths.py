"""Where aeviz's resources (presets, icons, pictures) are.

In a source checkout they are in ``resources/`` beside the package; an installed
wheel carries them as ``aeviz/resources`` (see pyproject.toml).  Never the
current directory.
"""

from __future__ import annotations

from pathlib import Path


def resource_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "resources"
    return installed if installed.is_dir() else here.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
