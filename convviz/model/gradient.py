"""The gradient a class pushes back through a convolution: where ``dL/dy`` comes from (the
loss), and what learning a kernel takes. Part of the Document: saved in projects and undone.

``ones``: ``L = Σ y``, so ``dL/dy = 1`` everywhere. ``random``: ``L = Σ r·y`` with ``r`` drawn
from a seed, so ``dL/dy = r``. ``edited``: ``L = Σ g·y`` with ``g`` typed in by the student,
so ``dL/dy = g``. ``target``: the mean squared error against a target map,
``L = mean((y − t)²)``, so ``dL/dy = 2(y − t)/N``.

``y`` is the last map of the stack (the loss is measured where the maps end); the lenses pass
its gradient back through the layers in between.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..engine import KERNELS, conv

SOURCES = ("ones", "random", "edited", "target")
SOURCE_TITLES = {
    "ones": "ones (L = Σ y)",
    "random": "random (L = Σ r·y)",
    "edited": "typed in (L = Σ g·y)",
    "target": "a target (MSE loss)",
}
LEARNING_RATE = 0.5
"""The learning rate a document starts with (the learned kernel's loss falls steadily)."""


@dataclass(frozen=True, eq=False)
class GradientChoice:
    """Where ``dL/dy`` comes from, and the learning rate of gradient descent.

    Attributes
    ----------
    source : str
        ``ones``, ``random`` or ``target`` (see the module's docstring).
    seed : int
        Draws the random ``r`` of ``random``.
    target : numpy.ndarray or None
        The target map ``(F, *O)`` of ``target`` (None, or a shape that no longer fits: the
        map shifted one cell along its last axis).
    learning_rate : float
        The step of gradient descent when a kernel is learned.
    grad : numpy.ndarray or None
        The ``g`` of ``edited``, shaped like the map (None, or a shape that no longer fits:
        ones).
    """

    source: str = "ones"
    seed: int = 0
    target: np.ndarray | None = None
    learning_rate: float = LEARNING_RATE
    grad: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"dL/dy comes from one of {', '.join(SOURCES)}, not {self.source!r}")
        rate = float(self.learning_rate)
        if not np.isfinite(rate) or rate <= 0:
            raise ValueError(f"the learning rate must be a number above 0, got {rate}")
        object.__setattr__(self, "learning_rate", rate)
        object.__setattr__(self, "seed", int(self.seed))
        for name in ("target", "grad"):
            value = getattr(self, name)
            if value is not None:
                value = np.array(value, dtype=np.float64)
                value.flags.writeable = False
                object.__setattr__(self, name, value)

    def with_changes(self, **changes) -> GradientChoice:
        """A copy with some fields replaced (checked)."""
        return replace(self, **changes)

    def same_as(self, other: GradientChoice) -> bool:
        """Whether ``other`` holds the same choice (arrays compared by value)."""
        if (self.source, self.seed, self.learning_rate) != (
            other.source,
            other.seed,
            other.learning_rate,
        ):
            return False
        return _same_array(self.target, other.target) and _same_array(self.grad, other.grad)

    @property
    def is_default(self) -> bool:
        """Whether nothing was chosen (a project then writes nothing of it)."""
        return self.same_as(GradientChoice())


def _same_array(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b))


@dataclass(frozen=True)
class Loss:
    """A loss of the map ``y``: its value, ``dL/dy`` and how it is defined, in words."""

    value: float
    grad: np.ndarray
    target: np.ndarray | None
    words: str


def target_of(choice: GradientChoice, y: np.ndarray) -> tuple[np.ndarray, bool]:
    """The target map for ``y`` and whether it is the stored one (else ``y`` shifted one cell
    along its last axis)."""
    if choice.target is not None and choice.target.shape == y.shape:
        return choice.target, True
    shifted = np.zeros_like(y, dtype=np.float64)
    shifted[..., 1:] = y[..., :-1]
    return shifted, False


def random_gradient(seed: int, shape) -> np.ndarray:
    """The ``r`` of ``L = Σ r·y``: whole tenths between −1 and 1, reproducible per seed."""
    return np.round(np.random.default_rng(seed).uniform(-1, 1, shape), 1)


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def loss_of(choice: GradientChoice, y: np.ndarray) -> Loss:
    """The loss ``choice`` defines for the map ``y``, with ``dL/dy``."""
    y = np.asarray(y, dtype=np.float64)
    if choice.source == "ones":
        return Loss(float(y.sum()), np.ones_like(y), None, "L = Σ y, so dL/dy = 1 everywhere")
    if choice.source == "random":
        r = random_gradient(choice.seed, y.shape)
        words = f"L = Σ r·y with r random (seed {choice.seed}), so dL/dy = r"
        return Loss(float((r * y).sum()), r, None, words)
    if choice.source == "edited":
        if choice.grad is not None and choice.grad.shape == y.shape:
            words = "L = Σ g·y with g as typed in, so dL/dy = g"
            return Loss(float((choice.grad * y).sum()), choice.grad, None, words)
        words = "L = Σ y (the typed-in dL/dy no longer fits this map), so dL/dy = 1"
        return Loss(float(y.sum()), np.ones_like(y), None, words)
    target, stored = target_of(choice, y)
    difference = y - target
    where = "the target" if stored else "the map shifted one cell right (no target fits)"
    words = f"L = mean((y − t)²) against {where}, so dL/dy = 2(y − t)/{y.size}"
    return Loss(float(np.mean(difference**2)), 2 * difference / y.size, target, words)


def activation_slope(function: str, options: dict, z: np.ndarray) -> np.ndarray:
    """``d act(z) / dz`` cell by cell (ReLU: 1 where ``z`` > 0, as PyTorch takes it)."""
    if function == "relu":
        return (z > 0).astype(np.float64)
    if function == "leaky_relu":
        return np.where(z > 0, 1.0, float(options.get("negative_slope", 0.01)))
    if function == "sigmoid":
        s = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
        return s * (1 - s)
    if function == "tanh":
        return 1 - np.tanh(z) ** 2
    raise ValueError(f"no slope known for the activation {function!r}")


def demo_gradient(name: str, x, weight, settings: dict) -> GradientChoice:
    """The gradient a demo starts with: ``learn-edges`` learns the vertical edges of its
    input, ``backward`` pushes back a random gradient; the others push back ones."""
    if name == "learn-edges":
        edges = np.asarray(KERNELS["vertical-edge"])[None, None]
        return GradientChoice("target", target=conv(x, edges, **settings))
    if name == "backward":
        return GradientChoice("random", seed=231)
    return GradientChoice()
