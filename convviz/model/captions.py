"""The sentence under the stage: which step, where the window is, what it computes."""

from __future__ import annotations

from ..engine import Step
from .pipeline import Stage
from .playhead import Playhead


def cell_words(index) -> str:
    """A cell named by its axes: ``cell 39`` (a signal), ``row 3, column 0``, ``depth −1, row 3,
    column 0`` (positions count from 0, as in NumPy and PyTorch)."""
    index = [int(i) for i in index]
    if len(index) == 1:
        return f"cell {index[0]}"
    names = ("row", "column") if len(index) == 2 else ("depth", "row", "column")
    return ", ".join(f"{n} {fmt_int(i)}" for n, i in zip(names, index, strict=True))


def fmt_int(i: int) -> str:
    """A whole number with a true minus sign (−1), as every other number is written."""
    return f"−{-i}" if i < 0 else str(i)


def where_text(origin, out_index) -> str:
    """``window at row 2, column 5 → output row 1, column 2``: every axis named (``depth``,
    ``row``, ``column``; a signal's ``cell``), never a bare tuple."""
    return f"window at {cell_words(origin)} → output {cell_words(out_index)}"


def caption(stage: Stage, step: Step, playhead: Playhead, layered: bool) -> str:
    """``step 12 of 256: window at row 2, column 5 → …`` (with the filter when there are
    many, and the layer when the document has more than one)."""
    n = playhead.steps
    layer = f"{stage.title}, " if layered else ""
    if playhead.position == 0 and not playhead.previewing:
        return f"{layer}step 0 of {n}: ready, the window waits at its first place"
    where = where_text(step.window_origin, step.out_index)
    if playhead.waiting:
        return f"{layer}step {step.index + 1} of {n}: {where}: what will it be? (→ reveals)"
    maps = stage.stepper.geometry.filters
    unit = "filter" if stage.kind == "conv" else "channel"
    which = f"{unit} {step.filter + 1} of {maps}, " if maps > 1 else ""
    return f"{layer}step {playhead.position} of {n}: {which}{where}"
