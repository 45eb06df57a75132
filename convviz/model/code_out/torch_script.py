"""The PyTorch script: an ``nn.Sequential`` of the real modules, holding the document's filters.

Each module is the one the window's PyTorch line names (``convviz.model.pytorch_code``); only
padding a convolution cannot do itself (more cells on one side than the other) becomes an
explicit ``F.pad``, wrapped as a layer.
"""

from __future__ import annotations

from ...engine import FlattenLayer, LinearLayer
from ..pytorch_code import activation_calls
from .arrays import ArrayPlacer
from .stack import HeadLayer, Stack, filters_words

IMPORTS = ("import numpy as np", "import torch", "import torch.nn as nn")

PAD_MODULE = '''
class Pad(nn.Module):
    """F.pad as a layer: padding a convolution cannot do itself (more cells on one side)."""

    def __init__(self, pads, mode="constant"):
        super().__init__()
        self.pads, self.mode = pads, mode

    def forward(self, x):
        return F.pad(x, self.pads, mode=self.mode)
'''.strip("\n")


def torch_imports(stack: Stack) -> tuple[str, ...]:
    """What the script imports (``F`` only when it pads with ``F.pad``)."""
    padded = any(layer.code.padding for layer in stack.layers)
    return (*IMPORTS, "import torch.nn.functional as F") if padded else IMPORTS


def torch_definitions(stack: Stack) -> list[str]:
    """The class the script defines: ``Pad``, only when a convolution needs it."""
    return [PAD_MODULE] if any(layer.code.padding for layer in stack.layers) else []


def torch_body(stack: Stack, arrays: ArrayPlacer) -> list[str]:
    """The statements after the input is built: the filters, the model, and ``y``."""
    lines: list[str] = []
    modules: list[str] = []  # the lines inside nn.Sequential(...): modules and comments
    loads: list[str] = []  # what is copied into the modules
    for layer in stack.layers:
        code = layer.code
        if layer.weight is not None:
            lines += ["", f"# Layer {layer.number}'s {filters_words(layer)}"]
            lines.append(
                f"weight{layer.number} = {arrays.expression(f'weight{layer.number}', layer.weight)}"
            )
            if layer.bias is not None:
                expression = arrays.expression(f"bias{layer.number}", layer.bias)
                lines.append(f"bias{layer.number} = {expression}")
        modules.append(f"# {layer.description()}")
        if code.padding:
            modules.append(f"Pad({code.padding.arguments()}),")
        index = sum(not m.startswith("#") for m in modules)
        modules.append(f"{code.module},")
        for name in code.parameters:
            values = f"torch.from_numpy({name}{layer.number})"
            if name == "weight" and code.flip_dims:
                loads.append("# true convolution: the kernel meets the window rotated 180°")
                values = code.flipped(values)
            loads.append(f"model[{index}].{name}.copy_({values})")
        modules += [f"{activation.module()}," for activation in code.activations]
    for layer in stack.head:
        _head_module(layer, arrays, lines, modules, loads)
    lines += ["", "model = nn.Sequential("]
    lines += [f"    {module}" for module in modules]
    lines.append(").double()  # float64, as convviz computes")
    lines += ["", "with torch.no_grad():"]
    lines += [f"    {load}" for load in loads]
    out = "its outputs" if stack.expected.ndim == 1 else "its maps"
    lines.append(f"    y = model(torch.from_numpy(x)[None])[0].numpy()  # one sample in, {out} out")
    return lines


def _head_module(layer: HeadLayer, arrays: ArrayPlacer, lines, modules, loads) -> None:
    """A head layer's module in ``modules``; a linear layer's weights in ``lines``, copied
    into it by ``loads``."""
    modules.append(f"# {layer.description()}")
    index = sum(not m.startswith("#") for m in modules)
    n, engine_layer = layer.number, layer.layer
    if isinstance(engine_layer, FlattenLayer):
        modules.append("nn.Flatten(),")
        return
    if not isinstance(engine_layer, LinearLayer):  # an activation between the head's layers
        modules.append(f"{activation_calls([engine_layer])[0].module()},")
        return
    lines += ["", f"# Layer {n}'s weight: (outputs, inputs)"]
    lines.append(f"weight{n} = {arrays.expression(f'weight{n}', engine_layer.weight)}")
    bias = engine_layer.bias is not None
    if bias:
        lines.append(f"bias{n} = {arrays.expression(f'bias{n}', engine_layer.bias)}")
    no_bias = "" if bias else ", bias=False"
    modules.append(f"nn.Linear({engine_layer.inputs}, {engine_layer.outputs}{no_bias}),")
    loads.append(f"model[{index}].weight.copy_(torch.from_numpy(weight{n}))")
    if bias:
        loads.append(f"model[{index}].bias.copy_(torch.from_numpy(bias{n}))")
