"""The layers after the session's convolution: a stack, its summary, receptive fields, and the
layer being stepped (a *stage*: a convolution or pooling with the activations right after it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import (
    ActivationLayer,
    ConvLayer,
    PoolLayer,
    PoolStepper,
    Stepper,
    receptive_field,
)
from ..engine.layers import SummaryRow
from .events import Event
from .settings import ConvSettings

MAX_LAYER_WORK = 10**9  # multiply-adds one added convolution may cost (about a second)


@dataclass(frozen=True)
class Stage:
    """One steppable layer: what it reads, its walk, and the activations that follow it.

    ``index`` counts stages (0 = the session's own convolution); ``number`` is the layer's
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

    def pytorch_call(self) -> str:
        """The PyTorch module doing this layer (then its activations)."""
        g = self.stepper.geometry
        nd = g.nd

        def one_or_all(values):
            return values[0] if len(set(values)) == 1 else tuple(values)

        if self.kind == "conv":
            call = ConvSettings.from_kwargs(nd, **self.layer.settings).pytorch_call(nd, g.pads)
            call = call.replace("(...", f"({g.channels}, {g.filters}, {one_or_all(g.kernel)}")
            if self.layer.bias is None:
                call = call.replace(")", ", bias=False)", 1)
        else:
            name = "MaxPool" if self.kind == "max" else "AvgPool"
            args = [f"{one_or_all(g.kernel)}", f"stride={one_or_all(g.stride)}"]
            if any(g.padding):
                args.append(f"padding={one_or_all(g.padding)}")
            if self.kind == "max" and any(d != 1 for d in g.dilation):
                args.append(f"dilation={one_or_all(g.dilation)}")
            if g.ceil_mode:
                args.append("ceil_mode=True")
            if self.kind == "avg" and not g.count_include_pad:
                args.append("count_include_pad=False")
            call = f"nn.{name}{nd}d({', '.join(args)})"
        then = "".join(f", then F.{name}" for name in self.activation_names)
        return call + then

    def activated(self, values):
        """``values`` after this stage's activations."""
        for activation in self.activations:
            values = activation(np.asarray(values))
        return values


def _same_objects(a: tuple, b: tuple) -> bool:
    """Whether two cache keys hold the very same objects (kept alive by the key, so an id
    cannot be reused), or equal strings and numbers."""
    return len(a) == len(b) and all(
        u is v or (isinstance(u, str | int) and u == v) for u, v in zip(a, b, strict=True)
    )


def _pool_stepper(x: np.ndarray, layer: PoolLayer) -> PoolStepper:
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


class LayerStack:
    """Layer 1 is the session's convolution (and its activation); ``session.layers`` follow.

    ``changed`` is emitted when the layers or the session change. Outputs are computed once per
    change. Adding and removing layers are undoable session edits.
    """

    def __init__(self, session) -> None:
        self.session = session
        self.changed = Event()
        session.data_changed.connect(self.changed.emit)
        self._run_key: tuple = ()
        self._run: tuple[list[np.ndarray], str | None] = ([], None)
        self._stage_key: tuple = ()
        self._stage: Stage | None = None

    # -- the layers ----------------------------------------------------------------------------
    @property
    def extra(self) -> tuple:
        """The layers after layer 1 and its activation."""
        return self.session.layers

    def first_layer(self) -> ConvLayer:
        """The session's convolution as it was last computed (its padding in numbers)."""
        stepper = self.session.stepper
        g = stepper.geometry
        settings = {
            "stride": g.stride,
            "padding": g.pads,
            "dilation": g.dilation,
            "groups": g.groups,
            "padding_mode": g.padding_mode,
            "flip": g.flip,
        }
        return ConvLayer(stepper.weight, stepper.bias, settings)

    def layers(self) -> list:
        """Every layer, the session's convolution first."""
        first = [self.first_layer()]
        if self.session.activation != "none":
            first.append(ActivationLayer(self.session.activation))
        return first + list(self.extra)

    def _outputs_and_problem(self) -> tuple[list[np.ndarray], str | None]:
        s = self.session
        key = (s.stepper, s.activation, s.layers)
        if not _same_objects(key, self._run_key):
            layers = self.layers()
            outputs, problem = [s.stepper.output], None
            for number, layer in enumerate(layers[1:], start=2):
                try:
                    outputs.append(layer(outputs[-1]))
                except ValueError as error:
                    problem = f"layer {number} ({layer.name}): {error}"
                    break
            self._run = (outputs, problem)
            self._run_key = key
        return self._run

    def outputs(self) -> list[np.ndarray]:
        """Every layer's output for the session's input (empty if the stack cannot run)."""
        outputs, problem = self._outputs_and_problem()
        return [] if problem else outputs

    @property
    def problem(self) -> str | None:
        """Why the stack cannot run (a layer that does not fit what it receives), or None."""
        return self._outputs_and_problem()[1]

    def summary(self) -> tuple[list[SummaryRow], int]:
        """Rows (layer, output shape, parameters) of the layers that run, and their total."""
        outputs, _ = self._outputs_and_problem()
        rows = [
            SummaryRow(layer.name, out.shape, layer.parameters())
            for layer, out in zip(self.layers(), outputs, strict=False)
        ]
        return rows, sum(r.parameters for r in rows)

    # -- stages: the layers that can be stepped ----------------------------------------------------
    def stage_starts(self) -> list[int]:
        """Where each stage begins in ``layers()`` (0-based): every convolution and pooling."""
        return [
            i for i, layer in enumerate(self.layers()) if not isinstance(layer, ActivationLayer)
        ]

    def stage_titles(self) -> list[str]:
        """``layer 1: conv 2 × 3×3``, one per stage."""
        layers = self.layers()
        return [f"layer {i + 1}: {layers[i].name}" for i in self.stage_starts()]

    def stage_of_layer(self, number: int) -> int:
        """The stage that layer ``number`` (1-based) belongs to."""
        starts = self.stage_starts()
        return max(k for k, start in enumerate(starts) if start <= number - 1)

    def stage(self, index: int) -> Stage:
        """Stage ``index``; raises ValueError when the stack cannot reach it."""
        s = self.session
        key = (s.stepper, s.activation, s.layers, s.x, index)
        if _same_objects(key, self._stage_key) and self._stage is not None:
            return self._stage
        layers = self.layers()
        starts = self.stage_starts()
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(layers)
        activations = tuple(layers[start + 1 : end])
        outputs, problem = self._outputs_and_problem()
        if len(outputs) < end:
            raise ValueError(problem or "the layers before this one cannot run")
        layer = layers[start]
        if index == 0:
            x, stepper = s.x, s.stepper
        else:
            x = outputs[start - 1]
            stepper = (
                _pool_stepper(x, layer)
                if isinstance(layer, PoolLayer)
                else Stepper(x, layer.weight, layer.bias, **layer.settings)
            )
        stage = Stage(index, start + 1, layer, x, stepper, activations, outputs[end - 1])
        self._stage, self._stage_key = stage, key
        return stage

    def receptive_field(self, depth: int, out_index, stage: int = 0):
        """Input ranges per axis that cell ``out_index`` of layer ``depth`` depends on, in the
        frame of stage ``stage``'s input (None if the layer comes before that stage)."""
        start = self.stage_starts()[stage]
        if depth <= start:
            return None
        return receptive_field(self.layers()[start:], depth - start, out_index)

    # -- edits (undoable) ----------------------------------------------------------------------
    @property
    def offset(self) -> int:
        """Where ``extra`` starts in ``layers()``: after layer 1 (and its activation)."""
        return 1 if self.session.activation == "none" else 2

    def add(self, layer, text: str | None = None) -> None:
        """Append a layer; ValueError (in words) for settings that can never work."""
        layer.window(self.session.nd)  # checks the layer's own numbers
        self.session.change(text or f"Add {layer.name}", layers=(*self.extra, layer))

    def replace(self, slot: int, layer) -> None:
        """Put ``layer`` in place of ``extra[slot]`` (one undoable edit)."""
        layer.window(self.session.nd)
        layers = list(self.extra)
        layers[slot] = layer
        number = self.offset + slot + 1
        self.session.change(f"Change layer {number} to {layer.name}", layers=tuple(layers))

    def add_pool(self, kind: str, size: int = 2, stride: int | None = None, padding: int = 0):
        """Append max or average pooling with a ``size``-cell window (stride: the size)."""
        self.add(self.pool_layer(kind, size, stride, padding))

    def pool_layer(
        self,
        kind: str,
        size: int,
        stride: int | None = None,
        padding: int = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> PoolLayer:
        """Max or average pooling over every axis of the session's data (PyTorch's options)."""
        return PoolLayer.uniform(
            kind, self.session.nd, size, stride, padding, ceil_mode, count_include_pad
        )

    def add_activation(self, name: str = "relu") -> None:
        """Append an activation."""
        self.add(ActivationLayer(name))

    def add_conv(
        self,
        filters: int = 4,
        size: int = 3,
        seed: int | None = None,
        stride: int = 1,
        padding: int | None = None,
    ) -> None:
        """Append a convolution with random weights (−1 to 1 in tenths) and a zero bias;
        padding defaults to half the kernel (the size stays the same at stride 1)."""
        self.add(self.conv_layer(filters, size, stride, padding, seed=seed))

    def conv_layer(
        self,
        filters: int,
        size: int,
        stride: int = 1,
        padding: int | None = None,
        slot: int | None = None,
        seed: int | None = None,
    ) -> ConvLayer:
        """A convolution to append (``slot`` None) or to put at ``extra[slot]``: it reads the
        channels arriving there. A convolution already there keeps its weights and bias when
        only its stride or padding change; new weights are random (−1 to 1 in tenths)."""
        nd = self.session.nd
        outputs, problem = self._outputs_and_problem()
        position = self.offset + (len(self.extra) if slot is None else slot)
        if len(outputs) < position:
            raise ValueError(f"fix the stack first: {problem}")
        arriving = outputs[position - 1]
        channels = arriving.shape[0]
        settings = {"padding": size // 2 if padding is None else padding, "stride": stride}
        shape = (filters, channels, *(size,) * nd)
        old = None if slot is None else self.extra[slot]
        if isinstance(old, ConvLayer) and old.weight.shape == shape:
            return ConvLayer(old.weight, old.bias, settings)
        work = filters * channels * size**nd * arriving[0].size
        if work > MAX_LAYER_WORK:
            raise ValueError(
                f"{filters} filters of {channels}×{size}^{nd} on "
                f"{'×'.join(map(str, arriving.shape[1:]))} cells is about {work:.1e} "
                "multiply-adds, too slow to recompute after every edit; use fewer filters, "
                "a smaller kernel, or pool first"
            )
        rng = np.random.default_rng(seed)
        weight = rng.integers(-10, 11, size=shape) / 10
        return ConvLayer(weight, np.zeros(filters), settings)

    def following_first_filters(self, sources) -> tuple:
        """``extra`` after layer 1's filters change: ``sources`` gives, for each new filter, the
        old filter it was (None for a new one). The first convolution after layer 1 reads those
        maps as channels, so its weights follow: kept channels keep their weights, a new one
        gets zeros (the maps after it do not change until the user says so)."""
        for slot, layer in enumerate(self.extra):
            if isinstance(layer, ConvLayer):
                if layer.settings.get("groups", 1) != 1:
                    return self.extra  # grouped: the user decides how channels split
                old = layer.weight
                weight = np.zeros((old.shape[0], len(sources), *old.shape[2:]))
                for new, source in enumerate(sources):
                    if source is not None and source < old.shape[1]:
                        weight[:, new] = old[:, source]
                layers = list(self.extra)
                layers[slot] = ConvLayer(weight, layer.bias, layer.settings)
                return tuple(layers)
        return self.extra

    def remove_last(self) -> None:
        """Drop the last added layer (layer 1 stays)."""
        if self.extra:
            self.session.change(f"Remove {self.extra[-1].name}", layers=self.extra[:-1])
