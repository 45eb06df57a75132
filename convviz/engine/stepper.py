"""One window position at a time: what the app shows while the feature map fills in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import check_bias, correlate_padded, effective_weight, result_dtype, tap_offsets
from .geometry import ConvGeometry, conv_geometry
from .padding import pad, source_index


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

    Subclasses set ``geometry`` (with ``filters``, ``out``, ``pads``, ``size``, ``stride``,
    ``dilation``, ``kernel``, ``padding_mode``, ``channels_per_group``, ``filters_per_group``),
    ``output`` ``(F, *O)`` and ``_positions``, and define ``__getitem__``.
    """

    geometry: ConvGeometry
    output: np.ndarray
    _positions: int
    _offsets: np.ndarray

    def __len__(self) -> int:
        return self.geometry.filters * self._positions

    def __getitem__(self, index: int) -> Step:
        raise NotImplementedError

    def _checked(self, index: int) -> int:
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"step {index} is out of range: there are {n} steps")
        return int(index) % n

    @property
    def positions(self) -> int:
        """Output positions per map."""
        return self._positions

    @property
    def taps_per_step(self) -> int:
        """Cells (over all channels a window reads) in one window."""
        return len(self._offsets)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

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
            source = source_index(n, before, after, geometry.padding_mode)
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


class Stepper(WindowWalk):
    """Walk a convolution one output cell at a time.

    Takes the same arguments as ``convviz.engine.conv`` for an unbatched input ``(C, *S)``.
    Steps go filter by filter, and within a filter over output positions in row-major order.
    The whole map is computed once here; ``stepper[i]`` then costs O(taps), whatever the input's
    size.
    """

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
        self.geometry: ConvGeometry = geometry
        self.input = x.astype(dtype, copy=False)
        self.weight = w.astype(dtype, copy=False)
        self.bias = check_bias(bias, geometry.filters, dtype)
        self.effective_weight = effective_weight(self.weight, geometry.flip)
        self.padded = pad(self.input, geometry.pads, geometry.padding_mode)
        self.output = np.empty((geometry.filters, *geometry.out), dtype=dtype)
        with np.errstate(invalid="ignore", over="ignore"):
            correlate_padded(self.padded, self.effective_weight, geometry, self.output)
            if self.bias is not None:
                self.output += self.bias.reshape((-1,) + (1,) * geometry.nd)
        offsets = tap_offsets(geometry)
        cpg = geometry.channels_per_group
        self._offsets = np.tile(offsets, (cpg, 1))
        self._channel_of_tap = np.repeat(np.arange(cpg), len(offsets))
        self._positions = int(np.prod(geometry.out))
        self._flat_weights = self.effective_weight.reshape(geometry.filters, -1)
        self._lead = np.array([b for b, _ in geometry.pads], dtype=np.intp)

    def __getitem__(self, index: int) -> Step:
        index = self._checked(index)
        f, position = divmod(index, self._positions)
        out_index = tuple(int(v) for v in np.unravel_index(position, self.geometry.out))
        origin = np.array(out_index, dtype=np.intp) * self.geometry.stride - self._lead
        coords = origin + self._offsets
        group = f // self.geometry.filters_per_group
        channels = self._channel_of_tap + group * self.geometry.channels_per_group
        padded_coords = coords + self._lead
        values = self.padded[(channels, *padded_coords.T)]
        weights = self._flat_weights[f]
        with np.errstate(invalid="ignore", over="ignore"):
            products = values * weights
            bias = float(self.bias[f]) if self.bias is not None else 0.0
            output = float(products.sum()) + bias
        taps = np.column_stack([channels, coords])
        return Step(index, f, out_index, taps, values, weights, products, bias, output)
