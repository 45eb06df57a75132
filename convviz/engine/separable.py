"""Separable kernels: a 2-D kernel as a sum of outer products of 1-D kernels.

A kernel that is one outer product ``column ⊗ row`` (box blur, Gaussian, Sobel, Prewitt) can be
applied as a 1-D convolution down the columns and then one along the rows: ``k + k`` products
per output cell instead of ``k·k``. The singular value decomposition finds the pairs, and how
many a kernel needs (its rank).
"""

from __future__ import annotations

import numpy as np

from .dtypes import as_float


def separate(kernel2d, tol: float = 1e-12) -> tuple[int, list[tuple[np.ndarray, np.ndarray]]]:
    """Split a 2-D kernel into ``(column, row)`` pairs whose outer products sum to it.

    Parameters
    ----------
    kernel2d : array_like
        ``(rows, columns)`` weights.
    tol : float
        Singular values at most ``tol`` times the largest one count as zero.

    Returns
    -------
    rank : int
        How many pairs the kernel needs: 1 for a separable kernel, 0 for all zeros.
    pairs : list of (numpy.ndarray, numpy.ndarray)
        ``rank`` pairs, largest singular value first, with
        ``sum(numpy.outer(column, row) for column, row in pairs)`` equal to the kernel up to
        rounding (and the dropped singular values). Each singular value is split evenly
        (square root) between its column and row, and each column's largest-magnitude entry is
        positive (the first of them, if several are equal but for rounding).

    Raises
    ------
    ValueError
        For a kernel that is not 2-D, holds an inf or NaN, or a negative ``tol``.
    """
    k = as_float(kernel2d)
    if k.ndim != 2 or 0 in k.shape:
        raise ValueError(f"separate takes a 2-D kernel (rows, columns), got shape {k.shape}")
    if not np.isfinite(k).all():
        raise ValueError("separate needs finite weights; this kernel holds an inf or NaN")
    if not tol >= 0:
        raise ValueError(f"tol must be 0 or more, got {tol!r}")
    u, s, vt = np.linalg.svd(k)
    rank = int(np.count_nonzero(s > tol * s[0])) if s[0] > 0 else 0
    pairs = []
    for i in range(rank):
        column, row = u[:, i] * np.sqrt(s[i]), vt[i] * np.sqrt(s[i])
        # The SVD may return a pair as (−u, −v); fix the sign so that a kernel always splits the
        # same way. Entries equal but for rounding ([1, 0, −1]) count as a tie: the first wins.
        size = np.abs(column)
        if column[np.argmax(size >= size.max() * (1 - 1e-9))] < 0:
            column, row = -column, -row
        pairs.append((column, row))
    return rank, pairs
