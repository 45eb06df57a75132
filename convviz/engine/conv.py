"""The whole feature map at once: PyTorch's ``conv1d/2d/3d`` in pure NumPy.

One channel meeting one 1-D or 2-D filter goes in strips of output cells, each a matrix product
with the kernel laid out as a banded matrix (``strips``). With several channels or filters, a
band of output rows' windows are laid out side by side and met by all filters in one matrix
product; 3-D kernels on one channel sum tap by tap ("shift and add"), a band of output rows at
a time so that the running sum stays in the processor's cache. No way copies the input once per
tap, and data with an inf or NaN goes tap by tap (IEEE arithmetic, as PyTorch).
"""

from __future__ import annotations

import math

import numpy as np

from .dtypes import result_dtype
from .fft_conv import correlate_fft
from .geometry import ConvGeometry, conv_geometry
from .limits import check_window_budget
from .padding import pad
from .strips import correlate_strips
from .unfold import correlate_unfolded
from .window import tap_offsets, window_view

METHODS = ("auto", "direct", "unfold", "fft")
"""The ways ``conv`` can compute the same map (see its ``method`` keyword)."""

# Elements per band of output: big enough to amortise NumPy's per-call cost, small enough
# for the running sum (and its window copies) to stay in the L2 cache.
_SHIFT_ADD_BAND = 1 << 15
_MATMUL_BAND = 1 << 20
# One channel meeting one 3-D filter goes tap by tap, except for mid-sized kernels (16 to 64
# taps), which gain from laying their windows out for one matrix product; bigger kernels leave
# too few rows per band for that to pay.
_MATMUL_TAPS = range(16, 65)


def check_bias(bias, filters: int, dtype) -> np.ndarray | None:
    """Bias as a ``(filters,)`` array of ``dtype``, or None; a clear error for a wrong length."""
    if bias is None:
        return None
    b = np.asarray(bias)
    if b.ndim == 0:
        b = np.full(filters, b)
    if b.shape != (filters,):
        raise ValueError(f"bias needs one number per filter ({filters}), got shape {b.shape}")
    result_dtype(b)
    return b.astype(dtype, copy=False)


def effective_weight(weight: np.ndarray, flip: bool) -> np.ndarray:
    """The weights as they meet the window: rotated 180° (spatial axes) for true convolution."""
    if not flip:
        return weight
    spatial = (slice(None), slice(None)) + (slice(None, None, -1),) * (weight.ndim - 2)
    return weight[spatial]


