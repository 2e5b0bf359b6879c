"""Training in a child process (a big lesson whose snapshots carry their values,
the 1,797 digits, while it plays): no Qt here, and the child imports none.

The GUI thread and a training *thread* share one GIL: with the digits the
window's paints took 2-3 times their CPU time while the thread trained and
computed each snapshot's values (~13 ms), and the training chunks waited for
the paints.  A child process (``spawn``: the same on Linux, macOS and Windows)
trains and computes the values instead, and the window keeps its GIL.

The Lesson stays the one owner.  At Play the controller's private
:class:`~aeviz.core.lessons.session.TrainingSession` is *packed* (:func:`pack`:
trainer state, history, rewind snapshots, streak, stop rule), the child
rebuilds the same session (:func:`unpack`, the route ``TrainingClock.session``
takes) and trains it; at the end its state comes back (:func:`result`) and is
applied to the controller's session (:func:`apply`) bit for bit: parameters,
optimiser moments, the generator, the started epoch's batches, history rows,
snapshots and streak.  The controller commits that session as for a thread.

Protocol on one duplex pipe.  Parent -> child:

- ``("run", payload)``: train the packed session (``payload["speed"]`` epochs/s, 0 = full);
- ``("token",)``: the parent took the last snapshot: the child may send the next;
- ``("speed", s)``: a new speed; ``("retune", config)``: train with these settings
  from the next chunk on (``TrainingSession.retune``);
- ``("stop",)``: end the run; ``("quit",)``: exit;
- ``("import", [module, ...])``: between runs, import these now (a warm start).

Child -> parent: ``("snap", epoch, params, rows_start, rows, stuck, streak, values,
config)`` at most ``DISPLAY_HZ`` a second and only with a token (``values``
computed with ``config``); ``("final", result, event)`` once a run ends (asked
to, or a stop condition / divergence: ``event``).
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
import time

import numpy as np

from aeviz.core.lessons.history import Snapshots
from aeviz.core.lessons.session import Stuck, TrainingSession

DISPLAY_HZ = 40                 # snapshots per second at most (a thread's or the process's)
CHUNK_SECONDS = 0.004           # work between two looks at the pipe (or the stop flag)
FAST_RECORD_EVERY = 50          # above 5,000 epochs/s the loss is measured every 50th epoch
FRAMES_NICE = 1                 # the child's frames' thread: after the window when the
TRAIN_NICE = 10                 # cores are busy, and training after both
SWITCH_INTERVAL = 0.0005        # s: the child's two threads take turns this often at most
CHILD_MODULES = ("aeviz.core.",)   # derived values the child computes (no Qt there)


class _Old:
    """A rewind snapshot the parent already holds (sent and returned by index:
    up to 256 MB of states never cross the pipe)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __getstate__(self):
        return self.index

    def __setstate__(self, index) -> None:
        self.index = index


def module_of(f) -> str:
    """The module a derived-value function (or a ``functools.partial`` of one) is in."""
    return getattr(getattr(f, "func", f), "__module__", None) or ""


def for_child(functions: dict) -> dict:
    """The derived-value functions the child computes: module-level ones of a
    Qt-free module (``CHILD_MODULES``) that pickle; the others are computed in
    the window's process."""
    out = {}
    for key, f in functions.items():
        if not module_of(f).startswith(CHILD_MODULES):
            continue
        try:
            pickle.dumps(f)
        except Exception:             # noqa: BLE001 - a lambda, a local function...
            continue
        out[key] = f
    return out


def pack(session: TrainingSession, speed: int, values=None) -> dict:
    """What the child needs to train exactly as ``session`` would: every snapshot
    but the last one sent as an index (the child only appends, thins and truncates).
    ``values``: (model, x, functions) whose values each snapshot carries, or None."""
    t = session.trainer
    snaps = session.snapshots
    states = [_Old(i) for i in range(len(snaps.states) - 1)] + snaps.states[-1:]
    return {"sizes": t.net.sizes, "activations": t.net.activations,
            "variational": t.net.variational, "config": t.config, "data": t.data,
            "state": session.state(), "history": session.history,
            "snapshots": (snaps.capacity, snaps.max_bytes, list(snaps.epochs), states),
            "snapshot_every": session.snapshot_every, "stop_rule": session.stop_rule,
            "speed": speed, "values": values}


