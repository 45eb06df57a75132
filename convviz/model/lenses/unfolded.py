"""The unfolded (im2col) lens: every window laid out as one column, the filters as rows, and
the whole convolution one matrix product ``W @ columns (+ bias) = Y``.

The columns shown are the very values the sliding window reads (the stepper's steps), so the
two lenses cannot disagree. A large input shows an excerpt of columns around the current one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...engine import Step
from ...numbers import fmt
from ..captions import cell_words
from ..pipeline import Stage
from ..sentences import sum_sentence
from .common import (
    bytes_text,
    computed_mask,
    conv_geometry_of,
    excerpt,
    kernel_text,
    positions,
)

MAX_COLUMNS = 24  # windows shown around the current one when there are more
WHY = (
    "Why libraries do this: one large matrix product (a single BLAS call) runs far faster than "
    "many small window sums."
)


@dataclass(frozen=True)
class UnfoldedPicture:
    """What the unfolded lens draws for one step.

    Attributes
    ----------
    weights : numpy.ndarray
        ``(Fg, K)``: the filters of the current group as rows (rotated for a true convolution),
        ``K`` = channels per group × taps.
    columns : numpy.ndarray
        ``(K, n)``: the windows ``first_column … first_column + n − 1`` as columns.
    output : numpy.ndarray
        ``(Fg, n)``: their product plus the bias (before any activation); NaN where the cell
        has not been computed yet.
    first_filter, first_column : int
        Which filter is row 0 of ``weights`` and which window column 0 of ``columns`` is.
    row, column : int
        The current step's filter row and window column within the arrays above.
    tap_names : tuple of str
        One per row of ``columns``: ``channel 1, tap (0, 1)``.
    shape_text, cost_text, sentence : str
        The true shape of the matrices, what unfolding costs, and the current product in words.
    """

    weights: np.ndarray
    columns: np.ndarray
    output: np.ndarray
    first_filter: int
    first_column: int
    row: int
    column: int
    tap_names: tuple[str, ...]
    shape_text: str
    cost_text: str
    sentence: str
    why_text: str = WHY


def tap_names(channels: range, kernel) -> tuple[str, ...]:
    """``channel 1, tap (0, 1)``, channel-major then taps in row-major order."""
    names = []
    for c in channels:
        for tap in np.ndindex(*kernel):
            where = str(tap[0]) if len(tap) == 1 else f"({', '.join(map(str, tap))})"
            names.append(f"channel {c + 1}, tap {where}")
    return tuple(names)


def unfolded_picture(stage: Stage, step: Step, computed: int) -> UnfoldedPicture:
    """The unfolded lens for ``step`` of ``stage``, ``computed`` output cells done so far.

    Raises
    ------
    LensUnavailable
        For a pooling stage.
    """
    g = conv_geometry_of(stage, "unfolded")
    walk = stage.stepper
    L = positions(g)
    f, window = step.filter, step.index % L
    per_group = g.filters_per_group
    group = f // per_group
    filters = range(group * per_group, (group + 1) * per_group)
    shown = excerpt(window, L, MAX_COLUMNS)
    steps = [walk[f * L + i] for i in shown]
    columns = np.stack([s.values for s in steps], axis=1)
    weights = np.stack([walk[k * L + window].weights for k in filters])
    done = computed_mask(g, computed)[filters.start : filters.stop, shown.start : shown.stop]
    flat = walk.output.reshape(g.filters, L)[filters.start : filters.stop, shown.start : shown.stop]
    output = np.where(done, flat, np.nan)

    taps = math.prod(g.kernel)
    rows = g.channels_per_group * taps
    channel_words = f"{g.channels_per_group} channel{'s' * (g.channels_per_group > 1)} × "
    shape_text = (
        f"W is {per_group} × {rows} (one row per filter), the columns {rows} × {L}: "
        f"{channel_words}{kernel_text(g.kernel)} taps, {L} windows"
    )
    if g.groups > 1:
        shape_text += (
            f". With groups={g.groups} each group has its own product; this is group {group + 1}"
        )
    if len(shown) < L:
        shape_text += f" (windows {shown.start + 1}–{shown.stop} shown)"
    itemsize = walk.output.dtype.itemsize
    copied = g.channels * taps * L
    cost_text = (
        f"What it costs: the columns hold {copied:,} numbers ({bytes_text(copied * itemsize)}) "
        f"where the input holds {stage.x.size:,} ({bytes_text(stage.x.size * itemsize)}): each "
        f"input number is copied into up to {taps} columns."
    )
    revealed = computed > step.index
    total = float(step.products.sum()) if revealed else None
    # Matrices count their rows and columns from 1: row f of W is filter f, column w the w-th
    # window; the output it makes is named by its position, from 0, as the caption names it
    # ("column 3 (window 3)" beside a caption's "column 2" had read as a mistake).
    where = cell_words(step.out_index)
    sentence = (
        f"row {f + 1} of W (filter {f + 1}) · column {window + 1} (the window of output {where}) = "
    )
    sentence += sum_sentence(step.values, step.weights, total)
    if stage.use_bias:
        sentence += f", + bias {fmt(step.bias)} = {fmt(step.output) if revealed else '?'}"
    return UnfoldedPicture(
        weights=weights,
        columns=columns,
        output=output,
        first_filter=filters.start,
        first_column=shown.start,
        row=f - filters.start,
        column=window - shown.start,
        tap_names=tap_names(
            range(group * g.channels_per_group, (group + 1) * g.channels_per_group), g.kernel
        ),
        shape_text=shape_text,
        cost_text=cost_text,
        sentence=sentence,
    )
