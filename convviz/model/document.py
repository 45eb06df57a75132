"""The Document: everything that is undone, saved and autosaved, as one frozen value.

An edit turns one Document into the next; nothing changes a Document in place (its arrays are
read-only). The activation after the first convolution is an ordinary entry of ``layers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from ..engine import (
    ACTIVATIONS,
    ActivationLayer,
    ConvLayer,
    FlattenLayer,
    LinearLayer,
    PoolLayer,
    demo,
    size_text,
)
from .gradient import GradientChoice, demo_gradient
from .settings import ConvSettings

LAYER_TYPES = (ConvLayer, PoolLayer, ActivationLayer, FlattenLayer, LinearLayer)
ACTIVATION_CHOICES = ("none", *ACTIVATIONS)


def frozen_array(value) -> np.ndarray:
    """``value`` as a read-only float64 array (copied unless it already is one)."""
    array = np.asarray(value, dtype=np.float64)
    if array.flags.writeable or not array.flags.c_contiguous:
        array = np.array(array, dtype=np.float64, order="C")
        array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Document:
    """The user's work: the input, the first convolution and the layers after it.

    Attributes
    ----------
    x : numpy.ndarray
        The input, ``(C, *S)`` with 1 to 3 spatial axes.
    weight : numpy.ndarray
        The first convolution's filters, ``(F, C // groups, *K)``.
    bias : numpy.ndarray
        One number per filter; added only while ``use_bias`` is on.
    use_bias : bool
        Whether the first convolution adds its bias.
    settings : ConvSettings
        What the user asked for, even when it cannot be computed (the pipeline says why).
    layers : tuple
        The layers after the first convolution, in order: activations, poolings, convolutions,
        and a classifier's head (flatten, linear) after the maps. An activation right after the
        convolution is ``layers[0]``.
    demo_name : str
        The demo it started from ("" for none).
    gradient : GradientChoice
        Where the backward pass's ``dL/dy`` comes from, and the learning rate.
    """

    x: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    use_bias: bool
    settings: ConvSettings
    layers: tuple = ()
    demo_name: str = ""
    gradient: GradientChoice = field(default_factory=GradientChoice)

    def __post_init__(self) -> None:
        x, weight = frozen_array(self.x), frozen_array(self.weight)
        if weight.ndim < 3 or x.ndim != weight.ndim - 1:
            raise ValueError(
                f"an input {x.shape} and weights {weight.shape} need the same number of spatial "
                "axes: input (channels, ...), weights (filters, channels, ...)"
            )
        bias = np.asarray(self.bias, dtype=np.float64).reshape(-1)
        if bias.shape != (weight.shape[0],):  # one bias per filter: kept ones stay, new ones 0
            fitted = np.zeros(weight.shape[0])
            keep = min(len(fitted), len(bias))
            fitted[:keep] = bias[:keep]
            bias = fitted
        layers = self.layers
        if not isinstance(layers, tuple) or not all(isinstance(v, LAYER_TYPES) for v in layers):
            raise ValueError(
                "layers must be a tuple of ConvLayer, PoolLayer, ActivationLayer, FlattenLayer "
                "or LinearLayer"
            )
        if not isinstance(self.settings, ConvSettings):
            raise ValueError("settings must be a ConvSettings")
        if not isinstance(self.gradient, GradientChoice):
            raise ValueError("gradient must be a GradientChoice")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "bias", frozen_array(bias))
        object.__setattr__(self, "use_bias", bool(self.use_bias))

    @classmethod
    def from_demo(cls, name: str) -> Document:
        """The document a demo opens with."""
        d = demo(name)
        weight = np.asarray(d.weight, dtype=np.float64)
        bias = np.zeros(weight.shape[0]) if d.bias is None else d.bias
        settings = ConvSettings.from_kwargs(np.ndim(d.x) - 1, **d.settings)
        gradient = demo_gradient(name, d.x, weight, d.settings)
        return cls(d.x, weight, bias, d.bias is not None, settings, tuple(d.layers), name, gradient)

    def replace(self, **changes) -> Document:
        """A new document with some fields replaced (the others shared, being read-only)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown document fields: {sorted(unknown)}")
        return replace(self, **changes)

    @property
    def nd(self) -> int:
        """Spatial axes of the input (1, 2 or 3)."""
        return self.x.ndim - 1

    @property
    def activation(self) -> str:
        """The activation right after the first convolution, or ``"none"``."""
        first = self.layers[0] if self.layers else None
        return first.function if isinstance(first, ActivationLayer) else "none"

    def layers_with_activation(self, name: str) -> tuple:
        """``layers`` with the activation right after the first convolution set to ``name``
        (``"none"`` removes it; one that is there is replaced, keeping nothing else)."""
        if name not in ACTIVATION_CHOICES:
            raise ValueError(
                f"unknown activation {name!r}; choose one of {', '.join(ACTIVATION_CHOICES)}"
            )
        rest = self.layers[1:] if self.activation != "none" else self.layers
        return rest if name == "none" else (ActivationLayer(name), *rest)

    def shape_text(self) -> str:
        """Input and kernel sizes in words, e.g. ``input 16×16, kernel 3×3``."""
        return f"input {size_text(self.x.shape[1:])}, kernel {size_text(self.weight.shape[2:])}"

    def parameter_count(self) -> int:
        """The first convolution's learnable numbers: weights, plus biases if on."""
        return int(self.weight.size + (self.weight.shape[0] if self.use_bias else 0))
