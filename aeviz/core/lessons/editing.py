"""Structure edits: add or remove a neuron or a hidden layer, change an activation.

Each returns a *new* Network and keeps every existing weight that still applies;
new weights are drawn Glorot-uniform from the generator given, new biases are 0.
An autoencoder's output reproduces its input, so a neuron added to (removed from)
the input layer is also added to (removed from) the output layer.  A variational
code stays variational; its log-variance block is kept when its shape is, else it
starts again at log sigma^2 = 0.
"""

from __future__ import annotations

import numpy as np

from aeviz.core.files.datasets import Dataset
from aeviz.core.engine.network import MAX_LAYERS, MAX_UNITS, MIN_UNITS, Network, NetworkError


def _resized(net: Network, sizes: list[int], keep_in: list[np.ndarray],
             keep_out: list[np.ndarray], activations: tuple[str, ...],
             rng: np.random.Generator) -> Network:
    """A network of ``sizes`` whose block k keeps rows keep_in[k], columns keep_out[k]
    of the old block k (row/column index -1 marks a new unit)."""
    new = Network.create(sizes, activations, rng=rng)
    for k in range(len(sizes) - 1):
        rows, cols = keep_in[k], keep_out[k]
        old_w, old_b = net.weights[k], net.biases[k]
        for i_new, i_old in enumerate(rows):
            for j_new, j_old in enumerate(cols):
                if i_old >= 0 and j_old >= 0:
                    new.weights[k][i_new, j_new] = old_w[i_old, j_old]
        for j_new, j_old in enumerate(cols):
            new.biases[k][j_new] = old_b[j_old] if j_old >= 0 else 0.0
    return _keep_variational(net, new)


def _keep_variational(old: Network, new: Network) -> Network:
    """``new`` made variational like ``old`` (keeping old's log-variance block when
    the code layer and the layer below it keep their place and size)."""
    if not old.variational or len(new.sizes) < 3:
        return new
    out = new.with_variational(True)
    c_old, c_new = old.code_layer, out.code_layer
    if (c_old, old.sizes[c_old - 1], old.sizes[c_old]) == (c_new, out.sizes[c_new - 1],
                                                           out.sizes[c_new]):
        out.logvar_block[...] = old.logvar_block
    return out


def _unit_maps(sizes, layer_map):
    """Row maps (units of layer k) and column maps (units of layer k+1) per block."""
    maps = [layer_map.get(i, list(range(n))) for i, n in enumerate(sizes)]
    return maps[:-1], maps[1:]


def add_unit(net: Network, layer: int, rng: np.random.Generator) -> Network:
    """One more unit at the end of ``layer`` (input and output grow together)."""
    layers = {0, net.depth} if layer in (0, net.depth) else {layer}
    sizes = list(net.sizes)
    for i in layers:
        if sizes[i] >= MAX_UNITS:
            raise NetworkError(f"layer {i} already has the maximum of {MAX_UNITS} units")
        sizes[i] += 1
    layer_map = {i: list(range(net.sizes[i])) + [-1] for i in layers}
    rows, cols = _unit_maps(net.sizes, layer_map)
    return _resized(net, sizes, rows, cols, net.activations, rng)


def remove_unit(net: Network, layer: int, index: int) -> Network:
    """Remove unit ``index`` of ``layer`` (of the input and the output together)."""
    layers = {0, net.depth} if layer in (0, net.depth) else {layer}
    sizes = list(net.sizes)
    for i in layers:
        if sizes[i] <= MIN_UNITS + (1 if i in (0, net.depth) else 0):
            raise NetworkError(f"layer {i} has only {sizes[i]} unit"
                               f"{'s' if sizes[i] > 1 else ''}; it cannot lose another")
        if not 0 <= index < sizes[i]:
            raise NetworkError(f"layer {i} has no unit {index + 1}")
        sizes[i] -= 1
    layer_map = {i: [u for u in range(net.sizes[i]) if u != index] for i in layers}
    rows, cols = _unit_maps(net.sizes, layer_map)
    return _resized(net, sizes, rows, cols, net.activations, rng=np.random.default_rng(0))


def insert_layer(net: Network, position: int, size: int, activation: str,
                 rng: np.random.Generator) -> Network:
    """A new hidden layer becomes layer ``position`` (1..depth); the blocks into and
    out of it are new, every other block is kept."""
    if net.depth >= MAX_LAYERS:
        raise NetworkError(f"a network has at most {MAX_LAYERS} layers after the input")
    if not 1 <= position <= net.depth:
        raise NetworkError("a hidden layer goes between the input and the output")
    sizes = list(net.sizes[:position]) + [size] + list(net.sizes[position:])
    acts = net.activations[:position - 1] + (activation,) + net.activations[position - 1:]
    new = Network.create(sizes, acts, rng=rng)
    for k in range(net.depth):
        if k < position - 1:
            new.blocks[k][...] = net.blocks[k]
        elif k > position - 1:
            new.blocks[k + 1][...] = net.blocks[k]
    return _keep_variational(net, new)


def remove_layer(net: Network, layer: int, rng: np.random.Generator) -> Network:
    """Remove hidden ``layer``; the block joining its neighbours is new."""
    if not 1 <= layer < net.depth:
        raise NetworkError("only hidden layers can be removed")
    sizes = list(net.sizes[:layer]) + list(net.sizes[layer + 1:])
    acts = net.activations[:layer - 1] + net.activations[layer:]
    new = Network.create(sizes, acts, rng=rng)
    for k in range(net.depth):
        if k < layer - 1:
            new.blocks[k][...] = net.blocks[k]
        elif k > layer:
            new.blocks[k - 1][...] = net.blocks[k]
    return _keep_variational(net, new)


def with_activation(net: Network, layer: int, activation: str) -> Network:
    """The same weights with layer ``layer``'s activation changed."""
    acts = list(net.activations)
    acts[layer - 1] = activation
    return Network(net.sizes, tuple(acts), net.params.copy(), net.variational)


def resize_dataset(dataset: Dataset, width: int, removed: int | None = None) -> Dataset:
    """The dataset for a new input width: one-hot stays one-hot; explicit patterns
    gain a column of zeros, or lose column ``removed``."""
    if dataset.kind == "one_hot":
        return Dataset.one_hot(width)
    rows = dataset.rows
    if removed is not None:
        rows = np.delete(rows, removed, axis=1)
    elif width > rows.shape[1]:
        rows = np.hstack([rows, np.zeros((len(rows), width - rows.shape[1]))])
    return Dataset.patterns(rows)
