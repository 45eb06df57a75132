"""The backward pass of a convolution: the gradients ``torch.autograd`` gives, written as the
convolutions the app shows.

For ``out = conv(x, W) + b`` and a gradient ``G = dL/dout``:

- ``dL/dx`` is a correlation of ``G``, with ``stride − 1`` zeros between its cells, with the
  kernel rotated by 180°: the transposed convolution of ``G`` (``conv_transpose``). It lands on
  the padded input; padding that copies input cells (reflect, replicate, circular) hands its
  share back to the cells it copied, and zero padding drops it.
- ``dL/dW`` is a correlation of the padded input with ``G``: ``G``'s cells sit ``stride`` apart on
  the input, and the results ``dilation`` apart are the taps.
- ``dL/db`` is the sum of ``G`` over everything but its filter axis.
"""

from __future__ import annotations

import numpy as np

from .conv import conv, effective_weight
from .dtypes import result_dtype
from .geometry import ConvGeometry, conv_geometry, size_text
from .limits import check_window_budget
from .padding import pad, source_index
from .transpose import TransposeGeometry, conv_transpose, transpose_geometry


def input_gradient_geometry(geometry: ConvGeometry) -> TransposeGeometry:
    """The transposed convolution that takes one sample's ``dL/dout`` ``(F, *O)`` to the
    gradient of the padded input ``(C, *P)``.

    Its ``output_padding`` restores the padded cells at the far end that the stride skipped.
    """
    return transpose_geometry(
        (geometry.filters, *geometry.out),
        (geometry.filters, geometry.channels_per_group, *geometry.kernel),
        stride=geometry.stride,
        output_padding=geometry.unused,
        groups=geometry.groups,
        dilation=geometry.dilation,
    )


def padded_input_gradient(grad_output, weight, geometry: ConvGeometry) -> np.ndarray:
    """``dL/d(padded x)``: ``grad_output`` ``(N, F, *O)`` through the transposed convolution
    with ``weight`` as it meets the window (already rotated for a true convolution).

    Returns ``(N, C, *P)``, the padded input's shape.
    """
    transpose = input_gradient_geometry(geometry)
    return conv_transpose(
        grad_output,
        weight,
        stride=transpose.stride,
        output_padding=transpose.output_padding,
        groups=transpose.groups,
        dilation=transpose.dilation,
    )


