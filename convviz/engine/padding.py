"""Padding with PyTorch's modes, and where each padded cell takes its value from."""

from __future__ import annotations

import numpy as np

_NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(x: np.ndarray, pads, mode: str = "zeros", value: float = 0.0) -> np.ndarray:
    """Pad the last ``len(pads)`` axes of ``x``; ``pads`` holds ``(before, after)`` per axis.

    Parameters
    ----------
    x : numpy.ndarray
        The array to pad; returned itself when every pad is 0.
    pads : sequence of (int, int)
        Cells added before and after, per padded axis.
    mode : {"zeros", "constant", "reflect", "replicate", "circular"}
        What ``torch.nn.functional.pad`` means by them: ``constant`` holds ``value``, ``zeros``
        holds 0 (a convolution's name for it), ``reflect`` mirrors without repeating the edge,
        ``replicate`` repeats the edge and ``circular`` wraps around.
    value : float
        What ``constant`` padding holds (pooling pads with −∞ or 0).
    """
    pads = [tuple(p) for p in pads]
    if not any(b or a for b, a in pads):
        return x
    full = [(0, 0)] * (x.ndim - len(pads)) + pads
    if mode == "constant":
        return np.pad(x, full, mode="constant", constant_values=value)
    return np.pad(x, full, mode=_NUMPY_MODE[mode])


def source_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each cell of one padded axis, the input cell it copies, or −1 for a constant.

    The result has ``before + n + after`` entries; entry ``before + i`` is ``i``.
    """
    i = np.arange(-before, n + after)
    if mode in ("zeros", "constant"):
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return np.mod(i, n)
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(i)
        period = 2 * (n - 1)
        j = np.mod(i, period)
        return np.where(j < n, j, period - j)
    raise ValueError(f"unknown padding_mode {mode!r}")
