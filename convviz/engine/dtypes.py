"""The numbers the engine computes with: float32 or float64, never text or complex numbers."""

from __future__ import annotations

import numpy as np


def result_dtype(*arrays) -> np.dtype:
    """float32 when every array given is float32, otherwise float64 (integers included).

    Parameters
    ----------
    *arrays : numpy.ndarray or None
        The arrays that meet in one computation; None is skipped.

    Raises
    ------
    ValueError
        For an array of complex numbers, text or objects.
    """
    for a in arrays:
        if a is None:
            continue
        if a.dtype.kind == "c":
            raise ValueError("convviz computes with real numbers; this array holds complex ones")
        if a.dtype.kind not in "biuf":
            raise ValueError(f"expected numbers, got an array of {a.dtype} (text or objects?)")
    kinds = {a.dtype for a in arrays if a is not None}
    return np.dtype(np.float32) if kinds == {np.dtype(np.float32)} else np.dtype(np.float64)


def as_float(x) -> np.ndarray:
    """``x`` as an array of float32 (if it is one already) or float64, copied only if needed."""
    x = np.asarray(x)
    return x.astype(result_dtype(x), copy=False)
