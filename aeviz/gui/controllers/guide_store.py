"""Where the student left each guided lesson: its step, the tasks done and the
state each state task was done in (:mod:`aeviz.core.guides.guide_progress`),
kept in QSettings.  A lesson's key is the lesson file's path (none for a
lesson not read from a file) and a hash of the guide's content, never the
lesson's name: two "Untitled" lessons, or a file whose steps changed, start
afresh.  The newest MAX_REMEMBERED lessons are kept, the oldest forgotten.
What is read back is checked: the settings file may hold anything."""

from __future__ import annotations

import json
import os

from aeviz.core.guides.guide import Step, to_list
from aeviz.gui.runtime import settings

MAX_REMEMBERED = 200     # lessons whose guide progress is kept (the oldest are forgotten)


def progress_key(path: os.PathLike | None, steps: tuple[Step, ...]) -> str:
    """The key of the guide ``steps`` of the lesson read from ``path``."""
    where = os.path.abspath(os.fsdecode(path)) if path is not None else ""
    content = json.dumps([where, to_list(steps)], sort_keys=True, ensure_ascii=True)
    import hashlib                   # (OpenSSL's library: ~4 ms, only once there is progress)
    return "guide:" + hashlib.sha256(content.encode("ascii")).hexdigest()[:32]


def all_progress() -> dict:
    """Every remembered lesson's progress, by key ({} if the setting is not a JSON object)."""
    try:
        data = json.loads(settings.read(settings.GUIDE_PROGRESS))
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_progress(path: os.PathLike | None,
                   steps: tuple[Step, ...]) -> tuple[int, list, dict]:
    """(step, done, marks) saved for this guide: the step where the student left it
    (0 if none, or not one of ``steps``), the tasks done (as saved: the caller
    decides which still count) and the marks by step (as text)."""
    progress = all_progress()                # (none on a first run: no key needed)
    saved = progress.get(progress_key(path, steps), {}) if progress else {}
    step = saved.get("step", 0) if isinstance(saved, dict) else 0
    done = saved.get("done", []) if isinstance(saved, dict) else []
    marks = saved.get("marks", {}) if isinstance(saved, dict) else {}
    return (step if isinstance(step, int) and 0 <= step < len(steps) else 0,
            done if isinstance(done, list) else [], marks if isinstance(marks, dict) else {})


def save_progress(path: os.PathLike | None, steps: tuple[Step, ...], index: int,
                  done: set[int], marks: dict[int, str]) -> None:
    """Remember step ``index`` and the tasks ``done`` (with their ``marks``) as this
    guide's progress, the newest; forget the oldest beyond MAX_REMEMBERED."""
    data = all_progress()
    key = progress_key(path, steps)
    data.pop(key, None)                            # the newest last ...
    data[key] = {"step": index, "done": sorted(done),
                 "marks": {str(d): m for d, m in marks.items() if d in done}}
    for old in list(data)[:-MAX_REMEMBERED]:       # ... and the oldest forgotten
        del data[old]
    settings.write(settings.GUIDE_PROGRESS, json.dumps(data))
