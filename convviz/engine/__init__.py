"""The convolution engine: pure NumPy, no Qt.

``conv`` computes a whole map like ``torch.nn.functional.conv*d``; ``Stepper`` walks it one
window position at a time; ``output_shape`` and ``explain_output_size`` work on shapes alone.
"""

from .activation import ACTIVATIONS, activate
from .conv import conv
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
from .window import Step

__all__ = [
    "ACTIVATIONS",
    "DEMOS",
    "DEMO_INFO",
    "INPUTS",
    "KERNELS",
    "PADDING_MODES",
    "ActivationLayer",
    "ConvGeometry",
    "ConvLayer",
    "Demo",
    "PoolGeometry",
    "PoolLayer",
    "PoolStepper",
    "Step",
    "Stepper",
    "activate",
    "avg_pool",
    "conv",
    "conv_geometry",
    "demo",
    "explain_output_size",
    "kernel",
    "make_input",
    "max_pool",
    "output_shape",
    "pad",
    "pool_geometry",
    "receptive_field",
    "run_stack",
    "size_text",
    "source_index",
    "summary",
]
