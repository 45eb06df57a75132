"""The trained digit classifier that ships with convviz, and its test digits.

``scripts/train_digits.py`` trained it on scikit-learn's handwritten digits (upsampled to
16×16) and wrote ``convviz/data/digits.npz``: the weights (rounded to hundredths, float64),
the held-out test digits, their labels, and the script's own predictions and accuracy. NumPy
reads that file alone; the same weights ship as ``digits.safetensors`` for File → Open weights
and for PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .dense import FlattenLayer, LinearLayer
from .layers import ActivationLayer, ConvLayer, PoolLayer

DATA_FILE = "digits.npz"


@dataclass(frozen=True)
class HeldOutDigits:
    """The digits the training script held out: ``x`` ``(N, 1, 16, 16)`` in 0…1 (hundredths),
    ``labels`` (what each digit is), ``predictions`` (what the script's network said) and the
    ``accuracy`` the script printed."""

    x: np.ndarray
    labels: np.ndarray
    predictions: np.ndarray
    accuracy: float
    demo_index: int


@cache
def _arrays() -> dict[str, np.ndarray]:
    from importlib.resources import files  # imports tempfile, shutil…: only when read

    path = files("convviz").joinpath("data", DATA_FILE)
    with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


def held_out_digits() -> HeldOutDigits:
    """The shipped test digits, their labels and the training script's predictions."""
    a = _arrays()
    return HeldOutDigits(
        x=a["test_x"][:, None] / 100.0,
        labels=a["test_labels"].astype(np.int64),
        predictions=a["test_predictions"].astype(np.int64),
        accuracy=float(a["test_accuracy"]),
        demo_index=int(a["demo_index"]),
    )


def digits_network() -> tuple[ConvLayer, tuple]:
    """The first convolution and the layers after it: conv 4 × 3×3 → ReLU → max pool 2 →
    conv 8 × 3×3 → ReLU → max pool 2 → flatten → linear 128 → 10 (fresh arrays)."""
    a = {name: np.array(value) for name, value in _arrays().items()}
    first = ConvLayer(a["conv1.weight"], a["conv1.bias"], {"padding": 1})
    rest = (
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        ConvLayer(a["conv2.weight"], a["conv2.bias"], {"padding": 1}),
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        FlattenLayer(),
        LinearLayer(a["linear.weight"], a["linear.bias"]),
    )
    return first, rest