def unpack(payload: dict) -> TrainingSession:
    """The packed session, rebuilt as ``TrainingClock.session`` builds one."""
    from aeviz.core.engine.network import Network
    net = Network(payload["sizes"], payload["activations"],
                  np.array(payload["state"]["params"], dtype=float), payload["variational"])
    session = TrainingSession(net, payload["config"], payload["data"])
    session.set_state(payload["state"])
    session.history = payload["history"]
    capacity, max_bytes, epochs, states = payload["snapshots"]
    session.snapshots = Snapshots(capacity, max_bytes)
    session.snapshots.epochs, session.snapshots.states = epochs, states
    session.snapshot_every = payload["snapshot_every"]
    session.set_stop_rule(payload["stop_rule"])    # counted from here, as at Play
    return session


def result(session: TrainingSession) -> dict:
    """The trained session's state to send back; the snapshots the parent holds
    (the :class:`_Old` ones) go back as their index."""
    snaps = session.snapshots
    return {"state": session.state(), "history": session.history,
            "snapshots": (list(snaps.epochs), snaps.states), "config": session.config}


def apply(session: TrainingSession, res: dict) -> None:
    """Make ``session`` (the parent's, packed at Play) the state the child reached,
    with the settings it trained with last (a settings edit it took along)."""
    if res["config"] != session.config:
        session.set_config(res["config"])
    session.set_state(res["state"])
    session.history = res["history"]
    old = session.snapshots.states
    epochs, states = res["snapshots"]
    session.snapshots.epochs = list(epochs)
    session.snapshots.states = [old[s.index] if isinstance(s, _Old) else s for s in states]


def stuck_tuple(stuck: Stuck | None):
    """A :class:`Stuck` as plain values (its ``__new__`` takes three arguments:
    pickle would call it with one)."""
    return None if stuck is None else (str(stuck), stuck.cause, stuck.rate)


def stuck_of(t) -> Stuck | None:
    return None if t is None else Stuck(*t)


def values_of(recipe, params: np.ndarray, training, forward=None) -> dict | None:
    """The derived values of ``params`` trained with ``training`` (None if a
    function raised: the window computes them itself then, and shows the error
    where it is seen).  ``recipe``: (model, x, functions), the model used in place;
    ``forward``: the forward pass of the recipe's dataset at ``params`` when the
    training computed it already (its reconstruction check), or None."""
    if recipe is None:
        return None
    from aeviz.core.lessons.derived import Derived
    model, x, functions = recipe
    model.training = training
    np.copyto(model.network.params, params)
    derived = Derived(model, x, functions, 0)
    derived.dataset_forward = forward
    try:
        derived.compute_all()
    except Exception:                 # noqa: BLE001 - see the docstring
        return None
    return derived.values


class _Framer:
    """The child's second thread: computes a frame's values and sends the frame,
    while the first thread trains on (their NumPy work releases the GIL: a frame
    then costs the display ~ its values, ~14 ms for the digits, not values plus
    a chunk of training).  One frame at a time (``busy``); one thread for the
    child's life (it keeps the scheduling priority it was started with)."""

    def __init__(self, conn) -> None:
        self.conn, self.recipe, self.lock = conn, None, threading.Lock()
        self.frames: queue.Queue = queue.Queue(maxsize=1)
        self.busy = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="aeviz frames", daemon=True)
        self.thread.start()

    def send(self, frame: tuple) -> None:
        """``frame``: (epoch, params, rows_start, rows, stuck, streak, config,
        forward): ``forward`` the dataset's forward pass at ``params`` or None."""
        self.busy.set()
        self.frames.put(frame)

    def _loop(self) -> None:
        while True:
            frame = self.frames.get()
            if frame is None:
                return
            try:
                epoch, params, start, rows, stuck, streak, config, forward = frame
                values = values_of(self.recipe, params, config, forward)
                with self.lock:
                    self.conn.send(("snap", epoch, params, start, rows, stuck, streak,
                                    values, config))
            except (OSError, EOFError, ValueError):     # the parent is gone
                return
            finally:
                self.busy.clear()

    def send_final(self, message: tuple) -> None:
        """Send a run's last message after the frame being computed (if any)."""
        while self.busy.is_set() and self.thread.is_alive():
            time.sleep(0.001)
        with self.lock:
            self.conn.send(message)

    def close(self) -> None:
        self.frames.put(None)
        self.thread.join()


