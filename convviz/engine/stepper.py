"""A convolution one window position at a time: what the app shows while the map fills in."""

from __future__ import annotations

import numpy as np

from .conv import check_bias, correlate_padded, effective_weight
from .dtypes import result_dtype
from .geometry import ConvGeometry, conv_geometry
from .window import Step, WindowWalk


class Stepper(WindowWalk):
    """Walk a convolution one output cell at a time.

    Takes the same arguments as ``convviz.engine.conv`` for an unbatched input ``(C, *S)``.
    Steps go filter by filter, and within a filter over output positions in row-major order.
    The whole map is computed once here; ``stepper[i]`` then costs O(taps), whatever the input's
    size.
    """

    geometry: ConvGeometry

    def __init__(self, x, weight, bias=None, **settings):
        x = np.asarray(x)
        w = np.asarray(weight)
        geometry = conv_geometry(x.shape, w.shape, **settings)
        if x.ndim != geometry.nd + 1:
            raise ValueError(
                "the stepper walks one sample at a time: pass x[n] of shape "
                f"(channels, ...) instead of the batch of shape {x.shape}"
            )
        dtype = result_dtype(x, w)
        super().__init__(x.astype(dtype, copy=False), geometry, geometry.padding_mode)
        self.weight = w.astype(dtype, copy=False)
        self.bias = check_bias(bias, geometry.filters, dtype)
        self.effective_weight = effective_weight(self.weight, geometry.flip)
        self.output = np.empty((geometry.filters, *geometry.out), dtype=dtype)
        with np.errstate(invalid="ignore", over="ignore"):
            correlate_padded(self.padded, self.effective_weight, geometry, self.output)
            if self.bias is not None:
                self.output += self.bias.reshape((-1,) + (1,) * geometry.nd)
        self._flat_weights = self.effective_weight.reshape(geometry.filters, -1)

    def __getitem__(self, index: int) -> Step:
        index, f, out_index, taps, values = self._read(index)
        weights = self._flat_weights[f]
        with np.errstate(invalid="ignore", over="ignore"):
            products = values * weights
            bias = float(self.bias[f]) if self.bias is not None else 0.0
            output = float(products.sum()) + bias
        return Step(index, f, out_index, taps, values, weights, products, bias, output)
