"""The frequency lens: the convolution theorem with the document's own numbers.

Cross-correlating with kernel ``w`` is convolving with ``w`` reversed, and a convolution is a
product of spectra. Padded to ``N + d·(K − 1)`` cells per axis, the product's inverse is the
``full`` convolution; left at ``N`` cells it wraps around and gives the circular one. Both are
shown beside the same convolution computed directly, with the largest difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...engine import Step, conv
from ...numbers import fmt
from ..captions import cell_words
from ..pipeline import Stage
from .catalogue import LensUnavailable
from .common import conv_geometry_of

ROUTES = ("full", "circular")


@dataclass(frozen=True)
class FrequencyPicture:
    """What the frequency lens draws for one step (1-D or 2-D).

    Attributes
    ----------
    route : str
        ``full`` (padded to N + d·(K−1), no wrap-around) or ``circular`` (N cells, wrapping).
    signal : numpy.ndarray
        The input channel shown, zero-padded to the transform's size.
    input_spectrum, kernel_spectrum, product_spectrum : numpy.ndarray
        Magnitudes (``|X|``, ``|H|``, ``|X·H|``), zero frequency centred.
    via_fft, direct : numpy.ndarray
        The inverse transform of the products summed over the group's channels, and the same
        convolution computed directly by the engine.
    largest_error : float
        ``max |via_fft − direct|``.
    channel, filter : int
        The input channel whose spectra are drawn, and the filter (0-based).
    cell : tuple of int or None
        Where the current step's output cell sits in ``direct`` (None when the document's
        padding is not the route's: its cells are not cells of this result).
    checks : tuple of str
        The current cell computed both ways (when it is a cell of this result), and the
        largest error: the numbers the lens proves its point with, said first.
    words : tuple of str
        The transform's size and what the kernel does to frequencies.
    """

    route: str
    signal: np.ndarray
    input_spectrum: np.ndarray
    kernel_spectrum: np.ndarray
    product_spectrum: np.ndarray
    via_fft: np.ndarray
    direct: np.ndarray
    largest_error: float
    channel: int
    filter: int
    cell: tuple[int, ...] | None
    checks: tuple[str, ...]
    words: tuple[str, ...]


def _dilated(kernel: np.ndarray, dilation) -> np.ndarray:
    """``kernel`` with ``d − 1`` zeros between its taps along each axis."""
    shape = tuple((k - 1) * d + 1 for k, d in zip(kernel.shape, dilation, strict=True))
    grid = np.zeros(shape)
    grid[tuple(slice(None, None, d) for d in dilation)] = kernel
    return grid


def _centred(spectrum: np.ndarray) -> np.ndarray:
    return np.fft.fftshift(np.abs(spectrum))


def pass_band(kernel: np.ndarray) -> str:
    """Whether a kernel passes slow changes (low-pass), fast ones (high-pass), or neither."""
    sizes = [max(8, 2 * n) for n in kernel.shape]
    spectrum = np.abs(np.fft.fftn(kernel, sizes, axes=tuple(range(kernel.ndim))))
    low = spectrum.flat[0]
    high = spectrum[tuple(n // 2 for n in spectrum.shape)]
    peak = spectrum.max()
    if peak == 0:
        return "This kernel is all zeros: it removes every frequency."
    if low >= 0.7 * peak and high <= 0.5 * low:
        return "A low-pass: it keeps slow changes and damps fast ones, so it blurs."
    if low <= 0.1 * peak:
        return (
            "A high-pass: its weights sum to about zero, so flat areas vanish and edges "
            "(fast changes) remain."
        )
    return "It passes some frequencies more than others (neither a plain blur nor an edge)."


@dataclass(frozen=True)
class _Transform:
    """What the frequency lens computes once per stage, filter and route (a step only moves
    the cell it points at): the group's input and the filter's weights as they meet the
    window, the spectra, their product's inverse and the same map computed directly."""

    x: np.ndarray
    weights: np.ndarray
    size: tuple[int, ...]
    reach: tuple[int, ...]
    input_spectra: np.ndarray
    kernel_spectra: np.ndarray
    products: np.ndarray
    via_fft: np.ndarray
    direct: np.ndarray
    error: float