def fold_padding_gradient(grad_padded: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """``dL/dx`` from ``dL/d(padded x)``: every padded cell's gradient is added to the input
    cell it copies (reflect, replicate, circular); zero padding's gradient is dropped.

    Works on the last ``geometry.nd`` axes, whatever comes before them.
    """
    nd = geometry.nd
    result = grad_padded
    for axis, (n, (before, after)) in enumerate(zip(geometry.size, geometry.pads, strict=True)):
        if not (before or after):
            continue
        source = source_index(n, before, after, geometry.padding_mode)
        kept = source >= 0
        # Each padded axis copies along itself alone, so the cells fold back axis by axis.
        moved = np.moveaxis(result, result.ndim - nd + axis, 0)
        folded = np.zeros((n, *moved.shape[1:]), dtype=result.dtype)
        np.add.at(folded, source[kept], moved[kept])
        result = np.moveaxis(folded, 0, result.ndim - nd + axis)
    return result


def weight_gradient(padded, grad_output, geometry: ConvGeometry) -> np.ndarray:
    """``dL/dW`` for the weights as they meet the window: the padded input ``(N, C, *P)``
    correlated with ``grad_output`` ``(N, F, *O)``, summed over the samples.

    Returns ``(F, C // groups, *K)``.
    """
    if np.prod(geometry.kernel) <= np.prod(geometry.out):
        return _weight_gradient_by_tap(padded, grad_output, geometry)
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    taps = (slice(None), slice(None), *(slice(0, k) for k in geometry.kernel))
    result = np.empty((geometry.filters, cpg, *geometry.kernel), dtype=padded.dtype)
    for g in range(geometry.groups):
        # The samples play the channels (summed over); the input channels play the batch.
        inputs = padded[:, g * cpg : (g + 1) * cpg].swapaxes(0, 1)
        kernel = grad_output[:, g * fpg : (g + 1) * fpg].swapaxes(0, 1)
        # Cells the stride skipped at the far end give taps past the kernel: they are dropped.
        taps_and_more = conv(inputs, kernel, stride=geometry.dilation, dilation=geometry.stride)
        result[g * fpg : (g + 1) * fpg] = taps_and_more.swapaxes(0, 1)[taps]
    return result


def conv_backward(
    x,
    weight,
    grad_output,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    flip=False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gradients of ``conv(x, weight, bias, ...)`` given ``dL/dout``, as ``torch.autograd``
    computes them.

    Parameters
    ----------
    x, weight : array_like
        As for ``convviz.engine.conv``: ``(C, *S)`` or ``(N, C, *S)``, and ``(F, C // groups, *K)``.
    grad_output : array_like
        ``dL/dout``, the shape ``conv`` returns for these settings.
    stride, padding, dilation, groups, padding_mode, flip
        As for ``convviz.engine.conv``.

    Returns
    -------
    grad_input : numpy.ndarray
        ``dL/dx``, the shape of ``x``.
    grad_weight : numpy.ndarray
        ``dL/dweight``, the shape of ``weight`` (rotated back when ``flip``).
    grad_bias : numpy.ndarray
        ``dL/dbias``, ``(F,)``, whether or not the convolution has a bias.
    """
    x = np.asarray(x)
    w = np.asarray(weight)
    g = np.asarray(grad_output)
    dtype = result_dtype(x, w, g)
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
    lead = x.shape[:1] if batched else ()
    expected = (*lead, geometry.filters, *geometry.out)
    if g.shape != expected:
        raise ValueError(
            f"grad_output must have the shape of the convolution's output, {size_text(expected)}"
            f", got {size_text(g.shape) if g.ndim else 'a single number'}"
        )
    check_window_budget(geometry, x.shape[0] if batched else 1)
    xb = (x if batched else x[None]).astype(dtype, copy=False)
    gb = (g if batched else g[None]).astype(dtype, copy=False)
    w = effective_weight(w.astype(dtype, copy=False), geometry.flip)
    with np.errstate(invalid="ignore", over="ignore"):
        grad_padded = padded_input_gradient(gb, w, geometry)
        grad_input = fold_padding_gradient(grad_padded, geometry)
        padded = pad(xb, geometry.pads, geometry.padding_mode)
        # Rotating is its own inverse: the rotated weights' gradient, rotated, is the weights'.
        grad_weight = effective_weight(weight_gradient(padded, gb, geometry), geometry.flip)
        grad_bias = gb.sum(axis=(0, *range(2, geometry.nd + 2)))
    grad_input = np.ascontiguousarray(grad_input if batched else grad_input[0])
    return grad_input, np.ascontiguousarray(grad_weight), grad_bias


def _weight_gradient_by_tap(padded, grad_output, geometry: ConvGeometry) -> np.ndarray:
    """``weight_gradient`` one tap at a time: each weight meets the input cells its tap reads
    in every window (a strided slice of the padded input), and its gradient is their sum
    weighted by ``grad_output``, a matrix product per tap. A kernel much smaller than the
    map (the usual case) costs a few passes over the map, where correlating with the map as
    a kernel would loop over all of its cells."""
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    samples = padded.shape[0]
    cells = int(np.prod(geometry.out))
    result = np.empty((geometry.filters, cpg, *geometry.kernel), dtype=padded.dtype)
    # (groups, F/g, N·O): each group's gradients as rows, samples and cells along them
    grads = grad_output.reshape(samples, geometry.groups, fpg, cells)
    grads = grads.transpose(1, 2, 0, 3).reshape(geometry.groups, fpg, samples * cells)
    for tap in np.ndindex(*geometry.kernel):
        reads = tuple(
            slice(t * d, t * d + (o - 1) * s + 1, s)
            for t, d, s, o in zip(
                tap, geometry.dilation, geometry.stride, geometry.out, strict=True
            )
        )
        window = padded[(slice(None), slice(None), *reads)]  # (N, C, *O)
        window = window.reshape(samples, geometry.groups, cpg, cells)
        window = window.transpose(1, 2, 0, 3).reshape(geometry.groups, cpg, samples * cells)
        result[(slice(None), slice(None), *tap)] = np.matmul(
            grads, window.transpose(0, 2, 1)
        ).reshape(geometry.filters, cpg)
    return result
