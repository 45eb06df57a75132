"""Where the window goes: argument checking, padding amounts and output sizes.

Everything here works on shapes only, so the app can explain a setting (and refuse a bad one)
before any number is computed.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from .limits import MAX_CELLS

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
AXIS_NAMES = {1: ("length",), 2: ("rows", "columns"), 3: ("depth", "rows", "columns")}


def size_text(sizes) -> str:
    """Write a shape the way a textbook does: ``5×5``, ``3×4×4``, ``7``."""
    return "×".join(str(int(s)) for s in sizes)


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def per_axis(value, nd: int, name: str) -> tuple[int, ...]:
    """Expand an int, or check one int per spatial axis, for ``stride``/``dilation``."""
    if _is_int(value):
        values = (int(value),) * nd
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
        if len(values) != nd or not all(_is_int(v) for v in values):
            raise ValueError(
                f"{name} must be one whole number or {nd} of them (one per axis), got {value!r}"
            )
        values = tuple(int(v) for v in values)
    for v in values:
        if v < 1:
            raise ValueError(f"{name} must be at least 1, got {v}: a {name} of {v} never moves on")
        if v > MAX_CELLS:
            raise ValueError(
                f"{name} {v} is larger than any input convviz works with (at most "
                f"{MAX_CELLS:,} cells along an axis); use a smaller {name}"
            )
    return values


@dataclass(frozen=True)
class WindowGeometry:
    """Where a window goes over a padded input, for convolution and pooling alike.

    Per spatial axis: the input ``size``, the ``kernel`` (window) size, ``stride``, ``dilation``
    and the output size ``out``. Subclasses add ``pads``, one ``(before, after)`` pair per axis.
    """

    size: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    out: tuple[int, ...]

    @property
    def nd(self) -> int:
        """Number of spatial axes (1, 2 or 3)."""
        return len(self.size)

    @property
    def extent(self) -> tuple[int, ...]:
        """Cells the dilated kernel spans per axis: ``dilation·(k−1) + 1``."""
        return tuple(d * (k - 1) + 1 for d, k in zip(self.dilation, self.kernel, strict=True))

    @property
    def padded_size(self) -> tuple[int, ...]:
        """Input size per axis after padding."""
        return tuple(n + b + a for n, (b, a) in zip(self.size, self.pads, strict=True))

    @property
    def unused(self) -> tuple[int, ...]:
        """Padded cells per axis at the far end that no window reaches (the stride skips them)."""
        return tuple(
            p - ((o - 1) * s + e)
            for p, o, s, e in zip(self.padded_size, self.out, self.stride, self.extent, strict=True)
        )


@dataclass(frozen=True)
class ConvGeometry(WindowGeometry):
    """A convolution's shapes and settings, checked and resolved to plain numbers per axis.

    ``pads`` holds one ``(before, after)`` pair per spatial axis.
    """

    channels: int
    filters: int
    groups: int
    pads: tuple[tuple[int, int], ...]
    padding_mode: str
    flip: bool

    @property
    def channels_per_group(self) -> int:
        """Input channels each filter sees."""
        return self.channels // self.groups

    @property
    def filters_per_group(self) -> int:
        """Filters that share one group of input channels."""
        return self.filters // self.groups

    def formula(self, axis: int) -> str:
        """The output size of one axis with the numbers plugged in.

        ``floor((n + p_before + p_after − d·(k−1) − 1) / s) + 1 = out``.
        """
        n, k = self.size[axis], self.kernel[axis]
        s, d = self.stride[axis], self.dilation[axis]
        b, a = self.pads[axis]
        return f"floor(({n} + {b} + {a} − {d}·({k}−1) − 1) / {s}) + 1 = {self.out[axis]}"

    def explain(self) -> str:
        """Every axis's output-size formula, one line each, named by axis."""
        names = AXIS_NAMES[self.nd]
        lines = [f"{names[i]}: {self.formula(i)}" for i in range(self.nd)]
        shape = size_text(self.out)
        lines.append(
            f"output: {self.filters} × {shape}" if self.filters > 1 else f"output: {shape}"
        )
        return "\n".join(lines)