@lru_cache(maxsize=2)  # each may hold a photo-sized set of spectra or passes
def _transform(stage: Stage, f: int, route: str) -> _Transform:
    g = stage.stepper.geometry
    cpg = g.channels_per_group
    first = (f // g.filters_per_group) * cpg
    x = np.asarray(stage.x[first : first + cpg], dtype=np.float64)
    per_map = int(np.prod(g.out))
    # The filter's weights as they meet the window (rotated for a true convolution).
    weights = stage.stepper[f * per_map].weights.reshape(cpg, *g.kernel)
    reach = tuple((k - 1) * d for k, d in zip(g.kernel, g.dilation, strict=True))
    if route == "full":
        size = tuple(n + r for n, r in zip(g.size, reach, strict=True))
        padding = tuple((r, r) for r in reach)
        padding_mode = "zeros"
    else:
        size = tuple(g.size)
        padding = tuple((0, r) for r in reach)
        padding_mode = "circular"
    axes = tuple(range(1, g.nd + 1))
    if route == "full":
        # A convolution with the reversed, dilated kernel: the product of the spectra.
        reversed_kernels = np.stack(
            [_dilated(w[(slice(None, None, -1),) * g.nd], g.dilation) for w in weights]
        )
        kernel_spectra = np.fft.fftn(reversed_kernels, size, axes=axes)
        input_spectra = np.fft.fftn(x, size, axes=axes)
        products = input_spectra * kernel_spectra
    else:
        # Circular cross-correlation: the input's spectrum times the kernel's conjugate.
        kernel_spectra = np.fft.fftn(
            np.stack([_dilated(w, g.dilation) for w in weights]), size, axes=axes
        )
        input_spectra = np.fft.fftn(x, size, axes=axes)
        products = input_spectra * np.conj(kernel_spectra)
    via_fft = np.real(np.fft.ifftn(products.sum(axis=0), axes=tuple(range(g.nd))))
    direct = conv(
        x,
        weights[None],
        padding=padding,
        padding_mode=padding_mode,
        dilation=g.dilation,
        method="direct",
    )[0]
    error = float(np.max(np.abs(via_fft - direct)))
    return _Transform(
        x, weights, size, reach, input_spectra, kernel_spectra, products, via_fft, direct, error
    )


def frequency_picture(
    stage: Stage, step: Step, channel: int = 0, route: str | None = None
) -> FrequencyPicture:
    """The frequency lens for ``step`` of ``stage`` (``route``: ``full`` or ``circular``;
    None picks ``circular`` when the document pads circularly, else ``full``).

    Raises
    ------
    LensUnavailable
        For a pooling or a 3-D input.
    """
    g = conv_geometry_of(stage, "frequency")
    if g.nd == 3:
        raise LensUnavailable(
            "The frequency view draws signals and images (1-D and 2-D); this input is 3-D."
        )
    if route is None:
        route = "circular" if g.padding_mode == "circular" else "full"
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, got {route!r}")
    f = step.filter
    cpg = g.channels_per_group
    first = (f // g.filters_per_group) * cpg
    shown = channel if first <= channel < first + cpg else first
    t = _transform(stage, f, route)
    x, weights, size, reach = t.x, t.weights, t.size, t.reach
    via_fft, direct, error = t.via_fft, t.direct, t.error
    i = shown - first
    signal = np.zeros(size)
    signal[tuple(slice(0, n) for n in g.size)] = x[i]
    cell = None
    before = [b for b, _ in g.pads]
    same_padding = (route == "full" and g.padding_mode == "zeros") or (
        route == "circular" and g.padding_mode == "circular"
    )
    if same_padding:
        where = [
            o * s - b + (r if route == "full" else 0)
            for o, s, b, r in zip(step.out_index, g.stride, before, reach, strict=True)
        ]
        if route == "circular":
            where = [w % n for w, n in zip(where, size, strict=True)]
        if all(0 <= w < n for w, n in zip(where, size, strict=True)):
            cell = tuple(where)
    size_words = " × ".join(map(str, size))
    how = (
        f"padded to N + d·(K−1) = {size_words} cells, so nothing wraps: the full convolution"
        if route == "full"
        else f"{size_words} cells, wrapping around: the circular convolution"
    )
    channels = f", summed over {cpg} channels" if cpg > 1 else ""
    words = [f"Transform size {how}{channels}.", pass_band(weights[i])]
    checks = []
    if cell is not None:
        checks.append(
            f"Your output cell ({cell_words(step.out_index)}) is {cell_words(cell)} of this "
            f"result: {fmt(direct[cell])} directly, "
            f"{fmt(via_fft[cell])} through the FFT."
        )
    checks.append(f"Largest |FFT − direct| over all {direct.size} cells: {error:.1e} (rounding).")
    return FrequencyPicture(
        route=route,
        signal=signal,
        input_spectrum=_centred(t.input_spectra[i]),
        kernel_spectrum=_centred(t.kernel_spectra[i]),
        product_spectrum=_centred(t.products[i]),
        via_fft=via_fft,
        direct=direct,
        largest_error=error,
        channel=shown,
        filter=f,
        cell=cell,
        checks=tuple(checks),
        words=tuple(words),
    )
