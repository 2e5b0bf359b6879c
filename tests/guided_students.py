"""What a student does in each built-in guided lesson: for every step with a
task, a wrong try (which must not pass) and the right action (which must).

One script, two actors: tests/core drives a Lesson directly over 10 seeds;
tests/gui drives the real window through keys, clicks and the guide's own Next."""

from __future__ import annotations

from typing import Callable, Protocol

MAX_EPOCHS = 600           # "train until solved" gives up here (a test failure)


class Actor(Protocol):
    def train(self, epochs: int) -> None: ...
    def train_until_reconstructed(self) -> None: ...
    def set(self, name: str, value) -> None: ...          # a setting (guide_tasks.SETTINGS)
    def reset(self) -> None: ...
    def set_weight(self, block: int, row: int, col: int, value: float) -> None: ...
    def choose(self, option: int) -> None: ...             # 0-based
    def phase(self) -> None: ...                           # N: one phase of the walk
    def nothing(self) -> None: ...
    def revisit(self) -> None: ...                         # Back, then Next: the step afresh


Try = Callable[[Actor], None]
# preset name -> {step index: (wrong try, right action)}
SCRIPTS: dict[str, dict[int, tuple[Try, Try]]] = {
    "forward-pass": {
        # output 3 wins; a wrong pick shows the values, so the right one needs a new
        # visit (the step hides them again)
        3: (lambda a: a.choose(0), lambda a: (a.revisit(), a.choose(2))),
        4: (lambda a: a.choose(1), lambda a: a.choose(0)),            # they add up to 1
    },
    "article-example": {
        0: (lambda a: a.choose(0), lambda a: a.choose(1)),            # never one-hot
        1: (lambda a: a.choose(3), lambda a: a.choose(1)),            # 4 codes
        2: (lambda a: a.choose(0), lambda a: a.choose(1)),            # rounding parts them, slowly
        # wrong: a decoder weight (codes unchanged); right: input 5's weights to 0
        3: (lambda a: a.set_weight(1, 1, 4, -0.5),
            lambda a: (a.set_weight(0, 4, 0, 0.0), a.set_weight(0, 4, 1, 0.0))),
    },
    "six-steps": {
        1: (lambda a: a.nothing(), lambda a: [a.phase() for _ in range(7)]),
        2: (lambda a: a.train(1), lambda a: a.train(20)),
        3: (lambda a: a.choose(1), lambda a: a.choose(2)),
    },
    "train-5-2-5": {
        0: (lambda a: a.train(1), lambda a: a.train_until_reconstructed()),
        1: (lambda a: a.choose(0), lambda a: a.choose(1)),            # 5 codes for 5 patterns
        2: (lambda a: a.train(100), lambda a: (a.set("learning_rate", 20), a.train(100))),
    },
    "overcomplete-5-8-5": {
        1: (lambda a: a.train(100), lambda a: a.train(800)),
        2: (lambda a: a.choose(2), lambda a: a.choose(0)),
    },
    "overcomplete-sparse": {
        2: (lambda a: a.train(800),
            lambda a: (a.set("sparsity_weight", 0.5), a.reset(), a.train(800))),
    },
    "denoising-bars": {
        1: (lambda a: a.set("noise_kind", "gaussian"), lambda a: a.set("noise_kind", "masking")),
        2: (lambda a: a.train(100), lambda a: a.train(800)),
    },
    "linear-pca": {
        1: (lambda a: a.train(100), lambda a: a.train(300)),
        2: (lambda a: a.choose(0), lambda a: a.choose(1)),       # only the plane
    },
    "stuck-5-2-5": {
        2: (lambda a: a.train(50),
            lambda a: (a.set("learning_rate", 1.0), a.reset(), a.train_until_reconstructed())),
        3: (lambda a: a.choose(0), lambda a: a.choose(1)),
    },
    "digits-8x8": {
        0: (lambda a: a.choose(0), lambda a: a.choose(1)),            # labels never used
        1: (lambda a: a.choose(0), lambda a: a.choose(2)),            # better than PCA
        2: (lambda a: a.train(100), lambda a: a.train(300)),
        3: (lambda a: a.choose(0), lambda a: a.choose(1)),            # a picture everywhere
    },
    "digits-8x8-vae": {
        0: (lambda a: a.choose(0), lambda a: a.choose(1)),            # near the prior
        1: (lambda a: a.train(100), lambda a: a.train(300)),
        2: (lambda a: a.choose(1), lambda a: a.choose(0)),            # codes far from N(0, I)
    },
}


class CoreActor:
    """The student acting on a Lesson (no window): what the core tests use."""

    def __init__(self, lesson) -> None:
        self.lesson, self.answer = lesson, None

    def train(self, epochs: int) -> None:
        from aeviz.core.guides.guide import apply_action
        apply_action({"train": epochs}, self.lesson)

    def train_until_reconstructed(self) -> None:
        """Until solved: every pattern reconstructed for HOLD epochs in a row."""
        for _ in range(MAX_EPOCHS):
            if self.lesson.solved:
                return
            self.train(1)

    def unrelated(self) -> None:
        """What has nothing to do with any task: feed every pattern in turn."""
        for p in range(len(self.lesson.data())):
            self.lesson.feed_pattern(p)

    def set(self, name: str, value) -> None:
        from aeviz.core.guides.guide import apply_action
        apply_action({"set": {name: value}}, self.lesson)

    def reset(self) -> None:
        self.lesson.reset_weights()

    def set_weight(self, block: int, row: int, col: int, value: float) -> None:
        self.lesson.set_weight(block, row, col, value)

    def copy_input_weights(self, source: int, target: int) -> None:
        w = self.lesson.network.weights[0]
        for j in range(w.shape[1]):
            self.set_weight(0, target, j, float(w[source, j]))

    def undo(self) -> None:
        for _ in range(self.lesson.network.weights[0].shape[1]):
            self.lesson.undo()

    def choose(self, option: int) -> None:
        self.answer = option

    def phase(self) -> None:            # the walk's sixth phase applies one update
        self._phases = getattr(self, "_phases", 0) + 1
        if self._phases == 6:
            self.train(1)

    def nothing(self) -> None:
        pass

    def revisit(self) -> None:          # (no window: nothing is locked or shown)
        pass
