"""The backward lens: the gradient of a loss flowing back through the layer stepped.

Step ``k`` of the transport is output cell ``k`` handing its gradient back along the wires it
came in on. For a convolution: ``g·W`` onto the input cells its window read (``dL/dx``),
``g·window`` onto the weights (``dL/dW``) and ``g`` onto the bias. For max pooling: ``g`` to
the cell that won the window; for average pooling ``g/n`` to each of the ``n`` cells it
counted. When every step is done these are the gradients ``torch.autograd`` gives. The chosen
input cell shows the same ``dL/dx`` the other way round, gathered: the gradients of the
outputs that read it (``stride − 1`` zeros between them) times the kernel rotated 180° (the
engine's gather stepper), and a finite difference (nudge the cell, compute the loss again)
beside it; one weight is checked the same way.

The loss is measured on the stack's last map (see ``loss_route``): a layer deeper in the stack
receives its gradient through the layers after it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ...engine import (
    Step,
    Stepper,
    conv_backward,
    gather_input,
    input_gradient_geometry,
    source_index,
    transposed_kernel,
)
from ...engine.stack_backward import pool_backward
from ...numbers import fmt
from ..gradient import GradientChoice, Loss, activation_slope, loss_of
from ..pipeline import Stage
from ..sentences import sum_sentence
from .catalogue import LENS_TITLES, LensUnavailable
from .common import check_stepped_size
from .loss_route import LossRoute, conv_settings

EPSILON = 1e-3  # the nudge of the finite difference

__all__ = ["BackwardPicture", "backward_picture", "conv_settings"]


@dataclass(frozen=True)
class Check:
    """A finite difference beside the backward pass's value for one number."""

    name: str
    analytic: float
    numeric: float

    @property
    def agrees(self) -> bool:
        """Whether the two agree to the finite difference's accuracy."""
        return abs(self.numeric - self.analytic) <= 1e-4 * max(1.0, abs(self.analytic))

    def sentence(self, kink: str) -> str:
        """``Check: nudge x(2, 3) by ±0.001 … ≈ … ✓``."""
        mark = " ✓" if self.agrees else f" ({kink} lies within ε)"
        return (
            f"nudge {self.name} by ±{EPSILON:g} and compute L again: (L₊ − L₋) / "
            f"{2 * EPSILON:g} = {fmt(self.numeric, 4)} {'≈' if self.agrees else '≠'} "
            f"{fmt(self.analytic, 4)} from the backward pass{mark}"
        )


@dataclass(frozen=True)
class BackwardPicture:
    """What the backward lens draws for one step (grids are 2-D: a signal is one row).

    Attributes
    ----------
    grad_loss : numpy.ndarray
        ``dL/dy`` of the map the loss is measured on (map ``loss_index``): the gradient chosen.
    target : numpy.ndarray or None
        The target of a mean squared error (map ``loss_index``), else None.
    loss_index : int
        The map of the loss drawn.
    separate_loss : bool
        Whether the loss is measured past this stage's sums (activations or later layers in
        between), so that ``dL/dy`` and ``dL/dz`` differ.
    grad_output : numpy.ndarray
        ``dL/dz`` of the current step's map (the gradient at the convolution's sum or the
        pooling's output: after later layers and any activation have passed it back).
    grad_input : numpy.ndarray
        ``dL/dx`` of channel ``channel``, as far as the steps so far have passed it back.
    grad_weight : numpy.ndarray or None
        ``dL/dW`` of filter ``filter``, channel ``channel`` so far (None for a pooling).
    grad_bias : numpy.ndarray or None
        ``(F,)``: ``dL/db`` so far (None for a pooling).
    full_input, full_weight, full_bias : numpy.ndarray or None
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
    gather_values, gather_weights : numpy.ndarray or None
        The gather at the chosen cell for the current filter: the output gradients around it
        (zeros between them for a stride) and the kernel rotated 180° they meet (None for a
        pooling).
    analytic, numeric : float
        ``dL/dx`` at the chosen cell, and the finite difference that checks it.
    weight_tap : tuple of int or None
        ``(filter, channel, *tap)``: the weight checked by a finite difference.
    weight_check : Check or None
        That weight's check (None for a pooling).
    loss : Loss
        The loss, ``dL/dy`` and its definition.
    lines : tuple of str
        The words: the step, the loss, the gather, the checks, the bias and weights.
    """

    grad_loss: np.ndarray
    target: np.ndarray | None
    loss_index: int
    separate_loss: bool
    grad_output: np.ndarray
    grad_input: np.ndarray
    grad_weight: np.ndarray | None
    grad_bias: np.ndarray | None
    full_input: np.ndarray
    full_weight: np.ndarray | None
    full_bias: np.ndarray | None
    filter: int
    channel: int
    out_cell: tuple[int, ...]
    window: tuple[tuple[int, int], ...]
    chosen: tuple
    chosen_cell: tuple[int, int] | None
    gather_values: np.ndarray | None
    gather_weights: np.ndarray | None
    analytic: float
    numeric: float
    weight_tap: tuple[int, ...] | None
    weight_check: Check | None
    loss: Loss
    lines: tuple[str, ...]


