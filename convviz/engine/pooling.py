"""Max and average pooling with PyTorch's meanings, whole maps and one window at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dtypes import as_float
from .geometry import AXIS_NAMES, WindowGeometry, per_axis, size_text
from .limits import check_window_budget
from .padding import pad
from .window import Step, WindowWalk, window_view

# What the padding holds: −∞ never wins a maximum; zeros add nothing to a mean.
_FILL = {"max": -np.inf, "avg": 0.0}


@dataclass(frozen=True)
class PoolGeometry(WindowGeometry):
    """A pooling's settings resolved per axis, and the output size.

    ``padding`` holds the cells PyTorch adds on both sides of each axis; ``pads`` adds the cells
    past them that the last window reaches with ``ceil_mode``.
    """

    kind: str
    channels: int
    padding: tuple[int, ...]
    ceil_mode: bool
    count_include_pad: bool

    @property
    def overflow(self) -> tuple[int, ...]:
        """Cells past the padded input that the last window reaches (only with ceil_mode)."""
        return tuple(
            max((o - 1) * s + e - (n + 2 * p), 0)
            for o, s, e, n, p in zip(
                self.out, self.stride, self.extent, self.size, self.padding, strict=True
            )
        )

    # -- the names a convolution's geometry uses, so the same walk and views serve a pooling --
    @property
    def pads(self) -> tuple[tuple[int, int], ...]:
        """``(before, after)`` per axis; with ceil_mode the last window may reach past the
        padding, and those cells count as padding too."""
        return tuple((p, p + e) for p, e in zip(self.padding, self.overflow, strict=True))

    @property
    def filters(self) -> int:
        """Output maps: one per channel (each channel is pooled on its own)."""
        return self.channels

    channels_per_group = 1  # each channel is pooled on its own, as its own group
    filters_per_group = 1
    flip = False  # no kernel to rotate

    def formula(self, axis: int) -> str:
        """The output size of one axis with the numbers plugged in."""
        n, k, s = self.size[axis], self.kernel[axis], self.stride[axis]
        p, d = self.padding[axis], self.dilation[axis]
        rounding = "ceil" if self.ceil_mode else "floor"
        return f"{rounding}(({n} + 2·{p} − {d}·({k}−1) − 1) / {s}) + 1 = {self.out[axis]}"

    def explain(self) -> str:
        """Every axis's formula, then the output shape."""
        names = AXIS_NAMES[self.nd]
        lines = [f"{names[i]}: {self.formula(i)}" for i in range(self.nd)]
        return "\n".join([*lines, f"output: {self.channels} × {size_text(self.out)}"])


