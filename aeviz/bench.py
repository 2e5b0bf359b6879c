"""Engine speed benchmark: ``aeviz bench [--json OUT]`` (``python3 main.py bench``).

Each figure is a ratio against a reference measured in the same run, because
absolute times on shared machines vary a lot.  The reference of the 5-2-5 full
batch is the fastest loop NumPy allows for that one shape (``fastest_full_batch``:
``[W; b]`` folded into one flat vector, every buffer, view and constant made
before the loop, the softmax and cross-entropy gradient fused to (y - x)/B with
the learning rate folded in, 17 NumPy calls and nothing allocated per epoch); the
other rows keep the earlier hand-tuned loop (``hand_tuned``: preallocated
buffers, biases folded, ``out=`` everywhere), so their ratios compare with
earlier runs.  A plain textbook NumPy loop, scikit-learn and PyTorch (when
installed) are measured on the same task for comparison.
"""

from __future__ import annotations

import json
import time
from typing import Callable

import numpy as np

from aeviz.core import Network, Trainer, TrainingConfig
from aeviz.core.files.safeio import atomic_write


def hand_tuned(X: np.ndarray, P1: np.ndarray, P2: np.ndarray, lr: float,
               epochs: int, batch: int) -> None:
    """tanh -> softmax, cross-entropy, SGD; P1 (n0+1, n1), P2 (n1+1, n2) folded."""
    P, n0 = X.shape
    n1 = P1.shape[1]
    X1 = np.hstack([X, np.ones((P, 1))])
    bufs = {}
    for B in {min(batch, P), P % batch or batch}:
        bufs[B] = dict(A0=np.empty((B, n0 + 1)), T=np.empty((B, n0)), Z1=np.empty((B, n1)),
                       H=np.ones((B, n1 + 1)), Z2=np.empty((B, n0)), Y=np.empty((B, n0)),
                       D2=np.empty((B, n0)), D1=np.empty((B, n1)), F=np.empty((B, n1)),
                       r=np.empty((B, 1)))
    G1, G2 = np.empty_like(P1), np.empty_like(P2)
    W2 = P2[:-1]
    full = batch >= P
    if full:
        bufs[P]["A0"][:] = X1
        bufs[P]["T"][:] = X
    starts = range(0, P, batch)
    for _ in range(epochs):
        for s in starts:
            b = bufs[min(batch, P - s)]
            A0, T, Z1, H, Z2, Y = b["A0"], b["T"], b["Z1"], b["H"], b["Z2"], b["Y"]
            D2, D1, F, r = b["D2"], b["D1"], b["F"], b["r"]
            if not full:
                A0[:] = X1[s:s + batch]
                T[:] = X[s:s + batch]
            h = H[:, :-1]
            np.dot(A0, P1, out=Z1)
            np.tanh(Z1, out=h)
            np.dot(H, P2, out=Z2)
            np.maximum.reduce(Z2, axis=1, keepdims=True, out=r)
            np.subtract(Z2, r, out=Y)
            np.exp(Y, out=Y)
            np.add.reduce(Y, axis=1, keepdims=True, out=r)
            Y /= r
            np.subtract(Y, T, out=D2)
            D2 *= 1.0 / len(Y)
            np.dot(H.T, D2, out=G2)
            np.dot(D2, W2.T, out=D1)
            np.multiply(h, h, out=F)
            np.subtract(1.0, F, out=F)
            D1 *= F
            np.dot(A0.T, D1, out=G1)
            G1 *= lr
            P1 -= G1
            G2 *= lr
            P2 -= G2


