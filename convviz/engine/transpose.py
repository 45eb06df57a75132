"""The transposed convolution (PyTorch's ``conv_transpose1d/2d/3d``), computed as a gather.

Each input cell scatters a copy of the kernel, scaled by its value, onto the output; the app
shows the same sum the other way round, as an ordinary convolution: put ``stride − 1`` zeros
between the input's cells, pad by ``dilation·(k − 1) − padding`` on each side (plus
``output_padding`` at the end; a negative pad crops), and slide the kernel over it rotated by
180° with its input and output channels swapped. ``gather_input`` and ``transposed_kernel`` build
those two arrays, so a ``Stepper`` can walk a transposed convolution one output cell at a time::

    g = transpose_geometry(x.shape, w.shape, stride=2)
    Stepper(gather_input(x, g), transposed_kernel(w, g.groups), dilation=g.dilation,
            groups=g.groups)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .conv import conv
from .dtypes import result_dtype
from .geometry import AXIS_NAMES, per_axis, size_text
from .limits import MAX_CELLS, cells_text


@dataclass(frozen=True)
class TransposeGeometry:
    """A transposed convolution's shapes and settings, checked and resolved per spatial axis.

    ``size`` is the input's, ``out`` the output's; ``channels`` are the input's channels and
    ``filters`` the output's (``groups`` times the weight's second axis).
    """

    channels: int
    filters: int
    groups: int
    size: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    dilation: tuple[int, ...]
    out: tuple[int, ...]

    @property
    def nd(self) -> int:
        """Number of spatial axes (1, 2 or 3)."""
        return len(self.size)

    @property
    def channels_per_group(self) -> int:
        """Input channels in each group."""
        return self.channels // self.groups

    @property
    def filters_per_group(self) -> int:
        """Output channels each group makes."""
        return self.filters // self.groups

    @property
    def stretched(self) -> tuple[int, ...]:
        """Input size per axis once ``stride − 1`` zeros sit between its cells."""
        return tuple((n - 1) * s + 1 for n, s in zip(self.size, self.stride, strict=True))

    @property
    def gather_pads(self) -> tuple[tuple[int, int], ...]:
        """``(before, after)`` cells around the stretched input per axis; negative crops."""
        return tuple(
            (d * (k - 1) - p, d * (k - 1) - p + op)
            for k, d, p, op in zip(
                self.kernel, self.dilation, self.padding, self.output_padding, strict=True
            )
        )

    @property
    def gather_size(self) -> tuple[int, ...]:
        """Size per axis of the zero-stuffed, padded input the rotated kernel slides over."""
        return tuple(
            o + d * (k - 1) for o, d, k in zip(self.out, self.dilation, self.kernel, strict=True)
        )

    def formula(self, axis: int) -> str:
        """The output size of one axis with the numbers plugged in.

        ``(n − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1 = out``.
        """
        n, k, s = self.size[axis], self.kernel[axis], self.stride[axis]
        p, op, d = self.padding[axis], self.output_padding[axis], self.dilation[axis]
        return f"({n} − 1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1 = {self.out[axis]}"

    def explain(self) -> str:
        """Every axis's output-size formula, one line each, named by axis, then the shape."""
        names = AXIS_NAMES[self.nd]
        lines = [f"{names[i]}: {self.formula(i)}" for i in range(self.nd)]
        shape = size_text(self.out)
        lines.append(
            f"output: {self.filters} × {shape}" if self.filters > 1 else f"output: {shape}"
        )
        return "\n".join(lines)


def _cells_per_axis(value, nd: int, name: str) -> tuple[int, ...]:
    """Expand a count of cells (≥ 0) given once or once per spatial axis."""
    if isinstance(value, str):
        raise ValueError(
            f"{name} of a transposed convolution is a number of cells (one, or one per axis), "
            f"not {value!r}: it has no 'same', 'valid' or 'full'"
        )
    if isinstance(value, numbers.Integral):
        items = [value] * nd
    else:
        try:
            items = list(value)
        except TypeError:
            items = []
        if len(items) != nd:
            raise ValueError(
                f"{name} must be one whole number or {nd} of them (one per axis), got {value!r}"
            )
    for v in items:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise ValueError(f"{name} must be a whole number, got {v!r}")
        if v < 0:
            raise ValueError(f"{name} cannot be negative, got {v}; use 0 for none")
        if v > MAX_CELLS:
            raise ValueError(
                f"{name} {v} is larger than any input convviz works with (at most "
                f"{MAX_CELLS:,} cells along an axis); use a smaller {name}"
            )
    return tuple(int(v) for v in items)


def _check_shapes(x_shape, weight_shape, groups):
    nd = len(weight_shape) - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            "the weight of a transposed convolution must have shape (input channels, "
            "filters // groups, *kernel) with a 1-, 2- or 3-D kernel, got a "
            f"{len(weight_shape)}-D array of shape {weight_shape}"
        )
    if len(x_shape) == nd + 2:
        x_shape = x_shape[1:]
    if len(x_shape) != nd + 1:
        raise ValueError(
            f"a {nd}-D kernel needs an input of shape (channels, {', '.join(AXIS_NAMES[nd])}) "
            f"or batched (n, channels, ...); got shape {x_shape}: the ranks do not match"
        )
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups < 1:
        raise ValueError(f"groups must be a whole number ≥ 1, got {groups!r}")
    channels, size = x_shape[0], x_shape[1:]
    if min(size) < 1 or channels < 1:
        raise ValueError(f"the input is empty (shape {x_shape}); give it at least one cell")
    if min(weight_shape) < 1:
        raise ValueError(f"the kernel is empty (shape {weight_shape}); give it at least one cell")
    if weight_shape[0] != channels:
        raise ValueError(
            "the weight of a transposed convolution has shape (input channels, filters // groups, "
            f"*kernel): its first axis ({weight_shape[0]}) must match the input's {channels} "
            "channel(s)"
        )
    if channels % groups:
        raise ValueError(f"groups={groups} must divide the {channels} input channels")
    return nd, channels, tuple(size), int(groups)


