"""The guided lesson's pane above the diagram: the step counter, the step's
text, the task (its prompt, answer buttons for a choice, the hint after a
wrong try, a clear "Done" mark) and Back / Next.  A view only: the
GuideController decides what it shows."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)


def _tint(widget: QWidget, role, color: str) -> None:
    palette = widget.palette()
    palette.setColor(role, QColor(color))
    widget.setPalette(palette)


MAX_SHARE = 0.22         # of the central area, for the step's text (it scrolls beyond)


# an answered question's chosen option (the others are greyed): bold, outlined
CHOSEN_STYLE = ("QPushButton { font-weight: bold; color: palette(text); border: 2px solid "
                "palette(highlight); border-radius: 3px; padding: 3px 8px; }")


class GuidePanel(QFrame):
    back_clicked = Signal()
    next_clicked = Signal()
    choice_made = Signal(int)            # 0-based option
    restart_clicked = Signal()
    stop_clicked = Signal()              # stop the step's own training (a train action)
    fitted = Signal()                    # a new height: the lesson pane beside it re-fits

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Guide")
        self._area = 600                     # the central area's height (see fit)
        self.max_share: float | None = None   # on stage: a larger share (None: MAX_SHARE)
        self.title = ""                       # on stage: the lesson's title before the step
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(lambda: self.fit())
        self.setAccessibleName("Guided lesson")
        self.setFrameShape(QFrame.StyledPanel)
        # palettes, not style sheets: a style sheet would stop presenter mode's larger font
        _tint(self, QPalette.Window, "#eef4fb")
        _tint(self, QPalette.WindowText, "#1b1b1b")          # readable in the dark theme too
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        top = QHBoxLayout()
        self.counter = QLabel()
        self.counter.setAccessibleName("Step counter")
        self.counter.setWordWrap(True)           # large text: it wraps, never widens the pane
        top.addWidget(self.counter, 1)
        self.restart = QPushButton("Start again")
        self.restart.setToolTip("Forget this lesson's progress and go back to step 1")
        self.restart.clicked.connect(lambda: self.restart_clicked.emit())
        top.addWidget(self.restart)
        self.back = QPushButton("◀ Back")
        self.back.setToolTip("The previous step (Page Up)")
        self.back.clicked.connect(lambda: self.back_clicked.emit())
        top.addWidget(self.back)
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next step (Page Down)")
        self.next.clicked.connect(lambda: self.next_clicked.emit())
        top.addWidget(self.next)
        column.addLayout(top)
        # a train action's run: how far, and Stop (a row of its own, hidden when none runs)
        running = QHBoxLayout()
        self.training = QProgressBar()
        self.training.setAccessibleName("Step training progress")
        self.training.setFormat("Training %v of %m epochs")
        self.training.hide()
        running.addWidget(self.training, 1)
        self.stop = QPushButton("Stop")
        self.stop.setToolTip("Stop this step's training here (what was trained stays)")
        self.stop.clicked.connect(lambda: self.stop_clicked.emit())
        self.stop.hide()
        running.addWidget(self.stop)
        column.addLayout(running)
        # the step's text, task and hint scroll inside at most MAX_SHARE of the area the
        # panel shares with the diagram (large presenter text must not squash it)
        self.body = QScrollArea()
        self.body.setFrameShape(QFrame.NoFrame)
        self.body.setWidgetResizable(True)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setAutoFillBackground(False)
        self.body.viewport().setAutoFillBackground(False)
        self.body.setWidget(inner)
        outer = column
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.text = QLabel()
        self.text.setAccessibleName("Step text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(self.text.textFormat().RichText)
        column.addWidget(self.text)
        self.prompt = QLabel()
        self.prompt.setAccessibleName("Task")
        self.prompt.setWordWrap(True)
        column.addWidget(self.prompt)
        self.choices_box = QWidget()
        self.choices_row = QGridLayout(self.choices_box)     # as many columns as fit
        self.choices_row.setContentsMargins(0, 0, 0, 0)
        self._columns = 0
        self.choice_buttons: list[QPushButton] = []
        column.addWidget(self.choices_box)
        self.hint = QLabel()
        self.hint.setAccessibleName("Hint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.RichText)
        _tint(self.hint, QPalette.WindowText, "#8a4b00")
        column.addWidget(self.hint)
        self.done = QLabel()
        self.done.setAccessibleName("Task done")
        self.done.setWordWrap(True)
        _tint(self.done, QPalette.WindowText, "#1d6b2a")
        column.addWidget(self.done)

    def fit(self, area_height: int | None = None) -> None:
        """As tall as the step needs, but never more than MAX_SHARE of ``area_height``
        (the central area's height; the last one given if None)."""
        if area_height is not None:
            self._area = area_height
        if not self.isVisibleTo(self.parentWidget()) if self.parentWidget() else False:
            return                               # no guided steps: nothing to fit
        self._arrange_choices(max(self.body.viewport().width(), 100))
        inner = self.body.widget()
        needed = inner.layout().heightForWidth(max(self.body.viewport().width(), 100))
        if needed <= 0:
            needed = inner.sizeHint().height()
        share = self.max_share or MAX_SHARE
        height = max(30, min(needed + 2, int(self._area * share)))
        if height != self.body.height() or not self.body.minimumHeight() == height:
            self.body.setFixedHeight(height)
            self.fitted.emit()

    def _arrange_choices(self, width: int) -> None:
        """The answer buttons in as many equal columns as fit ``width`` (a long
        option gets a row of its own; nothing scrolls sideways)."""
        buttons = self.choice_buttons
        if not buttons:
            return
        spacing = max(self.choices_row.horizontalSpacing(), 6)
        widest = max(b.sizeHint().width() for b in buttons)
        columns = max(1, min(len(buttons), (width + spacing) // (widest + spacing)))
        if columns == self._columns and all(self.choices_row.indexOf(b) >= 0 for b in buttons):
            return
        self._columns = columns
        self._refit_later()                   # measured again once the grid is laid out
        for b in buttons:
            self.choices_row.removeWidget(b)
        for k, b in enumerate(buttons):
            self.choices_row.addWidget(b, k // columns, k % columns)
        for c in range(len(buttons)):
            self.choices_row.setColumnStretch(c, 1 if c < columns else 0)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:          # presenter mode, Ctrl+=/−
            self._refit_later()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_timer.start(0)           # re-fitted a moment later, never inside the resize

    def _refit_later(self) -> None:
        """After the labels have their new text and font (and the layout its width);
        the timer is the panel's own, so it never fires after the panel is gone."""
        self._fit_timer.start(0)

    # --- what the controller shows ------------------------------------------------------
    def show_training(self, done: int, total: int | None) -> None:
        """A train action's progress (``total`` None: none runs, hide it)."""
        running = total is not None
        if running:
            self.training.setRange(0, total)
            self.training.setValue(min(done, total))
        self.training.setVisible(running)
        self.stop.setVisible(running)

    def show_step(self, index: int, count: int, done_tasks: int, tasks: int, text: str) -> None:
        progress = f" · tasks done: {done_tasks} of {tasks}" if tasks else ""
        title = f"<b>{escape(self.title)}</b> · " if self.title else ""    # on stage
        self.counter.setText(f"{title}<b>Step {index + 1} of {count}</b>{progress}")
        self.text.setText(escape(text).replace("\n", "<br>"))
        self.back.setEnabled(index > 0)
        self.fit()

    def show_task(self, prompt: str, choices: tuple[str, ...], locked: bool,
                  chosen: int | None = None) -> None:
        self.prompt.setText(f"<b>Task:</b> {escape(prompt)}" if prompt else "")
        self.prompt.setVisible(bool(prompt))
        if tuple(b.text() for b in self.choice_buttons) != choices:
            for b in self.choice_buttons:
                self.choices_row.removeWidget(b)
                b.hide()
                b.deleteLater()
            self.choice_buttons = []
            for k, option in enumerate(choices):
                b = QPushButton(option)
                b.setAccessibleName(f"Answer {k + 1}")
                b.clicked.connect(lambda _c=False, k=k: self.choice_made.emit(k))
                self.choice_buttons.append(b)
            self._columns = 0                      # laid out by fit(), at the body's width
        for b in self.choice_buttons:
            b.setEnabled(not locked)
        self.choices_box.setVisible(bool(choices))
        self._mark_chosen(chosen)
        self.fit()

    def _mark_chosen(self, chosen: int | None) -> None:
        """An answered question keeps the student's answer marked (checked, bold,
        outlined; the other buttons are only greyed); ``chosen`` None: none."""
        for k, b in enumerate(self.choice_buttons):
            mine = k == chosen
            if b.isChecked() == mine and b.isCheckable() == mine:
                continue                           # as it is (a step is re-shown often)
            b.setCheckable(mine)
            b.setChecked(mine)
            b.setStyleSheet(CHOSEN_STYLE if mine else "")
            b.setAccessibleDescription("your answer" if mine else "")

    def show_state(self, hint: str, done_text: str, last: bool, task_open: bool) -> None:
        self.hint.setText(escape(hint, quote=False).replace("\n", "<br>"))   # text, never HTML
        self.hint.setVisible(bool(hint))
        self.done.setText(f"<b>{escape(done_text)}</b>" if done_text else "")
        self.done.setVisible(bool(done_text))
        self.next.setEnabled(not last)
        self.next.setText("Skip ▶" if task_open else "Next ▶")
        self.next.setToolTip(("Skip this task: " if task_open else "")
                             + "the next step (Page Down)")
        self.fit()
