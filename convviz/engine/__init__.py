"""The convolution engine: pure NumPy, no Qt.

``conv`` computes a whole map like ``torch.nn.functional.conv*d``; ``Stepper`` walks it one
window position at a time; ``output_shape`` and ``explain_output_size`` work on shapes alone.
``conv_transpose`` (as a gather: zeros inserted, then an ordinary convolution) and
``conv_backward`` (the gradients a convolution passes back) follow PyTorch's autograd.
Under the hood: ``unfold``/``fold`` (im2col), ``conv_matrix`` (the convolution as one matrix),
``conv(..., method="unfold" | "fft")`` and ``separate`` (a kernel as 1-D passes). The
gradients, the transposed convolution, the convolution matrix and ``separate`` load when first
used.
"""

import sys
import types
from importlib import import_module

from .activation import ACTIVATIONS, activate
from .conv import METHODS, conv
from .dense import VECTOR_LAYERS, FlattenLayer, LinearLayer, softmax
from .geometry import (
    PADDING_MODES,
    ConvGeometry,
    conv_geometry,
    explain_output_size,
    output_shape,
    size_text,
)
from .layers import ActivationLayer, ConvLayer, PoolLayer, receptive_field, run_stack, summary
from .padding import pad, source_index
from .pooling import PoolGeometry, PoolStepper, avg_pool, max_pool, pool_geometry
from .presets import DEMO_INFO, DEMOS, INPUTS, KERNELS, Demo, demo, kernel, make_input
from .stepper import Stepper
from .unfold import fold, unfold
from .window import Step

_LOADED_ON_USE = {
    "conv_backward": "backward",
    "fold_padding_gradient": "backward",
    "input_gradient_geometry": "backward",
    "padded_input_gradient": "backward",
    "weight_gradient": "backward",
    "conv_matrix": "conv_matrix",
    "separate": "separable",
    "stack_backward": "stack_backward",
    "TransposeGeometry": "transpose",
    "conv_transpose": "transpose",
    "explain_output_size_transpose": "transpose",
    "gather_input": "transpose",
    "output_shape_transpose": "transpose",
    "transpose_geometry": "transpose",
    "transposed_kernel": "transpose",
}
"""The lenses' machinery (gradients, transposed convolution, the convolution matrix, separable
kernels), by the module that holds it: imported when first asked for, since the first picture
needs none of it."""


def __getattr__(name: str):
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Engine(types.ModuleType):
    """This package, whose functions ``conv_matrix`` and ``stack_backward`` share their
    modules' names: importing such a module (which sets the package's attribute of that name
    to the module) leaves the name meaning the function, as ``from .x import x`` did."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and _LOADED_ON_USE.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Engine

__all__ = [
    "ACTIVATIONS",
    "DEMOS",
    "DEMO_INFO",
    "INPUTS",
    "KERNELS",
    "METHODS",
    "PADDING_MODES",
    "VECTOR_LAYERS",
    "ActivationLayer",
    "ConvGeometry",
    "ConvLayer",
    "Demo",
    "FlattenLayer",
    "LinearLayer",
    "PoolGeometry",
    "PoolLayer",
    "PoolStepper",
    "Step",
    "Stepper",
    "TransposeGeometry",
    "activate",
    "avg_pool",
    "conv",
    "conv_backward",
    "conv_geometry",
    "conv_matrix",
    "conv_transpose",
    "demo",
    "explain_output_size",
    "explain_output_size_transpose",
    "fold",
    "fold_padding_gradient",
    "gather_input",
    "input_gradient_geometry",
    "kernel",
    "make_input",
    "max_pool",
    "output_shape",
    "output_shape_transpose",
    "pad",
    "padded_input_gradient",
    "pool_geometry",
    "receptive_field",
    "run_stack",
    "separate",
    "size_text",
    "softmax",
    "source_index",
    "stack_backward",
    "summary",
    "transpose_geometry",
    "transposed_kernel",
    "unfold",
    "weight_gradient",
]
