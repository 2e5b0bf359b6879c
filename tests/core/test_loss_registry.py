"""The registries of losses and penalties (aeviz.core.engine.losses and
aeviz.core.engine.penalties): every registered object's gradient agrees with
central finite differences of its own value and with PyTorch autograd; unknown
names are refused, never trained as something else."""

from __future__ import annotations

import numpy as np
import pytest

from aeviz.core import Network, Trainer, TrainingConfig, config as cfg
from aeviz.core.engine.activations import evaluate
from aeviz.core.config import Sparsity
from aeviz.core.engine.losses import LOSSES, ConfigError, Loss, loss_for
from aeviz.core.engine.penalties import PENALTIES, check_compatible, penalty_for

OUTPUTS = ("softmax", "sigmoid", "linear", "tanh")
def _fits(loss: Loss, out: str) -> bool:
    try:
        loss.check(out)
        return True
    except ConfigError:
        return False


LOSS_CASES = [(name, out) for name, loss in LOSSES.items() for out in OUTPUTS
              if _fits(loss, out)]
PENALTY_CASES = [(name, code) for name, p in PENALTIES.items() for code in ("tanh", "sigmoid")
                 if p.code_activations is None or code in p.code_activations]


def _batch(seed: int, n: int = 4, batch: int = 3, targets: str = "soft"):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(batch, n))
    x = rng.random((batch, n)) if targets == "soft" else np.eye(n)[rng.integers(n, size=batch)]
    return z, x


def _value(name: str, out: str, z: np.ndarray, x: np.ndarray) -> float:
    return float(loss_for(name).value(out, z, evaluate(out, z), x))


def test_every_name_in_the_settings_is_registered_and_only_those():
    assert cfg.LOSSES == tuple(LOSSES) and cfg.PENALTIES == tuple(PENALTIES)
    assert "none" in PENALTIES and {"l1", "kl"} <= set(PENALTIES)


