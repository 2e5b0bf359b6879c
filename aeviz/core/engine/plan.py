"""The compiled training plan of the engine (``engine.Engine``), for one network
or many seeds alike: preallocated ``Buffers`` per batch size, and the forward pass and
backpropagation as fixed lists of NumPy calls that allocate nothing.

For each batch size B:

- ``A[k]``  (B, n_k + 1)  activation of layer k plus a column of ones, so that
            z_{k+1} = A[k] @ P[k] is one call (P[k] = [W[k]; b[k]], bias-folded);
- ``Z[k]``  (B, n_{k+1})  pre-activation z_{k+1};
- ``D[k]``  (B, n_{k+1})  error signal delta_{k+1} = dJ/dz_{k+1};
- ``Y``     (B, n_L) output y;  ``T`` (B, n_0) clean targets x;  ``S`` (B, 1) sum_i x_i.

With ``seeds`` every array has a leading axis of S seeds and ``np.matmul``
multiplies each seed's rows by its own parameters (``Engine.from_seeds``).
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from aeviz.core.engine import activations as act
from aeviz.core.config import TrainingConfig
from aeviz.core.engine.losses import loss_for
from aeviz.core.engine.noise import corrupt_inplace
from aeviz.core.engine.penalties import add_sparsity_gradient

Op = Callable[[], object]


class Patterns:
    """The training patterns as the engine uses them, prepared once:
    ``X`` (P, n_0), ``X1`` = [X, 1] row by row (the input with the bias column),
    ``row_sums`` (P, 1) = sum_i x_pi, and ``sum_to_one`` (every row sums to 1, the
    softmax + cross-entropy gradient then skips a multiplication)."""

    def __init__(self, data: np.ndarray) -> None:
        self.X = np.ascontiguousarray(data, dtype=float)
        self.X1 = np.hstack([self.X, np.ones((len(self.X), 1))])
        self.row_sums = self.X.sum(axis=1, keepdims=True)
        self.sum_to_one = bool(np.all(self.row_sums == 1.0))

    def __len__(self) -> int:
        return len(self.X)

    def full_batch(self, config: TrainingConfig) -> bool:
        """One batch of all the patterns (batch size 0 or at least P)."""
        return not 0 < config.batch_size < len(self.X)

    def batches(self, config: TrainingConfig, permutation: Callable[[], np.ndarray],
                seeds: int | None = None) -> list[np.ndarray | None]:
        """One epoch's batches: [None] (all patterns in order) for a full batch, else
        index arrays (B,), or (S, B) with ``seeds``, cut from ``permutation()``
        ((P,) or (S, P); called only when shuffling, as it draws from a generator)."""
        if self.full_batch(config):
            return [None]
        n, size = len(self.X), config.batch_size
        if config.shuffle:
            order = permutation()
        else:
            order = np.arange(n) if seeds is None else np.broadcast_to(np.arange(n), (seeds, n))
        return [order[..., i:i + size] for i in range(0, n, size)]

    def load(self, buf: "Buffers", idx: np.ndarray | None, config: TrainingConfig,
             rng: Callable[[], np.random.Generator | list]) -> None:
        """Inputs A[0] (corrupted if noise is on), clean targets T and row sums S of
        batch ``idx`` into ``buf``; the whole data set in order is copied only when
        ``buf`` does not hold it already.  ``rng()`` gives the noise generator, or
        one per seed (a list) for (S, B, n) buffers."""
        noise = config.noise
        if idx is None:
            if not buf.holds_clean_data:
                np.copyto(buf.A[0], self.X1)
                np.copyto(buf.T, self.X)
                np.copyto(buf.S, self.row_sums)
            buf.holds_clean_data = not noise.active
        else:
            np.take(self.X1, idx, axis=0, out=buf.A[0])
            np.take(self.X, idx, axis=0, out=buf.T)
            np.take(self.row_sums, idx, axis=0, out=buf.S)
            buf.holds_clean_data = False
        if noise.active:
            gens = rng()
            if isinstance(gens, list):
                for s, g in enumerate(gens):
                    corrupt_inplace(buf.A[0][s, :, :-1], noise, g)
            else:
                corrupt_inplace(buf.A[0][:, :-1], noise, gens)


def weight_mask(net) -> np.ndarray:
    """1 on every weight, 0 on every bias, laid out like ``net.params`` (the log
    sigma^2 block of a variational code included)."""
    mask = np.zeros(net.params.size)
    for block in net.split(mask) + [net.split_logvar(mask)]:
        if block is not None:
            block[:-1] = 1.0
    return mask


def weight_decay_ops(params: np.ndarray, grad: np.ndarray, scratch: np.ndarray,
                     decay: np.ndarray) -> list[Op]:
    """grad += decay * params, ``decay`` = weight_decay * ``weight_mask`` (biases
    are not decayed); (N,) or (S, N) arrays alike."""
    return [partial(np.multiply, params, decay, out=scratch),
            partial(np.add, grad, scratch, out=grad)]


def finite_rows(params: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    """The one divergence rule: a network has diverged when a parameter or an output
    of its last forward pass is NaN or infinite.  (N,) params and (B, n) y give a
    0-d bool; (S, N) and (S, B, n) one per seed."""
    if np.isfinite(params).all() and (y is None or np.isfinite(y).all()):
        return np.ones(params.shape[:-1], dtype=bool)       # the usual case, checked at once
    ok = np.isfinite(params).all(axis=-1)
    if y is not None:
        ok &= np.isfinite(y).reshape(y.shape[:-2] + (-1,)).all(axis=-1)
    return ok


class Buffers:
    """Preallocated arrays for one batch size (see module docstring); with
    ``seeds`` each has a leading axis of that length (S seeds trained at once)."""

    def __init__(self, sizes: tuple[int, ...], batch: int, seeds: int | None = None) -> None:
        lead = () if seeds is None else (seeds,)
        L = len(sizes) - 1
        self.batch = batch
        self.A = [np.ones(lead + (batch, n + 1)) for n in sizes[:-1]]
        self.Z = [np.empty(lead + (batch, n)) for n in sizes[1:]]
        self.D = [np.empty(lead + (batch, n)) for n in sizes[1:]]
        self.F = [np.empty(lead + (batch, n)) for n in sizes[1:]]   # derivative scratch
        self.R = [np.empty(lead + (batch, 1)) for _ in sizes[1:]]   # per-row scratch
        self.Y = np.empty(lead + (batch, sizes[-1]))
        self.T = np.empty(lead + (batch, sizes[0]))
        self.S = np.ones(lead + (batch, 1))
        # out[k]: layer k+1's activation.  One network: A[k+1] minus its ones column.
        # Seeds: a contiguous array copied into A[k+1] once (elementwise calls on the
        # strided (S, B, n) view cost several times more there)
        self.copies_hidden = seeds is not None
        self.out = [np.empty(lead + (batch, n)) if self.copies_hidden else self.A[k + 1][..., :-1]
                    for k, n in enumerate(sizes[1:L])] + [self.Y]
        self.holds_clean_data = False   # A[0], T, S hold the whole dataset in order


class LayerView:
    """Buffers seen as if layer pair k were the only one (for ``forward_ops``)."""

    def __init__(self, buf: Buffers, k: int) -> None:
        self.A, self.Z, self.out, self.R = [buf.A[k]], [buf.Z[k]], [buf.out[k]], [buf.R[k]]
        self.copies_hidden = buf.copies_hidden


def _transposed(a: np.ndarray) -> np.ndarray:
    """The matrix transpose of a (..., m, n) array (a view)."""
    return a.swapaxes(-1, -2)


def forward_ops(activations: tuple[str, ...], blocks: list[np.ndarray], buf: "Buffers",
                matmul: Callable = np.dot) -> list[Op]:
    """z_{k+1} = A[k] @ P[k], a_{k+1} = f(z_{k+1}) for every layer.  ``blocks`` are the
    P[k], (n_k + 1, n_{k+1}) or (seeds, n_k + 1, n_{k+1}) with ``np.matmul``."""
    ops: list[Op] = []
    for k, name in enumerate(activations):
        ops.append(partial(matmul, buf.A[k], blocks[k], out=buf.Z[k]))
        ops += act.forward_ops(name, buf.Z[k], buf.out[k], buf.R[k])
        ops += feed_next_ops(buf, k)
    return ops


def feed_next_ops(buf: "Buffers", k: int) -> list[Op]:
    """Copy layer k+1's activation out[k] into A[k+1] (beside its ones column), the
    next layer's input, where it is not computed in place; nothing for the output
    layer (or a one-layer view)."""
    if k + 1 >= len(buf.A) or not buf.copies_hidden:
        return []
    return [partial(np.copyto, buf.A[k + 1][..., :-1], buf.out[k])]


def output_delta_ops(config: TrainingConfig, out_activation: str, buf: "Buffers",
                     targets_sum_to_one: bool) -> list[Op]:
    """dJ/dz at the output layer into D[L-1], by the configured loss's own calls."""
    return loss_for(config.loss).delta_ops(out_activation, buf.Y, buf.T, buf.S, buf.D[-1],
                                           buf.Z[-1], buf.F[-1], buf.R[-1], targets_sum_to_one)