def pool_geometry(
    x_shape,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    count_include_pad=True,
    kind="max",
    nd: int | None = None,
) -> PoolGeometry:
    """Check a pooling's arguments for input ``(C, *S)`` or ``(N, C, *S)``.

    ``nd`` (spatial axes) defaults to what ``kernel_size`` implies, or 2 for a plain int.
    """
    x_shape = tuple(x_shape)
    nd = spatial_axes(len(x_shape), kernel_size, nd)
    if nd not in (1, 2, 3) or len(x_shape) not in (nd + 1, nd + 2):
        raise ValueError(
            f"{kind} pooling over {nd} axes needs an input of shape (channels, ...) "
            f"or (n, channels, ...) with {nd} spatial axes; got {x_shape}"
        )
    if len(x_shape) == nd + 2:
        x_shape = x_shape[1:]
    channels, size = x_shape[0], x_shape[1:]
    kernel = per_axis(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None or stride == () else per_axis(stride, nd, "stride")
    dilation = per_axis(dilation, nd, "dilation")
    if isinstance(padding, int):
        padding = (padding,) * nd
    padding = tuple(int(p) for p in padding)
    if len(padding) != nd or any(p < 0 for p in padding):
        raise ValueError(f"padding needs {nd} whole numbers ≥ 0, got {padding}")
    for p, k in zip(padding, kernel, strict=True):
        limit = k // 2  # PyTorch's rule, for max and average pooling alike
        if p > limit:
            raise ValueError(
                f"padding {p} is more than half the {kind}-pooling window "
                f"({size_text(kernel)}); use padding ≤ {limit}"
            )
    if kind == "avg" and nd == 3 and any(n < k for n, k in zip(size, kernel, strict=True)):
        raise ValueError(
            f"the avg-pooling window {size_text(kernel)} is larger than the "
            f"{size_text(size)} input itself, which PyTorch's avg_pool3d refuses "
            "even with padding; use a smaller window"
        )
    out = []
    for n, k, s, p, d in zip(size, kernel, stride, padding, dilation, strict=True):
        room = n + 2 * p - d * (k - 1) - 1
        if room < 0:
            raise ValueError(
                f"the {kind}-pooling window {size_text(kernel)} does not fit in the "
                f"{size_text(size)} input padded by {p}; use a smaller window"
            )
        o = (-(-room // s) if ceil_mode else room // s) + 1
        if ceil_mode and (o - 1) * s >= n + p:
            o -= 1  # the last window must start inside the input or its left padding
        out.append(o)
    window = (tuple(size), kernel, stride, dilation, tuple(out))
    return PoolGeometry(*window, kind, channels, padding, bool(ceil_mode), bool(count_include_pad))


def _padded(x: np.ndarray, g: PoolGeometry) -> np.ndarray:
    return pad(x, g.pads, "constant", _FILL[g.kind])


def _counts(g: PoolGeometry) -> np.ndarray:
    """How many cells each window divides by, per output position."""
    per_axis_counts = []
    for n, k, s, p, o in zip(g.size, g.kernel, g.stride, g.padding, g.out, strict=True):
        start = np.arange(o) * s - p
        stop = start + k
        if g.count_include_pad:
            counts = np.minimum(stop, n + p) - start
        else:
            counts = np.minimum(stop, n) - np.maximum(start, 0)
        per_axis_counts.append(counts)
    total = per_axis_counts[0]
    for counts in per_axis_counts[1:]:
        total = np.multiply.outer(total, counts)
    return total.astype(np.float64)


def spatial_axes(x_ndim: int, kernel_size, nd: int | None = None) -> int:
    """How many spatial axes a pooling works on: ``nd``, else ``len(kernel_size)`` for a
    tuple, else the input's: ``(C, L)`` 1, ``(C, H, W)`` 2, ``(N, C, H, W)`` 2,
    ``(N, C, D, H, W)`` 3."""
    if nd is not None:
        return nd
    if isinstance(kernel_size, tuple | list):
        return len(kernel_size)
    return x_ndim - 1 if x_ndim <= 3 else x_ndim - 2


def _pool_map(padded: np.ndarray, g: PoolGeometry) -> np.ndarray:
    windows = window_view(padded, g)
    axes = tuple(range(windows.ndim - g.nd, windows.ndim))
    with np.errstate(invalid="ignore", over="ignore"):
        if g.kind == "max":
            return windows.max(axis=axes)
        return (windows.sum(axis=axes) / _counts(g)).astype(padded.dtype, copy=False)


def _batch(x: np.ndarray, nd: int) -> int:
    """Samples in ``x``: its axes before the channel and the ``nd`` pooled ones."""
    return int(np.prod(x.shape[: x.ndim - nd - 1], dtype=np.int64))


def max_pool(
    x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, *, nd: int | None = None
) -> np.ndarray:
    """``torch.nn.functional.max_pool1d/2d/3d`` for ``(C, *S)`` or ``(N, C, *S)``.

    The padding holds −∞, so it never wins. See ``spatial_axes`` for how many axes are pooled.
    """
    x = as_float(x)
    nd = spatial_axes(x.ndim, kernel_size, nd)
    g = pool_geometry(x.shape, kernel_size, stride, padding, dilation, ceil_mode, True, "max", nd)
    check_window_budget(g, _batch(x, nd))
    return _pool_map(_padded(x, g), g)


def avg_pool(
    x,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    *,
    nd: int | None = None,
) -> np.ndarray:
    """``torch.nn.functional.avg_pool1d/2d/3d`` for ``(C, *S)`` or ``(N, C, *S)``.

    The padding holds zeros, counted in the divisor only with ``count_include_pad``.
    """
    x = as_float(x)
    nd = spatial_axes(x.ndim, kernel_size, nd)
    g = pool_geometry(
        x.shape, kernel_size, stride, padding, 1, ceil_mode, count_include_pad, "avg", nd
    )
    check_window_budget(g, _batch(x, nd))
    return _pool_map(_padded(x, g), g)


class PoolStepper(WindowWalk):
    """Walk a pooling one output cell at a time, with the same ``Step`` fields as convolution.

    For max pooling ``weights`` is 1 on the tap holding the maximum and 0 elsewhere; for average
    pooling it is 1/count on the counted taps. Either way ``output`` = sum of ``products``.
    Steps go channel by channel, positions in row-major order.
    """

    geometry: PoolGeometry

    def __init__(
        self,
        x,
        kind: str,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        ceil_mode=False,
        count_include_pad=True,
    ):
        if kind not in ("max", "avg"):
            raise ValueError(f"unknown pooling {kind!r}; use 'max' or 'avg'")
        x = as_float(x)
        nd = x.ndim - 1
        if kind == "avg" and dilation != 1:
            raise ValueError("average pooling has no dilation in PyTorch")
        geometry = pool_geometry(
            x.shape, kernel_size, stride, padding, dilation, ceil_mode, count_include_pad, kind, nd
        )
        super().__init__(x, geometry, "constant", _FILL[kind])
        self.output = _pool_map(self.padded, geometry)

    def __getitem__(self, index: int) -> Step:
        index, channel, out_index, taps, values = self._read(index)
        g = self.geometry
        coords = taps[:, 1:]
        inside = np.all((coords >= 0) & (coords < np.array(g.size)), axis=1)
        if g.kind == "max":
            weights = np.zeros(len(values))
            weights[int(np.argmax(values))] = 1.0
            products = np.where(weights > 0, values, 0.0)
        else:
            in_padded = np.all(coords < np.array(g.size) + np.array(g.padding), axis=1)
            counted = in_padded if g.count_include_pad else inside
            weights = counted / counted.sum()
            products = values * weights
        output = float(self.output[(channel, *out_index)])
        return Step(index, channel, out_index, taps, values, weights, products, 0.0, output)