def stage_map(stage: Stage, x=None, weight=None) -> tuple[np.ndarray, np.ndarray]:
    """The stage's sum ``z`` and map ``y`` (after its activations), for another input or
    weights when given."""
    z = LossRoute(stage).sums(x, weight)
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


def pool_window_cells(step: Step, channel: int) -> tuple[tuple[int, int], ...]:
    """The input cells of ``channel`` a pooling step hands gradient to: its window's winner
    (max) or the cells it counted (average); padding takes none."""
    cells = set()
    for tap, weight in zip(step.taps, step.weights, strict=True):
        if int(tap[0]) == channel and weight > 0 and min(tap[1:]) >= 0:
            cells.add(cell2d(tap[1:]))
    return tuple(sorted(cells))


def _finite_difference(route: LossRoute, choice: GradientChoice, cell, weight=False) -> float:
    """``(L(v + ε) − L(v − ε)) / 2ε`` with the input cell (or the weight) ``cell`` nudged."""
    losses = []
    walk = route.stage.stepper
    for sign in (1, -1):
        values = np.array(walk.weight if weight else walk.input, dtype=np.float64)
        values[tuple(cell)] += sign * EPSILON
        nudged = route.loss(choice, weight=values) if weight else route.loss(choice, x=values)
        losses.append(nudged.value)
    return (losses[0] - losses[1]) / (2 * EPSILON)


