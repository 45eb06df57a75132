"""Three ways, one answer: the stage's convolution computed directly, unfolded and through the
FFT, with what each costs and how far apart their answers are."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ...engine import conv
from ..pipeline import Stage
from .common import bytes_text, conv_geometry_of

METHOD_WORDS = {
    "direct": "Direct (the sliding window)",
    "unfold": "Unfolded (im2col, one matrix product)",
    "fft": "FFT (the convolution theorem)",
}


@dataclass(frozen=True)
class MethodRow:
    """One way of computing the stage's map.

    Attributes
    ----------
    method : str
        ``direct``, ``unfold`` or ``fft``.
    title : str
        How the table names it.
    multiplications : int
        Real multiplications (for the FFT: a textbook estimate, 5 N log2 N per transform of
        N points plus the spectra's products).
    memory : int
        Bytes of the largest working array it makes beyond the input and the output.
    seconds : float
        The best of a few measured runs.
    largest_difference : float
        ``max |this − direct|`` over every output cell.
    """

    method: str
    title: str
    multiplications: int
    memory: int
    seconds: float
    largest_difference: float

    def cells(self) -> tuple[str, str, str, str, str]:
        """The row as the table writes it."""
        return (
            self.title,
            f"{self.multiplications:,}",
            bytes_text(self.memory),
            f"{self.seconds * 1000:.2f} ms",
            "0 (reference)" if self.method == "direct" else f"{self.largest_difference:.1e}",
        )


def _costs(g, itemsize: int) -> dict[str, tuple[int, int]]:
    L, taps = math.prod(g.out), math.prod(g.kernel)
    products = g.filters * L * g.channels_per_group * taps
    columns = g.channels * taps * L
    fft_points = math.prod(n + b + a for n, (b, a) in zip(g.size, g.pads, strict=True))
    padded = g.channels * fft_points
    transforms = g.channels + g.filters * g.channels_per_group + g.filters
    fft_products = int(5 * fft_points * max(math.log2(fft_points), 1)) * transforms
    fft_products += 4 * g.filters * g.channels_per_group * fft_points
    spectra = (g.channels + g.filters * g.channels_per_group) * fft_points * 16
    return {
        "direct": (products, padded * itemsize),
        "unfold": (products, columns * itemsize),
        "fft": (fft_products, spectra),
    }


def three_ways(stage: Stage, repeats: int = 3) -> list[MethodRow]:
    """The stage's convolution computed the three ways, each timed (best of ``repeats``).

    Raises
    ------
    LensUnavailable
        For a pooling stage.
    ValueError
        When a method cannot compute this input (the FFT refuses inf and NaN), in words.
    """
    g = conv_geometry_of(stage, "methods")
    layer = stage.layer
    settings = dict(layer.settings)
    results, seconds = {}, {}
    for method in ("direct", "unfold", "fft"):
        best = math.inf
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            results[method] = conv(stage.x, layer.weight, layer.bias, **settings, method=method)
            best = min(best, time.perf_counter() - start)
        seconds[method] = best
    costs = _costs(g, results["direct"].dtype.itemsize)
    reference = results["direct"]
    return [
        MethodRow(
            method=m,
            title=METHOD_WORDS[m],
            multiplications=costs[m][0],
            memory=costs[m][1],
            seconds=seconds[m],
            largest_difference=float(np.max(np.abs(results[m] - reference)))
            if reference.size
            else 0.0,
        )
        for m in ("direct", "unfold", "fft")
    ]
