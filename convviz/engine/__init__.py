"""The convolution engine: pure NumPy, no Qt.

``conv`` computes a whole map like ``torch.nn.functional.conv*d``; ``Stepper`` walks it one
window position at a time; ``output_shape`` and ``explain_output_size`` work on shapes alone.
"""

from .conv import conv
from .geometry import (
    PADDING_MODES,
    ConvGeometry,
    conv_geometry,
    explain_output_size,
    output_shape,
    size_text,
)
from .padding import pad, source_index
from .presets import DEMO_INFO, DEMOS, INPUTS, KERNELS, Demo, demo, kernel, make_input
from .stepper import Step, Stepper

__all__ = [
    "DEMOS",
    "DEMO_INFO",
    "INPUTS",
    "KERNELS",
    "PADDING_MODES",
    "ConvGeometry",
    "Demo",
    "Step",
    "Stepper",
    "conv",
    "conv_geometry",
    "demo",
    "explain_output_size",
    "kernel",
    "make_input",
    "output_shape",
    "pad",
    "size_text",
    "source_index",
]
