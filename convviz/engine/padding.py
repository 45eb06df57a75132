"""Padding with PyTorch's four modes, and where each padded cell takes its value from."""

from __future__ import annotations

import numpy as np

_NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(x: np.ndarray, pads, mode: str = "zeros") -> np.ndarray:
    """Pad the last ``len(pads)`` axes of ``x``; ``pads`` holds ``(before, after)`` per axis.

    Modes mean what ``torch.nn.functional.pad`` means: ``zeros``, ``reflect`` (mirror without
    repeating the edge), ``replicate`` (repeat the edge) and ``circular`` (wrap around).
    """
    pads = [tuple(p) for p in pads]
    if not any(b or a for b, a in pads):
        return x
    full = [(0, 0)] * (x.ndim - len(pads)) + pads
    return np.pad(x, full, mode=_NUMPY_MODE[mode])


def source_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each cell of one padded axis, the input cell it copies, or −1 for a zero.

    The result has ``before + n + after`` entries; entry ``before + i`` is ``i``.
    """
    i = np.arange(-before, n + after)
    if mode == "zeros":
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
