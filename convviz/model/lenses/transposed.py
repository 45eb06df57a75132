"""The transposed lens: the transposed convolution of the convolution stepped (``Mᵀ``), drawn
two ways with the same numbers.

Its INPUT is a map of the convolution's output shape (here the convolution's own map ``y``),
its OUTPUT has the convolution's input shape. Scatter: step ``k`` is input cell ``k`` stamping
the kernel, scaled by its value, onto the output where the convolution's window ``k`` read;
the stamps add up. Gather: one output cell is an ordinary convolution of the input, with
``stride − 1`` zeros between its cells, and the kernel rotated 180°. Both give ``Mᵀ y``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine import Step, conv_backward, gather_input, input_gradient_geometry
from ...numbers import fmt
from ..pipeline import Stage
from ..sentences import sum_sentence
from .backward import cell2d, conv_settings, copies_of, gather_at, plane, where, window_cells
from .common import check_stepped_size, flat_geometry_of


@dataclass(frozen=True)
class TransposedPicture:
    """What the transposed lens draws for one step (grids are 2-D: a signal is one row).

    Attributes
    ----------
    source : numpy.ndarray
        The INPUT: map ``filter`` of ``y``.
    stamp : numpy.ndarray
        The current input cell's stamp, its value times the kernel.
    scattered : numpy.ndarray
        The OUTPUT of channel ``channel`` as far as the stamps so far have built it.
    output : numpy.ndarray
        The whole OUTPUT ``(C, *S)``: ``Mᵀ y``.
    stretched : numpy.ndarray
        The INPUT with ``stride − 1`` zeros between its cells, padded: what the gather reads.
    gather_values, gather_weights : numpy.ndarray
        The gather at the chosen output cell for map ``filter``: the stretched input under the
        rotated kernel, and that kernel.
    counts : numpy.ndarray
        How many stamps land on each output cell.
    filter, channel : int
        The input map of the step and the output channel drawn.
    in_cell : tuple of int
        The current input cell in ``source``.
    window : tuple of (int, int)
        The output cells the current stamp lands on.
    chosen : tuple
        ``(channel, coord)`` of the output cell gathered.
    chosen_cell : tuple of int or None
        That cell in ``scattered`` (None when another channel is drawn).
    gather_origin : tuple of int
        Where the gather's window starts in ``stretched``.
    lines : tuple of str
        Scatter, gather, what it is (``Mᵀ``), the output size, and the stamps per cell.
    """

    source: np.ndarray
    stamp: np.ndarray
    scattered: np.ndarray
    output: np.ndarray
    stretched: np.ndarray
    gather_values: np.ndarray
    gather_weights: np.ndarray
    counts: np.ndarray
    filter: int
    channel: int
    in_cell: tuple[int, int]
    window: tuple[tuple[int, int], ...]
    chosen: tuple
    chosen_cell: tuple[int, int] | None
    gather_origin: tuple[int, int]
    lines: tuple[str, ...]


def stamp_counts(stage: Stage) -> np.ndarray:
    """How many stamps land on each cell of one output channel (its padding folded back)."""
    g = stage.stepper.geometry
    settings = dict(conv_settings(g), groups=1, flip=False)
    ones = np.ones((1, *g.out))
    x = np.zeros((1, *g.size))
    return conv_backward(x, np.ones((1, 1, *g.kernel)), ones, **settings)[0][0]


def size_words(g) -> str:
    """The output size of the transposed convolution per axis, and what ``output_padding``
    picks when the stride lets several input sizes give the same output."""
    parts = []
    for axis in range(g.nd):
        o, s, k, d = g.out[axis], g.stride[axis], g.kernel[axis], g.dilation[axis]
        before, after = g.pads[axis]
        unused = g.unused[axis]
        pads = f"2·{before}" if before == after else f"({before} + {after})"
        text = f"({o} − 1)·{s} − {pads} + {d}·({k}−1) + {unused} + 1 = {g.size[axis]}"
        if s > 1:
            smallest = g.size[axis] - unused
            text += (
                f"; inputs of {smallest} to {smallest + s - 1} cells all give {o}, and "
                f"output_padding = {unused} picks {g.size[axis]}"
            )
        parts.append(text)
    if len(set(parts)) == 1:
        parts = parts[:1]
    return "OUTPUT size (n − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1: " + (
        " | ".join(parts)
    )


@np.errstate(over="ignore", invalid="ignore")  # huge inputs: ∞ and NaN, no warning
def transposed_picture(stage: Stage, step: Step, computed: int, chosen=None, channel: int = 0):
    """The transposed lens for ``step`` of ``stage`` after ``computed`` steps.

    ``chosen`` is the output cell ``(channel, coord)`` to gather (None: the middle of the
    current stamp).

    Raises
    ------
    LensUnavailable
        For a pooling or a 3-D volume.
    """
    g = flat_geometry_of(stage, "transposed")
    check_stepped_size(stage, "transposed", "transposed")
    walk = stage.stepper
    y = np.asarray(walk.output, dtype=np.float64)
    settings = conv_settings(g)
    output = conv_backward(walk.input, walk.weight, y, **settings)[0]
    done = (np.arange(y.size) < computed).reshape(y.shape)
    scattered = conv_backward(walk.input, walk.weight, np.where(done, y, 0.0), **settings)[0]

    f = step.filter
    group = f // g.filters_per_group
    first = group * g.channels_per_group
    if chosen is not None and len(chosen[1]) == g.nd:
        channel = int(chosen[0])
    if not first <= channel < first + g.channels_per_group:
        channel = first
    if chosen is None or len(chosen[1]) != g.nd:
        middle = step.taps[len(step.taps) // (2 * g.channels_per_group)][1:]
        coord = tuple(int(min(max(c, 0), n - 1)) for c, n in zip(middle, g.size, strict=True))
        chosen = (channel, coord)
    c_chosen, coord = int(chosen[0]), tuple(int(v) for v in chosen[1])
    gathered, values, weights = gather_at(walk, y, f, (c_chosen, coord))
    # What the gather reads for the output's cells: the padding the crop removes left out.
    frame = tuple(
        slice(b, b + n + d * (k - 1))
        for b, n, d, k in zip((b for b, _ in g.pads), g.size, g.dilation, g.kernel, strict=True)
    )
    stretched = gather_input(y, input_gradient_geometry(g))[(slice(None), *frame)]
    origin = cell2d(coord)
    k_value = float(y[(f, *step.out_index)])
    kernel = walk.effective_weight[f, channel - first]
    counts = stamp_counts(stage)

    revealed = computed > step.index
    cells = window_cells(step, g, channel)
    cell = where(step.out_index)
    if revealed:
        scatter = (
            f"Scatter: INPUT cell {cell} = {fmt(k_value)} stamps {fmt(k_value)} × W onto the "
            f"{len(cells)} OUTPUT cells that the convolution's window {cell} read; the stamps "
            "add up"
        )
    else:
        scatter = f"Scatter: → stamps INPUT cell {cell} (= {fmt(k_value)}) × W onto the OUTPUT"
    used = np.flatnonzero(gathered.values != 0)
    terms = sum_sentence(gathered.values[used], gathered.weights[used], None)[: -len(" = ?")]
    total = float(output[(c_chosen, *coord)])
    extra = len(copies_of(g, coord)) - 1
    gather = (
        f"Gather: OUTPUT cell {where(coord)} = INPUT with zeros between · W rotated 180° = "
        f"{terms or '0'}"
        + (f", plus its {extra} copies in the padding" if extra else "")
        + f" = {fmt(total)}, the sum of its stamps"
    )
    shape_in = " × ".join(map(str, g.out))
    shape_out = " × ".join(map(str, g.size))
    what = (
        f"This is Mᵀ, the transposed convolution of this convolution (Ctrl+3 shows M): INPUT "
        f"the map y ({shape_in}), OUTPUT the input's shape ({shape_out})."
    )
    lines = [scatter, gather, what, size_words(g)]
    low, high = int(counts.min()), int(counts.max())
    if low != high:
        lines.append(
            f"Stamps per OUTPUT cell: {low} to {high}, a checkerboard when upsampling; resizing "
            "first (nearest or bilinear), then convolving, gives every cell the same share."
        )
    else:
        lines.append(f"Stamps per OUTPUT cell: {low} everywhere (no checkerboard).")
    return TransposedPicture(
        source=plane(y, f),
        stamp=plane(k_value * kernel[None], 0),
        scattered=plane(scattered, channel),
        output=output,
        stretched=plane(stretched, f),
        gather_values=values[None] if values.ndim == 1 else values,
        gather_weights=weights[None] if weights.ndim == 1 else weights,
        counts=counts[None] if counts.ndim == 1 else counts,
        filter=f,
        channel=channel,
        in_cell=cell2d(step.out_index),
        window=cells,
        chosen=(c_chosen, coord),
        chosen_cell=cell2d(coord) if c_chosen == channel else None,
        gather_origin=origin,
        lines=tuple(lines),
    )
