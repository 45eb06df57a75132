"""The backward lens: the gradient of a loss flowing back through the convolution stepped.

Step ``k`` of the transport is output cell ``k`` handing its gradient back along the wires it
came in on: ``g·W`` onto the input cells its window read (``dL/dx``), ``g·window`` onto the
weights (``dL/dW``) and ``g`` onto the bias. When every step is done the three are the
gradients ``torch.autograd`` gives. The chosen input cell shows the same ``dL/dx`` the other
way round, gathered: the gradients of the outputs that read it (``stride − 1`` zeros between
them) times the kernel rotated 180° (the engine's gather stepper), and a finite difference
(nudge the cell, compute the loss again) beside it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ...engine import (
    Step,
    Stepper,
    conv,
    conv_backward,
    gather_input,
    input_gradient_geometry,
    source_index,
    transposed_kernel,
)
from ...numbers import fmt
from ..gradient import GradientChoice, Loss, activation_slope, loss_of
from ..pipeline import Stage
from ..sentences import sum_sentence
from .common import flat_geometry_of

EPSILON = 1e-3  # the nudge of the finite difference


@dataclass(frozen=True)
class BackwardPicture:
    """What the backward lens draws for one step (grids are 2-D: a signal is one row).

    Attributes
    ----------
    grad_output : numpy.ndarray
        ``dL/dz`` of the current step's map (the gradient at the convolution's sum: after any
        activation has let it through).
    grad_input, grad_weight : numpy.ndarray
        ``dL/dx`` of channel ``channel`` and ``dL/dW`` of filter ``filter``, channel
        ``channel``, as far as the steps so far have passed them back.
    grad_bias : numpy.ndarray
        ``(F,)``: ``dL/db`` so far.
    full_input, full_weight, full_bias : numpy.ndarray
        The complete gradients (every channel, filter and tap), as autograd gives them.
    filter, channel : int
        The map of the current step and the input channel drawn.
    out_cell : tuple of int
        The current step's cell in ``grad_output``.
    window : tuple of (int, int)
        The cells of ``grad_input`` the current step hands gradient to.
    chosen : tuple
        ``(channel, coord)``: the input cell whose gradient is gathered and checked.
    chosen_cell : tuple of int
        That cell in ``grad_input`` (None when another channel is drawn).
    gather_values, gather_weights : numpy.ndarray
        The gather at the chosen cell for the current filter: the output gradients around it
        (zeros between them for a stride) and the kernel rotated 180° they meet.
    analytic, numeric : float
        ``dL/dx`` at the chosen cell, and the finite difference that checks it.
    loss : Loss
        The loss, ``dL/dy`` and its definition.
    lines : tuple of str
        The words: the step, the loss, the gather, the check, the bias and weights.
    """

    grad_output: np.ndarray
    grad_input: np.ndarray
    grad_weight: np.ndarray
    grad_bias: np.ndarray
    full_input: np.ndarray
    full_weight: np.ndarray
    full_bias: np.ndarray
    filter: int
    channel: int
    out_cell: tuple[int, ...]
    window: tuple[tuple[int, int], ...]
    chosen: tuple
    chosen_cell: tuple[int, int] | None
    gather_values: np.ndarray
    gather_weights: np.ndarray
    analytic: float
    numeric: float
    loss: Loss
    lines: tuple[str, ...]


def conv_settings(geometry) -> dict:
    """The keywords that make ``conv``/``conv_backward`` compute this geometry again."""
    return {
        "stride": geometry.stride,
        "padding": geometry.pads,
        "dilation": geometry.dilation,
        "groups": geometry.groups,
        "padding_mode": geometry.padding_mode,
        "flip": geometry.flip,
    }


def stage_map(stage: Stage, x=None, weight=None) -> tuple[np.ndarray, np.ndarray]:
    """The stage's sum ``z`` and map ``y`` (after its activations), for another input or
    weights when given."""
    walk = stage.stepper
    x = walk.input if x is None else x
    weight = walk.weight if weight is None else weight
    z = conv(x, weight, walk.bias, **conv_settings(walk.geometry))
    return z, np.asarray(stage.activated(z), dtype=np.float64)


def sum_gradient(stage: Stage, grad_y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``dL/dz`` from ``dL/dy`` through the stage's activations (ReLU: where ``z`` > 0)."""
    values, slopes = z, []
    for activation in stage.activations:
        slopes.append(activation_slope(activation.function, activation.options, values))
        values = activation(values)
    grad = grad_y
    for slope in reversed(slopes):
        grad = grad * slope
    return grad