def _same_pads(n, k, s, d, flip) -> tuple[int, int]:
    out = math.ceil(n / s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    small, large = total // 2, total - total // 2
    # Cross-correlation puts the odd cell at the end (PyTorch, TensorFlow); true convolution at the
    # start, which is where numpy.convolve and scipy.signal.convolve2d put it for mode="same".
    return (large, small) if flip else (small, large)


def resolve_padding(padding, size, kernel, stride, dilation, flip) -> tuple[tuple[int, int], ...]:
    """Turn any accepted ``padding`` into one ``(before, after)`` pair per axis."""
    nd = len(size)
    if isinstance(padding, str):
        word = padding.lower()
        if word == "valid":
            return ((0, 0),) * nd
        if word == "full":
            return tuple((d * (k - 1), d * (k - 1)) for k, d in zip(kernel, dilation, strict=True))
        if word == "same":
            return tuple(
                _same_pads(n, k, s, d, flip)
                for n, k, s, d in zip(size, kernel, stride, dilation, strict=True)
            )
        raise ValueError(
            f"unknown padding {padding!r}; use a number of cells, 'valid', 'same' or 'full'"
        )
    if _is_int(padding):
        pads = ((int(padding), int(padding)),) * nd
    else:
        try:
            items = list(padding)
        except TypeError:
            raise ValueError(f"padding must be a whole number or a word, got {padding!r}") from None
        if len(items) != nd:
            raise ValueError(
                f"padding needs one entry per axis ({nd}), got {len(items)}: {padding!r}"
            )
        pads = []
        for item in items:
            if _is_int(item):
                pads.append((int(item), int(item)))
                continue
            pair = tuple(item) if isinstance(item, tuple | list) else ()
            if len(pair) != 2 or not all(_is_int(v) for v in pair):
                raise ValueError(
                    "padding per axis must be a whole number or a (before, after) pair, "
                    f"got {item!r}"
                )
            pads.append((int(pair[0]), int(pair[1])))
        pads = tuple(pads)
    for b, a in pads:
        if b < 0 or a < 0:
            raise ValueError(f"padding cannot be negative, got {min(b, a)}; use 0 for no padding")
    return pads


def _check_mode_fits(mode, size, pads):
    if mode == "reflect":
        for n, (b, a) in zip(size, pads, strict=True):
            if max(b, a) >= n:
                raise ValueError(
                    f"reflect padding of {max(b, a)} needs an input longer than that along every "
                    f"padded axis, but one is {n}; use padding ≤ {n - 1} or another padding_mode"
                )
    elif mode == "circular":
        for n, (b, a) in zip(size, pads, strict=True):
            if max(b, a) > n:
                raise ValueError(
                    f"circular padding of {max(b, a)} wraps around more than the input's "
                    f"{n} cells; use padding ≤ {n} or another padding_mode"
                )


def _kernel_fit_message(size, kernel, dilation, pads) -> str:
    extent = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    padded = [n + b + a for n, (b, a) in zip(size, pads, strict=True)]
    pad_words = sorted({v for pair in pads for v in pair})
    pad_text = ", ".join(str(p) for p in pad_words)
    need = max(
        math.ceil((e - p) / 2) + max(max(pr) for pr in pads)
        for e, p, pr in zip(extent, padded, pads, strict=True)
        if e > p
    )
    spans = ""
    if any(d > 1 for d in dilation):
        spans = f" (with dilation {size_text(dilation)} it spans {size_text(extent)})"
    if len(size) == 1:
        return (
            f"a {kernel[0]}-cell kernel{spans} does not fit in the {size[0]}-cell signal padded by "
            f"{pad_text}; use padding ≥ {need}, a shorter kernel, or padding 'full' (convolution "
            "commutes, so with true convolution you may also swap the signal and the kernel)"
        )
    return (
        f"kernel {size_text(kernel)}{spans} does not fit in the {size_text(size)} input padded by "
        f"{pad_text}; use padding ≥ {need} or a smaller kernel"
    )


def _frozen(value):
    """A hashable copy of an argument (lists become tuples), for the geometry cache."""
    if isinstance(value, list | tuple):
        if all(type(v) is int for v in value):  # a shape: the common case, kept cheap
            return ("ints", tuple(value))
        return tuple(map(_frozen, value))
    # The type is part of the key: True == 1 and 2.0 == 2 must not find an int's answer.
    return (type(value), value)


def _plain(arguments) -> bool:
    """Whether the arguments are shapes of ints and single ints, words and a bool: then they
    are their own cache key (no bool or float among them could find an int's answer)."""
    x_shape, weight_shape, stride, padding, dilation, groups, padding_mode, flip = arguments
    return (
        type(stride) is int
        and type(dilation) is int
        and type(groups) is int
        and (type(padding) is int or type(padding) is str)
        and type(padding_mode) is str
        and type(flip) is bool
        and type(x_shape) is tuple
        and type(weight_shape) is tuple
        and all(type(v) is int for v in x_shape)
        and all(type(v) is int for v in weight_shape)
    )


def conv_geometry(
    x_shape,
    weight_shape,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    flip=False,
) -> ConvGeometry:
    """Check a convolution's arguments and resolve them per axis (remembering recent answers).

    Parameters
    ----------
    x_shape : tuple of int
        ``(C, *S)`` or batched ``(N, C, *S)`` with 1 to 3 spatial axes.
    weight_shape : tuple of int
        ``(F, C // groups, *K)``.

    Raises
    ------
    ValueError
        With a sentence that names the problem and the fix.
    """
    arguments = (x_shape, weight_shape, stride, padding, dilation, groups, padding_mode, flip)
    if _plain(arguments):  # the common call, keyed without per-argument work
        key = arguments
        found = _RESOLVED.get(key)
    else:
        try:
            key = tuple(map(_frozen, arguments))
            found = _RESOLVED.get(key)
        except TypeError:  # an odd argument: no caching, and the checks below explain it
            return _resolve(*arguments)
    if found is None:
        found = _resolve(*arguments)
        _RESOLVED[key] = found
        if len(_RESOLVED) > _RESOLVED_KEPT:
            del _RESOLVED[next(iter(_RESOLVED))]  # the oldest answer goes
    return found


def _resolve(x_shape, weight_shape, stride, padding, dilation, groups, padding_mode, flip):
    x_shape, weight_shape = tuple(x_shape), tuple(weight_shape)
    nd = len(weight_shape) - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            "the weight must have shape (filters, channels, *kernel) with a 1-, 2- or 3-D kernel, "
            f"got a {len(weight_shape)}-D array of shape {weight_shape}"
        )
    if len(x_shape) == nd + 2:
        x_shape = x_shape[1:]
    if len(x_shape) != nd + 1:
        raise ValueError(
            f"a {nd}-D kernel needs an input of shape (channels, {', '.join(AXIS_NAMES[nd])}) "
            f"or batched (n, channels, ...); got shape {x_shape}: the ranks do not match"
        )
    if not _is_int(groups) or groups < 1:
        raise ValueError(f"groups must be a whole number ≥ 1, got {groups!r}")
    channels, size = x_shape[0], x_shape[1:]
    filters, cpg, kernel = weight_shape[0], weight_shape[1], weight_shape[2:]
    if min(size, default=1) < 1 or channels < 1:
        raise ValueError(f"the input is empty (shape {x_shape}); give it at least one cell")
    if min(kernel) < 1 or filters < 1 or cpg < 1:
        raise ValueError(f"the kernel is empty (shape {weight_shape}); give it at least one cell")
    if channels % groups or filters % groups:
        raise ValueError(
            f"groups={groups} must divide both the {channels} input channels and the {filters} "
            "filters"
        )
    if cpg != channels // groups:
        raise ValueError(
            f"each filter has {cpg} channel(s) but the input has {channels} channel(s) in "
            f"{groups} group(s), so each filter needs {channels // groups}"
        )
    if padding_mode not in PADDING_MODES:
        raise ValueError(
            f"unknown padding_mode {padding_mode!r}; use one of {', '.join(PADDING_MODES)}"
        )
    stride = per_axis(stride, nd, "stride")
    dilation = per_axis(dilation, nd, "dilation")
    pads = resolve_padding(padding, size, kernel, stride, dilation, bool(flip))
    _check_mode_fits(padding_mode, size, pads)
    out = []
    for n, k, s, d, (b, a) in zip(size, kernel, stride, dilation, pads, strict=True):
        room = n + b + a - d * (k - 1) - 1
        if room < 0:
            raise ValueError(_kernel_fit_message(size, kernel, dilation, pads))
        out.append(room // s + 1)
    return ConvGeometry(
        channels=channels,
        filters=filters,
        groups=groups,
        size=tuple(size),
        kernel=tuple(kernel),
        stride=stride,
        dilation=dilation,
        pads=pads,
        out=tuple(out),
        padding_mode=padding_mode,
        flip=bool(flip),
    )


_RESOLVED: dict = {}  # recent answers, by the arguments with their types
_RESOLVED_KEPT = 256


def output_shape(x_shape, weight_shape, **kwargs) -> tuple[int, ...]:
    """The shape ``conv`` returns for these shapes and settings (same keywords as ``conv``)."""
    geometry = conv_geometry(x_shape, weight_shape, **kwargs)
    batch = tuple(x_shape)[:1] if len(tuple(x_shape)) == geometry.nd + 2 else ()
    return (*batch, geometry.filters, *geometry.out)


def explain_output_size(x_shape, weight_shape, **kwargs) -> str:
    """The output size in plain words with the numbers plugged in, one line per axis."""
    return conv_geometry(x_shape, weight_shape, **kwargs).explain()
