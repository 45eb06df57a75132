"""Edits of the layers after the first convolution: add, change and remove them.

Layer 1 is the document's convolution; ``Document.layers`` follow it, so the layer at
``layers[slot]`` is layer ``slot + 2`` of the summary table.
"""

from __future__ import annotations

import numpy as np

from ..engine import VECTOR_LAYERS, ActivationLayer, ConvLayer, PoolLayer

MAX_LAYER_WORK = 10**9  # multiply-adds one added convolution may cost (about a second)


def following_first_filters(layers: tuple, sources) -> tuple:
    """``layers`` after the first convolution's filters change: ``sources`` gives, for each new
    filter, the old filter it was (None for a new one). The first convolution after layer 1
    reads those maps as channels, so its weights follow: kept channels keep their weights, a
    new one gets zeros (the maps after it do not change until the user says so)."""
    for slot, layer in enumerate(layers):
        if isinstance(layer, ConvLayer):
            if layer.settings.get("groups", 1) != 1:
                return layers  # grouped: the user decides how channels split
            old = layer.weight
            weight = np.zeros((old.shape[0], len(sources), *old.shape[2:]))
            for new, source in enumerate(sources):
                if source is not None and source < old.shape[1]:
                    weight[:, new] = old[:, source]
            changed = list(layers)
            changed[slot] = ConvLayer(weight, layer.bias, layer.settings)
            return tuple(changed)
    return layers


class LayerEdits:
    """Layer edits of ``Editor`` (which supplies ``session``, ``document`` and ``change``)."""

    def add_layer(self, layer, text: str | None = None) -> None:
        """Append a layer; ValueError (in words) for settings that can never work, or for a
        convolution or pooling after a flatten or linear layer (they read maps)."""
        head = any(isinstance(v, VECTOR_LAYERS) for v in self.document.layers)
        if head and isinstance(layer, ConvLayer | PoolLayer):
            raise ValueError(
                f"a {'convolution' if isinstance(layer, ConvLayer) else 'pooling'} reads maps, "
                "and this stack has already flattened them into one vector; remove the "
                "flatten and linear layers first (− Last layer)"
            )
        if not isinstance(layer, VECTOR_LAYERS):
            layer.window(self.document.nd)  # checks the layer's own numbers
        self.change(text or f"Add {layer.name}", layers=(*self.document.layers, layer))

    def replace_layer(self, slot: int, layer) -> None:
        """Put ``layer`` in place of ``layers[slot]`` (one undoable edit)."""
        if not isinstance(layer, VECTOR_LAYERS):
            layer.window(self.document.nd)
        layers = list(self.document.layers)
        layers[slot] = layer
        self.change(f"Change layer {slot + 2} to {layer.name}", layers=tuple(layers))

    def remove_last_layer(self) -> None:
        """Drop the last layer after the first convolution (layer 1 stays)."""
        layers = self.document.layers
        if layers:
            self.change(f"Remove {layers[-1].name}", layers=layers[:-1])

    def pool_layer(
        self,
        kind: str,
        size: int,
        stride: int | None = None,
        padding: int = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> PoolLayer:
        """Max or average pooling over every axis of the document's data (PyTorch's options)."""
        return PoolLayer.uniform(
            kind, self.document.nd, size, stride, padding, ceil_mode, count_include_pad
        )

    def add_pool(self, kind: str, size: int = 2, stride: int | None = None, padding: int = 0):
        """Append max or average pooling with a ``size``-cell window (stride: the size)."""
        self.add_layer(self.pool_layer(kind, size, stride, padding))

    def add_activation(self, name: str = "relu") -> None:
        """Append an activation."""
        self.add_layer(ActivationLayer(name))

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
        self.add_layer(self.conv_layer(filters, size, stride, padding, seed=seed))

    def conv_layer(
        self,
        filters: int,
        size: int,
        stride: int = 1,
        padding: int | None = None,
        slot: int | None = None,
        seed: int | None = None,
    ) -> ConvLayer:
        """A convolution to append (``slot`` None) or to put at ``layers[slot]``: it reads the
        channels arriving there. A convolution already there keeps its weights and bias when
        only its stride or padding change; new weights are random (−1 to 1 in tenths)."""
        document = self.document
        pipeline = self.session.pipeline
        outputs = pipeline.outputs_that_run
        position = 1 + (len(document.layers) if slot is None else slot)
        if len(outputs) < position:
            raise ValueError(f"fix the stack first: {pipeline.stack_problem}")
        arriving = outputs[position - 1]
        channels, nd = arriving.shape[0], document.nd
        settings = {"padding": size // 2 if padding is None else padding, "stride": stride}
        shape = (filters, channels, *(size,) * nd)
        old = None if slot is None else document.layers[slot]
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
