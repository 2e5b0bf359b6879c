"""The Qt face of the open :class:`~aeviz.core.lessons.lesson.Lesson`: it re-emits the
lesson's events as Qt signals on the GUI thread, and nothing else.  It holds no
state of the lesson and passes no call through: every view reads the lesson and
acts on it through ``doc.lesson`` (the one door; ``tests/gui/test_one_door.py``
enforces it), and listens to these signals.

Signals (each emitted once per change that caused it):
- ``input_changed``: the fed input
- ``params_changed``: weights or biases (an edit, an undo, training)
- ``settings_changed``: training settings (nothing drawn on the diagram depends on them)
- ``structure_changed``: sizes, activations or the dataset (rebuild views)
- ``epoch_changed`` / ``history_changed``: the training clock and the loss history
- ``snapshots_changed``: the rewind snapshots (a run committed, a reset, a structure
  edit; never a run or preview only shown)
- ``values_changed``: anything the forward pass shows (input, params or structure)
- ``file_changed``: path, name or the modified state
- ``undo_changed``: what Undo and Redo would do
- ``replaced``: another lesson (New, Open; the lesson's named ``replaced`` event)

For a big network (see :mod:`aeviz.gui.runtime.background`) ``input_changed``,
``params_changed`` and ``values_changed`` of an edit or a training frame come
once its derived values (evaluation, code space, diagram summary) have been
computed off the GUI thread; until then the views show the previous values.
"""

from __future__ import annotations

from pathlib import Path
from PySide6.QtCore import QObject, Signal

from aeviz.core.lessons.derived import Derived
from aeviz.core.lessons.lesson import Lesson
from aeviz.core.lessons.lesson_commands import EditRefused, check_value, layer_name, unit_label
from aeviz.core.model import Model
from aeviz.core.engine.network import NetworkError
from aeviz.gui.runtime.background import BackgroundValues, computed_in_background
from aeviz.gui.runtime.threads import assert_gui_thread

DEFERRABLE = frozenset({"input", "params"})     # big networks: shown once computed


class Document(QObject):
    """``Document(model, path)``: a new :class:`Lesson` (``.lesson``) and its signals."""

    input_changed = Signal()
    params_changed = Signal()
    settings_changed = Signal()
    structure_changed = Signal()
    epoch_changed = Signal()
    history_changed = Signal()
    snapshots_changed = Signal()
    file_changed = Signal()
    undo_changed = Signal()
    values_changed = Signal()
    # once per lesson event, after the signals above (and before ``replaced``): the
    # kinds they stood for, "values" for values_changed; a training frame's epoch,
    # history and values are one call for a listener that reads them all (the guide)
    changed = Signal(object)
    replaced = Signal()

    def __init__(self, model: Model, path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.lesson = Lesson(model, path)
        self.lesson.subscribe(self._on_lesson_event)
        self.background = BackgroundValues(self._on_values_ready, self)
        self._deferred: set[str] = set()        # signals waiting for background values

    def in_background(self) -> bool:
        """Whether value changes of this network are computed off the GUI thread."""
        lesson = self.lesson
        return computed_in_background(lesson.network.params.size, len(lesson.model.dataset))

    @property
    def values_pending(self) -> bool:
        """A change whose values are still being computed (big networks)."""
        return bool(self._deferred)

    def _on_lesson_event(self, kinds: frozenset[str]) -> None:
        assert_gui_thread()
        deferred: frozenset[str] = frozenset()
        if (kinds & DEFERRABLE and "structure" not in kinds and self.in_background()
                and not self.lesson.derived.complete()):      # (a training frame's are)
            deferred = kinds & DEFERRABLE
            self._deferred |= deferred
            self.background.request(self.lesson.derived)
        elif self._deferred and kinds & {"input", "params", "settings", "structure"}:
            kinds, self._deferred = kinds | self._deferred, set()    # shown now, in sync
        shown = kinds - deferred
        for kind in ("structure", "input", "params", "settings", "epoch", "history",
                     "snapshots", "file", "undo"):
            if kind in shown:
                getattr(self, f"{kind}_changed").emit()
        if shown & {"input", "params", "structure"}:
            self.values_changed.emit()
            shown = shown | {"values"}
        if shown:
            self.changed.emit(frozenset(shown))
        if "replaced" in kinds:
            self.replaced.emit()

    def _on_values_ready(self, derived: Derived) -> None:
        """Background values: shown if still those of the lesson's state, else dropped
        (a newer state is being computed)."""
        if not self._deferred or not self.lesson.derived.install(derived):
            return                 # stale: a newer state is computed (or was shown) already
        kinds, self._deferred = self._deferred, set()
        for kind in ("input", "params"):
            if kind in kinds:
                getattr(self, f"{kind}_changed").emit()
        self.values_changed.emit()
        self.changed.emit(frozenset(kinds) | {"values"})

    def shutdown(self) -> None:
        """On close: stop the background computation (never left running)."""
        self.background.shutdown()


__all__ = ["Document", "EditRefused", "NetworkError", "check_value", "layer_name",
           "unit_label"]
