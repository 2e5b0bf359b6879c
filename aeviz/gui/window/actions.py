"""Every action of the window declared once (napari's ``qactions`` at aeviz's
size): an id, its text, keys, tooltip, handler, when it is enabled and where it
is placed (a menu, a toolbar).  The declarations are plain data (no widget):
the menus, the toolbars and the keyboard-shortcut sheet are all built from them
(:mod:`aeviz.gui.window.menus`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QToolBar, QWidget

Keys = str | QKeySequence.StandardKey


@dataclass(frozen=True)
class Place:
    """Where an action shows: in the menu (a path such as ``"&File/&Export"``) or
    on the toolbar ``where``.  Entries of one ``group`` sit together, groups in
    ascending order with a separator between two; ``order`` sorts within a group
    (then the order of declaration)."""

    where: str
    group: int = 0
    order: int = 0


@dataclass(frozen=True)
class ActionSpec:
    """One action.  ``keys``: shortcuts (the first is the primary one);
    ``scope``: "window" (the keys work anywhere in the window) or the name of a
    widget that must have the focus (given to :class:`Actions`); ``enabled_when``
    is asked again by :meth:`Actions.update_enabled`; ``menu`` and ``toolbar``:
    where it is placed (None: keys only); ``icon``: a ``QStyle`` standard icon
    name ("SP_ArrowBack")."""

    id: str
    text: str
    handler: Callable[[], object]
    keys: tuple[Keys, ...] = ()
    tip: str = ""
    checkable: bool = False
    scope: str = "window"
    enabled_when: Callable[[], bool] | None = None
    menu: Place | None = None
    toolbar: Place | None = None
    icon: str = ""


class Actions:
    """The QActions built from :class:`ActionSpec` s, by id.  ``scopes``: the
    widgets a spec's ``scope`` names."""

    def __init__(self, parent: QWidget, scopes: dict[str, QWidget] | None = None) -> None:
        self._parent = parent
        self._scopes = dict(scopes or {})
        self.specs: dict[str, ActionSpec] = {}
        self.qactions: dict[str, QAction] = {}

    def declare(self, specs: Iterable[ActionSpec]) -> None:
        for spec in specs:
            if spec.id in self.specs:
                raise ValueError(f"action {spec.id!r} is declared twice")
            if spec.scope != "window" and spec.scope not in self._scopes:
                raise ValueError(f"action {spec.id!r}: no widget named {spec.scope!r}")
            self.specs[spec.id] = spec
            self.qactions[spec.id] = self._build(spec)

    def _build(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self._parent)
        action.setObjectName(spec.id)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setToolTip(spec.tip or spec.text.replace("&", ""))
        action.setCheckable(spec.checkable)
        if spec.icon:
            action.setIcon(self._parent.style().standardIcon(getattr(QStyle, spec.icon)))
        action.triggered.connect(lambda _checked=False, h=spec.handler: h())
        if spec.scope != "window":             # keys only while that widget has focus
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self._scopes[spec.scope].addAction(action)
        else:
            self._parent.addAction(action)     # keys work even with the menu bar hidden
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self.qactions[action_id]

    def update_enabled(self) -> None:
        for action_id, spec in self.specs.items():
            if spec.enabled_when is not None:
                self.qactions[action_id].setEnabled(bool(spec.enabled_when()))

    def placed(self, kind: str, where: str) -> list[tuple[Place, str]]:
        """(place, id) of the actions declared in menu (``kind`` "menu") or on
        toolbar ("toolbar") ``where``, in declaration order."""
        return [(getattr(spec, kind), action_id) for action_id, spec in self.specs.items()
                if getattr(spec, kind) is not None and getattr(spec, kind).where == where]

    def fill_toolbar(self, toolbar: QToolBar, name: str) -> None:
        """The actions placed on toolbar ``name``, by group and order (a separator
        between two groups)."""
        fill(toolbar, [(place, self.qactions[i]) for place, i in self.placed("toolbar", name)])

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(text, keys) of every declared action that has keys, in declaration order."""
        rows = []
        for action_id, spec in self.specs.items():
            if spec.keys:
                keys = ", ".join(QKeySequence(k).toString(QKeySequence.NativeText)
                                 for k in spec.keys)
                rows.append((spec.text.replace("&", "").rstrip("…"), keys))
        return rows


def fill(target: QMenu | QToolBar, entries: list[tuple[Place, object]]) -> None:
    """Add ``entries`` (place, QAction or ``add(target)`` callable) sorted by
    (group, order, given order), with a separator between two groups."""
    ranked = sorted(enumerate(entries), key=lambda e: (e[1][0].group, e[1][0].order, e[0]))
    group = None
    for _n, (place, entry) in ranked:
        if group is not None and place.group != group:
            target.addSeparator()
        group = place.group
        if isinstance(entry, QAction):
            target.addAction(entry)
        else:
            entry(target)
