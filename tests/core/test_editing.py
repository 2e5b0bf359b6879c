"""Structure edits keep every weight that still applies."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Dataset, Network, NetworkError
from aeviz.core.lessons import editing as ed


@pytest.fixture
def net():
    n = Network.create([5, 3, 5], ["tanh", "softmax"], rng=np.random.default_rng(1))
    n.params[:] = np.arange(n.params.size, dtype=float)   # every value distinct
    return n


def test_add_hidden_unit_keeps_old_weights(net):
    new = ed.add_unit(net, 1, np.random.default_rng(0))
    assert new.sizes == (5, 4, 5)
    np.testing.assert_array_equal(new.weights[0][:, :3], net.weights[0])
    np.testing.assert_array_equal(new.weights[1][:3], net.weights[1])
    np.testing.assert_array_equal(new.biases[0][:3], net.biases[0])
    assert new.biases[0][3] == 0.0


def test_add_input_unit_grows_output_too(net):
    new = ed.add_unit(net, 0, np.random.default_rng(0))
    assert new.sizes == (6, 3, 6)
    np.testing.assert_array_equal(new.weights[0][:5], net.weights[0])
    np.testing.assert_array_equal(new.weights[1][:, :5], net.weights[1])


def test_remove_unit_drops_its_row_and_column(net):
    new = ed.remove_unit(net, 1, 1)
    assert new.sizes == (5, 2, 5)
    np.testing.assert_array_equal(new.weights[0], net.weights[0][:, [0, 2]])
    np.testing.assert_array_equal(new.weights[1], net.weights[1][[0, 2]])
    np.testing.assert_array_equal(new.biases[0], net.biases[0][[0, 2]])
    np.testing.assert_array_equal(new.biases[1], net.biases[1])


def test_add_then_remove_is_identity(net):
    again = ed.remove_unit(ed.add_unit(net, 1, np.random.default_rng(0)), 1, 3)
    np.testing.assert_array_equal(again.params, net.params)


def test_limits_are_refused_with_a_reason(net):
    small = ed.remove_unit(ed.remove_unit(net, 1, 0), 1, 0)
    with pytest.raises(NetworkError, match="cannot lose"):
        ed.remove_unit(small, 1, 0)
    with pytest.raises(NetworkError, match="only hidden layers"):
        ed.remove_layer(net, 2, np.random.default_rng(0))


def test_insert_and_remove_layer_keep_outer_blocks(net):
    deeper = ed.insert_layer(net, 2, 2, "tanh", np.random.default_rng(0))
    assert deeper.sizes == (5, 3, 2, 5) and deeper.activations == ("tanh", "tanh", "softmax")
    np.testing.assert_array_equal(deeper.blocks[0], net.blocks[0])
    assert deeper.code_layer == 2
    back = ed.remove_layer(deeper, 2, np.random.default_rng(0))
    assert back.sizes == net.sizes
    np.testing.assert_array_equal(back.blocks[0], net.blocks[0])


def test_resize_dataset():
    assert ed.resize_dataset(Dataset.one_hot(5), 6) == Dataset.one_hot(6)
    pats = Dataset.patterns(np.array([[1, 0, 1], [0, 1, 1]]))
    assert ed.resize_dataset(pats, 4).matrix().tolist() == [[1, 0, 1, 0], [0, 1, 1, 0]]
    assert ed.resize_dataset(pats, 2, removed=1).matrix().tolist() == [[1, 1], [0, 1]]
