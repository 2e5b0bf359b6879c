"""The Explain panel: what the selected part does and what the loss and the
penalties are, with the current numbers (text from :mod:`aeviz.core.measures.explain`).
On stage (presenter mode) the text is as large as fits: every word without
scrolling, down to LEAST_PT."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from aeviz.core.measures import explain
from aeviz.gui.drawing.diagram import NetworkView
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled


LEAST_PT = 12.0           # the text's size off stage, and the least it shrinks to on stage


class ExplainPanel(QTextBrowser):
    def __init__(self, doc: Document, view: NetworkView, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.view = doc, view
        self.setAccessibleName("Explanation")
        self.setOpenExternalLinks(False)
        self.compact = False                     # on stage: the text fits without scrolling
        self.hidden = False                      # predict, then reveal: no fed-pattern numbers
        self._fit_later = QTimer(self)
        self._fit_later.setSingleShot(True)
        self._fit_later.timeout.connect(self.refresh)
        self.throttled = Throttled(self.refresh, 150, self)
        doc.values_changed.connect(self.throttled)
        doc.settings_changed.connect(self.throttled)
        view.selection_changed.connect(self.refresh)
        self.refresh()

    def sections(self) -> list[tuple[str, str]]:
        doc, net = self.doc, self.doc.lesson.network
        zs, acts = doc.lesson.forward()
        patterns = None if self.hidden else doc.lesson.model.data()    # β·KL now: hidden
        s = self.view.selection
        if s and s[0] == "edge" and s[1] < net.depth:
            selected = explain.weight_text(net, s[1], s[2], s[3], acts, doc.lesson.model.training,
                                           self.hidden)
        elif s and s[0] == "neuron" and s[1] < len(net.sizes):
            selected = explain.layer_role(net, s[1])
        else:
            selected = "Click a neuron or a connection to see what it does."
        return [("Selected", selected),
                ("Encoder, code, decoder", explain.ROLE),
                ("Loss", explain.hidden_loss_text(doc.lesson.model.training, net, doc.lesson.x)
                 if self.hidden else explain.loss_text(doc.lesson.model.training, net,
                                                       doc.lesson.x, acts[-1][0], zs[-1][0])),
                ("Penalties and noise", explain.regularisation_text(doc.lesson.model.training, net,
                                                                    patterns))]

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: the fed pattern's loss, d(x, y) and the activations
        past the input are not written until R."""
        self.hidden = hide
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.toPlainText():
            return
        html = "".join(f"<h3>{escape(title)}</h3><p>{escape(text)}</p>"
                       for title, text in self.sections())
        # the UI's text size (presenter mode, Ctrl+=), never below the old 12 pt
        size = max(LEAST_PT, self.font().pointSizeF() * 1.2)
        if self.compact:
            size = self.fitting_size(html, size)
        self.text_pt = size                      # the text's size (points) as shown
        self.setHtml(self._page(html, size))

    @staticmethod
    def _page(html: str, size: float) -> str:
        return f"<div style='font-size: {size:.1f}pt'>{html}</div>"

    def fitting_size(self, html: str, size: float) -> float:
        """The largest size ≤ ``size`` (in 0.5 pt steps, at least LEAST_PT) at which
        the text's height fits the viewport at its width without a scroll bar."""
        width = self.viewport().width()
        bar = self.verticalScrollBar()
        if bar.isVisible():
            width += bar.width()                  # the width it has once the bar goes
        height = self.viewport().height()
        if width <= 1 or height <= 1:
            return size
        page = QTextDocument()
        page.setDefaultFont(self.font())
        page.setDocumentMargin(self.document().documentMargin())
        page.setTextWidth(width)
        while size > LEAST_PT:
            page.setHtml(self._page(html, size))
            if page.size().height() <= height:
                break
            size = max(LEAST_PT, size - 0.5)
        return size

    def set_compact(self, on: bool) -> None:
        """On stage: every word without scrolling (the text shrinks to fit)."""
        self.compact = on
        self.refresh()

    def resizeEvent(self, event) -> None:                      # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.compact and event.oldSize() != event.size():
            self._fit_later.start(0)             # a moment later: never laid out in a resize

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.FontChange and hasattr(self, "throttled"):
            self.throttled()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
