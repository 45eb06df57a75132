"""The convolution-matrix lens: the convolution as one matrix ``M`` with ``y = M x``.

Row ``f·L + l`` of ``M`` (one per output cell, map by map) holds, in the column of each input
cell, the weight that output cell gives it: the kernel's taps laid along the row, most entries
zero. Zero padding drops the taps that land in the padding; reflect and replicate fold them
back onto the input cells they copy (several taps may add into one entry), circular wraps them
around to the far side. Row ``r`` of ``M`` is step ``r``: the two lenses step together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...engine import Step, source_index
from ...numbers import fmt
from ..pipeline import Stage
from ..sentences import sum_sentence
from .common import computed_mask, conv_geometry_of, excerpt, positions

MAX_ROWS = 24  # output cells (rows of M) shown around the current one
MAX_COLUMNS = 96  # input cells (columns of M) shown at most
NOTE = (
    "Its transpose Mᵀ carries each output cell back to the input cells it read: that is the "
    "transposed convolution (and the input gradient of the backward pass)."
)


@dataclass(frozen=True)
class MatrixPicture:
    """What the convolution-matrix lens draws for one step.

    Attributes
    ----------
    entries : numpy.ndarray
        ``(rows, cols)``: the excerpt of ``M``; NaN where ``M`` holds no tap (a structural 0).
    moved : numpy.ndarray of bool
        Entries whose tap reached the input through the padding: folded back (reflect,
        replicate, several taps adding up) or wrapped around (circular).
    x : numpy.ndarray
        ``(cols,)``: the input cells of those columns (the input, channel by channel, raveled).
    y : numpy.ndarray
        ``(rows,)``: the output cells of those rows (``M x``, plus the bias when there is
        one; before any activation); NaN until computed.
    first_row, first_column, row : int
        Which row of ``M`` the excerpt starts with, which column, and the current step's row
        within the excerpt.
    terms : tuple of int
        The excerpt columns of the current row's nonzero entries.
    shape_text, sentence, note : str
        ``M`` is 18 × 75: …; the current row times ``x`` in words; how ``Mᵀ`` relates.
    """

    entries: np.ndarray
    moved: np.ndarray
    x: np.ndarray
    y: np.ndarray
    first_row: int
    first_column: int
    row: int
    terms: tuple[int, ...]
    shape_text: str
    sentence: str
    note: str = NOTE


def _row_entries(step: Step, g, sources) -> dict[int, tuple[float, bool]]:
    """Column → (weight, reached through the padding) for one output cell's row of ``M``
    (``sources``: per axis, the input cell each padded position copies)."""
    cells = math.prod(g.size)
    row: dict[int, tuple[float, bool]] = {}
    for tap, weight in zip(step.taps, step.weights, strict=True):
        channel, coord = int(tap[0]), tap[1:]
        read = [int(s[c + b]) for s, c, (b, _) in zip(sources, coord, g.pads, strict=True)]
        if min(read) < 0:
            continue  # a zero of the padding: this tap adds nothing
        column = channel * cells + int(np.ravel_multi_index(read, g.size))
        through = any(r != c for r, c in zip(read, coord, strict=True))
        old, old_through = row.get(column, (0.0, False))
        row[column] = (old + float(weight), through or old_through or column in row)
    return row


def matrix_picture(stage: Stage, step: Step, computed: int) -> MatrixPicture:
    """The convolution-matrix lens for ``step`` of ``stage``.

    Raises
    ------
    LensUnavailable
        For a pooling stage.
    """
    g = conv_geometry_of(stage, "matrix")
    walk = stage.stepper
    L = positions(g)
    n_rows, n_cols = g.filters * L, g.channels * math.prod(g.size)
    rows = excerpt(step.index, n_rows, MAX_ROWS)
    sources = [
        source_index(n, b, a, g.padding_mode) for n, (b, a) in zip(g.size, g.pads, strict=True)
    ]
    entries_of = {r: _row_entries(walk[r], g, sources) for r in rows}
    own = entries_of[step.index]
    if n_cols <= MAX_COLUMNS:
        columns = range(n_cols)
    else:  # centre the excerpt on the current row's taps
        middle = (min(own) + max(own)) // 2 if own else 0
        columns = excerpt(middle, n_cols, MAX_COLUMNS)
    entries = np.full((len(rows), len(columns)), np.nan)
    moved = np.zeros(entries.shape, dtype=bool)
    for i, r in enumerate(rows):
        for column, (weight, through) in entries_of[r].items():
            if column in columns:
                entries[i, column - columns.start] = weight
                moved[i, column - columns.start] = through
    x = np.asarray(stage.x, dtype=np.float64).ravel()[columns.start : columns.stop]
    done = computed_mask(g, computed).ravel()[rows.start : rows.stop]
    y = np.where(done, walk.output.ravel()[rows.start : rows.stop], np.nan)
    terms = tuple(c - columns.start for c in sorted(own) if c in columns)

    maps = f"{g.filters} maps × {L}" if g.filters > 1 else f"{L}"
    channels = f"{g.channels} channels × " if g.channels > 1 else ""
    shape = (
        f"M is {n_rows} × {n_cols}: one row per output cell ({maps}), one column per input "
        f"cell ({channels}{' × '.join(map(str, g.size))}); row {step.index + 1} holds a tap "
        f"in {len(own)} of its {n_cols} entries, the rest are 0"
    )
    if len(rows) < n_rows or len(columns) < n_cols:
        shape += (
            f". Shown: rows {rows.start + 1}–{rows.stop}, columns {columns.start + 1}–"
            f"{columns.stop}"
        )
    revealed = computed > step.index
    flat_x = np.asarray(stage.x, dtype=np.float64).ravel()
    read = sorted(own)
    total = sum(flat_x[c] * own[c][0] for c in read)
    products = sum_sentence(
        flat_x[read], np.array([own[c][0] for c in read]), total if revealed else None
    )
    sentence = f"y[{step.index + 1}] = row {step.index + 1} of M · x = " + (
        products if read else f"0 = {fmt(0.0) if revealed else '?'}"
    )
    if stage.use_bias:
        sentence += f", + bias {fmt(step.bias)} = {fmt(step.output) if revealed else '?'}"
    return MatrixPicture(
        entries=entries,
        moved=moved,
        x=x,
        y=y,
        first_row=rows.start,
        first_column=columns.start,
        row=step.index - rows.start,
        terms=terms,
        shape_text=shape,
        sentence=sentence,
    )
