"""What hovering a neuron says: its formula with the current numbers."""

from __future__ import annotations

from aeviz.core.engine.activations import symbol
from aeviz.core.numbers import activation_value, number
from aeviz.gui.drawing.diagram_items import fmt


def neuron_formula(net, k: int, j: int, zs, acts, hidden: bool = False) -> str:
    """e.g. h1 = tanh(1.00·1 + (-1.00)·0 + ... + 0.00) = 0.762 for neuron j of layer
    k, from the pre-activations ``zs`` and activations ``acts`` (lists per layer of
    (1, n_k) arrays) of one forward pass; ``hidden`` (a prediction open): its
    formula without the fed pattern's numbers."""
    if k == 0:
        return f"input x{j + 1} = {fmt(acts[0][0, j])}\nclick to toggle 0/1"
    name = "y" if k == net.depth else ("h" if k == net.code_layer else f"a{k}_")
    w, b = net.weights[k - 1][:, j], net.biases[k - 1][j]
    if hidden:
        f = symbol(net.activations[k - 1]) or "identity"
        return (f"{name}{j + 1} = {f}(a W + b): its value for the fed pattern is hidden "
                f"until R reveals it (predict, then reveal)\nbias {number(b)} "
                f"(double-click to edit bias and activation)")
    prev = acts[k - 1][0]
    terms = [f"({number(wi, 2)})·{number(ai, 2)}" if wi < 0 else
             f"{number(wi, 2)}·{number(ai, 2)}"
             for wi, ai in zip(w, prev)]
    if len(terms) > 6:
        terms = terms[:3] + ["…"] + terms[-2:]
    f = symbol(net.activations[k - 1])
    z = zs[k][0, j]
    inner = " + ".join(terms) + f" + {number(b, 2)}"
    if net.activations[k - 1] == "softmax":
        body = f"z{j + 1} = {inner} = {number(z)}\n{name}{j + 1} = softmax(z){j + 1}"
    elif f:
        body = f"{name}{j + 1} = {f}({inner})"
    else:
        body = f"{name}{j + 1} = {inner}"
    value = activation_value(acts[k][0, j], net.activations[k - 1])
    return (f"{body} = {value}\nbias {number(b)} "
            f"(double-click to edit bias and activation)")
