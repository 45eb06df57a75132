"""im2col and its adjoint: every window laid out as one column, and columns summed back.

``unfold`` turns a convolution into one matrix product (``weight.reshape(F, -1) @ columns``),
which is how many libraries compute it; ``fold`` sums columns back onto the input's cells, so a
cell that several windows read receives the sum of all their copies.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .dtypes import as_float
from .geometry import ConvGeometry, conv_geometry, size_text
from .limits import MAX_CELLS, cells_text, check_window_budget
from .padding import pad
from .window import tap_offsets, window_view

# With one size for every axis, the number of array axes tells the spatial axes apart; 3 and 4
# axes mean 2-D, as in torch.nn.functional.unfold.
_SPATIAL_AXES_BY_NDIM = {2: 1, 3: 2, 4: 2, 5: 3}


def check_matrix_budget(shape, what: str, fix: str) -> None:
    """Refuse (ValueError, in words) a matrix of ``shape`` whose cells would pass ``MAX_CELLS``.

    ``what`` names the matrix ("the unfolded columns"), ``fix`` says how to make it smaller.
    """
    cells = math.prod(int(n) for n in shape)
    if cells > MAX_CELLS:
        raise ValueError(
            f"{what} would be {size_text(shape)} = {cells_text(cells)} cells: convviz works with "
            f"up to {cells_text(MAX_CELLS)} cells per array; {fix}"
        )


def _sizes(value, nd: int, name: str) -> tuple[int, ...]:
    """One whole number ≥ 1 for every spatial axis (``kernel_size``, ``output_size``)."""
    values = (value,) * nd if isinstance(value, numbers.Integral) else tuple(value)
    whole = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values)
    if len(values) != nd or not whole or min(values) < 1:
        raise ValueError(
            f"{name} must be one whole number ≥ 1 or {nd} of them (one per axis), got {value!r}"
        )
    return tuple(int(v) for v in values)


def _spatial_axes(value, ndim: int, name: str) -> int:
    """How many spatial axes a size means: its length, or (one int) guessed from ``ndim``."""
    if not isinstance(value, numbers.Integral):
        try:
            nd = len(value)
        except TypeError:
            nd = 0
        if nd not in (1, 2, 3):
            raise ValueError(
                f"{name} must be a whole number or one per spatial axis (1 to 3), got {value!r}"
            )
        return nd
    if ndim not in _SPATIAL_AXES_BY_NDIM:
        raise ValueError(
            f"unfold takes (channels, *size) or (n, channels, *size) with 1 to 3 spatial axes, "
            f"got an array with {ndim} axes"
        )
    return _SPATIAL_AXES_BY_NDIM[ndim]


def _columns(padded: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """``(*lead, C·∏k, L)`` columns from a ``(*lead, C, *P)`` input padded by ``geometry.pads``."""
    windows = window_view(padded, geometry)  # (*lead, C, *O, *K)
    lead, nd = padded.ndim - geometry.nd - 1, geometry.nd
    outs = range(lead + 1, lead + 1 + nd)
    taps = range(lead + 1 + nd, lead + 1 + 2 * nd)
    columns = windows.transpose(*range(lead + 1), *taps, *outs)
    return columns.reshape(*padded.shape[:lead], -1, math.prod(geometry.out))


def unfold(x, kernel_size, *, stride=1, padding=0, dilation=1, padding_mode="zeros") -> np.ndarray:
    """Every window's values as one column: im2col, like ``torch.nn.functional.unfold``.

    Parameters
    ----------
    x : array_like
        ``(C, *S)`` or batched ``(N, C, *S)``, with 1 to 3 spatial axes.
    kernel_size : int or sequence of int
        The window per spatial axis. One int means a 2-D window when ``x`` has 3 or 4 axes (as
        in PyTorch), 1-D when it has 2 and 3-D when it has 5; give one size per axis for a
        batched 1-D or an unbatched 3-D input.
    stride, dilation : int or sequence of int
        As for ``conv``.
    padding : int, sequence, or {"valid", "same", "full"}
        As for ``conv`` (``"same"`` as for cross-correlation).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        What the padding holds.

    Returns
    -------
    numpy.ndarray
        ``(C·∏k, L)`` or ``(N, C·∏k, L)``, with ``L`` the number of windows. Row
        ``c·∏k + t`` holds channel ``c`` under kernel tap ``t`` (taps in row-major order);
        column ``l`` is the window of output cell ``l`` (row-major order).

    Raises
    ------
    ValueError
        For bad settings, and for columns past the size budget (``limits.MAX_CELLS``).
    """
    x = as_float(x)
    nd = _spatial_axes(kernel_size, x.ndim, "kernel_size")
    kernel = _sizes(kernel_size, nd, "kernel_size")
    channels = x.shape[-nd - 1] if x.ndim > nd else 1
    geometry = conv_geometry(
        x.shape,
        (1, channels, *kernel),
        stride=stride,
        padding=padding,
        dilation=dilation,
        padding_mode=padding_mode,
    )
    batch = x.shape[:1] if x.ndim == nd + 2 else ()
    check_window_budget(geometry, batch[0] if batch else 1)
    check_matrix_budget(
        (*batch, channels * math.prod(kernel), math.prod(geometry.out)),
        "the unfolded columns",
        "use a smaller input, a smaller kernel or a larger stride",
    )
    padded = pad(x, geometry.pads, geometry.padding_mode)
    return np.ascontiguousarray(_columns(padded, geometry))


def fold(columns, output_size, kernel_size, *, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Sum columns back onto the input's cells, like ``torch.nn.functional.fold``.

    The adjoint of ``unfold`` with zero padding: a cell read by several windows receives the sum
    of their values, and what lands in the padding is dropped.

    Parameters
    ----------
    columns : array_like
        ``(C·∏k, L)`` or batched ``(N, C·∏k, L)``, laid out as ``unfold`` makes them.
    output_size : int or sequence of int
        The input's size per spatial axis (without padding).
    kernel_size : int or sequence of int
        The window per spatial axis. When both sizes are single ints, the window is 2-D (as in
        PyTorch); otherwise a sequence's length sets the number of spatial axes.
    stride, dilation : int or sequence of int
        As for ``conv``.
    padding : int, sequence, or {"valid", "same", "full"}
        As for ``conv``.

    Returns
    -------
    numpy.ndarray
        ``(C, *output_size)`` or ``(N, C, *output_size)``.

    Raises
    ------
    ValueError
        When the columns do not match the sizes and settings, in words.
    """
    columns = as_float(columns)
    if columns.ndim not in (2, 3):
        raise ValueError(
            "fold takes columns of shape (channels·taps, windows) or batched "
            f"(n, channels·taps, windows), got shape {columns.shape}"
        )
    nd = 2
    for value, name in ((output_size, "output_size"), (kernel_size, "kernel_size")):
        if not isinstance(value, numbers.Integral):
            nd = _spatial_axes(value, 0, name)
            break
    size = _sizes(output_size, nd, "output_size")
    kernel = _sizes(kernel_size, nd, "kernel_size")
    rows, windows = columns.shape[-2:]
    taps = math.prod(kernel)
    if rows % taps:
        raise ValueError(
            f"the columns have {rows} rows, which do not split into channels of "
            f"{size_text(kernel)} = {taps} kernel taps each"
        )
    channels = rows // taps
    geometry = conv_geometry(
        (channels, *size), (1, channels, *kernel), stride=stride, padding=padding, dilation=dilation
    )
    places = math.prod(geometry.out)
    if windows != places:
        spots = f"{size_text(geometry.out)} = {places}" if nd > 1 else f"{places}"
        raise ValueError(
            f"a window of {size_text(kernel)} over an input of {size_text(size)} stops at {spots} "
            f"places with these settings, but the columns hold {windows} windows"
        )
    batch = columns.shape[:-2]
    check_window_budget(geometry, batch[0] if batch else 1)
    blocks = columns.reshape(*batch, channels, taps, *geometry.out)
    padded = np.zeros((*batch, channels, *geometry.padded_size), dtype=columns.dtype)
    lead = (slice(None),) * (len(batch) + 1)
    for t, offset in enumerate(tap_offsets(geometry)):
        # One tap's windows never share a cell, so plain += adds each value once.
        spots = tuple(
            slice(o, o + s * (n - 1) + 1, s)
            for o, s, n in zip(offset, geometry.stride, geometry.out, strict=True)
        )
        padded[(*lead, *spots)] += blocks[(*lead[:-1], slice(None), t)]
    inside = tuple(slice(b, b + n) for (b, _), n in zip(geometry.pads, size, strict=True))
    return np.ascontiguousarray(padded[(*lead, *inside)])


def correlate_unfolded(x: np.ndarray, weight: np.ndarray, geometry: ConvGeometry, out) -> None:
    """``conv``'s ``method="unfold"``: ``weight.reshape(F, -1) @ unfold(x)`` per group.

    ``x`` is one sample ``(C, *S)``, ``weight`` the effective (already flipped) weights and
    ``out`` the ``(F, *O)`` map to fill.
    """
    columns = unfold(
        x,
        geometry.kernel,
        stride=geometry.stride,
        padding=geometry.pads,
        dilation=geometry.dilation,
        padding_mode=geometry.padding_mode,
    )
    fpg = geometry.filters_per_group
    rows = geometry.channels_per_group * math.prod(geometry.kernel)
    flat = weight.reshape(geometry.filters, rows)
    for g in range(geometry.groups):
        product = flat[g * fpg : (g + 1) * fpg] @ columns[g * rows : (g + 1) * rows]
        out[g * fpg : (g + 1) * fpg] = product.reshape(fpg, *geometry.out)
