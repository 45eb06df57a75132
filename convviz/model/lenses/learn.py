"""The learn lens: the first convolution's kernel learned by gradient descent.

Position ``k`` of the transport is ``k`` steps of ``W ← W − rate · dL/dW`` (and the bias, when
there is one) from the document's kernel, on the loss the document's gradient choice defines
(the learn-edges demo: the squared error against the vertical edges of an H). Nothing is kept
but the document: the walk is computed again, once, for each document.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from ...engine import conv, conv_backward
from ...numbers import fmt
from ..document import Document
from ..gradient import loss_of
from ..pipeline import Pipeline, Stage
from .backward import conv_settings, plane, sum_gradient
from .catalogue import LensUnavailable
from .common import check_stepped_size, conv_geometry_of
from .loss_route import LossRoute, layers_after


@dataclass(frozen=True)
class Training:
    """Every step of gradient descent a document allows: the kernels, biases and losses.

    ``weights[k]`` is the kernel after ``k`` steps, ``losses[k]`` its loss and
    ``grads[k]`` its ``dL/dW``.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]
    losses: np.ndarray
    grads: tuple[np.ndarray, ...]


class Trainer:
    """Gradient descent on ``stage``'s kernel (and bias) from where it is, on the loss of the
    last map (``after``: the layers between the stage and that map), taken one step at a
    time as far as asked for, and remembered."""

    def __init__(self, stage: Stage, choice, after: tuple = ()) -> None:
        walk = stage.stepper
        self.stage, self.choice = stage, choice
        self.route = LossRoute(stage, tuple(after))
        self.settings = conv_settings(walk.geometry)
        self._weight = np.array(walk.weight, dtype=np.float64)
        self._bias = None if walk.bias is None else np.array(walk.bias, dtype=np.float64)
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray | None] = []
        self.losses: list[float] = []
        self.grads: list[np.ndarray] = []

    @np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
    def _take_step(self) -> None:
        stage, walk = self.stage, self.stage.stepper
        weight, bias = self._weight, self._bias
        z = conv_forward(walk.input, weight, bias, self.settings)
        y = np.asarray(stage.activated(z), dtype=np.float64)
        loss = loss_of(self.choice, self.route.loss_map(z))
        grad_z = sum_gradient(stage, self.route.grad_of_map(loss.grad, y), z)
        _, grad_w, grad_b = conv_backward(walk.input, weight, grad_z, **self.settings)
        self.weights.append(weight)
        self.biases.append(bias)
        self.losses.append(loss.value)
        self.grads.append(grad_w)
        self._weight = weight - self.choice.learning_rate * grad_w
        if bias is not None:
            self._bias = bias - self.choice.learning_rate * grad_b

    def upto(self, steps: int) -> Training:
        """The first ``steps`` steps (``steps + 1`` kernels, from the one it started with)."""
        while len(self.losses) <= steps:
            self._take_step()
        k = steps + 1
        return Training(
            tuple(self.weights[:k]),
            tuple(self.biases[:k]),
            np.array(self.losses[:k]),
            tuple(self.grads[:k]),
        )


def train(stage: Stage, choice, steps: int, after: tuple = ()) -> Training:
    """``steps`` steps of gradient descent on ``stage``'s kernel (and bias) from where it is,
    on the loss of the last map (``after``: the layers between the stage and that map)."""
    return Trainer(stage, choice, after).upto(steps)


def conv_forward(x, weight, bias, settings):
    """The convolution's sums for another kernel."""
    return conv(x, weight, bias, **settings)


_TRAINERS: OrderedDict[int, tuple[weakref.ref, Trainer]] = OrderedDict()
_KEPT = 4  # documents whose descent is remembered (undo and redo come back to them)


def _trainer_of(document: Document) -> Trainer:
    found = _TRAINERS.get(id(document))
    if found is not None and found[0]() is document:
        _TRAINERS.move_to_end(id(document))
        return found[1]
    pipeline = Pipeline.of(document)
    stage = pipeline.stage(0)
    after = layers_after(pipeline, stage)
    trainer = Trainer(stage, _fixed_choice(stage, document.gradient, after), after)
    _TRAINERS[id(document)] = (weakref.ref(document), trainer)
    while len(_TRAINERS) > _KEPT:
        _TRAINERS.popitem(last=False)
    return trainer


def _fixed_choice(stage: Stage, choice, after: tuple = ()):
    """A target that stays put while the kernel learns (a default target follows the map it
    starts from)."""
    if choice.source != "target":
        return choice
    target = LossRoute(stage, after).loss(choice).target
    return choice.with_changes(target=target)


def training_of(document: Document, steps: int) -> Training:
    """The training of ``document``'s first convolution over ``steps`` steps (each step
    computed once per document, and only when first asked for)."""
    return _trainer_of(document).upto(max(0, int(steps)))


