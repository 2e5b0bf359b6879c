"""A vector table shows the values it was last given, in the format it was last
told (values it shows already are not written again, and nothing else is skipped)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from aeviz.gui.drawing.diagram_items import fmt, output_formatter
from aeviz.gui.panels.vector_table import VectorTable


def test_a_vector_table_follows_values_formats_and_hiding(qtbot):
    t = VectorTable("Output", "y")
    qtbot.addWidget(t)
    changed = []
    t.model().dataChanged.connect(lambda *a: changed.append(1))
    v = np.array([0.25, 0.9996, -0.5])
    t.set_values(v)
    assert [t.cell_text(i) for i in range(3)] == ["0.250", "1.000", "-0.500"]
    changed.clear()
    t.set_values(v.copy())                              # the same values: nothing to redraw
    assert changed == []
    t.set_formatter(output_formatter("tanh"))           # a new format, the same values
    t.set_values(v.copy())
    assert t.cell_text(1) == ">0.999" and changed
    t.model().hide_values()
    assert t.cell_text(0) == "?"
    t.set_values(v.copy())                              # shown again after "?"
    assert t.cell_text(0) == "0.250"
    v2 = v.copy()
    v2[2] = np.nan
    t.set_formatter(fmt)
    t.set_values(v2)
    assert t.cell_text(2) == "nan"
    assert t.model().data(t.cell(0), Qt.UserRole) == 0.25