def plane(array: np.ndarray, index: int) -> np.ndarray:
    """``array[index]`` as a grid: a signal becomes one row."""
    grid = np.asarray(array[index], dtype=np.float64)
    return grid[None] if grid.ndim == 1 else grid


def cell2d(coord) -> tuple[int, int]:
    """A coordinate as ``(row, col)`` of a grid (a signal's cell is on row 0)."""
    return (0, int(coord[0])) if len(coord) == 1 else (int(coord[0]), int(coord[1]))


def where(coord) -> str:
    """``(2, 3)`` or ``5``: a cell as the sentences write it."""
    return str(int(coord[0])) if len(coord) == 1 else f"({', '.join(str(int(c)) for c in coord)})"


def copies_of(g, coord) -> list[tuple[int, ...]]:
    """The padded cells that hold input cell ``coord`` (itself, and its copies in reflect,
    replicate or circular padding)."""
    per_axis = []
    for n, (before, after), c in zip(g.size, g.pads, coord, strict=True):
        per_axis.append(np.flatnonzero(source_index(n, before, after, g.padding_mode) == c))
    return [tuple(int(v) for v in p) for p in itertools.product(*per_axis)]


def window_cells(step: Step, g, channel: int) -> tuple[tuple[int, int], ...]:
    """The input cells of ``channel`` that the step's window read (through the padding too)."""
    sources = [
        source_index(n, b, a, g.padding_mode) for n, (b, a) in zip(g.size, g.pads, strict=True)
    ]
    cells = set()
    for tap in step.taps:
        if int(tap[0]) != channel:
            continue
        read = [int(s[c + b]) for s, c, (b, _) in zip(sources, tap[1:], g.pads, strict=True)]
        if min(read) >= 0:
            cells.add(cell2d(read))
    return tuple(sorted(cells))


def gather_at(walk, grad, f: int, chosen) -> tuple[Step, np.ndarray, np.ndarray]:
    """The gather at input cell ``chosen`` = ``(channel, coord)``: ``grad`` ``(F, *O)`` with
    ``stride − 1`` zeros between its cells, times the kernel rotated 180°, as an ordinary
    convolution stepped over the padded input (the engine's transposed convolution).

    Returns the step (every map of the group) and, for map ``f``, the gradients it meets and
    the rotated kernel, shaped like the kernel.
    """
    g = walk.geometry
    transpose = input_gradient_geometry(g)
    gather = Stepper(
        gather_input(grad, transpose),
        transposed_kernel(walk.effective_weight, g.groups),
        dilation=transpose.dilation,
        groups=transpose.groups,
    )
    channel, coord = chosen
    home = tuple(c + b for c, (b, _) in zip(coord, g.pads, strict=True))
    step = gather[gather.index_of(channel, home)]
    group = f // g.filters_per_group
    taps = math.prod(g.kernel)
    own = channel // g.channels_per_group == group  # the cell is read by map f
    part = (f - group * g.filters_per_group) * taps if own else 0
    values = step.values[part : part + taps].reshape(g.kernel)
    weights = step.weights[part : part + taps].reshape(g.kernel)
    return step, values, weights


