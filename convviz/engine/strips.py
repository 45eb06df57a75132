"""One channel meeting one 2-D kernel as matrix products: the kernel laid out as a banded matrix.

A strip of ``B`` neighbouring output cells in one row reads, from each kernel row, one run of
``V = s·(B−1) + d·(kw−1) + 1`` input cells (``s`` and ``d`` the column stride and dilation).
Copying those runs side by side (``kh·V`` numbers per strip, about ``kh`` per output cell where
im2col copies ``kh·kw``) and multiplying by a ``(kh·V, B)`` matrix that holds the kernel on its
diagonals gives the strip's ``B`` outputs. The matrix has more zeros than weights, but BLAS
multiplies so much faster than NumPy adds shifted copies that the waste pays many times over;
its zeros add exact zeros (the data is finite: the caller checks), so every cell is the sum of the
same products as tap by tap, to rounding.
"""

from __future__ import annotations

import numpy as np

STRIP = 16
"""Output cells per strip: enough columns for BLAS to work at speed, few zeros per weight."""

# Multiply-adds per BLAS call. OpenBLAS runs a call this small on one thread; larger ones wake a
# second thread, which for these thin products costs more than it brings (10× slower seen here
# when another process had the other core).
_CALL = 1 << 18
# Numbers copied per band of output rows: 1 MiB of float64, so the copies are still in the L2
# cache when the products read them.
_BAND = 1 << 17


def kernel_matrix(weight: np.ndarray, stride: int, dilation: int, strip: int) -> np.ndarray:
    """The ``(kh·V, strip)`` matrix whose column ``u`` holds the weights output ``u`` of a strip
    meets: entry ``(a, u·stride + b·dilation), u`` is ``weight[a, b]``, every other entry 0.

    Parameters
    ----------
    weight : numpy.ndarray
        ``(kh, kw)``.
    stride, dilation : int
        Along the rows (the column axis).
    strip : int
        Output cells per strip (``B``).
    """
    kh, kw = weight.shape
    runs = stride * (strip - 1) + dilation * (kw - 1) + 1
    matrix = np.zeros((kh, runs, strip), dtype=weight.dtype)
    item = matrix.itemsize
    diagonals = np.ndarray(
        (kh, kw, strip),
        matrix.dtype,
        buffer=matrix,
        strides=(runs * strip * item, dilation * strip * item, (stride * strip + 1) * item),
    )
    diagonals[...] = weight[:, :, None]
    return matrix.reshape(kh * runs, strip)


def correlate_strips(channel, weight, stride, dilation, out: np.ndarray) -> None:
    """Cross-correlate one padded 2-D ``channel`` with one ``(kh, kw)`` kernel into ``out``.

    Parameters
    ----------
    channel : numpy.ndarray
        ``(P_rows, P_columns)``, already padded, finite, of ``out``'s dtype.
    weight : numpy.ndarray
        ``(kh, kw)``, finite, as it meets the window (already rotated for true convolution).
    stride, dilation : tuple of int
        ``(rows, columns)``.
    out : numpy.ndarray
        ``(O_rows, O_columns)``, written in full.
    """
    if not channel.flags.c_contiguous:  # the copies below read it through byte offsets
        channel = np.ascontiguousarray(channel)
    strip = min(STRIP, out.shape[1])
    runs = stride[1] * (strip - 1) + dilation[1] * (weight.shape[1] - 1) + 1
    matrix = kernel_matrix(weight, stride[1], dilation[1], strip)
    # A row too long for one band (a long signal) goes in blocks of columns.
    block = max(1, _BAND // (weight.shape[0] * runs)) * strip
    for first in range(0, out.shape[1], block):
        _correlate_block(
            channel,
            first * stride[1],
            matrix,
            weight.shape[0],
            stride,
            dilation[0],
            out[:, first : first + block],
        )


def _correlate_block(channel, column, matrix, kh, stride, dr, out: np.ndarray) -> None:
    """``correlate_strips`` for the outputs ``out`` whose windows start at input ``column``
    and after, a block narrow enough that one row of its strips fits a band (``dr`` is the
    row dilation)."""
    sr, sc = stride
    rows_out, cols_out = out.shape
    width, strip = matrix.shape
    runs = width // kh
    strips = -(-cols_out // strip)
    step = sc * strip  # input columns from one strip's start to the next
    columns = channel.shape[1] - column
    # Strips whose runs lie inside the channel; the last few may reach past its right edge,
    # into cells that only feed outputs beyond the map's width.
    whole = min(strips, max(0, (columns - runs) // step + 1))
    band = max(1, min(rows_out, _BAND // (strips * width)))
    patches = np.empty((band, strips, kh, runs), dtype=out.dtype)
    if whole < strips:
        patches[:, whole:] = 0  # cells past the edge stay 0 (only the first cells are copied)
    exact = strips * strip == cols_out and out.flags.c_contiguous
    results = None if exact else np.empty((band, strips, strip), dtype=out.dtype)
    per_call = max(1, _CALL // (width * strip))
    rs, cs = channel.strides
    for first in range(0, rows_out, band):
        count = min(band, rows_out - first)
        corner = first * sr * rs + column * cs  # bytes from the channel's start
        np.copyto(
            patches[:count, :whole],
            np.ndarray(
                (count, whole, kh, runs),
                channel.dtype,
                buffer=channel,
                offset=corner,
                strides=(sr * rs, step * cs, dr * rs, cs),
            ),
        )
        for s in range(whole, strips):
            inside = columns - s * step
            if inside > 0:
                np.copyto(
                    patches[:count, s, :, :inside],
                    np.ndarray(
                        (count, kh, inside),
                        channel.dtype,
                        buffer=channel,
                        offset=corner + s * step * cs,
                        strides=(sr * rs, dr * rs, cs),
                    ),
                )
        lhs = patches[:count].reshape(count * strips, width)
        target = (out[first : first + count] if exact else results[:count]).reshape(
            count * strips, strip
        )
        _multiply_in_calls(lhs, matrix, target, per_call)
        if not exact:
            out[first : first + count] = results[:count].reshape(count, -1)[:, :cols_out]


def _multiply_in_calls(lhs, rhs, out, per_call: int) -> None:
    """``out[:] = lhs @ rhs``, ``per_call`` rows of ``lhs`` per BLAS call (one stacked matmul)."""
    rows = lhs.shape[0]
    stacked = rows // per_call * per_call
    if stacked:
        np.matmul(
            lhs[:stacked].reshape(-1, per_call, lhs.shape[1]),
            rhs,
            out=out[:stacked].reshape(-1, per_call, out.shape[1]),
        )
    if stacked < rows:
        np.matmul(lhs[stacked:], rhs, out=out[stacked:])