def backward_ops(activations: tuple[str, ...], blocks: list[np.ndarray], code_layer: int,
                 config: TrainingConfig, buf: "Buffers", grad_blocks: list[np.ndarray],
                 targets_sum_to_one: bool, matmul: Callable = np.dot) -> list[Op]:
    """Backpropagation into ``grad_blocks`` (laid out like ``blocks``); weight decay
    is left to the caller."""
    ops = output_delta_ops(config, activations[-1], buf, targets_sum_to_one)
    for k in range(len(activations) - 1, -1, -1):
        ops.append(partial(matmul, _transposed(buf.A[k]), buf.D[k], out=grad_blocks[k]))
        if k == 0:
            break
        # delta_k = (delta_{k+1} W[k]^T + [k is the code] dOmega/dh) * f'(z_k)
        weights = blocks[k][..., :-1, :]
        ops.append(partial(matmul, buf.D[k], _transposed(weights), out=buf.D[k - 1]))
        name = activations[k - 1]
        if k == code_layer and config.sparsity.active:
            ops.append(partial(add_sparsity_gradient, config.sparsity, name,
                               buf.out[k - 1], buf.D[k - 1]))
        ops += act.chain_ops(name, buf.Z[k - 1], buf.out[k - 1], buf.D[k - 1],
                             buf.F[k - 1], buf.R[k - 1])
    return ops


