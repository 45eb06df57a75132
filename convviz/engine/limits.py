"""How large the arrays convviz computes may grow: one budget, checked before any allocation.

A project file of a few bytes can ask for a padding of 10000 or a pooling of 30000 cells; the
engine refuses such settings in words before it makes an array, instead of filling the memory.
The window, the command line and scripts share these limits (the README lists them).
"""

from __future__ import annotations

import math

MAX_CELLS = 1 << 26
"""Cells in any one array the engine makes: a padded input, an output (all maps, all samples).

67 M float64 cells are 512 MiB: a 4096×4096 colour photo (50 M cells) fits, with its padding.
"""


def cells_text(count: int) -> str:
    """``400 M``, ``67 M``, ``12 k`` or ``950``: a cell count a student can read."""
    if count >= 10**10:
        return f"{count:.1e}"
    if count >= 10**6:
        return f"{count / 10**6:.0f} M" if count >= 10**7 else f"{count / 10**6:.1f} M"
    if count >= 10**4:
        return f"{count / 10**3:.0f} k"
    return str(count)


def _product_text(shape) -> str:
    return "×".join(str(int(v)) for v in shape)


def check_window_budget(geometry, batch: int = 1) -> None:
    """Refuse (ValueError, in words) a convolution or pooling whose padded input or output
    would pass ``MAX_CELLS``, before anything is allocated.

    ``geometry`` is a ``ConvGeometry`` or ``PoolGeometry``; ``batch`` the number of samples.
    """
    key = (geometry, batch)
    if key in _FITTING:  # a small map computed many times (a lens, a stack) checks once
        return
    limit = f"convviz works with up to {cells_text(MAX_CELLS)} cells per array"
    size = tuple(int(n) for n in geometry.size)
    padded = tuple(n + b + a for n, (b, a) in zip(size, geometry.pads, strict=True))
    lead = (batch,) if batch > 1 else ()
    cells = batch * geometry.channels * math.prod(padded)
    if cells > MAX_CELLS:
        whole = (*lead, geometry.channels, *padded)
        if batch * geometry.channels * math.prod(size) > MAX_CELLS:
            shape = _product_text((*lead, geometry.channels, *size))
            raise ValueError(
                f"the input of {shape} = {cells_text(cells)} cells is too large: {limit}; "
                "use a smaller input (or fewer channels)"
            )
        widest = max(max(b, a) for b, a in geometry.pads)
        raise ValueError(
            f"padding {widest} makes the padded input {_product_text(whole)} = "
            f"{cells_text(cells)} cells: {limit}; use a smaller padding"
        )
    out = batch * geometry.filters * math.prod(geometry.out)
    if out > MAX_CELLS:
        shape = _product_text((*lead, geometry.filters, *geometry.out))
        raise ValueError(
            f"these settings make an output of {shape} = {cells_text(out)} cells: {limit}; "
            "use fewer filters, a larger stride or a smaller input"
        )
    _FITTING[key] = True
    if len(_FITTING) > _FITTING_KEPT:
        del _FITTING[next(iter(_FITTING))]  # the oldest goes


_FITTING: dict = {}  # recent (geometry, batch) pairs that passed
_FITTING_KEPT = 256