def conv(
    x,
    weight,
    bias=None,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    flip=False,
    method="auto",
) -> np.ndarray:
    """Convolve like ``torch.nn.functional.conv1d/2d/3d`` (cross-correlation unless ``flip``).

    Parameters
    ----------
    x : array_like
        ``(C, *S)`` or batched ``(N, C, *S)``, with 1 to 3 spatial axes.
    weight : array_like
        ``(F, C // groups, *K)``.
    bias : array_like, optional
        ``(F,)``, added to every output cell of its filter.
    stride, dilation : int or sequence of int
        One for all axes or one per spatial axis, each ≥ 1.
    padding : int, sequence, or {"valid", "same", "full"}
        Cells added around the input: one int, one int per axis, one ``(before, after)`` pair per
        axis, or a word (see ``convviz.engine.geometry.resolve_padding``).
    groups : int
        Splits channels and filters into this many independent groups.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        What the padding holds, as in PyTorch.
    flip : bool
        True convolution (kernel rotated 180°), as ``numpy.convolve`` and
        ``scipy.signal.convolve2d`` compute; the default is cross-correlation, as deep-learning
        libraries compute.
    method : {"auto", "direct", "unfold", "fft"}
        How to compute the same map. ``"auto"`` and ``"direct"`` sum the taps' products (as
        matrix products over strips or bands of windows, or tap by tap, by shape);
        ``"unfold"`` multiplies the flattened weights by the im2col columns (``unfold``),
        group by group; ``"fft"`` multiplies spectra (the convolution theorem), agreeing with
        ``"direct"`` to about 1e-9 of the sum of each cell's products' magnitudes, and refuses
        an inf or NaN, which would spoil every cell.

    Returns
    -------
    numpy.ndarray
        ``(F, *O)`` or ``(N, F, *O)``; float32 when input and weights are float32, else float64.
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    x = np.asarray(x)
    w = np.asarray(weight)
    dtype = result_dtype(x, w)
    geometry = conv_geometry(
        x.shape,
        w.shape,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        flip=flip,
    )
    batched = x.ndim == geometry.nd + 2
    check_window_budget(geometry, x.shape[0] if batched else 1)
    b = check_bias(bias, geometry.filters, dtype)
    xb = (x if batched else x[None]).astype(dtype, copy=False)
    w = effective_weight(w.astype(dtype, copy=False), geometry.flip)
    out = np.empty((xb.shape[0], geometry.filters, *geometry.out), dtype=dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        if method == "fft":
            correlate_fft(xb, w, geometry, out)
        elif method == "unfold":
            for n in range(xb.shape[0]):
                correlate_unfolded(xb[n], w, geometry, out[n])
        else:
            for n in range(xb.shape[0]):
                padded = pad(xb[n], geometry.pads, geometry.padding_mode)
                correlate_padded(padded, w, geometry, out[n])
        if b is not None:
            out += b.reshape((1, -1) + (1,) * geometry.nd)
    return out if batched else out[0]


def _window_slices(geometry: ConvGeometry, offset, first: int, count: int) -> tuple[slice, ...]:
    """Slices of the padded input that tap ``offset`` meets for output rows first..first+count."""
    slices = []
    for axis, (o, s, n_out) in enumerate(zip(offset, geometry.stride, geometry.out, strict=True)):
        start, n = (first * s + o, count) if axis == 0 else (o, n_out)
        slices.append(slice(start, start + s * (n - 1) + 1, s))
    return tuple(slices)


def correlate_padded(
    padded: np.ndarray, weight: np.ndarray, geometry: ConvGeometry, out: np.ndarray
) -> None:
    """Cross-correlate an already padded ``(C, *P)`` input into ``out`` of shape ``(F, *O)``."""
    taps = math.prod(geometry.kernel)
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    rest = math.prod(geometry.out[1:])
    if not (_finite(padded) and _finite(weight)):
        # Matrix products may skip a zero weight and so lose inf·0 = NaN: go tap by tap.
        _correlate_each_pair(padded, weight, geometry, out)
        return
    if cpg == 1 and fpg == 1 and geometry.nd < 3 and taps > 1:
        _correlate_strips(padded, weight, geometry, out)
        return
    positions = rest * geometry.out[0]
    if taps * positions * cpg <= _MATMUL_BAND:
        _correlate_small(padded, weight, geometry, out)
        return
    offsets = tap_offsets(geometry)
    single = cpg == 1 and fpg == 1 and taps not in _MATMUL_TAPS
    budget = _SHIFT_ADD_BAND if single else _MATMUL_BAND // max(cpg * taps, 1)
    band = max(1, min(geometry.out[0], budget // max(rest, 1)))
    flat_w = weight.reshape(geometry.filters, cpg * taps)
    scratch = np.empty((band, *geometry.out[1:]), dtype=out.dtype)
    cols = None if single else np.empty((cpg, taps, band, *geometry.out[1:]), dtype=out.dtype)
    for first in range(0, geometry.out[0], band):
        count = min(band, geometry.out[0] - first)
        for g in range(geometry.groups):
            channels = slice(g * cpg, (g + 1) * cpg)
            filters = slice(g * fpg, (g + 1) * fpg)
            if single:
                _shift_add(
                    padded[g],
                    flat_w[g],
                    offsets,
                    geometry,
                    first,
                    count,
                    out[g, first : first + count],
                    scratch[:count],
                )
            else:
                window = cols[:, :, :count]
                for t, offset in enumerate(offsets):
                    window[:, t] = padded[
                        (channels, *_window_slices(geometry, offset, first, count))
                    ]
                product = flat_w[filters] @ window.reshape(cpg * taps, -1)
                out[filters, first : first + count] = product.reshape(fpg, count, *geometry.out[1:])


def _finite(a: np.ndarray) -> bool:
    """Whether every number in ``a`` is finite: its dot product with itself is (an inf or NaN
    makes it inf or NaN; numbers past 1e154 overflow it and only send finite data the slow,
    exact way). A dot product costs less than a sum's reduction on a small array."""
    flat = a.reshape(-1)
    return math.isfinite(flat @ flat)


def _correlate_strips(padded, weight, geometry, out) -> None:
    """Each group's one channel and one filter as strips of matrix products (1-D as one row)."""
    if geometry.nd == 1:
        padded, weight, out = padded[:, None], weight[:, :, None], out[:, None]
        stride, dilation = (1, *geometry.stride), (1, *geometry.dilation)
    else:
        stride, dilation = geometry.stride, geometry.dilation
    for g in range(geometry.groups):
        correlate_strips(padded[g], weight[g, 0], stride, dilation, out[g])


def _correlate_small(padded, weight, geometry, out) -> None:
    """All windows of a small map at once: one tensor product per group, few NumPy calls."""
    nd = geometry.nd
    windows = window_view(padded, geometry)
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    axes = (list(range(1, nd + 2)), [0, *range(nd + 1, 2 * nd + 1)])
    for g in range(geometry.groups):
        out[g * fpg : (g + 1) * fpg] = np.tensordot(
            weight[g * fpg : (g + 1) * fpg], windows[g * cpg : (g + 1) * cpg], axes=axes
        )


def _correlate_each_pair(padded, weight, geometry, out) -> None:
    """Shift-and-add for every filter and each channel it sees: IEEE arithmetic tap by tap."""
    offsets = tap_offsets(geometry)
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    flat_w = weight.reshape(geometry.filters, cpg, -1)
    total = np.empty(geometry.out, dtype=out.dtype)
    scratch = np.empty(geometry.out, dtype=out.dtype)
    for f in range(geometry.filters):
        first_channel = (f // fpg) * cpg
        for c in range(cpg):
            target = out[f] if c == 0 else total
            _shift_add(
                padded[first_channel + c],
                flat_w[f, c],
                offsets,
                geometry,
                0,
                geometry.out[0],
                target,
                scratch,
            )
            if c:
                out[f] += total


def _shift_add(channel, weights, offsets, geometry, first, count, acc, scratch) -> None:
    for t, offset in enumerate(offsets):
        window = channel[_window_slices(geometry, offset, first, count)]
        if t == 0:
            np.multiply(window, weights[t], out=acc)
        else:
            np.multiply(window, weights[t], out=scratch)
            acc += scratch