_COMPILED: dict[str, object] = {}    # source text -> code object

SMALL = 4096     # outputs up to this many values get their float constants as arrays


def _constant_array(func, arg, out):
    """A Python float operand of an elementwise call into a small ``out``, as an
    array of ``out``'s shape filled with it: the same value in every element
    gives the same bits, and NumPy skips converting the float on every call
    (a third of a tiny call's cost).  Anything else is returned as it is."""
    if (type(arg) is float and isinstance(func, np.ufunc) and isinstance(out, np.ndarray)
            and out.dtype == np.float64 and out.size <= SMALL):
        return np.full(out.shape, arg)
    return arg


def compile_ops(ops: list[Op]) -> Callable[[int], None]:
    """``run(n)``: the calls ``ops`` in order, ``n`` times over, written out as one
    Python function (each NumPy function and array bound to a local name, ufunc
    outputs passed by position) instead of a walk over a list of ``partial``
    objects, with the float constants of small elementwise calls as arrays
    (``_constant_array``).  The same operations on the same values, so the same
    bits; only the interpreter's share of a small network's epoch shrinks."""
    ns: dict[str, object] = {}
    body = []
    for i, op in enumerate(ops):
        if not isinstance(op, partial):
            ns[f"f{i}"] = op
            body.append(f"f{i}()")
            continue
        ns[f"f{i}"] = op.func
        args = []
        kw = dict(op.keywords)
        for j, a in enumerate(op.args):
            ns[f"a{i}_{j}"] = _constant_array(op.func, a, kw.get("out"))
            args.append(f"a{i}_{j}")
        positional_out = "out" in kw and (
            (isinstance(op.func, np.ufunc) and len(op.args) == op.func.nin and len(kw) == 1
             and op.func not in (np.maximum, np.minimum))     # these want out= by name
            or (op.func is np.dot and len(op.args) == 2 and len(kw) == 1))
        if positional_out:
            ns[f"o{i}"] = kw.pop("out")
            args.append(f"o{i}")
        for k, v in kw.items():
            ns[f"k{i}_{k}"] = v
            args.append(f"{k}=k{i}_{k}")
        body.append(f"f{i}({', '.join(args)})")
    names = ", ".join(f"{k}={k}" for k in ns)
    src = (f"def run(n, {names}):\n" if ns else "def run(n):\n") + "    for _ in range(n):\n"
    src += "".join(f"        {line}\n" for line in body) or "        pass\n"
    code = _COMPILED.get(src)
    if code is None:          # plans of one shape give one text: compiled once a process
        code = _COMPILED[src] = compile(src, "<aeviz compiled plan>", "exec")
    scope: dict[str, object] = {}
    exec(code, ns, scope)
    return scope["run"]  # type: ignore[return-value]
