"""Convolution as one matrix: the linear map from the input's cells to the output's cells.

Row ``f·∏O + o`` of the matrix holds the weights that output cell ``o`` of map ``f`` gives each
input cell; for zero padding it is a (block) Toeplitz matrix. Padding that copies input cells
(reflect, replicate, circular) sends a tap that lands in the padding back to the cell it copies,
so several taps may add into one entry.
"""

from __future__ import annotations

import math

import numpy as np

from .conv import effective_weight
from .dtypes import result_dtype
from .geometry import conv_geometry, size_text
from .padding import source_index
from .unfold import check_matrix_budget
from .window import tap_offsets


def conv_matrix(
    input_shape,
    weight,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    flip=False,
) -> np.ndarray:
    """The dense matrix ``M`` of a convolution: ``M @ x.ravel()`` is ``conv(x, weight).ravel()``.

    Parameters
    ----------
    input_shape : sequence of int
        One sample's shape ``(C, *S)``, with 1 to 3 spatial axes.
    weight : array_like
        ``(F, C // groups, *K)``.
    stride, padding, dilation, groups, padding_mode, flip
        As for ``conv``.

    Returns
    -------
    numpy.ndarray
        ``(F·∏O, C·∏S)``: one row per output cell (map by map, then row-major), one column per
        input cell (channel by channel, then row-major). The bias is not part of it: add
        ``numpy.repeat(bias, ∏O)``.

    Raises
    ------
    ValueError
        For bad settings, a batched shape, or a matrix past the size budget
        (``limits.MAX_CELLS``), in words.
    """
    w = np.asarray(weight)
    dtype = result_dtype(w)
    input_shape = tuple(input_shape)
    geometry = conv_geometry(
        input_shape,
        w.shape,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        flip=flip,
    )
    if len(input_shape) != geometry.nd + 1:
        raise ValueError(
            "the convolution matrix acts on one sample: give input_shape as (channels, *size), "
            f"got {input_shape}"
        )
    positions, cells = math.prod(geometry.out), math.prod(geometry.size)
    check_matrix_budget(
        (geometry.filters * positions, geometry.channels * cells),
        "the convolution matrix",
        f"use an input smaller than {size_text(geometry.size)}, fewer channels or filters, or a "
        "larger stride",
    )
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    taps = effective_weight(w.astype(dtype, copy=False), geometry.flip)
    taps = taps.reshape(geometry.filters, cpg, -1)
    matrix = np.zeros((geometry.filters, positions, geometry.channels, cells), dtype=dtype)
    sources = [
        source_index(n, b, a, geometry.padding_mode)
        for n, (b, a) in zip(geometry.size, geometry.pads, strict=True)
    ]
    corners = [np.arange(o) * s for o, s in zip(geometry.out, geometry.stride, strict=True)]
    filters = np.arange(geometry.filters)[:, None, None]
    channels = (filters // fpg) * cpg + np.arange(cpg)[None, :, None]
    for t, offset in enumerate(tap_offsets(geometry)):
        # The input cell that tap t reads from each output cell's window, per axis (−1: zeros).
        read = np.meshgrid(
            *(source[c + d] for source, c, d in zip(sources, corners, offset, strict=True)),
            indexing="ij",
        )
        valid = np.logical_and.reduce([r >= 0 for r in read]).ravel()
        rows = np.flatnonzero(valid)
        columns = np.ravel_multi_index(tuple(r.ravel()[valid] for r in read), geometry.size)
        # For one tap every (map, output cell, channel) meets a different entry: no index repeats.
        matrix[filters, rows[None, None], channels, columns[None, None]] += taps[:, :, t, None]
    return matrix.reshape(geometry.filters * positions, geometry.channels * cells)
