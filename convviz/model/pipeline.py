"""The Pipeline: everything computed from one Document, once, and nothing else.

Layer 1 is the document's convolution; the document's ``layers`` follow. A *stage* is a layer
that can be stepped (a convolution or a pooling) with the activations right after it. A
classifier's *head* (flatten, linear, and activations between them) follows the maps: no window
walks over it, so it belongs to no stage; a head ending in a linear layer gives class scores
(its softmax). A Pipeline never changes its document and holds no reference back to whoever
asked for it; ``Pipeline.of`` returns the same Pipeline for the same Document.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np

from ..engine import (
    VECTOR_LAYERS,
    ActivationLayer,
    ConvLayer,
    LinearLayer,
    PoolLayer,
    PoolStepper,
    Stepper,
    receptive_field,
    softmax,
    summary,
)
from ..engine.incremental import recompute_outputs
from ..engine.layers import SummaryRow
from .cell_changes import change_of
from .document import Document
from .pytorch_code import PyTorchCode, conv_code, pool_code

_CACHE_SIZE = 4  # pipelines kept for recent documents (undo and redo reuse them); each may
# hold several copies of a large input, so only a few


@dataclass(frozen=True, eq=False)
class Stage:
    """One steppable layer: what it reads, its walk, and the activations that follow it.

    ``index`` counts stages (0 = the document's own convolution); ``number`` is the layer's
    line in the summary table (1 = the first). ``final`` is the map after the activations.
    """

    index: int
    number: int
    layer: ConvLayer | PoolLayer
    x: np.ndarray
    stepper: Stepper | PoolStepper
    activations: tuple[ActivationLayer, ...]
    final: np.ndarray

    @property
    def kind(self) -> str:
        """``conv``, ``max`` or ``avg``."""
        return self.layer.kind if isinstance(self.layer, PoolLayer) else "conv"

    @property
    def use_bias(self) -> bool:
        """Whether a bias is added (never for a pooling)."""
        return self.kind == "conv" and self.layer.bias is not None

    @property
    def activation_names(self) -> tuple[str, ...]:
        """The activations applied after the sum, in order."""
        return tuple(a.function for a in self.activations)

    @property
    def title(self) -> str:
        """``layer 3: max pool 2×2``."""
        return f"layer {self.number}: {self.layer.name}"

    def pytorch_code(self) -> PyTorchCode:
        """The PyTorch module computing this layer, then its activations."""
        g = self.stepper.geometry
        if self.kind == "conv":
            padding = self.layer.settings.get("padding", 0)
            return conv_code(g, padding, self.layer.bias is not None, self.activations)
        return pool_code(g, self.kind, self.activations)

    def activated(self, values):
        """``values`` after this stage's activations."""
        for activation in self.activations:
            values = activation(np.asarray(values))
        return values


def pool_stepper(x: np.ndarray, layer: PoolLayer) -> PoolStepper:
    """The walk of pooling ``layer`` over ``x``."""
    return PoolStepper(
        x,
        layer.kind,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        layer.dilation if layer.kind == "max" else 1,
        layer.ceil_mode,
        layer.count_include_pad,
    )


class Pipeline:
    """What a Document computes: the first convolution's walk, every layer's output, the
    stages, the summary table and receptive fields. Each is computed once, when first asked.

    ``problem`` says why the first convolution cannot be computed (then ``stepper`` is None
    and there are no stages); ``stack_problem`` why a later layer cannot run.
    """

    _cache: ClassVar[OrderedDict[int, Pipeline]] = OrderedDict()

    def __init__(self, document: Document, stepper: Stepper | None = None, change=None) -> None:
        self.document = document
        self._stages: dict[int, Stage] = {}
        self.problem: str | None = None
        # The input cells changed from the document whose pipeline ``stepper`` was computed
        # from (``cell_changes.CellChange``): the views draw only what those cells reach.
        self.cell_change = change if stepper is not None else None
        d = document
        if stepper is not None:  # computed from an earlier pipeline's (see ``of``)
            self.stepper: Stepper | None = stepper
            return
        try:
            self.stepper = Stepper(
                d.x, d.weight, d.bias if d.use_bias else None, **d.settings.as_kwargs()
            )
        except ValueError as error:
            self.stepper, self.problem = None, str(error)

    @classmethod
    def of(cls, document: Document) -> Pipeline:
        """The pipeline of ``document``, built once and kept for the last few documents."""
        cache = cls._cache
        found = cache.get(id(document))
        if found is not None and found.document is document:
            cache.move_to_end(id(document))
            return found
        pipeline = cls(document, *_stepper_after_cell_change(document, cache))
        cache[id(document)] = pipeline
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
        return pipeline

    # -- layers ------------------------------------------------------------------------------
    @cached_property
    def first_layer(self) -> ConvLayer:
        """The first convolution with its padding in numbers (as it was computed)."""
        if self.stepper is None:
            raise ValueError(self.problem)
        g = self.stepper.geometry
        settings = {
            "stride": g.stride,
            "padding": g.pads,
            "dilation": g.dilation,
            "groups": g.groups,
            "padding_mode": g.padding_mode,
            "flip": g.flip,
        }
        return ConvLayer(self.stepper.weight, self.stepper.bias, settings)

    @cached_property
    def layers(self) -> tuple:
        """Every layer, the first convolution first (empty when it cannot be computed)."""
        if self.stepper is None:
            return ()
        return (self.first_layer, *self.document.layers)

    @cached_property
    def _run(self) -> tuple[list[np.ndarray], str | None]:
        if self.stepper is None:
            return [], self.problem
        outputs, problem = [self.stepper.output], None
        for number, layer in enumerate(self.layers[1:], start=2):
            try:
                outputs.append(layer(outputs[-1]))
            except ValueError as error:
                problem = f"layer {number} ({layer.name}): {error}"
                break
        return outputs, problem

    @property
    def outputs(self) -> list[np.ndarray]:
        """Every layer's output, in order (empty if the stack cannot run whole)."""
        outputs, problem = self._run
        return [] if problem else outputs

    @property
    def outputs_that_run(self) -> list[np.ndarray]:
        """The outputs of the layers that run, up to the first that cannot."""
        return self._run[0]

    @property
    def stack_problem(self) -> str | None:
        """Why the stack cannot run (a layer that does not fit what it receives), or None."""
        return self._run[1]

    def summary(self) -> tuple[list[SummaryRow], int]:
        """Rows (layer, output shape, parameters) of the layers that run, and their total."""
        outputs = self.outputs_that_run
        return summary(self.document.x, list(self.layers[: len(outputs)]), outputs)

    # -- the head: flatten, linear, class scores --------------------------------------------
    @cached_property
    def head_start(self) -> int:
        """Where the head begins in ``layers`` (0-based): the first flatten or linear layer;
        ``len(layers)`` when every layer makes maps."""
        found = (i for i, v in enumerate(self.layers) if isinstance(v, VECTOR_LAYERS))
        return next(found, len(self.layers))

    @property
    def map_outputs(self) -> list[np.ndarray]:
        """The outputs of the layers that make maps ``(C, *S)`` and run (the head's left out)."""
        return self.outputs_that_run[: self.head_start]

    @cached_property
    def class_scores(self) -> np.ndarray | None:
        """The softmax of the last layer's output when the stack ends in a linear layer (one
        probability per class, summing to 1); None otherwise or while the stack cannot run."""
        if not self.layers or not isinstance(self.layers[-1], LinearLayer) or not self.outputs:
            return None
        return softmax(self.outputs[-1])

    # -- stages --------------------------------------------------------------------------------
    @cached_property
    def stage_starts(self) -> tuple[int, ...]:
        """Where each stage begins in ``layers`` (0-based): every convolution and pooling
        before the head."""
        maps = self.layers[: self.head_start]
        starts = [i for i, v in enumerate(maps) if not isinstance(v, ActivationLayer)]
        return tuple(starts) or (0,)

    def stage_titles(self) -> list[str]:
        """``layer 1: conv 2 × 3×3``, one per stage."""
        return [f"layer {i + 1}: {self.layers[i].name}" for i in self.stage_starts if self.layers]

    def stage_of_layer(self, number: int) -> int:
        """The stage that layer ``number`` (1-based) belongs to."""
        return max(k for k, start in enumerate(self.stage_starts) if start <= number - 1)

    def stage(self, index: int) -> Stage:
        """Stage ``index``; ValueError when the pipeline cannot reach it."""
        if index in self._stages:
            return self._stages[index]
        if self.stepper is None:
            raise ValueError(self.problem)
        starts = self.stage_starts
        if not 0 <= index < len(starts):
            raise ValueError(f"there is no layer {index + 1} to step")
        layers = self.layers
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else self.head_start
        outputs, problem = self._run
        if len(outputs) < end:
            raise ValueError(problem or "the layers before this one cannot run")
        layer = layers[start]
        if index == 0:
            x, stepper = self.document.x, self.stepper
        else:
            x = outputs[start - 1]
            stepper = (
                pool_stepper(x, layer)
                if isinstance(layer, PoolLayer)
                else Stepper(x, layer.weight, layer.bias, **layer.settings)
            )
        activations = tuple(layers[start + 1 : end])
        stage = Stage(index, start + 1, layer, x, stepper, activations, outputs[end - 1])
        self._stages[index] = stage
        return stage

    def pytorch_code(self, index: int = 0) -> PyTorchCode:
        """The PyTorch code of stage ``index`` as the window shows it: layer 1 with its
        padding as the user asked for it (``padding='same'`` where PyTorch pads the same way),
        a deeper layer as its own settings say."""
        stage = self.stage(index)
        if index:
            return stage.pytorch_code()
        padding = self.document.settings.padding
        return conv_code(stage.stepper.geometry, padding, stage.use_bias, stage.activations)

    def receptive_field(self, depth: int, out_index, stage: int = 0):
        """Input ranges per axis that cell ``out_index`` of layer ``depth`` depends on, in the
        frame of stage ``stage``'s input (None if the layer comes before that stage or is in the
        head, where every output reads every input)."""
        start = self.stage_starts[stage]
        if depth <= start or depth > self.head_start:
            return None
        return receptive_field(list(self.layers[start:]), depth - start, out_index)


def _same_except_input(a: Document, b: Document) -> bool:
    """Whether two documents compute with the same weights, bias, settings and layers."""
    return (
        (a.weight is b.weight or np.array_equal(a.weight, b.weight))
        and a.use_bias == b.use_bias
        and np.array_equal(a.bias, b.bias)
        and a.settings == b.settings
        and len(a.layers) == len(b.layers)
        and all(p is q for p, q in zip(a.layers, b.layers, strict=True))
    )


def _stepper_after_cell_change(document: Document, cache) -> tuple:
    """The first convolution of ``document`` from the pipeline of the document it was made
    from by changing a few input cells (only the outputs they reach are summed again), and
    that change; ``(None, None)`` when there is no such pipeline at hand (then everything is
    computed)."""
    change = change_of(document)
    before = change.before() if change is not None else None
    found = cache.get(id(before)) if before is not None else None
    if found is None or found.document is not before or found.stepper is None:
        return None, None
    if not _same_except_input(before, document):
        return None, None
    stepper = recompute_outputs(found.stepper, document.x, change.box)
    return stepper, change if stepper is not None else None
