"""The Feed list: its model, one line per pattern ("3:  0 0 1 0 0"; a picture
as its thumbnail and "5 (4)", its label), made when Qt asks for a row, so 100,000
patterns cost only the rows the popup shows (no 100,000 strings at a dataset
change), ``reset()`` on a structure or dataset change; and :class:`FeedBox`,
the toolbar's box, as wide as its texts (within a limit) and honest past it."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter

from aeviz.core.files.datasets import Dataset


def _values_text(x) -> str:
    from aeviz.gui.panels.pattern_texts import pattern_text      # one definition of the text
    return pattern_text(x)


SAMPLED = 64           # rows measured for the box's width
MIN_CHARS, MAX_CHARS = 12, 30     # the box's width, in average characters: "1:  1 0 0 0 0"
                                  # at least (the toolbar keeps its value field at 1024
                                  # px); wider for a longer text ("31:  -1.5867 -0.7686
                                  # -0.3463": the value field goes under "»"), up to 30


class PatternListModel(QAbstractListModel):
    def __init__(self, dataset: Callable[[], Dataset], parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset           # read when asked: always the lesson's own
        self._count = len(dataset())

    def reset(self) -> None:
        self.beginResetModel()
        self._count = len(self.dataset())
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def text(self, p: int, matrix=None) -> str:
        """"3:  0 0 1 0 0", "3 (a):  0 0 1 0 0" with a label; a picture (shown as its
        thumbnail: its values mean little as numbers) "5 (4)" or "pattern 5".
        ``matrix``: the dataset's rows, when the caller made them already."""
        ds = self.dataset()
        label = ds.label_text(p)
        if ds.image is not None and ds.kind == "patterns":
            return f"{p + 1} ({label})" if label else f"pattern {p + 1}"
        if matrix is None:
            matrix = ds.rows if ds.kind == "patterns" else ds.matrix()
        return f"{p + 1}{f' ({label})' if label else ''}:  {_values_text(matrix[p])}"

    def widest_texts(self) -> list[str]:
        """Texts as long as the longest row's, or nearly: a picture's with the last
        number and the longest label name; else the first SAMPLED rows' and the
        last's (a dataset's rows are alike; 100,000 are never all made)."""
        ds = self.dataset()
        n = len(ds)
        if n == 0:
            return []
        if ds.image is not None and ds.kind == "patterns":
            names = (ds.label_names or [str(k) for k in range(ds.label_count())]
                     if ds.labels is not None else [])
            return [f"{n} ({max(names, key=len)})"] if names else [f"pattern {n}"]
        matrix = ds.rows if ds.kind == "patterns" else ds.matrix()     # (one-hot: made once)
        return [self.text(p, matrix) for p in sorted(set(range(min(n, SAMPLED))) | {n - 1})]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not 0 <= index.row() < self._count:
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self.text(index.row())
        if role == Qt.DecorationRole:
            ds = self.dataset()
            if ds.image is not None and ds.kind == "patterns":
                from aeviz.gui.panels.pattern_thumbs import THUMB_PX, picture_image
                h, w = ds.image
                return QIcon(QPixmap.fromImage(picture_image(ds.rows[index.row()], ds.image)
                                               .scaled(THUMB_PX * w // h, THUMB_PX)))
        return None


class FeedBox(QComboBox):
    """The toolbar's Feed box: MIN_CHARS average characters wide, wider by what
    its model's longest text needs (measured at each reset, never on every row),
    up to MAX_CHARS; a text still longer is drawn ending in "…" (Qt's own box
    cuts it mid-number), the whole text in the tooltip and in the list below."""

    HINT = "The pattern fed to the network (keys 1–9)"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(MIN_CHARS)
        self.extra_px = 0                    # width past MIN_CHARS the longest text needs
        self.setToolTip(self.HINT)
        self.currentIndexChanged.connect(self._on_current)

    def setModel(self, model) -> None:                      # noqa: N802 (Qt's name)
        super().setModel(model)
        # the list's rows are alike: measured on one, not all 1,797 at every font change
        self.view().setUniformItemSizes(True)
        model.modelReset.connect(self.fit_width)
        self.fit_width()

    def sizeHint(self) -> QSize:                            # noqa: N802 (Qt's name)
        return super().sizeHint() + QSize(self.extra_px, 0)

    def minimumSizeHint(self) -> QSize:                     # noqa: N802 (Qt's name)
        return super().minimumSizeHint() + QSize(self.extra_px, 0)

    def text_room(self, width: int, icon: bool) -> int:
        """Pixels the box's label has for its text when the box is ``width`` wide."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, width, super().sizeHint().height())
        rect = self.style().subControlRect(QStyle.CC_ComboBox, option,
                                           QStyle.SC_ComboBoxEditField, self)
        return rect.width() - 2 - (option.iconSize.width() + 4 if icon else 0)

    def fit_width(self) -> None:
        """Wide enough for the model's longest text (MIN_CHARS..MAX_CHARS), the
        list that drops down at least 44 characters wide."""
        metrics = self.fontMetrics()
        model = self.model()
        widest = max((metrics.horizontalAdvance(t) for t in model.widest_texts()), default=0)
        icon = model.rowCount() > 0 and model.data(model.index(0, 0), Qt.DecorationRole) is not None
        room = self.text_room(super().sizeHint().width(), icon)
        extra = min(max(0, widest - room), (MAX_CHARS - MIN_CHARS) * metrics.averageCharWidth())
        if extra != self.extra_px:
            self.extra_px = extra
            self.updateGeometry()
        self.view().setMinimumWidth(max(metrics.averageCharWidth() * 44, widest + 40))
        self._on_current()

    def changeEvent(self, event) -> None:                   # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and self.model() is not None:
            self.fit_width()

    def _on_current(self, *_args) -> None:
        text = self.currentText()
        self.setToolTip(f"{text}\n{self.HINT}" if text else self.HINT)

    def shown_text(self) -> str:
        """The current text as the box draws it: whole, or ending in "…" where it
        does not fit (in the room Qt's combo label gives its text)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._fitted(option)

    def _fitted(self, option: QStyleOptionComboBox) -> str:
        room = self.text_room(self.width(), not option.currentIcon.isNull())
        return self.fontMetrics().elidedText(option.currentText, Qt.ElideRight, room)

    def paintEvent(self, event) -> None:                    # noqa: N802 (Qt's name)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.CC_ComboBox, option)
        option.currentText = self._fitted(option)
        painter.drawControl(QStyle.CE_ComboBoxLabel, option)