def fastest_full_batch(X: np.ndarray, P1: np.ndarray, P2: np.ndarray, lr: float,
                       epochs: int, batch: int = 0) -> None:
    """The fastest loop NumPy allows for one shape (the 5-2-5 full-batch reference):
    tanh -> softmax, cross-entropy, SGD, all patterns at once, trained in place
    in P1 (n0+1, n1) and P2 (n1+1, n2) (``[W; b]`` folded).

    - both blocks are views of one flat vector, and so are their gradients: the
      update p <- p - g is one call;
    - the learning rate is folded into the output error, which is fused with the
      softmax: d = y lr/B - x lr/B = e^(z-m) / (sum e^(z-m) B/lr) - x lr/B, so the
      gradients A^T d are already lr dJ/dP;
    - the row sums of e^(z-m) are one product with a column of ones (cheaper than
      a reduction), the row maxima one ``maximum.reduce``;
    - every buffer, view, transpose and constant (as an array, not a Python
      float) made before the loop, every NumPy function a local name, outputs
      passed by position: nothing is allocated per epoch.
    17 NumPy calls an epoch."""
    P, n0 = X.shape
    n1 = P1.shape[1]
    flat = np.concatenate([P1.ravel(), P2.ravel()])
    Q1, Q2 = flat[:P1.size].reshape(P1.shape), flat[P1.size:].reshape(P2.shape)
    grad = np.empty_like(flat)
    G1, G2 = grad[:P1.size].reshape(P1.shape), grad[P1.size:].reshape(P2.shape)
    A0 = np.hstack([X, np.ones((P, 1))])
    A0T, XC = A0.T, X * (lr / P)
    Z1, Z2, D2 = np.empty((P, n1)), np.empty((P, n0)), np.empty((P, n0))
    H = np.ones((P, n1 + 1))
    h, HT, W2T = H[:, :-1], H.T, Q2[:-1].T
    D1, F, r = np.empty((P, n1)), np.empty((P, n1)), np.empty((P, 1))
    ONE, COL, SCALE = np.ones((P, n1)), np.ones((n0, 1)), np.full((P, 1), P / lr)
    dot, tanh, exp, sub, mul, div = np.dot, np.tanh, np.exp, np.subtract, np.multiply, np.divide
    maxr = np.maximum.reduce
    for _ in range(epochs):
        dot(A0, Q1, Z1)
        tanh(Z1, h)
        dot(H, Q2, Z2)
        maxr(Z2, 1, None, r, True)
        sub(Z2, r, D2)
        exp(D2, D2)
        dot(D2, COL, r)                 # sum_j e^(z_j - m)
        mul(r, SCALE, r)
        div(D2, r, D2)                  # y lr / B
        sub(D2, XC, D2)                 # (y - x) lr / B
        dot(HT, D2, G2)
        dot(D2, W2T, D1)
        mul(h, h, F)
        sub(ONE, F, F)
        mul(D1, F, D1)
        dot(A0T, D1, G1)
        sub(flat, grad, flat)
    P1[...], P2[...] = Q1, Q2


def hand_tuned_minibatch(X: np.ndarray, P1: np.ndarray, P2: np.ndarray, lr: float,
                         epochs: int, batch: int, rng: np.random.Generator) -> None:
    """tanh -> sigmoid, binary cross-entropy, SGD on shuffled minibatches."""
    P, n0 = X.shape
    n1 = P1.shape[1]
    X1 = np.hstack([X, np.ones((P, 1))])
    sizes = {batch, P % batch or batch}
    bufs = {B: (np.empty((B, n0 + 1)), np.empty((B, n0)), np.empty((B, n1)),
                np.ones((B, n1 + 1)), np.empty((B, n0)), np.empty((B, n0)),
                np.empty((B, n1)), np.empty((B, n1))) for B in sizes}
    G1, G2 = np.empty_like(P1), np.empty_like(P2)
    W2 = P2[:-1]
    for _ in range(epochs):
        order = rng.permutation(P)
        for s in range(0, P, batch):
            idx = order[s:s + batch]
            A0, T, Z1, H, Z2, D2, D1, F = bufs[len(idx)]
            np.take(X1, idx, axis=0, out=A0)
            np.take(X, idx, axis=0, out=T)
            h = H[:, :-1]
            np.dot(A0, P1, out=Z1)
            np.tanh(Z1, out=h)
            np.dot(H, P2, out=Z2)
            np.multiply(Z2, 0.5, out=D2)            # sigmoid = (1 + tanh(z/2)) / 2
            np.tanh(D2, out=D2)
            D2 *= 0.5
            D2 += 0.5
            D2 -= T                                 # dL/dz = (y - x) / (B n)
            D2 *= 1.0 / D2.size
            np.dot(H.T, D2, out=G2)
            np.dot(D2, W2.T, out=D1)
            np.multiply(h, h, out=F)
            np.subtract(1.0, F, out=F)
            D1 *= F
            np.dot(A0.T, D1, out=G1)
            G1 *= lr
            P1 -= G1
            G2 *= lr
            P2 -= G2


