"""The lesson's title and first paragraph above the diagram; "more…" shows the
rest.  A first start adds a one-line welcome."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel

from aeviz.gui.document import Document

WELCOME = ("<b>Welcome to aeviz!</b> Press <b>Space</b> to train, <b>N</b> to walk through "
           "one update step by step, <b>F1</b> for explanations; more lessons are in "
           "File → Lessons.<br>")


BASE_PT = 12.0                 # the lesson text's size at text scale 1


class LessonText(QLabel):
    def __init__(self, doc: Document, welcome: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.welcome, self.expanded = doc, welcome, False
        self.setAccessibleName("Lesson text")
        self.setWordWrap(True)
        self.setMargin(8)
        self.set_text_scale(1.0)
        self.linkActivated.connect(self.toggle)
        doc.structure_changed.connect(self._on_lesson_changed)   # a dataset renames it
        self.show_text()

    def set_text_scale(self, scale: float) -> None:
        """The UI's text zoom (Ctrl+=/−, presenter mode)."""
        self.text_scale = scale
        self.setStyleSheet("background: #f3eef8; border-radius: 6px; "
                           f"font-size: {BASE_PT * scale:.1f}pt;")

    def _on_lesson_changed(self) -> None:
        self.expanded = False
        self.show_text()

    def show_text(self) -> None:
        model = self.doc.model
        paragraphs = [escape(p) for p in model.description.split("\n\n") if p.strip()]
        text = (WELCOME if self.welcome else "") + f"<b>{escape(model.name)}</b>"
        if paragraphs:
            shown = paragraphs if self.expanded else paragraphs[:1]
            text += " — " + "<br><br>".join(shown)
            if len(paragraphs) > 1:
                text += f' &nbsp;<a href="toggle">{"less" if self.expanded else "more…"}</a>'
        self.setText(text)

    def toggle(self, _link: str = "") -> None:
        self.expanded = not self.expanded
        self.show_text()
