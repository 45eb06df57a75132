"""What every lens needs from the stage stepped: a convolution, and the step's place in it."""

from __future__ import annotations

import math

import numpy as np

from ...engine import ConvGeometry
from ..pipeline import Stage
from .catalogue import LENS_TITLES, LensUnavailable


def conv_geometry_of(stage: Stage, lens: str) -> ConvGeometry:
    """The stage's convolution geometry; LensUnavailable (in words) for a pooling."""
    if stage.kind != "conv":
        raise LensUnavailable(
            f"The {LENS_TITLES[lens].lower()} view draws convolutions, and {stage.title} is a "
            "pooling. Step a convolution (L or Shift+L), or go back to the sliding window "
            "(Ctrl+1)."
        )
    return stage.stepper.geometry


def flat_geometry_of(stage: Stage, lens: str) -> ConvGeometry:
    """``conv_geometry_of`` for a lens that draws signals and pictures only: a 3-D volume is
    refused in words, pointing at the lens's own demo."""
    g = conv_geometry_of(stage, lens)
    if g.nd > 2:
        raise LensUnavailable(
            f"The {lens} view draws signals and pictures (1-D and 2-D); this input is a "
            f"volume. Open the {lens} demo (File → Demos) or go back to the sliding window "
            "(Ctrl+1)."
        )
    return g


MAX_STEPPED_CELLS = 512 * 512
"""The most input numbers a lens that works the whole picture out again at every step (the
backward pass, learning a kernel) takes: past it each step would keep a class waiting."""


def check_stepped_size(stage: Stage, lens: str, demo: str) -> None:
    """LensUnavailable (in words) for an input too large to work out again at every step."""
    cells = int(stage.stepper.input.size)
    if cells > MAX_STEPPED_CELLS:
        raise LensUnavailable(
            f"The {LENS_TITLES[lens].lower()} view works the whole picture out again at every "
            f"step, and this input holds {cells:,} numbers: each step would take a second or "
            f"more (it steps up to {MAX_STEPPED_CELLS:,}). Crop or shrink the picture, open the "
            f"{demo} demo (File → Demos), or go back to the sliding window (Ctrl+1)."
        )


def positions(geometry) -> int:
    """Output cells per map."""
    return math.prod(geometry.out)


def computed_mask(geometry, computed: int) -> np.ndarray:
    """``(F, L)``: True for the output cells computed so far (steps go map by map)."""
    L = positions(geometry)
    return (np.arange(geometry.filters * L) < computed).reshape(geometry.filters, L)


def bytes_text(count: int) -> str:
    """``600 B``, ``1.9 KiB``, ``12.5 MiB``."""
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def kernel_text(kernel) -> str:
    """``3 × 3`` (a signal's kernel: ``3``)."""
    return " × ".join(str(k) for k in kernel)


def excerpt(current: int, total: int, size: int) -> range:
    """``size`` consecutive indices of ``range(total)`` around ``current`` (all of them when
    there are no more than ``size``): what a lens shows of a matrix too large to read whole."""
    if total <= size:
        return range(total)
    start = min(max(current - size // 2, 0), total - size)
    return range(start, start + size)
