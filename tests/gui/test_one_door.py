"""One door: the GUI reads the open lesson and changes it only through the core
:class:`~aeviz.core.lessons.lesson.Lesson`; :class:`~aeviz.gui.runtime.document.Document` is its
Qt adapter, signals only (napari's model / ``_qt`` split).  A pass-through on
the adapter, or GUI code calling one, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal

import aeviz
from aeviz.gui.runtime.document import Document

PACKAGE = Path(aeviz.__file__).parent          # the GUI, and the benches that drive it
# the adapter's own machinery (the background values of big networks), not the lesson's
ADAPTER = {"lesson", "background", "in_background", "values_pending", "shutdown"}


def signals() -> set[str]:
    return {name for name, value in vars(Document).items() if isinstance(value, Signal)}


def test_the_adapter_has_signals_and_its_own_machinery_only():
    public = {name for name in vars(Document) if not name.startswith("_")} - {"staticMetaObject"}
    assert signals() >= {"params_changed", "structure_changed", "replaced"}
    assert public - signals() <= ADAPTER, public - signals() - ADAPTER


def test_the_adapter_passes_no_lesson_call_through(qtbot):
    from aeviz.core.files.presets import load_preset
    doc = Document(load_preset("train-5-2-5"))
    try:
        for name in ("network", "model", "epoch", "set_weight", "undo", "replace",
                     "forward", "evaluation", "derived", "add_derived"):
            assert hasattr(doc.lesson, name) and not hasattr(doc, name), name
    finally:
        doc.shutdown()


def test_no_gui_code_calls_the_adapter_for_the_lessons_state_or_commands():
    allowed = signals() | ADAPTER | set(dir(QObject))      # Qt's own (deleteLater...)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in re.findall(r"\bdoc\.([A-Za-z_]\w*)", line):
                if name not in allowed:
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: doc.{name}")
    assert not found, "call the Lesson (doc.lesson...), not the adapter:\n" + "\n".join(found)


def test_the_scan_sees_a_pass_through_call():
    allowed = signals() | ADAPTER
    line = "        self.doc.set_weight(0, 0, 0, 1.0)"
    assert [n for n in re.findall(r"\bdoc\.([A-Za-z_]\w*)", line) if n not in allowed] \
        == ["set_weight"]


def test_replaced_is_the_lessons_named_event_not_a_guess(qtbot):
    """New/Open say ``replaced``; a dataset change that touches the input, the
    weights, the structure and the clock does not (it used to be guessed from
    how many kinds arrived)."""
    from aeviz.core.files.datasets import Dataset
    from aeviz.core.files.presets import load_preset
    doc = Document(load_preset("train-5-2-5"))
    try:
        replaced, structure = [], []
        doc.replaced.connect(lambda: replaced.append(1))
        doc.structure_changed.connect(lambda: structure.append(1))
        doc.lesson.set_dataset(Dataset.one_hot(6), "One-hot 6")
        assert structure and not replaced
        doc.lesson.replace(load_preset("encoder-4-2-4"), None)
        assert replaced == [1] and len(structure) == 2
    finally:
        doc.shutdown()


# --- nothing reaches behind the lesson's commands --------------------------------------------
PARTS = {"clock", "runs", "structure", "file"}          # the lesson's composed parts
STACK_WRITES = {"push", "undo", "redo", "clear", "set_clean", "set_clean_at", "reset_clean",
                "seal", "mark"}                         # Lesson.undo/redo/mark_clean... instead


def behind_the_lesson(source: str) -> list[tuple[int, str]]:
    """Where ``source`` reaches past the Lesson's commands: a private name or a
    composed part of the lesson, a write to its undo stack, or an assignment into
    its state (``lesson.x = ...``, ``lesson.network.params[i] = ...``).  The lesson
    is ``lesson``, ``doc.lesson`` (``self.doc.lesson``...), or ``self.lesson``
    where a file sets that from a document."""
    tree = ast.parse(source)
    own = re.search(r"self\.lesson = (self\.)?doc\.lesson\b", source) is not None

    def is_lesson(node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id == "lesson"
        if isinstance(node, ast.Attribute) and node.attr == "lesson":
            v = node.value
            return ((isinstance(v, ast.Name) and v.id in ("doc", "self" if own else "doc"))
                    or (isinstance(v, ast.Attribute) and v.attr == "doc"))
        return False

    def on_lesson(node: ast.AST) -> bool:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if is_lesson(node.value):
                return True
            node = node.value
        return False

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_lesson(node.value) and (
                node.attr.startswith("_") or node.attr in PARTS):
            found.append((node.lineno, ast.unparse(node)))
        elif (isinstance(node, ast.Attribute) and node.attr in STACK_WRITES
              and isinstance(node.value, ast.Attribute) and node.value.attr == "undo_stack"
              and is_lesson(node.value.value)):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                    if on_lesson(t):
                        found.append((node.lineno, ast.unparse(t) + " = ..."))
    return found


def test_no_gui_code_reaches_behind_the_lessons_commands():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "core" in path.relative_to(PACKAGE).parts:
            continue                               # the lesson's own parts
        found += [f"{path.relative_to(PACKAGE)}:{line}: {text}"
                  for line, text in behind_the_lesson(path.read_text(encoding="utf-8"))]
    assert not found, "act through the Lesson's commands:\n" + "\n".join(found)


def test_the_scan_sees_each_way_behind_the_lesson():
    source = """
class View:
    def __init__(self, doc):
        self.doc, self.lesson = doc, None
        self.lesson = doc.lesson
    def edit(self, lesson):
        self.doc.lesson.network.params[3] = 1.0
        lesson.model.training = None
        self.lesson.x, y = None, 2
        self.doc.lesson._apply(None)
        self.doc.lesson.clock.restore(None)
        self.lesson.undo_stack.set_clean()
        ok = self.doc.lesson.network.params[3] == self.lesson.epoch
        self.doc.lesson.set_setting("learning_rate", 0.1)
"""
    assert sorted(line for line, _text in behind_the_lesson(source)) == [7, 8, 9, 10, 11, 12]
    assert behind_the_lesson("window.lesson.welcome = False\n") == []   # a panel, not the Lesson
