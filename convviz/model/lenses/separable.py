"""The separable-kernel lens: a 2-D kernel as a column and a row, applied as two 1-D passes.

Pass 1 runs the column vector down the columns of the padded input (every row the output
needs, every padded column): the intermediate map. Pass 2 runs the row vector along the rows
of that map. For a kernel of rank 1 (box, Gaussian, Sobel, Prewitt) the result is the
convolution's own; for any other kernel it is the best rank-1 approximation's, and the error
map shows what it misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...engine import Step, pad, separate
from ...numbers import fmt
from ..pipeline import Stage
from .catalogue import LensUnavailable
from .common import conv_geometry_of


@dataclass(frozen=True)
class SeparablePicture:
    """What the separable lens draws for one step of a 2-D convolution.

    Attributes
    ----------
    kernel : numpy.ndarray
        ``(k1, k2)``: one channel of the current filter, as it meets the window.
    rank : int
        How many column × row pairs the kernel needs.
    column, row : numpy.ndarray
        The best pair (``column ⊗ row`` is the best rank-1 approximation), scaled so that
        the column's smallest nonzero entry is ±1, as a textbook writes Sobel: [1, 2, 1] and
        [1, 0, −1].
    approximation, error : numpy.ndarray
        ``column ⊗ row`` and ``kernel − column ⊗ row``.
    intermediate : numpy.ndarray
        ``(O1, P2)``: pass 1, the column vector down the padded input's columns.
    result : numpy.ndarray
        ``(O1, O2)``: pass 2, the row vector along the intermediate's rows.
    direct : numpy.ndarray
        ``(O1, O2)``: the same channel's contribution computed with the whole kernel.
    channel, filter : int
        Which input channel and filter (0-based).
    out_index : tuple of int
        The current output cell.
    pass1_cells : tuple of (int, int)
        The intermediate's cells the current output reads in pass 2.
    words : tuple of str
        The rank, the products per output cell, pass 1 and pass 2 of the current cell, and how
        far the two passes are from the direct result.
    """

    kernel: np.ndarray
    rank: int
    column: np.ndarray
    row: np.ndarray
    approximation: np.ndarray
    error: np.ndarray
    intermediate: np.ndarray
    result: np.ndarray
    direct: np.ndarray
    channel: int
    filter: int
    out_index: tuple[int, ...]
    pass1_cells: tuple[tuple[int, int], ...]
    words: tuple[str, ...]


def _pass(values: np.ndarray, taps: np.ndarray, axis: int, stride: int, dilation: int, out: int):
    """Slide 1-D ``taps`` along ``axis`` of ``values`` (a cross-correlation), ``out`` cells."""
    moved = np.moveaxis(values, axis, -1)
    result = np.zeros((*moved.shape[:-1], out))
    for i, w in enumerate(taps):
        start = i * dilation
        result += w * moved[..., start : start + stride * (out - 1) + 1 : stride]
    return np.moveaxis(result, -1, axis)


@lru_cache(maxsize=2)  # each may hold a photo-sized set of spectra or passes
def _passes(stage: Stage, f: int, c: int) -> tuple:
    """What the lens computes once per stage, filter and channel (a step only moves the cell
    it points at): the kernel as it meets the window, its rank and best column × row, pass 1,
    pass 2 and the direct result."""
    g = stage.stepper.geometry
    cpg = g.channels_per_group
    first = (f // g.filters_per_group) * cpg
    per_map = int(np.prod(g.out))
    weights = stage.stepper[f * per_map].weights.reshape(cpg, *g.kernel)  # as it meets the window
    kernel = np.asarray(weights[c - first], dtype=np.float64)
    rank, pairs = separate(kernel)
    column, row = pairs[0] if pairs else (np.zeros(g.kernel[0]), np.zeros(g.kernel[1]))
    if pairs:  # the split a textbook writes: the column's smallest entry 1 (Sobel: [1, 2, 1])
        size = np.abs(column)
        scale = size[size > 1e-9 * size.max()].min()
        column, row = column / scale, row * scale
    plane = pad(np.asarray(stage.x[c], dtype=np.float64), g.pads, g.padding_mode)
    (s1, s2), (d1, d2), (o1, o2) = g.stride, g.dilation, g.out
    intermediate = _pass(plane, column, 0, s1, d1, o1)
    result = _pass(intermediate, row, 1, s2, d2, o2)
    direct = np.zeros((o1, o2))
    for (i, j), w in np.ndenumerate(kernel):
        rows = slice(i * d1, i * d1 + s1 * (o1 - 1) + 1, s1)
        cols = slice(j * d2, j * d2 + s2 * (o2 - 1) + 1, s2)
        direct += w * plane[rows, cols]
    return kernel, rank, column, row, intermediate, result, direct


def separable_picture(stage: Stage, step: Step, channel: int = 0) -> SeparablePicture:
    """The separable lens for ``step`` of ``stage``, showing input channel ``channel`` of the
    current filter's group (the group's first channel when it is not in the group).

    Raises
    ------
    LensUnavailable
        For a pooling, or a kernel that is not 2-D.
    """
    g = conv_geometry_of(stage, "separable")
    if g.nd != 2:
        raise LensUnavailable(
            f"Separable kernels are about 2-D kernels; this one is {g.nd}-D. "
            + (
                "A 1-D kernel is already a single pass."
                if g.nd == 1
                else "A 3-D kernel can split into three passes; this view draws 2-D ones."
            )
        )
    f = step.filter
    cpg = g.channels_per_group
    first = (f // g.filters_per_group) * cpg
    c = channel if first <= channel < first + cpg else first
    kernel, rank, column, row, intermediate, result, direct = _passes(stage, f, c)
    approximation = np.outer(column, row)
    s2, d2 = g.stride[1], g.dilation[1]
    r, q = step.out_index
    cells = tuple((r, q * s2 + j * d2) for j in range(g.kernel[1]))
    k1, k2 = g.kernel
    largest = float(np.max(np.abs(result - direct))) if result.size else 0.0
    if rank <= 1:
        verdict = (
            f"rank {rank}: the kernel is one column × one row, so the two passes give the "
            f"direct result (largest difference {fmt(largest)}, rounding)"
        )
    else:
        verdict = (
            f"rank {rank}: no single column × row makes this kernel; the best one misses by up "
            f"to {fmt(float(np.max(np.abs(kernel - approximation))))} per weight, and the two "
            f"passes differ from the direct result by up to {fmt(largest)}"
        )
    pass1 = ", ".join(fmt(intermediate[cell]) for cell in cells)
    words = (
        verdict,
        f"per output cell: {k1} × {k2} = {k1 * k2} multiplications directly, {k1} + {k2} = "
        f"{k1 + k2} as two passes",
        f"pass 1 (column down the columns) gave row {r} of the intermediate map: {pass1} "
        f"(the cells marked)",
        f"pass 2 (row along the row): {fmt(result[r, q])}; directly: {fmt(direct[r, q])}",
    )
    return SeparablePicture(
        kernel=kernel,
        rank=rank,
        column=column,
        row=row,
        approximation=approximation,
        error=kernel - approximation,
        intermediate=intermediate,
        result=result,
        direct=direct,
        channel=c,
        filter=f,
        out_index=(r, q),
        pass1_cells=cells,
        words=words,
    )
