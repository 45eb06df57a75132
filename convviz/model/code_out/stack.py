"""What a generated script computes: the document's stack as the pipeline resolved it, one
steppable layer (a convolution or a pooling) with the activations after it at a time, then a
classifier's head (flatten, linear) layer by layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine import (
    ActivationLayer,
    ConvGeometry,
    FlattenLayer,
    LinearLayer,
    PoolGeometry,
    size_text,
)
from ..document import Document
from ..pipeline import Pipeline, Stage
from ..pytorch_code import PyTorchCode


@dataclass(frozen=True)
class StackLayer:
    """One convolution or pooling of the stack, resolved for the input it receives.

    Attributes
    ----------
    number : int
        Its line in the summary table (1 = the document's own convolution).
    name : str
        What the summary table calls it: ``conv 2 × 3×3``, ``max pool 2×2``.
    kind : str
        ``conv``, ``max`` or ``avg``.
    geometry : ConvGeometry or PoolGeometry
        Its window, strides and padding in numbers.
    code : PyTorchCode
        The PyTorch module (the same pieces as the one-line text the window shows).
    weight, bias : numpy.ndarray or None
        A convolution's filters and biases (None for a pooling, or a convolution without bias).
    activations : tuple of ActivationLayer
        Applied after it, in order.
    """

    number: int
    name: str
    kind: str
    geometry: ConvGeometry | PoolGeometry
    code: PyTorchCode
    weight: np.ndarray | None
    bias: np.ndarray | None
    activations: tuple[ActivationLayer, ...]

    def description(self) -> str:
        """``layer 1: conv 2 × 3×3, stride 2, padding 1 (reflect), then relu``, for a comment."""
        g = self.geometry
        words = [f"layer {self.number}: {self.name}"]
        if self.kind != "conv" or any(s != 1 for s in g.stride):
            words.append(f"stride {size_text(g.stride)}")
        if any(d != 1 for d in g.dilation):
            words.append(f"dilation {size_text(g.dilation)}")
        if self.kind == "conv":
            if any(b or a for b, a in g.pads):
                axes = [f"{b}:{a}" if b != a else str(b) for b, a in g.pads]
                pads = axes[0] if len(set(axes)) == 1 else ", ".join(axes)
                words.append(f"padding {pads} ({g.padding_mode})")
            if g.groups != 1:
                words.append(f"groups {g.groups}")
            if g.flip:
                words.append("true convolution")
        else:
            if any(g.padding):
                words.append(f"padding {size_text(g.padding)}")
            if g.ceil_mode:
                words.append("ceil_mode")
            if self.kind == "avg" and any(g.padding) and not g.count_include_pad:
                words.append("padding not counted")
        text = ", ".join(words)
        if self.activations:
            text += ", then " + ", then ".join(a.function for a in self.activations)
        return text


@dataclass(frozen=True)
class HeadLayer:
    """A layer of the head after the maps (flatten, linear, or an activation between them) and
    its line in the summary table."""

    number: int
    layer: FlattenLayer | LinearLayer | ActivationLayer

    def description(self) -> str:
        """``layer 8: linear 128 → 10``, for a comment."""
        if isinstance(self.layer, FlattenLayer):
            return f"layer {self.number}: flatten, every map row by row into one vector"
        return f"layer {self.number}: {self.layer.name}"


@dataclass(frozen=True)
class Stack:
    """The document's input, its layers as a script computes them, and the map they give.

    ``expected`` is the last layer's output, ``(F, *O)`` (a vector when the stack ends in a
    head): what ``convviz compute`` writes and the window shows at the end of the stack.
    """

    x: np.ndarray
    layers: tuple[StackLayer, ...]
    expected: np.ndarray
    tolerance: float
    head: tuple[HeadLayer, ...] = ()

    @property
    def nd(self) -> int:
        """Spatial axes of the input."""
        return self.x.ndim - 1


def filters_words(layer: StackLayer) -> str:
    """``filters: (filters, channels, *kernel)``, saying ``channels per group`` with groups."""
    channels = "channels per group" if layer.geometry.groups != 1 else "channels"
    return f"filters: (filters, {channels}, *kernel)"


def _largest(arrays) -> float:
    """The largest finite magnitude among ``arrays`` (0 if none)."""
    finite = [np.abs(a[np.isfinite(a)]) for a in arrays]
    return max((float(a.max()) for a in finite if a.size), default=0.0)


def _tolerance(stages: list[Stage]) -> float:
    """How far a map computed in another order may stray by rounding: a small fraction of
    the largest sum of products (each layer's largest input times its filters' weight).
    Float64 rounds at about 1e-16; 1e-11 leaves room for long sums and deep stacks."""
    largest = 1.0
    for stage in stages:
        gain = 1.0
        if stage.kind == "conv":
            weight = np.abs(stage.layer.weight).reshape(stage.layer.weight.shape[0], -1)
            gain = max(1.0, _largest([weight.sum(axis=1)]))
        largest = max(largest, _largest([stage.x]) * gain, _largest([stage.final]))
    return 1e-11 * largest


def stack_of(document: Document) -> Stack:
    """The stack ``document`` computes, layer by layer, and the map the window shows.

    Raises
    ------
    ValueError
        With the pipeline's sentence when the convolution or a later layer cannot run.
    """
    pipeline = Pipeline.of(document)
    if pipeline.problem:
        raise ValueError(pipeline.problem)
    if pipeline.stack_problem:
        raise ValueError(pipeline.stack_problem)
    stages = [pipeline.stage(i) for i in range(len(pipeline.stage_starts))]
    layers = []
    for stage in stages:
        conv = stage.kind == "conv"
        layers.append(
            StackLayer(
                number=stage.number,
                name=stage.layer.name,
                kind=stage.kind,
                geometry=stage.stepper.geometry,
                code=pipeline.pytorch_code(stage.index),
                weight=np.asarray(stage.layer.weight, dtype=np.float64) if conv else None,
                bias=(
                    np.asarray(stage.layer.bias, dtype=np.float64)
                    if conv and stage.layer.bias is not None
                    else None
                ),
                activations=stage.activations,
            )
        )
    head = tuple(
        HeadLayer(number, layer)
        for number, layer in enumerate(pipeline.layers, start=1)
        if number > pipeline.head_start
    )
    outputs = pipeline.outputs[pipeline.head_start :]
    return Stack(
        x=document.x,
        layers=tuple(layers),
        expected=pipeline.outputs[-1],
        tolerance=max(_tolerance(stages), 1e-11 * _largest(outputs)),
        head=head,
    )
