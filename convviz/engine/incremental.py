"""A convolution computed again after a few input cells changed: only the outputs whose windows
read a changed cell are summed again (a typed cell of a 2048×2048 photo touches a few dozen of
its four million outputs).

Every output is a sum over its own window only, so summing a window again over the same
numbers gives the same result as the whole computation would.
"""

from __future__ import annotations

import copy

import numpy as np

from .conv import correlate_padded
from .geometry import ConvGeometry, conv_geometry
from .recycled import copy_of


def outputs_reading(geometry: ConvGeometry, box) -> tuple[tuple[int, int], ...] | None:
    """Per spatial axis, the outputs ``[lo, hi)`` whose windows read any input cell of ``box``
    (per axis ``[start, stop)`` of the unpadded input). None when the padding copies a cell of
    ``box`` (reflect, replicate or circular padding next to a border): then outputs far away
    read it too, and the caller computes everything again."""
    ranges = []
    for n, (before, after), k, s, d, out, (a, b) in zip(
        geometry.size,
        geometry.pads,
        geometry.kernel,
        geometry.stride,
        geometry.dilation,
        geometry.out,
        box,
        strict=True,
    ):
        if not 0 <= a < b <= n:
            raise ValueError(f"cells {a}…{b - 1} are outside an axis of {n} cells")
        reach = max(before, after)  # how far from a border the padding copies cells from
        if geometry.padding_mode != "zeros" and reach and (a <= reach or b >= n - reach):
            return None
        first, last = a + before, b - 1 + before  # in the padded input
        lo = max(0, -(-(first - (k - 1) * d) // s))
        hi = min(out, last // s + 1)
        ranges.append((lo, max(lo, hi)))
    return tuple(ranges)


def recompute_outputs(stepper, x: np.ndarray, box):
    """A copy of ``stepper`` over ``x``, an input equal to the stepper's own outside ``box``
    (per spatial axis ``[start, stop)``, every channel), with only the outputs that read
    ``box`` computed again; None when that is not possible (see ``outputs_reading``)."""
    g = stepper.geometry
    x = np.asarray(x)
    if x.shape != stepper.input.shape or len(box) != g.nd:
        return None
    reach = outputs_reading(g, box)
    if reach is None:
        return None
    fresh = copy.copy(stepper)
    fresh.input = x.astype(stepper.input.dtype, copy=False)
    padded = copy_of(stepper.padded)
    inside = tuple(slice(a, b) for a, b in box)
    moved = tuple(
        slice(a + before, b + before) for (a, b), (before, _) in zip(box, g.pads, strict=True)
    )
    padded[(slice(None), *moved)] = fresh.input[(slice(None), *inside)]
    fresh.padded = padded
    output = copy_of(stepper.output)
    if all(hi > lo for lo, hi in reach):
        slab = tuple(
            slice(lo * s, (hi - 1) * s + (k - 1) * d + 1)
            for (lo, hi), k, s, d in zip(reach, g.kernel, g.stride, g.dilation, strict=True)
        )
        part = padded[(slice(None), *slab)]
        geometry = conv_geometry(
            part.shape,
            stepper.effective_weight.shape,
            stride=g.stride,
            dilation=g.dilation,
            groups=g.groups,
        )
        region = np.empty((g.filters, *geometry.out), dtype=output.dtype)
        with np.errstate(invalid="ignore", over="ignore"):
            correlate_padded(part, stepper.effective_weight, geometry, region)
            if stepper.bias is not None:
                region += stepper.bias.reshape((-1,) + (1,) * g.nd)
        output[(slice(None), *(slice(lo, hi) for lo, hi in reach))] = region
    fresh.output = output
    return fresh
