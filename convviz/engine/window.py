"""The window that convolution and pooling both slide: its taps, a view of every window at
once, and the walk that reads one window (one output cell) at a time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .geometry import WindowGeometry
from .limits import check_window_budget
from .padding import pad, source_index


def tap_offsets(geometry: WindowGeometry) -> np.ndarray:
    """Offset of every kernel tap from the window's corner, ``(taps, nd)``, in row-major order.

    Dilation spreads the taps: tap ``i`` along an axis sits ``dilation·i`` cells from the corner.
    """
    grids = [np.arange(k) * d for k, d in zip(geometry.kernel, geometry.dilation, strict=True)]
    return np.array(list(itertools.product(*grids)), dtype=np.intp).reshape(-1, geometry.nd)


def window_view(padded: np.ndarray, geometry: WindowGeometry) -> np.ndarray:
    """A read-only ``(*lead, *O, *K)`` view of every window's taps over the last ``nd`` axes.

    Parameters
    ----------
    padded : numpy.ndarray
        ``(*lead, *P)``: the input already padded by ``geometry.pads``, after any leading axes
        (channels, or batch and channels).
    geometry : WindowGeometry
        Where the window goes.

    Returns
    -------
    numpy.ndarray
        Entry ``[*lead, *o, *k]`` is tap ``k`` of the window at output cell ``o``; no copy.
    """
    lead = padded.ndim - geometry.nd
    spatial = padded.strides[lead:]
    strides = (
        *padded.strides[:lead],
        *(st * s for st, s in zip(spatial, geometry.stride, strict=True)),
        *(st * d for st, d in zip(spatial, geometry.dilation, strict=True)),
    )
    shape = (*padded.shape[:lead], *geometry.out, *geometry.kernel)
    if padded.flags.c_contiguous:  # the quick way to a view; as_strided handles the rest
        view = np.ndarray(shape, padded.dtype, buffer=padded, strides=strides)
        view.flags.writeable = False
        return view
    return as_strided(padded, shape=shape, strides=strides, writeable=False)


@dataclass(frozen=True)
class Step:
    """Everything about one output cell.

    ``taps`` has one row per kernel tap: the input channel, then the tap's coordinates in the
    unpadded input's frame (a coordinate < 0 or ≥ size lies in the padding). ``values`` are the
    (padded) input values under the taps, ``weights`` the weights they meet (already rotated when
    the step belongs to a true convolution), ``products`` their element-wise products, and
    ``output`` = sum of products + bias.
    """

    index: int
    filter: int
    out_index: tuple[int, ...]
    taps: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    bias: float
    output: float

    @property
    def window_origin(self) -> tuple[int, ...]:
        """The window's first corner in the unpadded input's frame."""
        return tuple(int(v) for v in self.taps[0, 1:])


class WindowWalk:
    """What every stepper shares: steps go map by map (a filter's, or a pooled channel's), and
    within a map over output positions in row-major order.

    Subclasses call ``__init__``, then set ``output`` ``(F, *O)`` and define ``__getitem__``
    (``_read`` finds a step's taps and values).

    Parameters
    ----------
    x : numpy.ndarray
        One sample ``(C, *S)``, already of the dtype the walk computes in.
    geometry : WindowGeometry
        With ``filters``, ``pads``, ``channels_per_group`` and ``filters_per_group``.
    padding_mode : str
        How ``x`` is padded: a convolution's ``padding_mode``, or ``constant`` (pooling).
    value : float
        What ``constant`` padding holds.
    """

    output: np.ndarray

    def __init__(
        self, x: np.ndarray, geometry: WindowGeometry, padding_mode: str, value: float = 0.0
    ):
        check_window_budget(geometry)
        self.geometry = geometry
        self.input = x
        self.padded = pad(x, geometry.pads, padding_mode, value)
        self._padding_mode = padding_mode
        offsets = tap_offsets(geometry)
        per_group = geometry.channels_per_group
        # A window reads every channel of its group: the same offsets once per channel.
        self._offsets = np.tile(offsets, (per_group, 1))
        self._channel_of_tap = np.repeat(np.arange(per_group), len(offsets))
        self._lead = np.array([b for b, _ in geometry.pads], dtype=np.intp)
        self._positions = int(np.prod(geometry.out))

    def __len__(self) -> int:
        return self.geometry.filters * self._positions

    def __getitem__(self, index: int) -> Step:
        raise NotImplementedError

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def _read(self, index: int) -> tuple[int, int, tuple[int, ...], np.ndarray, np.ndarray]:
        """Step ``index`` (made positive): its map, output cell, ``taps`` and ``values``."""
        n = len(self)
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"a step is a whole number, got {index!r}")
        if not -n <= index < n:
            raise IndexError(f"step {index} is out of range: there are {n} steps")
        index = int(index) % n
        geometry = self.geometry
        f, position = divmod(index, self._positions)
        out_index = tuple(int(v) for v in np.unravel_index(position, geometry.out))
        origin = np.array(out_index, dtype=np.intp) * geometry.stride - self._lead
        coords = origin + self._offsets
        group = f // geometry.filters_per_group
        channels = self._channel_of_tap + group * geometry.channels_per_group
        values = self.padded[(channels, *(coords + self._lead).T)]
        return index, f, out_index, np.column_stack([channels, coords]), values

    @property
    def positions(self) -> int:
        """Output positions per map."""
        return self._positions

    def index_of(self, filter: int, out_index) -> int:
        """The step that computes output cell ``out_index`` of map ``filter``."""
        return filter * self._positions + int(np.ravel_multi_index(out_index, self.geometry.out))

    def partial(self, i: int) -> np.ndarray:
        """The maps after the first ``i`` steps: NaN where not computed yet."""
        i = max(0, min(int(i), len(self)))
        result = np.full(self.output.shape, np.nan, dtype=self.output.dtype)
        result.reshape(-1)[:i] = self.output.reshape(-1)[:i]
        return result

    def outputs_using(self, channel: int, coord) -> np.ndarray:
        """Mask ``(F, *O)`` of the output cells whose window reads input cell ``coord``.

        Cells read through the padding count too (a reflected or wrapped copy of the cell).
        """
        geometry = self.geometry
        per_axis = []
        for axis, c in enumerate(coord):
            (before, after), n = geometry.pads[axis], geometry.size[axis]
            source = source_index(n, before, after, self._padding_mode)
            hits = np.flatnonzero(source == c)
            s, d, k, o = (
                geometry.stride[axis],
                geometry.dilation[axis],
                geometry.kernel[axis],
                geometry.out[axis],
            )
            starts = (hits[:, None] - d * np.arange(k)[None, :]).ravel()
            starts = starts[(starts >= 0) & (starts % s == 0)] // s
            mask = np.zeros(o, dtype=bool)
            mask[starts[starts < o]] = True
            per_axis.append(mask)
        spatial = per_axis[0]
        for mask in per_axis[1:]:
            spatial = np.logical_and.outer(spatial, mask)
        group = channel // geometry.channels_per_group
        filters = np.zeros(geometry.filters, dtype=bool)
        fpg = geometry.filters_per_group
        filters[group * fpg : (group + 1) * fpg] = True
        return filters.reshape((-1,) + (1,) * geometry.nd) & spatial[None]
