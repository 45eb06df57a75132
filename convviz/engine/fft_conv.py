"""Convolution through the convolution theorem: multiply spectra, transform back, keep the cells.

Cross-correlation with a kernel is a product in the frequency domain: the spectrum of the input
times the complex conjugate of the kernel's spectrum. The discrete Fourier transform is
circular (its signal wraps around), which is exactly circular padding; for every other padding
the input is padded first and the kernel placed in an array as large as the padded input, and
the cells the stride keeps are the ones whose windows never wrap.
"""

from __future__ import annotations

import numpy as np

from .geometry import ConvGeometry
from .padding import pad
from .window import tap_offsets


def _kernel_on_grid(weight: np.ndarray, geometry: ConvGeometry, length) -> np.ndarray:
    """One filter's ``(cpg, *K)`` weights placed, dilated, on a ``(cpg, *length)`` grid.

    A tap whose dilated position lies past the grid wraps around (modulo ``length``): the
    circular input meets it there, so its weight adds to the one already on that cell.
    """
    grid = np.zeros((weight.shape[0], *length), dtype=np.float64)
    spots = tuple((tap_offsets(geometry) % np.array(length)).T)
    np.add.at(grid, (slice(None), *spots), weight.reshape(weight.shape[0], -1))
    return grid


def correlate_fft(x: np.ndarray, weight: np.ndarray, geometry: ConvGeometry, out) -> None:
    """``conv``'s ``method="fft"``: every sample's maps through ``numpy.fft.rfftn``.

    Parameters
    ----------
    x : numpy.ndarray
        ``(N, C, *S)``, unpadded.
    weight : numpy.ndarray
        ``(F, C // groups, *K)``, the effective (already flipped) weights.
    geometry : ConvGeometry
        The resolved settings.
    out : numpy.ndarray
        ``(N, F, *O)``, filled in place.

    Raises
    ------
    ValueError
        For an inf or NaN in ``x`` or ``weight``: the transform spreads each value over every
        frequency, so one of them would turn the whole map into NaN.
    """
    if not (np.isfinite(x).all() and np.isfinite(weight).all()):
        raise ValueError(
            "method='fft' spreads every value over the whole map, so an inf or NaN in the input "
            "or the weights would make every output NaN; use method='direct'"
        )
    nd = geometry.nd
    axes = tuple(range(-nd, 0))
    if geometry.padding_mode == "circular":
        # The transform wraps around by itself: padding of b cells before is a shift by b.
        signal, shift = x, [b for b, _ in geometry.pads]
    else:
        signal, shift = pad(x, geometry.pads, geometry.padding_mode), [0] * nd
    length = signal.shape[-nd:]
    spectrum = np.fft.rfftn(signal.astype(np.float64, copy=False), axes=axes)
    kept = np.ix_(
        *(
            (np.arange(o) * s - b) % n
            for o, s, b, n in zip(geometry.out, geometry.stride, shift, length, strict=True)
        )
    )
    cpg, fpg = geometry.channels_per_group, geometry.filters_per_group
    for f in range(geometry.filters):
        channels = slice((f // fpg) * cpg, (f // fpg + 1) * cpg)
        kernel = np.fft.rfftn(_kernel_on_grid(weight[f], geometry, length), axes=axes)
        product = (spectrum[:, channels] * np.conj(kernel)).sum(axis=1)
        correlation = np.fft.irfftn(product, s=length, axes=axes)
        out[:, f] = correlation[(slice(None), *kept)]
