"""Training agrees with PyTorch autograd (float64) to 1e-9 on the weights.

Skipped when torch is not installed; it is never a runtime dependency
(``python3 main.py setup --oracle`` installs the pinned version).
"""

from __future__ import annotations

import numpy as np
import pytest

from .cases import CASES, make

torch = pytest.importorskip("torch")

EPOCHS = 60


def torch_activation(name, z):
    return {"linear": lambda t: t, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
            "relu": torch.relu, "softmax": lambda t: torch.softmax(t, dim=1)}[name](z)


def torch_objective(Ws, bs, acts, x_in, x, config, code):
    a, h, z = x_in, None, None
    for k, name in enumerate(acts):
        z = a @ Ws[k] + bs[k]
        a = torch_activation(name, z)
        if k + 1 == code:
            h = a
    if config.loss == "cross_entropy":
        if acts[-1] == "softmax":
            loss = torch.nn.functional.cross_entropy(z, x)       # probability targets
        else:
            loss = torch.nn.functional.binary_cross_entropy(a, x)
    elif config.loss == "mse":
        loss = torch.nn.functional.mse_loss(a, x)
    else:
        loss = (a - x).norm(dim=1).mean()
    sp = config.sparsity
    if sp.penalty == "l1":
        loss = loss + sp.weight * h.abs().sum() / h.shape[0]
    elif sp.penalty == "kl":
        m = (h + 1) / 2 if acts[code - 1] == "tanh" else h
        r, rho = m.mean(dim=0), sp.target
        loss = loss + sp.weight * (rho * torch.log(rho / r)
                                   + (1 - rho) * torch.log((1 - rho) / (1 - r))).sum()
    if config.weight_decay:
        loss = loss + 0.5 * config.weight_decay * sum((W ** 2).sum() for W in Ws)
    return loss


@pytest.mark.parametrize("name", sorted(CASES))
def test_training_matches_pytorch(name):
    trainer = make(name)
    net, config = trainer.net, trainer.config
    Ws = [torch.tensor(w.copy(), dtype=torch.float64, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b.copy(), dtype=torch.float64, requires_grad=True) for b in net.biases]
    if config.optimizer == "adam":
        opt = torch.optim.Adam(Ws + bs, lr=config.learning_rate)
    else:
        opt = torch.optim.SGD(Ws + bs, lr=config.learning_rate, momentum=config.momentum)
    data = torch.tensor(trainer.data, dtype=torch.float64)
    for _ in range(EPOCHS):
        for idx in trainer.batches():          # unshuffled cases: the same batches
            x = data if idx is None else data[torch.as_tensor(idx)]
            opt.zero_grad()
            torch_objective(Ws, bs, net.activations, x, x, config, net.code_layer).backward()
            opt.step()
    trainer.run(EPOCHS)
    moved = max(np.abs(w - w0).max() for w, w0 in
                zip(net.weights, make(name).net.weights))
    assert moved > 1e-2                                   # training really happened
    for k in range(net.depth):
        np.testing.assert_allclose(net.weights[k], Ws[k].detach().numpy(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(net.biases[k], bs[k].detach().numpy(), rtol=0, atol=1e-9)


def test_loss_values_match_pytorch():
    for name in sorted(CASES):
        trainer = make(name)
        result = trainer.step_batch(measure=True, update=False)
        net = trainer.net
        x = torch.tensor(trainer.data, dtype=torch.float64)
        Ws = [torch.tensor(w) for w in net.weights]
        bs = [torch.tensor(b) for b in net.biases]
        if not trainer.full_batch:
            continue
        expected = torch_objective(Ws, bs, net.activations, x, x, trainer.config,
                                   net.code_layer).item()
        assert result.objective == pytest.approx(expected, rel=1e-12, abs=1e-14), name