def transpose_geometry(
    x_shape, weight_shape, *, stride=1, padding=0, output_padding=0, groups=1, dilation=1
) -> TransposeGeometry:
    """Check a transposed convolution's arguments and resolve them per axis.

    Parameters
    ----------
    x_shape : tuple of int
        ``(C, *S)`` or batched ``(N, C, *S)`` with 1 to 3 spatial axes.
    weight_shape : tuple of int
        ``(C, F // groups, *K)``, as PyTorch's ``conv_transpose*d`` takes it.
    stride, padding, output_padding, dilation : int or sequence of int
        One for all axes or one per spatial axis, as in ``conv_transpose``.
    groups : int
        Splits the input channels and the output channels into this many groups.

    Raises
    ------
    ValueError
        With a sentence that names the problem and the fix.
    """
    x_shape, weight_shape = tuple(x_shape), tuple(weight_shape)
    nd, channels, size, groups = _check_shapes(x_shape, weight_shape, groups)
    kernel = weight_shape[2:]
    stride = per_axis(stride, nd, "stride")
    dilation = per_axis(dilation, nd, "dilation")
    padding = _cells_per_axis(padding, nd, "padding")
    output_padding = _cells_per_axis(output_padding, nd, "output_padding")
    out = []
    for axis in range(nd):
        n, k, s, d = size[axis], kernel[axis], stride[axis], dilation[axis]
        p, op = padding[axis], output_padding[axis]
        if op >= s and op >= d:
            raise ValueError(
                f"output_padding {op} must be smaller than the stride ({s}) or the dilation "
                f"({d}): it only adds the cells at the end that the stride skipped; "
                f"use output_padding ≤ {max(s, d) - 1}"
            )
        full = (n - 1) * s + d * (k - 1) + op + 1
        if full - 2 * p < 1:
            raise ValueError(
                f"padding {p} crops away the whole output along the {AXIS_NAMES[nd][axis]}: "
                f"({n} − 1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1 = {full - 2 * p}; "
                f"use padding ≤ {(full - 1) // 2}"
            )
        out.append(full - 2 * p)
    return TransposeGeometry(
        channels=channels,
        filters=groups * weight_shape[1],
        groups=groups,
        size=size,
        kernel=tuple(kernel),
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        dilation=dilation,
        out=tuple(out),
    )


def check_transpose_budget(geometry: TransposeGeometry, batch: int = 1) -> None:
    """Refuse (ValueError, in words) a transposed convolution whose output, or the zero-stuffed
    input its gather slides over, would pass ``MAX_CELLS``, before anything is allocated."""
    limit = f"convviz works with up to {cells_text(MAX_CELLS)} cells per array"
    lead = (batch,) if batch > 1 else ()
    out = batch * geometry.filters * math.prod(geometry.out)
    if out > MAX_CELLS:
        shape = size_text((*lead, geometry.filters, *geometry.out))
        raise ValueError(
            f"these settings make an output of {shape} = {cells_text(out)} cells: {limit}; "
            "use a smaller stride or input, or fewer filters"
        )
    gathered = batch * geometry.channels * math.prod(geometry.gather_size)
    if gathered > MAX_CELLS:
        shape = size_text((*lead, geometry.channels, *geometry.gather_size))
        raise ValueError(
            f"with zeros inserted and padded, the input becomes {shape} = "
            f"{cells_text(gathered)} cells: {limit}; use a smaller dilation or kernel"
        )


