"""Network → Dataset: one-hot patterns of any size, the pattern editor and the
built-in picture sets.  ``ask_one_hot_size`` is replaced in tests."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from aeviz.core.files.datasets import BUILT_IN, Dataset
from aeviz.gui.runtime.document import Document, EditRefused


class DatasetController:
    def __init__(self, parent: QWidget, doc: Document, status: Callable[[str], None]) -> None:
        self.parent, self.doc, self.status = parent, doc, status
        self.pattern_editor = None

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction("One-hot patterns…").triggered.connect(
            lambda _checked=False: self.choose_one_hot())
        menu.addAction("Edit patterns…").triggered.connect(
            lambda _checked=False: self.edit_patterns())
        menu.addSeparator()
        for title, make in BUILT_IN.items():
            menu.addAction(title).triggered.connect(
                lambda _checked=False, make=make, title=title:
                self.use_dataset(make(), title, pictures=True))

    def edit_patterns(self) -> None:
        from aeviz.gui.panels.pattern_editor import PatternEditor
        self.pattern_editor = PatternEditor(self.doc, self.parent)
        self.pattern_editor.show()

    def ask_one_hot_size(self) -> int | None:
        n, ok = QInputDialog.getInt(self.parent, "One-hot patterns",
                                    "Number of patterns (2 to 64):",
                                    self.doc.lesson.network.sizes[0], 2, 64)
        return n if ok else None

    def choose_one_hot(self) -> None:
        n = self.ask_one_hot_size()
        if n is not None:
            self.use_dataset(Dataset.one_hot(n), f"One-hot, {n} patterns")

    def use_dataset(self, dataset: Dataset, name: str, pictures: bool = False) -> None:
        """Pictures have several pixels on at once: a softmax output (one winner)
        cannot draw them, so it becomes sigmoid in the same step."""
        softmax = self.doc.lesson.network.activations[-1] == "softmax"
        try:
            self.doc.lesson.set_dataset(dataset, name, "sigmoid" if pictures and softmax else None)
        except (EditRefused, ValueError) as e:
            self.status(str(e))