def _finite_difference(stage: Stage, choice: GradientChoice, chosen) -> float:
    """``(L(x + ε) − L(x − ε)) / 2ε`` with the chosen input cell nudged."""
    losses = []
    for sign in (1, -1):
        x = np.array(stage.stepper.input, dtype=np.float64)
        x[(chosen[0], *chosen[1])] += sign * EPSILON
        losses.append(loss_of(choice, stage_map(stage, x=x)[1]).value)
    return (losses[0] - losses[1]) / (2 * EPSILON)


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def backward_picture(
    stage: Stage, step: Step, computed: int, choice: GradientChoice, chosen=None, channel: int = 0
) -> BackwardPicture:
    """The backward lens for ``step`` of ``stage`` after ``computed`` steps.

    ``chosen`` is the input cell ``(channel, coord)`` to gather and check (None: the middle of
    the current window); ``channel`` the input channel drawn when no cell is chosen (one of
    the step's group).

    Raises
    ------
    LensUnavailable
        For a pooling or a 3-D volume.
    """
    g = flat_geometry_of(stage, "backward")
    walk = stage.stepper
    z, y = stage_map(stage)
    loss = loss_of(choice, y)
    grad_z = sum_gradient(stage, loss.grad, z)
    settings = conv_settings(g)
    full = conv_backward(walk.input, walk.weight, grad_z, **settings)
    done = (np.arange(grad_z.size) < computed).reshape(grad_z.shape)
    so_far = conv_backward(walk.input, walk.weight, np.where(done, grad_z, 0.0), **settings)

    f = step.filter
    group = f // g.filters_per_group
    first = group * g.channels_per_group
    if chosen is not None and len(chosen[1]) == g.nd:
        channel = int(chosen[0])  # the chosen cell's channel is the one drawn
    if not first <= channel < first + g.channels_per_group:
        channel = first
    if chosen is None or len(chosen[1]) != g.nd:
        middle = step.taps[len(step.taps) // (2 * g.channels_per_group)][1:]
        coord = tuple(int(min(max(c, 0), n - 1)) for c, n in zip(middle, g.size, strict=True))
        chosen = (channel, coord)
    c_chosen, coord = int(chosen[0]), tuple(int(v) for v in chosen[1])

    gathered, values, weights = gather_at(walk, grad_z, f, (c_chosen, coord))
    copies = copies_of(g, coord)
    analytic = float(full[0][(c_chosen, *coord)])
    # The target stays put while the cell is nudged (a default target follows the map).
    fixed = choice if loss.target is None else choice.with_changes(target=loss.target)
    numeric = _finite_difference(stage, fixed, (c_chosen, coord))

    revealed = computed > step.index
    g_here = float(grad_z[(f, *step.out_index)])
    lines = [_step_sentence(step, g_here, revealed, len(window_cells(step, g, channel)))]
    lines.append(_loss_sentence(stage, loss))
    lines.append(
        _gather_sentence(gathered, coord, analytic, len(copies), g.filters_per_group, g.stride)
    )
    agree = abs(numeric - analytic) <= 1e-4 * max(1.0, abs(analytic))
    lines.append(
        f"Check: nudge x{where(coord)} by ±{EPSILON:g} and compute L again: "
        f"(L₊ − L₋) / {2 * EPSILON:g} = {fmt(numeric, 4)} "
        + ("≈" if agree else "≠")
        + f" {fmt(analytic, 4)} from the backward pass"
        + (" ✓" if agree else " (a kink of the activation sits within ε)")
    )
    windows = math.prod(g.out)
    lines.append(
        f"dL/dW: each weight sums input × gradient over all {windows} windows; dL/db = Σ dL/dz "
        f"over the map = {fmt(float(full[2][f]))}"
        + (" (so far " + fmt(float(so_far[2][f])) + ")" if computed < len(walk) else "")
    )
    return BackwardPicture(
        grad_output=plane(grad_z, f),
        grad_input=plane(so_far[0], channel),
        grad_weight=plane(so_far[1][f], channel - first),
        grad_bias=so_far[2],
        full_input=full[0],
        full_weight=full[1],
        full_bias=full[2],
        filter=f,
        channel=channel,
        out_cell=cell2d(step.out_index),
        window=window_cells(step, g, channel),
        chosen=(c_chosen, coord),
        chosen_cell=cell2d(coord) if c_chosen == channel else None,
        gather_values=values[None] if values.ndim == 1 else values,
        gather_weights=weights[None] if weights.ndim == 1 else weights,
        analytic=analytic,
        numeric=numeric,
        loss=loss,
        lines=tuple(lines),
    )


def _step_sentence(step: Step, g: float, revealed: bool, cells: int) -> str:
    cell = where(step.out_index)
    if not revealed:
        return f"→ passes back output {cell}'s gradient (dL/dz = {fmt(g)}) to what it read"
    return (
        f"Output {cell} passes back dL/dz = {fmt(g)}: {fmt(g)} × W onto the {cells} input "
        f"cells its window read (dL/dx), {fmt(g)} × those cells onto dL/dW, {fmt(g)} onto dL/db"
    )


def _loss_sentence(stage: Stage, loss: Loss) -> str:
    text = f"{loss.words}; L = {fmt(loss.value, 4)}"
    names = stage.activation_names
    if "relu" in names:
        text += ". ReLU passes dL/dy back only where its input z was positive: dL/dz = dL/dy·[z>0]"
    elif names:
        text += f". The gradient passes back through {', '.join(names)} (times its slope at z)"
    return text


def _gather_sentence(gathered: Step, coord, total: float, copies: int, filters: int, stride):
    used = np.flatnonzero(gathered.values != 0)
    terms = sum_sentence(gathered.values[used], gathered.weights[used], None)[: -len(" = ?")]
    where_filters = f" of the {filters} maps" if filters > 1 else ""
    spread = " (zeros between them: the stride skipped those)" if max(stride) > 1 else ""
    text = (
        f"Gathered: dL/dx{where(coord)} = Σ gradient × weight over the outputs{where_filters} "
        f"that read it{spread} = {terms or '0'}"
    )
    if copies > 1:
        text += f", plus what its {copies - 1} copies in the padding gathered"
    return text + f" = {fmt(total)}. The weights it meets are the kernel rotated 180°."
