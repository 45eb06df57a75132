"""The convolution engine: pure NumPy, no Qt.

``conv`` computes a whole map like ``torch.nn.functional.conv*d``; ``Stepper`` walks it one
window position at a time; ``output_shape`` and ``explain_output_size`` work on shapes alone.
``conv_transpose`` (as a gather: zeros inserted, then an ordinary convolution) and
``conv_backward`` (the gradients a convolution passes back) follow PyTorch's autograd.
Under the hood: ``unfold``/``fold`` (im2col), ``conv_matrix`` (the convolution as one matrix),
``conv(..., method="unfold" | "fft")`` and ``separate`` (a kernel as 1-D passes).
"""

from .activation import ACTIVATIONS, activate
from .backward import (
    conv_backward,
    fold_padding_gradient,
    input_gradient_geometry,
    padded_input_gradient,
    weight_gradient,
)
from .conv import METHODS, conv
from .conv_matrix import conv_matrix
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
from .separable import separate
from .stack_backward import stack_backward
from .stepper import Stepper
from .transpose import (
    TransposeGeometry,
    conv_transpose,
    explain_output_size_transpose,
    gather_input,
    output_shape_transpose,
    transpose_geometry,
    transposed_kernel,
)
from .unfold import fold, unfold
from .window import Step

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
