"""Every action of the window declared once (napari's ``qactions`` at aeviz's
size): an id, its text, keys, tooltip, handler and when it is enabled.  Menus,
toolbars and the keyboard-shortcut sheet are all built from this list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

Keys = str | QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """One action.  ``keys``: shortcuts (the first is the primary one);
    ``scope`` "window" (anywhere in the window) or a widget that must have the
    focus; ``enabled_when`` is asked again by :meth:`Actions.update_enabled`."""

    id: str
    text: str
    handler: Callable[[], object]
    keys: tuple[Keys, ...] = ()
    tip: str = ""
    checkable: bool = False
    scope: QWidget | None = None
    enabled_when: Callable[[], bool] | None = None
    extra: dict = field(default_factory=dict)


class Actions:
    """The QActions built from :class:`ActionSpec` s, by id."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.specs: dict[str, ActionSpec] = {}
        self.qactions: dict[str, QAction] = {}

    def declare(self, specs: Iterable[ActionSpec]) -> None:
        for spec in specs:
            if spec.id in self.specs:
                raise ValueError(f"action {spec.id!r} is declared twice")
            self.specs[spec.id] = spec
            self.qactions[spec.id] = self._build(spec)

    def _build(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self._parent)
        action.setObjectName(spec.id)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setToolTip(spec.tip or spec.text.replace("&", ""))
        action.setCheckable(spec.checkable)
        action.triggered.connect(lambda _checked=False, h=spec.handler: h())
        if spec.scope is not None:             # keys only while that widget has focus
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            spec.scope.addAction(action)
        else:
            self._parent.addAction(action)     # keys work even with the menu bar hidden
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self.qactions[action_id]

    def update_enabled(self) -> None:
        for action_id, spec in self.specs.items():
            if spec.enabled_when is not None:
                self.qactions[action_id].setEnabled(bool(spec.enabled_when()))

    def fill(self, target: QMenu | QToolBar, ids: Iterable[str | None]) -> None:
        """Add the actions ``ids`` in order (None: a separator)."""
        for action_id in ids:
            if action_id is None:
                target.addSeparator()
            else:
                target.addAction(self.qactions[action_id])

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(text, keys) of every declared action that has keys, in declaration order."""
        rows = []
        for action_id, spec in self.specs.items():
            if spec.keys:
                keys = ", ".join(QKeySequence(k).toString(QKeySequence.NativeText)
                                 for k in spec.keys)
                rows.append((spec.text.replace("&", "").rstrip("…"), keys))
        return rows