def _loss_plane(array: np.ndarray, index: int) -> np.ndarray:
    """Map ``index`` of the loss's map (the last one when there are fewer)."""
    return plane(array, min(index, array.shape[0] - 1))


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def backward_picture(
    stage: Stage,
    step: Step,
    computed: int,
    choice: GradientChoice,
    chosen=None,
    channel: int = 0,
    after: tuple = (),
    weight_tap=None,
) -> BackwardPicture:
    """The backward lens for ``step`` of ``stage`` after ``computed`` steps.

    ``chosen`` is the input cell ``(channel, coord)`` to gather and check (None: the middle of
    the current window); ``channel`` the input channel drawn when no cell is chosen (one of
    the step's group); ``after`` the layers between the stage's map and the last map, where
    the loss is measured (``loss_route.layers_after``); ``weight_tap`` the weight
    ``(filter, channel, *tap)`` to check (None: the middle of the current filter's kernel).

    Raises
    ------
    LensUnavailable
        For a 3-D volume, or an input too large to work out again at every step.
    """
    g = stage.stepper.geometry
    if g.nd > 2:
        raise LensUnavailable(
            f"The {LENS_TITLES['backward'].lower()} view draws signals and pictures (1-D and "
            "2-D); this input is a volume. Open the backward demo (File → Demos) or go back to "
            "the sliding window (Ctrl+1)."
        )
    check_stepped_size(stage, "backward", "backward")
    walk = stage.stepper
    route = LossRoute(stage, tuple(after))
    z = route.sums()
    loss = loss_of_route(route, choice, z)
    grad_z = sum_gradient(stage, route.grad_of_map(loss.grad), z)
    done = (np.arange(grad_z.size) < computed).reshape(grad_z.shape)
    pooling = stage.kind != "conv"
    if pooling:
        full = (pool_backward(walk.input, stage.layer, grad_z), None, None)
        so_far = (pool_backward(walk.input, stage.layer, np.where(done, grad_z, 0.0)), None, None)
    else:
        settings = conv_settings(g)
        full = conv_backward(walk.input, walk.weight, grad_z, **settings)
        so_far = conv_backward(walk.input, walk.weight, np.where(done, grad_z, 0.0), **settings)

    f = step.filter
    group = f // g.filters_per_group
    first = group * g.channels_per_group
    if chosen is not None and len(chosen[1]) == g.nd:
        channel = int(chosen[0])  # the chosen cell's channel is the one drawn
    if not first <= channel < first + g.channels_per_group:
        channel = first
    if chosen is None or len(chosen[1]) != g.nd or not 0 <= int(chosen[0]) < walk.input.shape[0]:
        won = pool_window_cells(step, channel) if pooling else ()
        middle = step.taps[len(step.taps) // (2 * g.channels_per_group)][1:]
        if won:  # a pooling's own cell: the one its gradient goes to
            middle = won[0] if g.nd == 2 else won[0][1:]
        coord = tuple(int(min(max(c, 0), n - 1)) for c, n in zip(middle, g.size, strict=True))
        chosen = (channel, coord)
    c_chosen, coord = int(chosen[0]), tuple(int(v) for v in chosen[1])
    # The target stays put while a number is nudged (a default target follows the map).
    fixed = choice if loss.target is None else choice.with_changes(target=loss.target)
    analytic = float(full[0][(c_chosen, *coord)])
    numeric = _finite_difference(route, fixed, (c_chosen, *coord))
    input_check = Check(f"x{where(coord)}", analytic, numeric)

    revealed = computed > step.index
    g_here = float(grad_z[(f, *step.out_index)])
    if pooling:
        window = pool_window_cells(step, channel)
        lines = [_pool_step_sentence(stage, step, g_here, revealed, window, bool(route.after))]
    else:
        window = window_cells(step, g, channel)
        lines = [_step_sentence(step, g_here, revealed, len(window))]
    lines.append(_loss_sentence(stage, loss, route))
    if pooling:
        values = weights = None
        weight_tap = weight_check = None
        lines.append(_pool_gather_sentence(stage, coord, analytic))
    else:
        gathered, values, weights = gather_at(walk, grad_z, f, (c_chosen, coord))
        copies = len(copies_of(g, coord))
        lines.append(
            _gather_sentence(gathered, coord, analytic, copies, g.filters_per_group, g.stride)
        )
        weight_tap = _weight_tap(weight_tap, walk.weight.shape, f)
        weight_check = Check(
            f"w{where(weight_tap[2:])} (map {weight_tap[0] + 1}, channel {weight_tap[1] + 1})",
            float(full[1][weight_tap]),
            _finite_difference(route, fixed, weight_tap, weight=True),
        )
    kink = (
        "not differentiable here: a tie in a max pooling or ReLU's corner at 0"
        if route.after or pooling
        else "not differentiable here: the activation's corner"
    )
    lines.append(f"Check dL/dx: {input_check.sentence(kink)}")
    if weight_check is not None:
        lines.append(f"Check dL/dW: {weight_check.sentence(kink)}")
        windows = math.prod(g.out)
        lines.append(
            f"dL/dW: each weight sums input × gradient over all {windows} windows; "
            f"dL/db = Σ dL/dz over the map = {fmt(float(full[2][f]))}"
            + (" (so far " + fmt(float(so_far[2][f])) + ")" if computed < len(walk) else "")
        )
    loss_index = f if not route.after else min(f, loss.grad.shape[0] - 1)
    return BackwardPicture(
        grad_loss=_loss_plane(loss.grad, loss_index),
        target=None if loss.target is None else _loss_plane(loss.target, loss_index),
        loss_index=loss_index,
        separate_loss=bool(route.after or stage.activations),
        grad_output=plane(grad_z, f),
        grad_input=plane(so_far[0], channel),
        grad_weight=None if pooling else plane(so_far[1][f], channel - first),
        grad_bias=so_far[2],
        full_input=full[0],
        full_weight=full[1],
        full_bias=full[2],
        filter=f,
        channel=channel,
        out_cell=cell2d(step.out_index),
        window=window,
        chosen=(c_chosen, coord),
        chosen_cell=cell2d(coord) if c_chosen == channel else None,
        gather_values=None if values is None else (values[None] if values.ndim == 1 else values),
        gather_weights=None
        if weights is None
        else (weights[None] if weights.ndim == 1 else weights),
        analytic=analytic,
        numeric=numeric,
        weight_tap=weight_tap,
        weight_check=weight_check,
        loss=loss,
        lines=tuple(lines),
    )


def loss_of_route(route: LossRoute, choice: GradientChoice, z: np.ndarray) -> Loss:
    """The loss on the route's last map, from the stage's sums ``z``."""
    return loss_of(choice, route.loss_map(z))


def _weight_tap(tap, shape, f: int) -> tuple[int, ...]:
    """The weight to check: ``tap`` when it is one of filter ``f``'s, else the middle of its
    first channel's kernel."""
    fits = tap is not None and len(tap) == len(shape) and int(tap[0]) == f
    if fits and all(0 <= int(t) < n for t, n in zip(tap, shape, strict=True)):
        return tuple(int(t) for t in tap)
    return (f, 0, *(n // 2 for n in shape[2:]))


def _step_sentence(step: Step, g: float, revealed: bool, cells: int) -> str:
    cell = where(step.out_index)
    if not revealed:
        return f"→ passes back output {cell}'s gradient (dL/dz = {fmt(g)}) to what it read"
    return (
        f"Output {cell} passes back dL/dz = {fmt(g)}: {fmt(g)} × W onto the {cells} input "
        f"cells its window read (dL/dx), {fmt(g)} × those cells onto dL/dW, {fmt(g)} onto dL/db"
    )


def _pool_step_sentence(stage: Stage, step: Step, g: float, revealed: bool, cells, deep) -> str:
    cell = where(step.out_index)
    z = "dL/dz" if stage.activations or deep else "dL/dy"
    if not revealed:
        return f"→ passes back output {cell}'s gradient ({z} = {fmt(g)}) to its window"
    if stage.kind == "max":
        if not cells:
            return f"Output {cell}'s window won on padding: its {z} = {fmt(g)} reaches no input"
        winner = where(cells[0]) if stage.stepper.geometry.nd == 2 else str(cells[0][1])
        text = (
            f"Output {cell} passes back {z} = {fmt(g)}, all of it to x{winner}, the cell that "
            f"won its window (max pooling); the other cells of the window get 0"
        )
        ties = int(np.sum(step.values == step.values.max()))
        if ties > 1:
            text += (
                f". A tie: {ties} cells hold the largest value, {fmt(float(step.values.max()))}; "
                "like PyTorch, the first of them takes it all"
            )
        return text
    share = step.weights[step.weights > 0]
    part = float(share[0]) if share.size else 0.0
    return (
        f"Output {cell} passes back {z} = {fmt(g)} spread evenly: {fmt(g)} × {fmt(part)} = "
        f"{fmt(g * part)} to each of the {len(cells)} input cells it averaged (average pooling)"
    )


def _loss_sentence(stage: Stage, loss: Loss, route: LossRoute) -> str:
    text = f"{loss.words}; L = {fmt(loss.value, 4)}."
    if route.after:
        text += " " + route.words()
    names = stage.activation_names
    if "relu" in names:
        text += " ReLU passes dL/dy back only where its input z was positive: dL/dz = dL/dy·[z>0]."
    elif names:
        text += f" The gradient passes back through {', '.join(names)} (times its slope at z)."
    return text


def _pool_gather_sentence(stage: Stage, coord, total: float) -> str:
    if stage.kind == "max":
        how = "the gradients of the windows it won (0 from those it lost)"
    else:
        how = "its share of the gradient of every window that averaged it"
    return f"Gathered: dL/dx{where(coord)} = the sum of {how} = {fmt(total)}. No weights here."


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
