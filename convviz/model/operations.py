"""Whole-grid edits of a session: sizes, presets, filters, channels, groups and biases.

Each is one undoable edit, submitted through ``Session.change``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..engine import kernel, make_input, size_text


def divisors(n: int) -> list[int]:
    """The whole numbers that divide ``n``."""
    return [d for d in range(1, n + 1) if n % d == 0]


def resized(array: np.ndarray, shape) -> np.ndarray:
    """A copy of ``array`` with a new shape: the overlapping corner kept, the rest 0."""
    result = np.zeros(shape, dtype=array.dtype)
    overlap = tuple(slice(0, min(a, b)) for a, b in zip(array.shape, shape, strict=True))
    result[overlap] = array[overlap]
    return result


class GridOperations:
    """The undoable operations a ``Session`` offers on its grids (mixed into ``Session``)."""

    # -- whole-grid edits ----------------------------------------------------------------------
    def resize_input(self, shape) -> None:
        """Resize the input's spatial axes; kept cells stay, new cells are 0."""
        shape = tuple(int(v) for v in shape)
        if any(v < 1 for v in shape):
            raise ValueError(f"an input needs at least one cell per axis, got {size_text(shape)}")
        x = resized(self.x, (self.x.shape[0], *shape))
        self.change(f"Resize input to {size_text(shape)}", x=x)

    def replace_input(self, x, text: str = "Replace input") -> None:
        """A new input ``(C, rows, cols)``, as one undoable edit.

        When the number of channels changes, every filter gets as many channels, each a copy
        of its first, so the kernel the user made meets every colour channel.
        """
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != self.x.ndim:
            raise ValueError(
                f"the new input has {x.ndim - 1} spatial axes; this session has {self.nd}"
            )
        fields = {"x": x}
        if x.shape[0] != self.x.shape[0]:
            first = self.weight[:, :1]
            fields["weight"] = np.repeat(first, x.shape[0], axis=1)
            fields["settings"] = self.settings.with_changes(groups=1)
        self.change(text, **fields)

    def load_input(self, x, text: str = "Load input") -> None:
        """A new input ``(C, *S)`` of any rank, as one undoable edit.

        With the same number of spatial axes the filters are kept (see ``replace_input``);
        otherwise they start afresh as one averaging kernel of 3 cells per axis, with 'same'
        padding, so the new data can be stepped at once.
        """
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == self.x.ndim:
            self.replace_input(x, text)
            return
        nd = x.ndim - 1
        if nd not in (1, 2, 3):
            raise ValueError(f"an input has 1 to 3 spatial axes, this one has {nd}")
        weight = np.full((1, x.shape[0], *(3,) * nd), 1 / 3**nd)
        settings = type(self.settings).from_kwargs(nd, padding="same")
        self.change(
            text,
            x=x,
            weight=weight,
            bias=np.zeros(1),
            use_bias=False,
            settings=settings,
            activation="none",
        )

    def fill_input(self, preset: str, seed: int = 0) -> None:
        """Fill every channel of a 2-D input from an input preset, at the current size."""
        if self.nd != 2:
            raise ValueError("input presets are 2-D grids; this input is not")
        rows, cols = self.x.shape[1:]
        options = {"seed": seed} if preset == "random" else {}
        grid = make_input(preset, rows, cols, **options)
        self.change(f"Fill input with {preset}", x=np.broadcast_to(grid, self.x.shape).copy())

    def resize_kernel(self, shape) -> None:
        """Resize every filter's kernel; kept weights stay, new weights are 0."""
        shape = tuple(int(v) for v in shape)
        if any(v < 1 for v in shape):
            raise ValueError(f"a kernel needs at least one cell per axis, got {size_text(shape)}")
        weight = resized(self.weight, (*self.weight.shape[:2], *shape))
        self.change(f"Resize kernel to {size_text(shape)}", weight=weight)

    def set_kernel_preset(self, name: str, filter_index: int = 0) -> None:
        """Give filter ``filter_index`` (every channel of it) the preset kernel ``name``.

        Other filters keep their weights, cropped or padded with 0 to the preset's size.
        """
        preset = kernel(name)
        if self.nd == 1:
            preset = preset[preset.shape[0] // 2]
        weight = resized(self.weight, (*self.weight.shape[:2], *preset.shape))
        weight[filter_index] = preset
        self.change(f"Kernel preset {name}", weight=weight)

    def normalise_kernel(self, filter_index: int = 0) -> None:
        """Scale filter ``filter_index`` so that its weights sum to 1."""
        total = float(self.weight[filter_index].sum())
        if total == 0 or not np.isfinite(total):
            raise ValueError("this kernel's weights sum to 0, so it cannot be scaled to sum to 1")
        weight = self.weight.copy()
        weight[filter_index] /= total
        self.change("Normalise kernel", weight=weight)

    def randomise_kernel(self, filter_index: int = 0, seed: int | None = None) -> None:
        """Random weights from −1 to 1 in steps of 0.1 for filter ``filter_index``."""
        rng = np.random.default_rng(seed)
        weight = self.weight.copy()
        weight[filter_index] = rng.integers(-10, 11, size=weight[filter_index].shape) / 10
        self.change("Random kernel", weight=weight)

    # -- filters, channels and groups --------------------------------------------------------
    def add_filter(self) -> None:
        """One more filter: a copy of the last one, with bias 0."""
        weight = np.concatenate([self.weight, self.weight[-1:]], axis=0)
        bias = np.append(self.bias, 0.0)
        settings = self.settings
        if weight.shape[0] % settings.groups:  # a filter per group no longer fits: back to 1
            settings = settings.with_changes(groups=1)
            weight = resized(weight, (weight.shape[0], self.x.shape[0], *weight.shape[2:]))
        sources = [*range(self.weight.shape[0]), None]
        layers = self.stack.following_first_filters(sources)
        self.change("Add filter", weight=weight, bias=bias, settings=settings, layers=layers)

    def remove_filter(self, filter_index: int) -> None:
        """Remove one filter (the last one stays)."""
        if self.weight.shape[0] == 1:
            raise ValueError("a convolution needs at least one filter")
        keep = [f for f in range(self.weight.shape[0]) if f != filter_index]
        weight, bias, settings = self.weight[keep], self.bias[keep], self.settings
        if weight.shape[0] % settings.groups:
            settings = settings.with_changes(groups=1)
            weight = resized(weight, (weight.shape[0], self.x.shape[0], *weight.shape[2:]))
        layers = self.stack.following_first_filters(keep)
        self.change("Remove filter", weight=weight, bias=bias, settings=settings, layers=layers)

    def set_groups(self, groups: int) -> None:
        """Split channels and filters into ``groups`` (1: standard, channels: depthwise).

        Each filter keeps its first ``channels // groups`` channel kernels; filters are added
        (copies of the last) until there are a multiple of ``groups``.
        """
        channels = self.x.shape[0]
        if groups < 1 or channels % groups:
            raise ValueError(
                f"groups must divide the {channels} input channels; "
                f"choose one of {', '.join(str(g) for g in divisors(channels))}"
            )
        filters = self.weight.shape[0]
        filters = -(-filters // groups) * groups
        weight = resized(
            self.weight, (self.weight.shape[0], channels // groups, *self.weight.shape[2:])
        )
        extra = filters - weight.shape[0]
        if extra:
            weight = np.concatenate([weight, np.repeat(weight[-1:], extra, axis=0)])
        bias = np.concatenate([self.bias, np.zeros(extra)])
        sources = [*range(self.weight.shape[0]), *[None] * extra]
        self.change(
            f"Set groups to {groups}",
            weight=weight,
            bias=bias,
            settings=self.settings.with_changes(groups=groups),
            layers=self.stack.following_first_filters(sources),
        )

    def set_bias(self, filter_index: int, value: float, use: bool = True) -> None:
        """Filter ``filter_index``'s bias, and whether biases are added at all (while a deeper
        convolution is stepped: its filter's bias)."""
        slot = self.stage_slot()
        if slot is not None:
            layer = self.layers[slot]
            if getattr(layer, "bias", None) is None:
                raise ValueError(f"{self.stage.title} has no bias")
            bias = layer.bias.copy()
            bias[filter_index] = value
            layers = list(self.layers)
            layers[slot] = replace(layer, bias=bias)
            self.change(f"Set bias of layer {self.stage.number}", layers=tuple(layers))
            return
        bias = self.bias.copy()
        bias[filter_index] = value
        self.change("Set bias", bias=bias, use_bias=use)

    def parameter_count(self) -> int:
        """Learnable numbers: ``F·(C/groups)·kernel cells`` weights, plus ``F`` biases if on."""
        return int(self.weight.size + (self.weight.shape[0] if self.use_bias else 0))
