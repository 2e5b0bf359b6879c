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


def test_cell_colours_follow_values_hiding_and_layout(qtbot):
    """The cells' (fill, ink) are worked out once per change, never left stale."""
    from aeviz.gui.panels.table_cells import hidden_colors, value_colors
    t = VectorTable("Code", "h")
    qtbot.addWidget(t)

    def colours(i: int):
        cell = t.cell(i)
        return cell.data(Qt.BackgroundRole), cell.data(Qt.ForegroundRole)

    t.set_values(np.array([0.9, -0.9, 0.0]))
    assert colours(0) == value_colors(0.9) and colours(1) == value_colors(-0.9)
    t.set_values(np.array([-0.9, 0.9, 0.0]))                 # new values: new colours
    assert colours(0) == value_colors(-0.9) and colours(1) == value_colors(0.9)
    t.hide_values()
    assert colours(0) == hidden_colors()
    t.set_values(np.array([-0.9, 0.9, 0.0]))                 # the same values, shown again
    assert colours(0) == value_colors(-0.9)
    t.set_values(np.array([0.5, 0.2, -0.3, 0.7]))            # another length: laid out anew
    assert colours(3) == value_colors(0.7)
    assert t.cell(0).data(Qt.TextAlignmentRole) == int(Qt.AlignCenter.value)
    assert t.cell(2).data(Qt.UserRole) == -0.3
