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
    single = True
    for a in arrays:
        if a is None:
            continue
        dtype = a.dtype
        if dtype != _FLOAT32:
            single = False
            if dtype.kind not in "biuf":
                if dtype.kind == "c":
                    raise ValueError(
                        "convviz computes with real numbers; this array holds complex ones"
                    )
                raise ValueError(f"expected numbers, got an array of {dtype} (text or objects?)")
    return _FLOAT32 if single and any(a is not None for a in arrays) else _FLOAT64


_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)


def as_float(x) -> np.ndarray:
    """``x`` as an array of float32 (if it is one already) or float64, copied only if needed."""
    x = np.asarray(x)
    return x.astype(result_dtype(x), copy=False)