def pixel_patterns(count: int = 1800, seed: int = 0) -> np.ndarray:
    """``count`` binary 8x8 images (64 values): a few random strokes each, drawn
    from a seeded generator (no data set is downloaded)."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 8, 8))
    for img in images:
        for _ in range(rng.integers(2, 5)):
            r, c = rng.integers(0, 8, size=2)
            dr, dc = [(0, 1), (1, 0), (1, 1), (1, -1)][rng.integers(4)]
            for k in range(rng.integers(3, 8)):
                rr, cc = r + k * dr, c + k * dc
                if 0 <= rr < 8 and 0 <= cc < 8:
                    img[rr, cc] = 1.0
    return images.reshape(count, 64)


def _pixels_case(epochs: int = 3) -> dict:
    X = pixel_patterns()
    net = Network.create([64, 16, 64], ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    cfg = TrainingConfig(learning_rate=0.5, batch_size=32, shuffle=True)
    trainer = Trainer(net, cfg, X)
    P1, P2 = (b.copy() for b in net.blocks)
    rng = np.random.default_rng(1)
    engine, hand = 0.0, 0.0
    for _ in range(ROUNDS):               # interleaved: a busy moment hits both alike
        engine = max(engine, _rate(trainer.run, epochs, repeats=2))
        hand = max(hand, _rate(lambda e: hand_tuned_minibatch(X, P1, P2, 0.5, e, 32, rng),
                               epochs, repeats=2))
    result = {"engine": engine, "hand_tuned": hand}
    result["ratio"] = result["engine"] / result["hand_tuned"]
    return result


def textbook(X: np.ndarray, W1, b1, W2, b2, lr: float, epochs: int) -> None:
    """The loop a course would write: clear, allocating every step."""
    for _ in range(epochs):
        h = np.tanh(X @ W1 + b1)
        z = h @ W2 + b2
        y = np.exp(z - z.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        d2 = (y - X) / len(X)
        d1 = (d2 @ W2.T) * (1 - h ** 2)
        W2 -= lr * h.T @ d2
        b2 -= lr * d2.sum(axis=0)
        W1 -= lr * X.T @ d1
        b1 -= lr * d1.sum(axis=0)


ROUNDS = 4     # engine and reference measured in turn, best of each (shared machines)
# The engine rows time the CPU the process used, not the wall clock: on a shared
# machine another process's turn on the core is then not counted as ours (the
# work is single-threaded: tiny BLAS products, PyTorch set to one thread).
clock = time.process_time


def _rate(fn: Callable[[int], None], epochs: int, repeats: int = 5) -> float:
    """Best epochs/second over ``repeats`` runs (the least disturbed one)."""
    fn(max(epochs // 20, 1))                    # warm up
    best = float("inf")
    for _ in range(repeats):
        t = clock()
        fn(epochs)
        best = min(best, clock() - t)
    return epochs / best


def _case(n: int, code: int, batch: int, epochs: int, lr: float = 0.5,
          reference: Callable = hand_tuned) -> dict:
    X = np.eye(n)
    net = Network.create([n, code, n], ["tanh", "softmax"], rng=np.random.default_rng(0))
    trainer = Trainer(net, TrainingConfig(learning_rate=lr, batch_size=batch, shuffle=False), X)
    P1, P2 = (b.copy() for b in net.blocks)
    ref = lambda e: reference(X, P1, P2, lr, e, batch or n)      # noqa: E731
    engine, hand = 0.0, 0.0
    for _ in range(ROUNDS):               # interleaved: a busy moment hits both alike
        engine = max(engine, _rate(trainer.run, epochs, repeats=2))
        hand = max(hand, _rate(ref, epochs, repeats=2))
    result = {"engine": engine, "hand_tuned": hand, "reference": reference.__name__}
    if batch == 0:
        W1, W2 = net.weights[0].copy(), net.weights[1].copy()
        b1, b2 = np.zeros(code), np.zeros(n)
        result["textbook"] = _rate(lambda e: textbook(X, W1, b1, W2, b2, lr, e), epochs)
        result.update(_others(n, code, lr, epochs // 10))
    result["ratio"] = result["engine"] / result["hand_tuned"]
    return result


def _others(n: int, code: int, lr: float, epochs: int) -> dict:
    out = {}
    try:
        import torch
        torch.set_num_threads(1)
        X = torch.eye(n, dtype=torch.float64)
        model = torch.nn.Sequential(torch.nn.Linear(n, code), torch.nn.Tanh(),
                                    torch.nn.Linear(code, n)).double()
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        loss_fn = torch.nn.CrossEntropyLoss()

        def run(e: int) -> None:
            for _ in range(e):
                opt.zero_grad()
                loss_fn(model(X), X).backward()
                opt.step()
        out["pytorch"] = _rate(run, epochs, repeats=2)
    except ImportError:
        pass
    try:
        import warnings

        from sklearn.neural_network import MLPClassifier
        X, y = np.eye(n), np.arange(n)
        # one-hot targets as class labels: the same softmax/cross-entropy 5-2-5 task
        clf = MLPClassifier((code,), activation="tanh", solver="sgd", learning_rate_init=lr,
                            batch_size=n, momentum=0.0, tol=0, n_iter_no_change=10**9,
                            shuffle=False)

        def run(e: int) -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")       # "did not converge"
                clf.set_params(max_iter=e)
                clf.fit(X, y)
        out["sklearn"] = _rate(run, epochs, repeats=2)
    except ImportError:
        pass
    return out


CASES = {  # name: (n, code, batch, epochs, target ratio, reference loop)
    "5-2-5 full batch": (5, 2, 0, 20000, 0.85, fastest_full_batch),
    "8-3-8 full batch": (8, 3, 0, 20000, 0.6, hand_tuned),
    "5-2-5 online (batch 1)": (5, 2, 1, 4000, 0.6, hand_tuned),
}


def _trained_epochs(runs, epochs: int) -> int:
    """Epochs the study trained: a solved run goes on for HOLD epochs to be sure."""
    from aeviz.core.measures.study import HOLD
    return sum(min(r.epochs + HOLD - 1, epochs) if r.solved else r.epochs for r in runs)


def train_rate(model, epochs: int) -> float:
    """Epochs per second of ``aeviz train`` on ``model`` from seed 0: the same loop
    as ``commands.cmd_train`` (``Trainer.run_guarded`` in chunks of at least 256
    epochs, each chunk checked for divergence)."""
    def run(e: int) -> None:
        trainer = Trainer(model.network.fresh(0), model.training, model.data())
        while trainer.epoch < e:
            trainer.run_guarded(min(max(e // 100, 256), e - trainer.epoch))
    return _rate(run, epochs, repeats=3)


def study_case(seeds: int = 200, epochs: int = 3000, reference_seeds: int = 8,
               rounds: int = 3) -> dict:
    """The classic stuck-8-3-8 study, ``seeds`` seeds x ``epochs`` epochs, as
    ``aeviz study`` runs it (the whole ``run_study``: fresh weights, training,
    every per-epoch check, the report of each seed), in seed-epochs per second
    (seeds solved early stop early), against

    - ``aeviz train``'s rate on the same network (:func:`train_rate`): bare
      training of one seed after another (target: at least 10 times);
    - the same study seed after seed (``run_seed``, the single network with the
      same per-epoch checks) on ``reference_seeds`` of the seeds.

    Study and training are measured in turn ``rounds`` times, best of each (of
    three runs each time for the training, which is short)."""
    from aeviz.core.files.presets import load_preset
    from aeviz.core.measures.study import run_seed, run_study
    model = load_preset("stuck-8-3-8")
    batched = single = 0.0
    for _ in range(rounds):
        t = clock()
        study = run_study(model, range(seeds), epochs)
        batched = max(batched, _trained_epochs(study.runs, epochs) / (clock() - t))
        single = max(single, train_rate(model, epochs))
    sample = range(0, seeds, max(1, seeds // reference_seeds))
    t = clock()
    runs = [run_seed(model, s, epochs) for s in sample]
    reference = _trained_epochs(runs, epochs) / (clock() - t)
    return {"batched": batched, "seed_after_seed": reference, "single_training_only": single,
            "ratio": batched / reference, "ratio_training_only": batched / single,
            "seeds": seeds, "epochs": epochs, "fraction_solved": study.fraction_solved}


def _print_row(name: str, r: dict) -> None:
    others = ", ".join(f"{k} {r[k]:,.0f}" for k in ("textbook", "sklearn", "pytorch") if k in r)
    mark = "ok" if r["ratio"] >= r["target"] else "MISS"
    print(f"{name:26s} {r['engine']:12,.0f} {r['hand_tuned']:12,.0f} {r['ratio']:6.2f} "
          f"{r['target']:6.2f}  {others}  {mark}")


def run_benchmarks(json_out: str | None = None) -> int:
    """The whole suite (about a minute): engine, in the app, big networks,
    start-up and memory.  Exit status 1 if a target is missed."""
    rows = {}
    print(f"{'case':26s} {'engine ep/s':>12s} {'hand-tuned':>12s} {'ratio':>6s} "
          f"{'target':>6s}  others (ep/s)")
    for name, (n, code, batch, epochs, target, reference) in CASES.items():
        r = _case(n, code, batch, epochs, reference=reference)
        r["target"] = target
        rows[name] = r
        _print_row(name, r)
    r = rows["64-16-64, 1,800 8x8 patterns, batch 32"] = _pixels_case()
    r["target"] = 0.8
    _print_row("64-16-64 pixels, batch 32", r)

    r = rows["study stuck-8-3-8"] = study_case()
    good = r["ratio"] >= 5 and r["ratio_training_only"] >= 10
    print(f"\nseed study, stuck-8-3-8, {r['seeds']} seeds x {r['epochs']:,} epochs: "
          f"{r['batched']:,.0f} seed-epochs/s together vs {r['seed_after_seed']:,.0f} seed "
          f"after seed = {r['ratio']:.1f} x (>= 5); vs aeviz train's bare training "
          f"({r['single_training_only']:,.0f} ep/s): "
          f"{r['ratio_training_only']:.1f} x (>= 10)  {'ok' if good else 'MISS'}")

    from aeviz import bench_app
    app_rows, app_ok = bench_app.run_all()
    rows.update(app_rows)
    if json_out:
        atomic_write(json_out, json.dumps(rows, indent=2, default=float).encode("utf-8"))
    engine_ok = all(r["ratio"] >= r["target"] for r in rows.values() if "target" in r)
    engine_ok &= rows["study stuck-8-3-8"]["ratio"] >= 5
    engine_ok &= rows["study stuck-8-3-8"]["ratio_training_only"] >= 10
    return 0 if engine_ok and app_ok else 1
