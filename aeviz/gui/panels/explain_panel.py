"""The Explain panel: what the selected part does and what the loss and the
penalties are, with the current numbers (text from :mod:`aeviz.core.measures.explain`)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from aeviz.core.measures import explain
from aeviz.gui.drawing.diagram import NetworkView
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.throttle import Throttled


class ExplainPanel(QTextBrowser):
    def __init__(self, doc: Document, view: NetworkView, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.view = doc, view
        self.setAccessibleName("Explanation")
        self.setOpenExternalLinks(False)
        self.throttled = Throttled(self.refresh, 150, self)
        doc.values_changed.connect(self.throttled)
        doc.settings_changed.connect(self.throttled)
        view.selection_changed.connect(self.refresh)
        self.refresh()

    def sections(self) -> list[tuple[str, str]]:
        doc, net = self.doc, self.doc.lesson.network
        zs, acts = doc.lesson.forward()
        s = self.view.selection
        if s and s[0] == "edge" and s[1] < net.depth:
            selected = explain.weight_text(net, s[1], s[2], s[3], acts, doc.lesson.model.training)
        elif s and s[0] == "neuron" and s[1] < len(net.sizes):
            selected = explain.layer_role(net, s[1])
        else:
            selected = "Click a neuron or a connection to see what it does."
        return [("Selected", selected),
                ("Encoder, code, decoder", explain.ROLE),
                ("Loss", explain.loss_text(doc.lesson.model.training, net, doc.lesson.x, acts[-1][0],
                                                zs[-1][0])),
                ("Penalties and noise", explain.regularisation_text(doc.lesson.model.training, net,
                                                                    doc.lesson.model.data()))]

    def refresh(self) -> None:
        if not self.isVisible() and self.toPlainText():
            return
        html = "".join(f"<h3>{escape(title)}</h3><p>{escape(text)}</p>"
                       for title, text in self.sections())
        # the UI's text size (presenter mode, Ctrl+=), never below the old 12 pt
        size = max(12.0, self.font().pointSizeF() * 1.2)
        self.setHtml(f"<div style='font-size: {size:.1f}pt'>{html}</div>")

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.FontChange and hasattr(self, "throttled"):
            self.throttled()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
