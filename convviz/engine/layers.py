"""Stacks of layers: convolutions, activations and poolings, each feeding the next, and a
classifier's head after them (``dense``: flatten, linear).

A stack runs like ``torch.nn.Sequential`` of ``Conv*d``, activation, pooling, ``Flatten`` and
``Linear`` modules, reports its summary table (output shape and learnable parameters per
layer), and traces an output cell of any map-shaped layer back to the input cells it depends on
(its receptive field).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activation import activate, check_activation
from .conv import conv
from .dense import FlattenLayer, LinearLayer
from .geometry import conv_geometry
from .pooling import avg_pool, max_pool, pool_geometry

_ROOMY = 1 << 20  # an input size large enough for any window, to resolve a layer's geometry


@dataclass(frozen=True)
class ConvLayer:
    """A convolution: ``weight`` ``(F, C // groups, *K)``, optional ``bias``, ``conv`` keywords."""

    weight: np.ndarray
    bias: np.ndarray | None = None
    settings: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """What a summary table calls it."""
        k = "×".join(map(str, self.weight.shape[2:]))
        return f"conv {self.weight.shape[0]} × {k}"

    def parameters(self) -> int:
        """Learnable numbers: every weight, plus one bias per filter if there is a bias."""
        return int(self.weight.size + (0 if self.bias is None else np.size(self.bias)))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return conv(x, self.weight, self.bias, **self.settings)

    def window(self, nd: int) -> tuple[tuple[int, ...], ...]:
        """Per axis: kernel, stride, dilation, padding before — for receptive fields."""
        settings = {
            **self.settings,
            "groups": 1,
            "padding": _explicit(self.settings.get("padding", 0), nd),
        }
        g = conv_geometry((self.weight.shape[1], *(_ROOMY,) * nd), self.weight.shape, **settings)
        return tuple(zip(g.kernel, g.stride, g.dilation, (b for b, _ in g.pads), strict=True))


@dataclass(frozen=True)
class PoolLayer:
    """Max or average pooling with PyTorch's arguments."""

    kind: str
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...] | None = None
    padding: tuple[int, ...] | int = 0
    dilation: tuple[int, ...] | int = 1
    ceil_mode: bool = False
    count_include_pad: bool = True

    @classmethod
    def uniform(
        cls,
        kind: str,
        nd: int,
        size: int,
        stride: int | None = None,
        padding: int = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> PoolLayer:
        """The same window size, stride (default: the size) and padding on all ``nd`` axes."""
        stride_axes = None if stride is None else (stride,) * nd
        return cls(
            kind, (size,) * nd, stride_axes, (padding,) * nd, 1, ceil_mode, count_include_pad
        )

    @property
    def name(self) -> str:
        """What a summary table calls it."""
        return f"{self.kind} pool {'×'.join(map(str, self.kernel_size))}"

    def parameters(self) -> int:
        """Pooling learns nothing."""
        return 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        nd = len(self.kernel_size)
        if self.kind == "max":
            return max_pool(
                x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, nd=nd
            )
        return avg_pool(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            nd=nd,
        )

    def window(self, nd: int) -> tuple[tuple[int, ...], ...]:
        """Per axis: kernel, stride, dilation, padding before — for receptive fields."""
        g = pool_geometry(
            (1, *(_ROOMY,) * nd),
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation if self.kind == "max" else 1,
            self.ceil_mode,
            self.count_include_pad,
            self.kind,
            nd,
        )
        return tuple(zip(g.kernel, g.stride, g.dilation, g.padding, strict=True))


@dataclass(frozen=True)
class ActivationLayer:
    """An activation applied cell by cell."""

    function: str
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_activation(self.function, self.options)  # a bad option fails here, not later

    @property
    def name(self) -> str:
        """What a summary table calls it."""
        return self.function

    def parameters(self) -> int:
        """Activations learn nothing."""
        return 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return activate(self.function, x, **self.options)

    def window(self, nd: int) -> tuple[tuple[int, ...], ...]:
        """A cell depends on the same cell below it."""
        return ((1, 1, 1, 0),) * nd


Layer = ConvLayer | PoolLayer | ActivationLayer | FlattenLayer | LinearLayer


def _explicit(padding, nd: int):
    """Words other than 'valid' depend on the input size; receptive fields need numbers."""
    if isinstance(padding, str):
        if padding == "valid":
            return 0
        raise ValueError(
            f"padding {padding!r} depends on the input size: give numbers for a layer in a stack"
        )
    return padding


def run_stack(x, layers) -> list[np.ndarray]:
    """Every layer's output, in order; layer ``i`` reads the output of layer ``i − 1``."""
    outputs = []
    current = np.asarray(x, dtype=np.float64)
    for number, layer in enumerate(layers, start=1):
        try:
            current = layer(current)
        except ValueError as error:
            raise ValueError(f"layer {number} ({layer.name}): {error}") from None
        outputs.append(current)
    return outputs


@dataclass(frozen=True)
class SummaryRow:
    """One line of a stack's summary table."""

    layer: str
    output_shape: tuple[int, ...]
    parameters: int


def summary(x, layers, outputs=None) -> tuple[list[SummaryRow], int]:
    """The summary table (layer, output shape, parameters) and the total parameter count.

    ``outputs`` are the layers' outputs if already computed (``run_stack(x, layers)``).
    """
    outputs = run_stack(x, layers) if outputs is None else outputs
    rows = [
        SummaryRow(layer.name, out.shape, layer.parameters())
        for layer, out in zip(layers, outputs, strict=True)
    ]
    return rows, sum(r.parameters for r in rows)


def receptive_field(layers, depth: int, out_index) -> tuple[tuple[int, int], ...]:
    """The input cells that output cell ``out_index`` of layer ``depth`` (1 = the first)
    depends on, as one ``(first, last)`` range per spatial axis in the input's frame.

    The range may reach into the padding (below 0 or past the input's size).
    """
    nd = len(out_index)
    first = np.array(out_index, dtype=np.int64)
    last = first.copy()
    for layer in reversed(list(layers)[:depth]):
        for axis, (k, s, d, p) in enumerate(layer.window(nd)):
            first[axis] = first[axis] * s - p
            last[axis] = last[axis] * s - p + d * (k - 1)
    return tuple((int(a), int(b)) for a, b in zip(first, last, strict=True))
