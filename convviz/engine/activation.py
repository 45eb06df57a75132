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

OPTIONS = {"leaky_relu": ("negative_slope",)}
"""The keyword options each activation takes (a number each), by PyTorch's names."""


def check_activation(name: str, options: dict) -> None:
    """Refuse, in words, an unknown activation or option, or an option that is no number."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    if not isinstance(options, dict):
        raise ValueError(f"the options of {name} must be named numbers, got {options!r}")
    allowed = OPTIONS.get(name, ())
    for key, value in options.items():
        if key not in allowed:
            takes = f"takes only {', '.join(allowed)}" if allowed else "takes no options"
            raise ValueError(f"{name} has no option {key!r}; it {takes}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            raise ValueError(f"{name}'s {key} must be a number, got {value!r}")


def activate(name: str, x, **options) -> np.ndarray:
    """Apply the activation ``name`` (``relu``, ``leaky_relu``, ``sigmoid``, ``tanh``)."""
    check_activation(name, options)
    x = as_float(x)
    with np.errstate(invalid="ignore"):
        return ACTIVATIONS[name](x, **options)
