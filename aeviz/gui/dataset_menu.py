"""Network → Dataset: one-hot patterns of any size and the built-in pixel sets.
A mixin of MainWindow; ``ask_one_hot_size`` is replaced in tests."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from aeviz.core.datasets import BUILT_IN, Dataset
from aeviz.gui.document import EditRefused


class DatasetMixin:
    """Needs ``self.doc``, ``self._action`` and ``self.show_refusal``."""

    def _make_dataset_menu(self, parent: QMenu) -> None:
        menu = parent.addMenu("&Dataset")
        menu.addAction(self._action("One-hot patterns…", self.choose_one_hot))
        menu.addAction(self._action("Edit patterns…", self.edit_patterns))
        menu.addSeparator()
        for title, make in BUILT_IN.items():
            menu.addAction(self._action(title, lambda make=make, title=title:
                                        self.use_dataset(make(), title, pictures=True)))

    def edit_patterns(self) -> None:
        from aeviz.gui.pattern_editor import PatternEditor
        self.pattern_editor = PatternEditor(self.doc, self)
        self.pattern_editor.show()

    def ask_one_hot_size(self) -> int | None:
        n, ok = QInputDialog.getInt(self, "One-hot patterns", "Number of patterns (2 to 64):",
                                    self.doc.network.sizes[0], 2, 64)
        return n if ok else None

    def choose_one_hot(self) -> None:
        n = self.ask_one_hot_size()
        if n is not None:
            self.use_dataset(Dataset.one_hot(n), f"One-hot, {n} patterns")

    def use_dataset(self, dataset: Dataset, name: str, pictures: bool = False) -> None:
        """Pictures have several pixels on at once: a softmax output (one winner)
        cannot draw them, so it becomes sigmoid in the same step."""
        softmax = self.doc.network.activations[-1] == "softmax"
        try:
            self.doc.set_dataset(dataset, name, "sigmoid" if pictures and softmax else None)
        except (EditRefused, ValueError) as e:
            self.show_refusal(str(e))
