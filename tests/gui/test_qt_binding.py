"""Guards against a broken Qt binding: PySide6 6.12.0 decrements None's
reference count every time a Qt call returns None, which aborts Python 3.11
("deallocating None") after a few thousand clicks on empty space."""

import sys

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QTableWidget


def test_qt_calls_returning_none_keep_none_alive(qtbot):
    table = QTableWidget(2, 2)
    view = QGraphicsView(QGraphicsScene())
    qtbot.addWidget(table)
    qtbot.addWidget(view)
    before = sys.getrefcount(None)
    for _ in range(2000):
        assert table.item(0, 0) is None
        assert view.itemAt(QPoint(3, 3)) is None
    assert sys.getrefcount(None) > before - 500