@dataclass(frozen=True)
class LearnPicture:
    """What the learn lens draws after ``step`` steps (grids are 2-D: a signal is one row).

    ``kernel``, ``grad`` are filter ``filter``'s channel ``channel``; ``output`` and
    ``target`` the map the loss is measured on (map ``filter``, or the last one when the
    stack ends in fewer; ``target`` None for a loss without one); ``losses`` every loss so
    far; ``filters`` how many the first convolution has; ``deep`` whether layers lie between
    the kernel and the loss; ``loss_index`` the map of the loss drawn.
    """

    step: int
    kernel: np.ndarray
    grad: np.ndarray
    output: np.ndarray
    target: np.ndarray | None
    losses: np.ndarray
    filter: int
    channel: int
    filters: int
    deep: bool
    loss_index: int
    lines: tuple[str, ...]


def _learnable(stage: Stage):
    g = conv_geometry_of(stage, "learn")
    if stage.index != 0 or g.nd > 2:
        raise LensUnavailable(
            "The learn view teaches the first convolution's kernel of a signal or a picture. "
            "Step layer 1 (Shift+L), open the learn-edges demo, or go back to the sliding "
            "window (Ctrl+1)."
        )
    check_stepped_size(stage, "learn", "learn-edges")
    return g


def can_learn(stage: Stage) -> bool:
    """Whether the learn lens can learn ``stage``'s kernel (the first convolution of a signal
    or a picture, small enough to step)."""
    try:
        _learnable(stage)
    except LensUnavailable:
        return False
    return True


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def learned_maps(document: Document, stage: Stage, position: int) -> np.ndarray:
    """``stage``'s maps, after its activations, with the kernel (and bias) learned in
    ``position`` steps: what the feature map shows while the learn lens is stepped."""
    g = _learnable(stage)
    k = max(0, int(position))
    training = training_of(document, k)
    z = conv_forward(stage.stepper.input, training.weights[k], training.biases[k], conv_settings(g))
    return np.asarray(stage.activated(z))


def learned_weights(document: Document, position: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The first convolution's kernel and bias (None without one) after ``position`` steps."""
    k = max(0, int(position))
    training = training_of(document, k)
    return training.weights[k], training.biases[k]


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def learn_picture(
    document: Document, stage: Stage, steps: int, position: int, channel=0, filter_index=0
):
    """The learn lens after ``position`` of the ``steps`` gradient-descent steps, drawing
    filter ``filter_index``'s kernel (channel ``channel``).

    Raises
    ------
    LensUnavailable
        While a deeper layer is stepped, or for a 3-D volume.
    """
    g = _learnable(stage)
    pipeline = Pipeline.of(document)
    after = layers_after(pipeline, stage)
    route = LossRoute(stage, after)
    k = max(0, min(int(position), steps))
    training = training_of(document, k)
    weight, bias = training.weights[k], training.biases[k]
    z = conv_forward(stage.stepper.input, weight, bias, conv_settings(g))
    choice = _fixed_choice(stage, document.gradient, after)
    seen = route.loss_map(z)
    loss = loss_of(choice, seen)
    f = min(max(int(filter_index), 0), g.filters - 1)
    shown = min(f, seen.shape[0] - 1)
    channel = min(max(int(channel), 0), g.channels_per_group - 1)
    losses = training.losses[: k + 1]
    rate = choice.learning_rate
    if k == 0:
        first = (
            f"The kernel starts as it is; each → takes one step W ← W − {fmt(rate)} · dL/dW "
            f"(the learning rate), ← takes it back"
        )
    else:
        first = (
            f"Step {k}: W ← W − {fmt(rate)} · dL/dW; the loss went from "
            f"{fmt(losses[0], 4)} to {fmt(losses[-1], 4)}"
        )
    second = f"{loss.words}; L = {fmt(loss.value, 4)}"
    if after:
        second += ". " + route.words()
    lines = [first, second]
    if k > 0 and np.any(np.diff(losses) > 0):
        lines.append(
            "The loss rose on some step: the learning rate is too large for this input "
            "(try a smaller one)."
        )
    else:
        lines.append(
            "Nobody designed this kernel: the gradient of the loss shaped it, one step at a "
            "time. Filters in a network are learned the same way."
        )
    return LearnPicture(
        step=k,
        kernel=plane(weight[f], channel),
        grad=plane(training.grads[k][f], channel),
        output=plane(seen, shown),
        target=None if loss.target is None else plane(loss.target, shown),
        losses=losses,
        filter=f,
        channel=channel,
        filters=g.filters,
        deep=bool(after),
        loss_index=shown,
        lines=tuple(lines),
    )


def learn_caption(document: Document, stage: Stage, steps: int, position: int) -> str | None:
    """``descent step 3 of 64: W ← W − 0.5 · dL/dW, L = 0.1234 (from 0.9)``: the caption
    while the learn lens is shown (the transport counts descent steps, not windows); None
    where the lens cannot learn (the window then shows the sliding window's caption)."""
    if not can_learn(stage):
        return None
    k = max(0, min(int(position), steps))
    training = training_of(document, k)
    rate = fmt(document.gradient.learning_rate)
    losses = training.losses
    if k == 0:
        return (
            f"descent step 0 of {steps}: the kernel as it is, L = {fmt(losses[0], 4)}; "
            f"→ takes a step W ← W − {rate} · dL/dW"
        )
    return (
        f"descent step {k} of {steps}: W ← W − {rate} · dL/dW, L = {fmt(losses[k], 4)} "
        f"(from {fmt(losses[0], 4)})"
    )