@pytest.mark.parametrize("name,out", LOSS_CASES)
@pytest.mark.parametrize("targets", ["soft", "one_hot"])
def test_loss_gradient_matches_finite_differences(name, out, targets):
    for seed in range(3):
        z, x = _batch(seed, targets=targets)
        grad = loss_for(name).gradient(out, z, x)
        numeric = np.zeros_like(z)
        eps = 1e-6
        for idx in np.ndindex(z.shape):
            zp, zm = z.copy(), z.copy()
            zp[idx] += eps
            zm[idx] -= eps
            numeric[idx] = (_value(name, out, zp, x) - _value(name, out, zm, x)) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def _code(seed: int, code: str, batch: int = 5, n: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return evaluate(code, rng.normal(size=(batch, n)))


@pytest.mark.parametrize("name,code", PENALTY_CASES)
def test_penalty_gradient_matches_finite_differences(name, code):
    sp = Sparsity(name, 0.3, 0.2)
    p = penalty_for(name)
    for seed in range(3):
        h = _code(seed, code)
        grad = np.zeros_like(h)
        p.add_gradient(sp, code, h, grad)
        numeric = np.zeros_like(h)
        eps = 1e-6
        for idx in np.ndindex(h.shape):
            hp, hm = h.copy(), h.copy()
            hp[idx] += eps
            hm[idx] -= eps
            numeric[idx] = (p.value(sp, code, hp) - p.value(sp, code, hm)) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("name,code", PENALTY_CASES)
def test_penalty_gradient_per_seed_is_each_seeds_own(name, code):
    """(S, B, n) codes: the batched trainer's call gives each seed its single gradient."""
    sp, p = Sparsity(name, 0.3, 0.2), penalty_for(name)
    hs = np.stack([_code(s, code) for s in range(3)])
    together = np.zeros_like(hs)
    p.add_gradient(sp, code, hs, together)
    for s in range(3):
        alone = np.zeros_like(hs[s])
        p.add_gradient(sp, code, hs[s], alone)
        np.testing.assert_array_equal(together[s], alone)


def _torch_loss(torch, name, out, z, x):
    F = torch.nn.functional
    a = {"softmax": lambda t: torch.softmax(t, dim=1), "sigmoid": torch.sigmoid,
         "linear": lambda t: t, "tanh": torch.tanh}[out](z)
    if name == "cross_entropy":
        return F.cross_entropy(z, x) if out == "softmax" else F.binary_cross_entropy(a, x)
    if name == "mse":
        return F.mse_loss(a, x)
    if name == "euclidean":
        return (a - x).norm(dim=1).mean()
    raise AssertionError(f"register {name!r}'s PyTorch counterpart in this test")


@pytest.mark.parametrize("name,out", LOSS_CASES)
def test_loss_value_and_gradient_match_pytorch(name, out):
    torch = pytest.importorskip("torch")
    for seed in range(3):
        z, x = _batch(seed)
        zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        value = _torch_loss(torch, name, out, zt, torch.tensor(x, dtype=torch.float64))
        value.backward()
        assert _value(name, out, z, x) == pytest.approx(value.item(), rel=1e-12, abs=1e-14)
        np.testing.assert_allclose(loss_for(name).gradient(out, z, x), zt.grad.numpy(),
                                   rtol=1e-9, atol=1e-12)


def _torch_penalty(torch, name, code, h, weight, rho):
    if name == "none":
        return h.sum() * 0.0
    if name == "l1":
        return weight * h.abs().sum() / h.shape[0]
    if name == "kl":
        m = (h + 1) / 2 if code == "tanh" else h
        r = m.mean(dim=0)
        return weight * (rho * torch.log(rho / r) + (1 - rho) * torch.log((1 - rho) / (1 - r))).sum()
    raise AssertionError(f"register {name!r}'s PyTorch counterpart in this test")


@pytest.mark.parametrize("name,code", PENALTY_CASES)
def test_penalty_value_and_gradient_match_pytorch(name, code):
    torch = pytest.importorskip("torch")
    sp, p = Sparsity(name, 0.3, 0.2), penalty_for(name)
    for seed in range(3):
        h = _code(seed, code)
        ht = torch.tensor(h, dtype=torch.float64, requires_grad=True)
        value = _torch_penalty(torch, name, code, ht, sp.weight, sp.target)
        value.backward()
        assert p.value(sp, code, h) == pytest.approx(value.item(), rel=1e-12, abs=1e-14)
        grad = np.zeros_like(h)
        p.add_gradient(sp, code, h, grad)
        np.testing.assert_allclose(grad, ht.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_every_registered_object_explains_itself():
    x, y = np.array([1.0, 0.0, 0.0]), np.array([0.7, 0.2, 0.1])
    for name, out in LOSS_CASES:
        assert "L =" in loss_for(name).explain(out, x, y, None)
    for name, p in PENALTIES.items():
        text = p.explain(Sparsity(name, 0.5, 0.1))
        assert (text == "") == (name == "none")
        if text:
            assert "0.5" in text


def test_a_loss_states_its_formula_alone_and_before_its_value():
    """While a prediction hides the numbers, the Explain panel shows the loss's
    formula (``Loss.formula``) and no value; the explanation with values starts
    with the same sentence."""
    from aeviz.core.measures.explain import hidden_loss_text
    x, y = np.array([1.0, 0.0, 0.0]), np.array([0.7, 0.2, 0.1])
    for name, out in LOSS_CASES:
        loss = loss_for(name)
        formula = loss.formula(out)
        assert "L =" in formula and "pattern" not in formula
        shown = loss.explain(out, x, y, None)
        assert shown.startswith(formula + " For this pattern L = ")
        value = shown[len(formula + " For this pattern L = "):]           # "0.357." ...
        net = Network.create([3, 2, 3], ["tanh", out], rng=np.random.default_rng(0))
        hidden = hidden_loss_text(TrainingConfig(loss=name), net, x)
        assert hidden.startswith(formula + " For this pattern L and")
        assert value.rstrip(".") not in hidden


def test_unknown_names_are_refused_not_trained_as_something_else():
    net = Network.create([4, 2, 4], ["sigmoid", "sigmoid"], rng=np.random.default_rng(0))
    with pytest.raises(ConfigError, match="unknown sparsity penalty 'l2'"):
        check_compatible(TrainingConfig(sparsity=Sparsity("l2", 0.1)), net.activations,
                         net.code_layer)
    with pytest.raises(ConfigError, match="unknown loss 'hinge'"):
        check_compatible(TrainingConfig(loss="hinge"), net.activations, net.code_layer)
    with pytest.raises(ConfigError):                    # the trainer refuses it too
        Trainer(net, TrainingConfig(sparsity=Sparsity("l2", 0.1)), np.eye(4))


def test_compatibility_rules_come_from_the_objects():
    with pytest.raises(ConfigError, match="cross-entropy needs a softmax or sigmoid"):
        loss_for("cross_entropy").check("tanh")
    with pytest.raises(ConfigError, match="KL sparsity penalty needs a sigmoid or tanh"):
        penalty_for("kl").check("relu", True)
    with pytest.raises(ConfigError, match="hidden code layer"):
        penalty_for("l1").check("tanh", False)
    penalty_for("none").check("relu", False)
