"""The head of a classifier: flatten the maps into one vector, a linear layer, and softmax.

These layers read and write vectors, not maps: no window walks over them, so a stack keeps
them after its convolutions and poolings (``torch.nn.Flatten`` then ``torch.nn.Linear``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FlattenLayer:
    """One sample's maps ``(C, *S)`` as one vector of ``C·∏S`` numbers, in C order (row by
    row, channel after channel), as ``torch.nn.Flatten`` does to each sample of a batch."""

    @property
    def name(self) -> str:
        """What a summary table calls it."""
        return "flatten"

    def parameters(self) -> int:
        """Flattening learns nothing."""
        return 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim < 1:
            raise ValueError("flatten needs an array, got a single number")
        return x.reshape(-1)

    def window(self, nd: int):
        """No window: each output reads one input cell, but not one in the same place."""
        raise ValueError("a flatten layer has no window: it reads the maps as one vector")


@dataclass(frozen=True, eq=False)
class LinearLayer:
    """``y = weight · x + bias``: ``weight`` ``(out, in)``, optional ``bias`` ``(out,)``, as
    ``torch.nn.Linear`` computes it for one sample (a vector of ``in`` numbers)."""

    weight: np.ndarray
    bias: np.ndarray | None = None

    def __post_init__(self) -> None:
        weight = np.asarray(self.weight, dtype=np.float64)
        if weight.ndim != 2 or 0 in weight.shape:
            raise ValueError(
                f"a linear layer's weight is (outputs, inputs), got shape {weight.shape}"
            )
        bias = self.bias
        if bias is not None:
            bias = np.asarray(bias, dtype=np.float64)
            if bias.shape != (weight.shape[0],):
                raise ValueError(
                    f"a linear layer with {weight.shape[0]} outputs needs {weight.shape[0]} "
                    f"biases, got shape {bias.shape}"
                )
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "bias", bias)

    @property
    def inputs(self) -> int:
        """How many numbers it reads."""
        return int(self.weight.shape[1])

    @property
    def outputs(self) -> int:
        """How many numbers it writes (one per class, for a classifier's last layer)."""
        return int(self.weight.shape[0])

    @property
    def name(self) -> str:
        """What a summary table calls it: ``linear 128 → 10``."""
        return f"linear {self.inputs} → {self.outputs}"

    def parameters(self) -> int:
        """Learnable numbers: every weight, plus one bias per output if there is a bias."""
        return int(self.weight.size + (0 if self.bias is None else self.bias.size))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 1:
            raise ValueError(
                f"a linear layer reads a vector, got maps of shape {x.shape}: flatten them first"
            )
        if x.shape[0] != self.inputs:
            raise ValueError(
                f"a linear layer of {self.inputs} inputs got {x.shape[0]} numbers; "
                f"its weight needs {x.shape[0]} columns"
            )
        y = self.weight @ x
        return y if self.bias is None else y + self.bias

    def window(self, nd: int):
        """No window: every output reads every input."""
        raise ValueError("a linear layer has no window: every output reads every input")


VECTOR_LAYERS = (FlattenLayer, LinearLayer)
"""Layers that make or read vectors: a stack holds them after its maps."""


def softmax(logits) -> np.ndarray:
    """``exp(z) / Σ exp(z)`` along the last axis, computed after subtracting the largest ``z``
    so that no exponential overflows (``torch.softmax(z, dim=-1)``)."""
    z = np.asarray(logits, dtype=np.float64)
    if z.size == 0:
        raise ValueError("softmax needs at least one score")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
