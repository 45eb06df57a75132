"""Activations applied after a convolution, with PyTorch's definitions."""

from __future__ import annotations

import numpy as np

from .dtypes import as_float


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)``, as ``torch.relu``."""
    return np.maximum(x, 0)


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """``x`` where positive, ``negative_slope·x`` elsewhere, as ``F.leaky_relu``."""
    return np.where(x >= 0, x, x * negative_slope)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + e^−x)``, computed without overflow for large ``|x|``."""
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        positive = 1 / (1 + np.exp(-np.abs(x)))
    return np.where(x >= 0, positive, 1 - positive)


def tanh(x: np.ndarray) -> np.ndarray:
    """The hyperbolic tangent, as ``torch.tanh``."""
    return np.tanh(x)


ACTIVATIONS = {"relu": relu, "leaky_relu": leaky_relu, "sigmoid": sigmoid, "tanh": tanh}
"""Activation functions by PyTorch's names."""


def activate(name: str, x, **options) -> np.ndarray:
    """Apply the activation ``name`` (``relu``, ``leaky_relu``, ``sigmoid``, ``tanh``)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    x = as_float(x)
    with np.errstate(invalid="ignore"):
        return ACTIVATIONS[name](x, **options)