class Chunks:
    """How a run advances, on the thread and in the child alike: at ``speed``
    epochs/s (0 = full speed) the epochs due by the clock since ``restart``, in
    chunks of about CHUNK_SECONDS at the rate measured so far; the loss recorded
    every epoch up to 5,000 epochs/s, else every FAST_RECORD_EVERY-th."""

    def __init__(self, epoch: int) -> None:
        self.rate: float | None = None     # epochs/s, measured on the first chunk, then adapts
        self.took = 0.0                    # a chunk's time (s), smoothed
        self.restart(epoch)

    def restart(self, epoch: int) -> None:
        """Count the epochs due at a speed from now and ``epoch`` on."""
        self.start_time, self.start_epoch = time.perf_counter(), epoch

    def due(self, epoch: int, speed: int) -> int:
        """Epochs to train now (at least 1), or 0 or less: none due yet."""
        chunk = max(1, int((self.rate or 0) * CHUNK_SECONDS))
        if not speed:
            return chunk
        due = self.start_epoch + int(speed * (time.perf_counter() - self.start_time)) + 1 \
            - epoch
        return min(due, chunk)

    def advance(self, session: TrainingSession, n: int, speed: int):
        """``session.advance`` n epochs, measuring the rate; its event or None."""
        t0 = time.perf_counter()
        event = session.advance(n, 1 if (speed and speed <= 5000) else FAST_RECORD_EVERY)
        took = time.perf_counter() - t0
        measured = n / max(took, 1e-6)
        self.rate = measured if self.rate is None else 0.7 * self.rate + 0.3 * measured
        self.took = 0.7 * self.took + 0.3 * took
        return event


def _run(conn, payload: dict, framer: _Framer) -> bool:
    """One run (see the module docstring); False if the parent asked to quit."""
    session = unpack(payload)
    recipe = payload["values"]
    if recipe is not None:            # a copy: a pickled Network's weights are no
        model, x, functions = recipe  # views of its params any more (Network.copy)
        recipe = (model.copy(), x, functions)
    framer.recipe = recipe
    # the reconstruction check's forward pass of the epoch a frame shows is that
    # frame's evaluation's (the same network on the same clean patterns): kept, not
    # computed twice (the 1,797 digits: ~7 of a frame's ~12 ms of values)
    session.keep_checked = recipe is not None and np.array_equal(
        session.trainer.data, recipe[0].data())
    speed = payload["speed"]
    tokens, last_frame, last_stuck_check, stuck = 1, 0.0, 0.0, None
    sent, framed = len(session.history), session.epoch
    chunks = Chunks(session.epoch)

    def finish(event) -> None:
        framer.send_final(("final", result(session), event))

    while True:
        while conn.poll():                   # what the parent said meanwhile
            msg = conn.recv()
            if msg[0] == "token":
                tokens = 1
            elif msg[0] == "speed":
                speed = msg[1]
                chunks.restart(session.epoch)
            elif msg[0] == "retune":
                session.retune(msg[1])
            elif msg[0] in ("stop", "quit"):
                finish(None)
                return msg[0] == "stop"
        now = time.perf_counter()
        # a frame is handed over early by a chunk's time rather than a chunk late
        if (tokens and not framer.busy.is_set() and session.epoch != framed
                and (speed and speed <= DISPLAY_HZ
                     or now + chunks.took - last_frame >= 1 / DISPLAY_HZ)):
            last_frame, framed, tokens = now, session.epoch, 0
            if now - last_stuck_check > 1.0:
                stuck, last_stuck_check = session.stuck_report(), time.perf_counter()
            start = min(sent, len(session.history))
            checked = session.checked
            forward = checked[1:] if checked is not None and checked[0] == session.epoch \
                else None
            framer.send((session.epoch, session.params.copy(), start,
                         session.history.rows(start), stuck_tuple(stuck),
                         session.streak.to_state(), session.config, forward))
            sent = len(session.history)
        n = chunks.due(session.epoch, speed)
        if n <= 0:
            conn.poll(min(0.005, 1.0 / speed))           # a message ends the wait
            continue
        event = chunks.advance(session, n, speed)
        if event is not None:
            finish(event)
            return True


def _nicer(increment: int) -> None:
    """Lower this thread's scheduling priority (Linux: per thread; threads it
    starts inherit it; elsewhere the process's, or nothing on Windows)."""
    try:
        os.nice(increment)
    except (AttributeError, OSError):
        pass


def child_main(conn) -> None:
    """The child process: runs until ``("quit",)`` or the parent is gone.  When
    the cores are busy the window comes first, then the frames, then training."""
    _nicer(FRAMES_NICE)
    framer = _Framer(conn)
    _nicer(TRAIN_NICE - FRAMES_NICE)
    import importlib
    import aeviz.core.lessons.derived  # noqa: F401 - what every run needs, imported at once
    # the frames' thread gets the GIL back soon after the trainer's Python work
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        while True:
            msg = conn.recv()
            if msg[0] == "quit":
                return
            if msg[0] == "import":
                for name in msg[1]:
                    try:
                        importlib.import_module(name)
                    except Exception:     # noqa: BLE001 - the run's unpickling says why
                        pass
            if msg[0] == "run" and not _run(conn, msg[1], framer):
                return
    except (EOFError, OSError, KeyboardInterrupt):
        return
