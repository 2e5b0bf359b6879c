"""The guided lesson's pane above the diagram: the step counter, the step's
text, the task (its prompt, answer buttons for a choice, the hint after a
wrong try, a clear "Done" mark) and Back / Next.  A view only: the
GuideController decides what it shows."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)


def _tint(widget: QWidget, role, color: str) -> None:
    palette = widget.palette()
    palette.setColor(role, QColor(color))
    widget.setPalette(palette)


MAX_SHARE = 0.22         # of the central area, for the step's text (it scrolls beyond)


# an answered question's chosen option (the others are greyed): outlined, in the
# text's colour; not bold, which would make a long option wider than its row
CHOSEN_STYLE = ("QPushButton { color: palette(text); border: 2px solid "
                "palette(highlight); border-radius: 3px; padding: 3px 8px; }")


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def choice_rows(widths: list[int], width: int, spacing: int) -> list[int]:
    """How many buttons go in each row, in order: a row takes the next buttons
    while their widths and the spacing between them fit ``width`` (at least one)."""
    rows: list[int] = []
    used = None
    for w in widths:
        if used is not None and used + spacing + w <= width:
            rows[-1] += 1
            used += spacing + w
        else:
            rows.append(1)
            used = w
    return rows


def done_html(text: str) -> str:
    """The task's "✓ Done." in bold and its explanation in the regular weight (bold
    text takes a line more on stage)."""
    if not text:
        return ""
    head, dot, rest = text.partition(". ")
    if not dot:
        return f"<b>{escape(text)}</b>"
    return f"<b>{escape(head)}.</b> {escape(rest)}"


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
        self._needed = 0                      # the step's height, measured at the last fit
        self.room = None                      # on stage: () -> the body's most px (see fit)
        self.title = ""                       # on stage: the lesson's title before the step
        self._shown: dict[str, tuple] = {}    # what each show_* last put on screen
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
        self._outer = outer
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
        self.choices_row = QGridLayout(self.choices_box)     # as many in a row as fit
        self.choices_row.setContentsMargins(0, 0, 0, 0)
        self._rows: list[int] = []            # the buttons in each row (see _arrange_choices)
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

    def set_compact(self, on: bool) -> None:
        """On stage: the rows closer together (every word of a step with its answer
        without scrolling, and the diagram keeps its share)."""
        self._outer.setContentsMargins(*((8, 3, 8, 3) if on else (10, 6, 10, 6)))
        self._outer.setSpacing(2 if on else -1)
        self.body.widget().layout().setSpacing(3 if on else -1)
        self.choices_row.setVerticalSpacing(3 if on else -1)
        self.refit_later()

    def fit(self, area_height: int | None = None) -> None:
        """As tall as the step needs, but never more than MAX_SHARE of ``area_height``
        (the central area's height; the last one given if None) or, on stage, than
        ``room`` allows (the diagram keeps its share)."""
        if area_height is not None:
            self._area = area_height
        if not self.isVisibleTo(self.parentWidget()) if self.parentWidget() else False:
            return                               # no guided steps: nothing to fit
        self._arrange_choices(max(self.body.viewport().width(), 100))
        inner = self.body.widget()
        needed = inner.layout().heightForWidth(max(self.body.viewport().width(), 100))
        if needed <= 0:
            needed = inner.sizeHint().height()
        most = int(self._area * MAX_SHARE)
        if self.room is not None:     # on stage: what the diagram's share spares (some lines at least)
            most = max(self.room(self.frame_height(self.width())), int(self._area * MAX_SHARE))
        height = max(30, min(needed + 2, most))
        cut, self._needed = needed + 2 > most and needed != self._needed, needed
        if height != self.body.height() or not self.body.minimumHeight() == height:
            self.body.setFixedHeight(height)
            self.fitted.emit()
        elif cut:
            # the step grew (its "✓ Done.", say) beyond the room the stage left it: the
            # stage measures its parts again (a panel below the diagram gives some back)
            self.fitted.emit()
        elif self.layout().heightForWidth(self.width()) != self.height():
            # the same body, but the counter row wrapped (or unwrapped) at a new
            # width: the layout above asks the pane's height again (else the body
            # is cut by the diagram, or a blank line stays)
            self.updateGeometry()

    def sizeHint(self) -> QSize:                               # noqa: N802 (Qt's name)
        """Its height at its present width: the column above the diagram gives it no
        more (a wrapped label's hint is measured at a guessed narrower width)."""
        hint = super().sizeHint()
        lay = self.layout()
        if self.width() > 0 and lay is not None and lay.hasHeightForWidth():
            hint.setHeight(lay.heightForWidth(self.width()))
        return hint

    def needed_height(self, width: int) -> int:
        """The pane's height for every word and button of the step at pane width
        ``width`` (measured, not laid out: the stage chooses its side panel's width by it)."""
        outer = self._outer.contentsMargins()
        inner_w = max(width - outer.left() - outer.right() - 2 * self.frameWidth(), 100)
        column = self.body.widget().layout()
        parts = [lab.heightForWidth(inner_w) for lab in (self.text, self.prompt, self.hint, self.done)
                 if not lab.isHidden()]
        if self.choice_buttons and not self.choices_box.isHidden():
            spacing = max(self.choices_row.horizontalSpacing(), 6)
            rows = len(choice_rows([b.sizeHint().width() for b in self.choice_buttons], inner_w, spacing))
            parts.append(rows * self.choice_buttons[0].sizeHint().height()
                         + (rows - 1) * max(self.choices_row.verticalSpacing(), 0))
        body = sum(parts) + max(len(parts) - 1, 0) * max(column.spacing(), 0) + 2
        return self.frame_height(width) + body

    def frame_height(self, width: int) -> int:
        """The pane's height around its body at pane width ``width``: margins, the
        counter row with Back / Next, the training row when shown."""
        body = self.body
        if body.minimumHeight() == body.maximumHeight():     # fitted: the layout measures it
            lay = self.layout()
            whole = lay.heightForWidth(width) if lay.hasHeightForWidth() else lay.sizeHint().height()
            return whole - body.minimumHeight()
        m = self._outer.contentsMargins()
        spacing = max(self._outer.spacing(), 0)
        buttons = [b for b in (self.restart, self.back, self.next) if not b.isHidden()]
        beside = sum(b.sizeHint().width() for b in buttons) + spacing * len(buttons)
        counter = self.counter.heightForWidth(max(width - m.left() - m.right() - beside, 50))
        top = max([counter] + [b.sizeHint().height() for b in buttons])
        if not self.training.isHidden():
            top += spacing + max(self.training.sizeHint().height(), self.stop.sizeHint().height())
        return m.top() + m.bottom() + 2 * self.frameWidth() + top + spacing

    def _arrange_choices(self, width: int) -> None:
        """The answer buttons in rows, each row as many as fit ``width`` at their
        own widths (a long option gets a row of its own; nothing scrolls
        sideways); the buttons of a row share its width."""
        buttons = self.choice_buttons
        if not buttons:
            return
        rows = choice_rows([b.sizeHint().width() for b in buttons], width,
                           max(self.choices_row.horizontalSpacing(), 6))
        if rows == self._rows and all(self.choices_row.indexOf(b) >= 0 for b in buttons):
            return
        self._rows = rows
        self.refit_later()                   # measured again once the grid is laid out
        for b in buttons:
            self.choices_row.removeWidget(b)
        span = 1
        for n in rows:                        # a common multiple: every row fills the width
            span = span * n // _gcd(span, n)
        k = 0
        for r, n in enumerate(rows):
            for c in range(n):
                self.choices_row.addWidget(buttons[k], r, c * (span // n), 1, span // n)
                k += 1
        for c in range(max(span, self.choices_row.columnCount())):
            self.choices_row.setColumnStretch(c, 1 if c < span else 0)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:          # presenter mode, Ctrl+=/−
            for b in self.choice_buttons:              # a style sheet froze the chosen
                if b.styleSheet():                     # one's font when it was set
                    b.setStyleSheet("")
                    b.setFont(self.font())
                    b.setStyleSheet(CHOSEN_STYLE)
            self.refit_later()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_timer.start(0)           # re-fitted a moment later, never inside the resize

    def refit_later(self) -> None:
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

    def _unchanged(self, part: str, key: tuple) -> bool:
        """Whether ``part`` is shown on screen with exactly ``key`` already (the
        controller re-shows the step on every frame of a run: nothing to lay out
        again then); records ``key`` otherwise."""
        if self._shown.get(part) == key and self.isVisible():
            return True
        self._shown[part] = key
        return False

    def say(self, message: str) -> None:
        """A message in the hint's place until the step's state is shown again (on
        stage the status bar is off): the next show_state sets the hint afresh."""
        self._shown.pop("state", None)
        self.hint.setText(escape(message, quote=False).replace("\n", "<br>"))
        self.hint.setVisible(bool(message))
        self.fit()

    def show_step(self, index: int, count: int, done_tasks: int, tasks: int, text: str) -> None:
        if self._unchanged("step", (index, count, done_tasks, tasks, text, self.title)):
            return
        # one unit that never breaks inside ("tasks done: 1 of" / "4" read badly)
        progress = f" · <nobr>tasks done: {done_tasks} of {tasks}</nobr>" if tasks else ""
        title = f"<b>{escape(self.title)}</b> · " if self.title else ""    # on stage
        self.counter.setText(f"{title}<nobr><b>Step {index + 1} of {count}</b></nobr>{progress}")
        self.text.setText(escape(text).replace("\n", "<br>"))
        self.back.setEnabled(index > 0)
        self.fit()

    def show_task(self, prompt: str, choices: tuple[str, ...], locked: bool,
                  chosen: int | None = None) -> None:
        if self._unchanged("task", (prompt, tuple(choices), locked, chosen)):
            return
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
            self._rows = []                        # laid out by fit(), at the body's width
        for b in self.choice_buttons:
            b.setEnabled(not locked)
        self.choices_box.setVisible(bool(choices))
        self._mark_chosen(chosen)
        self.fit()

    def _mark_chosen(self, chosen: int | None) -> None:
        """An answered question keeps the student's answer marked (checked and
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
        if self._unchanged("state", (hint, done_text, last, task_open)):
            return
        self.hint.setText(escape(hint, quote=False).replace("\n", "<br>"))   # text, never HTML
        self.hint.setVisible(bool(hint))
        self.done.setText(done_html(done_text))
        self.done.setVisible(bool(done_text))
        self.next.setEnabled(not last)
        self.next.setText("Skip ▶" if task_open else "Next ▶")
        self.next.setToolTip(("Skip this task: " if task_open else "")
                             + "the next step (Page Down)")
        self.fit()
