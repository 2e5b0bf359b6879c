"""Network → Dataset: one-hot sizes and the built-in pictures, with image views."""

from __future__ import annotations

import numpy as np

from aeviz.core.files.datasets import bars, digits, letters
from aeviz.core.files.fileformat import load
from aeviz.gui.window.main_window import MainWindow


def test_one_hot_size_resizes_input_and_output_and_undoes(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    before = w.doc.lesson.network.params.copy()
    w.datasets.ask_one_hot_size = lambda: 8
    w.datasets.choose_one_hot()
    assert w.doc.lesson.network.sizes == (8, 2, 8) and len(w.doc.lesson.data()) == 8
    np.testing.assert_array_equal(w.doc.lesson.network.weights[0][:5], np.array(
        [[1, 1], [1, -1], [-1, 1], [-1, -1], [1, 1]]))           # old weights kept
    assert w.pattern_box.count() == 8 and w.patterns.model().rowCount() == 8
    assert w.doc.lesson.model.description == "" and "One-hot, 8" in w.windowTitle()
    w.datasets.ask_one_hot_size = lambda: None                           # cancelled: nothing happens
    w.datasets.choose_one_hot()
    assert w.doc.lesson.undo_stack.count() == 1
    w.doc.lesson.undo()
    assert w.doc.lesson.network.sizes == (5, 2, 5)
    np.testing.assert_array_equal(w.doc.lesson.network.params, before)


def test_built_in_pictures_switch_softmax_to_sigmoid_and_show_images(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_unsaved = lambda: "discard"
    w.show()
    w.datasets.use_dataset(digits(), "Digits 7×5 (10)", pictures=True)
    assert w.doc.lesson.network.sizes == (35, 2, 35)
    assert w.doc.lesson.network.activations[-1] == "sigmoid"
    w.data_tabs.setCurrentWidget(w.images_view)
    view = w.images_view
    assert len(view.unit_images) == 2 and view.x_image.image.shape[:2] == (5, 7)
    shown = view.x_image.image[..., 0].T                     # back to rows x columns
    np.testing.assert_array_equal(shown < 128, digits().matrix()[0].reshape(7, 5) > 0)
    path = tmp_path / "digits.aeviz"
    assert w.files.save_to(path, wait=True)
    assert load(path).dataset.image == (7, 5)


def test_pictures_are_what_they_say():
    b = bars().matrix().reshape(8, 4, 4)
    assert all(img.sum() == 4 for img in b)
    assert (b[0][0] == 1).all() and (b[4][:, 0] == 1).all()
    assert letters().image == (5, 5) and len(letters()) == 8
    d = digits().matrix().reshape(10, 7, 5)
    assert len({tuple(x.ravel()) for x in d}) == 10             # ten different digits
    one = d[1]
    assert one[:, 2].sum() == 7                                  # the 1 has its stem in the middle


def test_images_tab_without_an_image_shape_says_so(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert "no image shape" in w.images_view.note.text()
