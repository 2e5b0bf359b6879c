"""The lesson's title and first paragraph above the diagram; "more…" shows the
rest.  A first start adds a one-line welcome."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea

from aeviz.gui.runtime.deferred import zero_timer
from aeviz.gui.runtime.document import Document

WELCOME = ("<b>Welcome to aeviz!</b> Press <b>Space</b> to train, <b>N</b> to walk through "
           "one update step by step, <b>F1</b> for explanations; more lessons are in "
           'File → Lessons. <a href="dismiss">Close</a><br>')


HAT = re.compile("(\\w\u0302)")   # a letter with a combining circumflex: ρ̂


def hats(html: str) -> str:
    """ρ̂ in italics: the upright font draws the combining hat off its letter (on
    the line above), the italic one places it on the letter — as maths is set."""
    return HAT.sub(r"<i>\1</i>", html)


BASE_PT = 12.0                 # the lesson text's size at text scale 1


MAX_SHARE = 0.35               # of the central area (pane + diagram) the lesson pane may take
PANES_SHARE = 0.38             # ... and together with a guided lesson's pane


class LessonText(QLabel):
    text_shown = Signal()                  # new text or size: the pane re-fits

    def __init__(self, doc: Document, welcome: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.welcome, self.expanded = doc, welcome, False
        self.compact = False                   # on stage: the lesson's title only
        self.setAccessibleName("Lesson text")
        self.setWordWrap(True)
        self.setMargin(8)
        self.set_text_scale(1.0)
        self.linkActivated.connect(self._on_link)
        doc.structure_changed.connect(self._on_lesson_changed)   # a dataset renames it
        doc.replaced.connect(self.dismiss_welcome)     # never above another lesson
        self.show_text()

    def set_text_scale(self, scale: float) -> None:
        """The UI's text zoom (Ctrl+=/−, presenter mode)."""
        self.text_scale = scale
        self.setStyleSheet("background: #f3eef8; border-radius: 6px; "
                           f"font-size: {BASE_PT * scale:.1f}pt;")
        self.text_shown.emit()

    def set_compact(self, on: bool) -> None:
        """On stage (presenter mode): one line, the lesson's title."""
        self.compact = on
        self.setMargin(3 if on else 8)
        self.show_text()

    def dismiss_welcome(self) -> None:
        if self.welcome:
            self.welcome = False
            self.show_text()

    def _on_link(self, link: str) -> None:
        if link == "dismiss":
            self.dismiss_welcome()
        else:
            self.toggle()

    def _on_lesson_changed(self) -> None:
        self.expanded = False
        self.show_text()

    def show_text(self) -> None:
        model = self.doc.lesson.model
        paragraphs = [hats(escape(p)) for p in model.description.split("\n\n") if p.strip()]
        if self.compact:
            self.setText(f"<b>{escape(model.name)}</b>")
            self.text_shown.emit()
            return
        text = (WELCOME if self.welcome else "") + f"<b>{escape(model.name)}</b>"
        # a guided lesson's steps say what to read (the guide pane below): the text is
        # then one line, its title, so that the two never squash the diagram
        first = 0 if model.guide else 1
        if paragraphs:
            shown = paragraphs if self.expanded else paragraphs[:first]
            if shown:
                text += " — " + "<br><br>".join(shown)
            if len(paragraphs) > first:
                more = "more…"
                text += f' &nbsp;<a href="toggle">{"less" if self.expanded else more}</a>'
        self.setText(text)
        self.text_shown.emit()

    def welcome_height(self, width: int) -> int:
        """The height of the welcome with the lesson's title under it at ``width``
        (without the paragraphs "more…" adds)."""
        from PySide6.QtGui import QTextDocument
        page = QTextDocument()
        page.setDefaultFont(self.font())
        page.setDocumentMargin(0)
        page.setHtml(WELCOME + f"<b>{escape(self.doc.lesson.model.name)}</b>")
        page.setTextWidth(max(width - 2 * self.margin() - 2 * self.frameWidth(), 50))
        return int(page.size().height()) + 2 * self.margin() + 2 * self.frameWidth()

    def toggle(self, _link: str = "") -> None:
        self.expanded = not self.expanded
        self.show_text()


class LessonPane(QScrollArea):
    """The lesson text above the diagram: as tall as its text, but never more than
    MAX_SHARE of the area it shares with the diagram (the rest scrolls), so "more…"
    never squashes the diagram."""

    def __init__(self, text: LessonText, parent=None) -> None:
        super().__init__(parent)
        self.text = text
        self.setWidget(text)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        text.text_shown.connect(self.fit)
        self._fit_later = zero_timer(self, self.fit)

    def fit(self) -> None:
        """At most MAX_SHARE of the area, and with a guided lesson's pane at most
        PANES_SHARE together: the diagram always keeps the rest."""
        area = self.parentWidget()
        if not self.isVisible():
            return                      # folded away: it keeps its height for when shown
        if area is None:
            limit = 10_000
        else:
            limit = min(int(area.height() * MAX_SHARE),
                        int(area.height() * PANES_SHARE) - self.guide_height())
            if self.text.welcome:       # the welcome and the title whole (the guide's pane
                limit = max(limit, min(self.text.welcome_height(self.viewport().width()) + 2,
                                       int(area.height() * MAX_SHARE)))   # scrolls meanwhile)
        needed = self.text.heightForWidth(max(self.viewport().width(), 100)) + 2
        self.setFixedHeight(max(40, min(needed, limit)))

    def guide_height(self) -> int:
        """The guided lesson's pane beside this one (0 when hidden)."""
        area = self.parentWidget()
        panes = [w for w in area.children() if isinstance(w, QFrame) and w is not self
                 and w.objectName() == "Guide" and w.isVisibleTo(area)]
        return sum(p.sizeHint().height() for p in panes)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_later.start()          # a moment later: never re-laid out inside a resize
