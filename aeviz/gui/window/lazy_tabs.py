"""Tabs (and a dock) whose pages are built the first time they are shown or asked for.

Most lessons never open the Codes, Denoising or Images tab; building their
plots at start-up cost a sixth of the window's start.  Until it is needed, such
a tab holds an empty placeholder; ``page(title)`` (or showing the tab) builds
the real widget and puts it in the placeholder's place, so from then on it is
an ordinary tab page (``QTabWidget.setCurrentWidget`` works with it).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget


class LazyTabs:
    """The pages of ``tabs``, some built on demand."""

    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        self._pages: dict[str, QWidget] = {}
        self._factories: dict[str, Callable[[], QWidget]] = {}
        tabs.currentChanged.connect(self._on_current_changed)

    def add(self, title: str, widget: QWidget) -> None:
        """A tab built now."""
        self._pages[title] = widget
        self.tabs.addTab(widget, title)

    def add_lazy(self, title: str, factory: Callable[[], QWidget]) -> None:
        """A tab built by ``factory`` when first shown or asked for."""
        placeholder = QWidget()
        placeholder.setObjectName(f"unbuilt {title}")
        self._factories[title] = factory
        self._pages[title] = placeholder
        self.tabs.addTab(placeholder, title)

    def built(self, title: str) -> bool:
        return title not in self._factories

    def page(self, title: str) -> QWidget:
        """The tab's real widget (built now if it was not yet)."""
        if title in self._factories:
            self._build(title)
        return self._pages[title]

    def _build(self, title: str) -> None:
        placeholder = self._pages[title]
        index = self.tabs.indexOf(placeholder)
        current = self.tabs.currentIndex()
        widget = self._factories.pop(title)()
        self._pages[title] = widget
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        placeholder.deleteLater()

    def _on_current_changed(self, index: int) -> None:
        title = self.tabs.tabText(index)
        if title in self._factories:
            self._build(title)


class LazyDock:
    """A dock whose page is built the first time the dock is shown or asked for
    (the Generate dock sits behind the Values tab: most lessons never open it).
    ``wrap(page)`` is what the dock holds (e.g. a scroll area around the page)."""

    def __init__(self, dock: QDockWidget, factory: Callable[[], QWidget],
                 wrap: Callable[[QWidget], QWidget] = lambda page: page) -> None:
        self.dock, self._factory, self._wrap = dock, factory, wrap
        self._page: QWidget | None = None
        placeholder = QWidget()
        placeholder.setObjectName(f"unbuilt {dock.windowTitle()}")
        dock.setWidget(placeholder)
        dock.visibilityChanged.connect(self._on_visibility)

    def built(self) -> bool:
        return self._page is not None

    def page(self) -> QWidget:
        """The dock's real page (built now if it was not yet)."""
        if self._page is None:
            self._page = self._factory()
            placeholder = self.dock.widget()
            self.dock.setWidget(self._wrap(self._page))
            placeholder.deleteLater()
        return self._page

    def show(self) -> QWidget:
        """Bring the dock to the front (on stage in presenter mode), built."""
        self.dock.show()
        self.dock.raise_()
        return self.page()

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.page()