def gather_input(x, geometry: TransposeGeometry) -> np.ndarray:
    """The input with ``stride − 1`` zeros between its cells, padded (or cropped) by
    ``geometry.gather_pads``: what the rotated kernel slides over.

    Parameters
    ----------
    x : array_like
        ``(C, *S)`` or ``(N, C, *S)``, the shape ``geometry`` was made for.
    geometry : TransposeGeometry
        From ``transpose_geometry``.

    Returns
    -------
    numpy.ndarray
        ``(..., C, *geometry.gather_size)``; float32 for a float32 input, else float64.
    """
    x = np.asarray(x)
    nd = geometry.nd
    result = np.zeros((*x.shape[:-nd], *geometry.gather_size), dtype=result_dtype(x))
    source, target = [slice(None)] * (x.ndim - nd), [slice(None)] * (x.ndim - nd)
    for n, s, g, (before, _) in zip(
        geometry.size, geometry.stride, geometry.gather_size, geometry.gather_pads, strict=True
    ):
        # Input cell j lands at j·s + before; only those inside the padded frame are kept.
        first = max(0, -(before // s))
        last = min(n - 1, (g - 1 - before) // s)
        if last < first:
            return result
        source.append(slice(first, last + 1))
        target.append(slice(first * s + before, last * s + before + 1, s))
    result[tuple(target)] = x[tuple(source)]
    return result


def transposed_kernel(weight, groups: int = 1) -> np.ndarray:
    """The kernel of the equivalent convolution: rotated 180°, input and output channels swapped
    within each group, from ``(C, F // groups, *K)`` to ``(F, C // groups, *K)``."""
    w = np.asarray(weight)
    channels, per_group, kernel = w.shape[0], w.shape[1], w.shape[2:]
    swapped = w.reshape(groups, channels // groups, per_group, *kernel).swapaxes(1, 2)
    rotated = swapped[(Ellipsis, *(slice(None, None, -1),) * len(kernel))]
    return rotated.reshape(groups * per_group, channels // groups, *kernel)


def conv_transpose(
    x, weight, bias=None, *, stride=1, padding=0, output_padding=0, groups=1, dilation=1
) -> np.ndarray:
    """Transposed convolution like ``torch.nn.functional.conv_transpose1d/2d/3d``.

    Computed as a gather: zeros inserted between the input's cells, padding, then an ordinary
    cross-correlation with the rotated, channel-swapped kernel (see the module's docstring).

    Parameters
    ----------
    x : array_like
        ``(C, *S)`` or batched ``(N, C, *S)``, with 1 to 3 spatial axes.
    weight : array_like
        ``(C, F // groups, *K)``.
    bias : array_like, optional
        ``(F,)``, added to every output cell of its output channel.
    stride, dilation : int or sequence of int
        One for all axes or one per spatial axis, each ≥ 1.
    padding : int or sequence of int
        Cells cropped from both ends of each axis of the full output.
    output_padding : int or sequence of int
        Cells added at the end of each axis (smaller than the stride or the dilation): several
        input sizes give one convolution output size, and this picks which one to restore.
    groups : int
        Splits channels into this many independent groups.

    Returns
    -------
    numpy.ndarray
        ``(F, *O)`` or ``(N, F, *O)`` with
        ``O = (S − 1)·stride − 2·padding + dilation·(K − 1) + output_padding + 1``; float32 when
        input and weights are float32, else float64.
    """
    x = np.asarray(x)
    w = np.asarray(weight)
    dtype = result_dtype(x, w)
    geometry = transpose_geometry(
        x.shape,
        w.shape,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )
    batched = x.ndim == geometry.nd + 2
    check_transpose_budget(geometry, x.shape[0] if batched else 1)
    gathered = gather_input(x.astype(dtype, copy=False), geometry)
    kernel = transposed_kernel(w.astype(dtype, copy=False), geometry.groups)
    return conv(gathered, kernel, bias, dilation=geometry.dilation, groups=geometry.groups)


def output_shape_transpose(x_shape, weight_shape, **kwargs) -> tuple[int, ...]:
    """The shape ``conv_transpose`` returns (same keywords as ``conv_transpose``)."""
    geometry = transpose_geometry(x_shape, weight_shape, **kwargs)
    batch = tuple(x_shape)[:1] if len(tuple(x_shape)) == geometry.nd + 2 else ()
    return (*batch, geometry.filters, *geometry.out)


def explain_output_size_transpose(x_shape, weight_shape, **kwargs) -> str:
    """The transposed convolution's output size in plain words with the numbers plugged in,
    one line per axis (same keywords as ``conv_transpose``)."""
    return transpose_geometry(x_shape, weight_shape, **kwargs).explain()
