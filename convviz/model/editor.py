"""Turning what the user asks for into edits: cells, sizes, presets, filters, groups, biases.

Each request becomes one undoable edit handed to the session's history; a request that cannot
work raises ValueError in words and changes nothing. Layer edits are in ``layer_edits``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import numpy as np

from ..engine import kernel, make_input, size_text
from .document import Document, frozen_array
from .edits import CellsEdit, Edit, FieldsEdit
from .gradient_targets import target_for, with_cell
from .layer_edits import LayerEdits, following_first_filters
from .pipeline import Pipeline, Stage
from .settings import ConvSettings
from .strokes import TOOL_VALUES, Stroke
from .weight_edits import weights_fields


class EditedSession(Protocol):
    """What an Editor needs of the session it edits for (the Session, or a stand-in in tests)."""

    document: Document
    pipeline: Pipeline
    stage: Stage

    @property
    def stage_index(self) -> int: ...

    def stage_slot(self) -> int | None: ...

    def grid(self, target: str, index=0) -> np.ndarray: ...

    def submit(self, edit: Edit) -> None: ...


def divisors(n: int) -> list[int]:
    """The whole numbers that divide ``n``."""
    return [d for d in range(1, n + 1) if n % d == 0]


def resized(array: np.ndarray, shape) -> np.ndarray:
    """A copy of ``array`` with a new shape: the overlapping corner kept, the rest 0."""
    result = np.zeros(shape, dtype=array.dtype)
    overlap = tuple(slice(0, min(a, b)) for a, b in zip(array.shape, shape, strict=True))
    result[overlap] = array[overlap]
    return result


def _same(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):  # layers: immutable, compared by identity
        return len(a) == len(b) and all(u is v for u, v in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=True)
        )
    return a == b


class Editor(LayerEdits):
    """The edits a user can make to the session's document (``session.edits``)."""

    def __init__(self, session: EditedSession) -> None:
        self.session = session

    @property
    def document(self) -> Document:
        """The document the next edit starts from."""
        return self.session.document

    # -- the two kinds of edit -----------------------------------------------------------------
    def change(self, text: str, **fields) -> None:
        """Submit an undoable edit replacing some fields (``x``, ``weight``, ``settings``...);
        nothing is submitted when every field keeps its value."""
        d = self.document
        # Arrays are frozen once here, so checking and applying the edit copy nothing more.
        fields = {
            name: frozen_array(v) if isinstance(v, np.ndarray) else v for name, v in fields.items()
        }
        before = {name: getattr(d, name) for name in fields}
        if all(_same(before[name], fields[name]) for name in fields):
            return
        Document.replace(d, **fields)  # refuse a document that cannot be, before any change
        self.session.submit(FieldsEdit(text, before, fields))

    def change_settings(self, text: str, **changes) -> None:
        """Submit an edit of some settings (``stride=(2, 2)``, ``flip=True``...)."""
        self.change(text, settings=self.document.settings.with_changes(**changes))

    def edit_cells(self, target: str, index, row: int, col: int, block) -> None:
        """Write ``block`` (2-D) into grid ``target`` (``input``/``kernel``) at ``(row, col)``.

        ``index`` is the channel (input), or the filter or ``(filter, channel)`` (kernel).
        Cells past the grid's edge are dropped; a block wholly outside does nothing.
        """
        s = self.session
        slot = s.stage_slot() if target == "kernel" else None
        if target == "input" and s.stage_index > 0:
            raise ValueError(
                f"this grid is what {s.stage.title} reads: the output of the layer before. "
                "Step layer 1 to edit the input"
            )
        if target == "kernel" and s.stage.kind != "conv":
            raise ValueError("a pooling has no weights to edit")
        grid = s.grid(target, index)
        block = np.atleast_2d(np.asarray(block, dtype=np.float64))
        rows = min(block.shape[0], grid.shape[0] - row)
        cols = min(block.shape[1], grid.shape[1] - col)
        if rows <= 0 or cols <= 0 or row < 0 or col < 0:
            return
        new = block[:rows, :cols].copy()
        old = grid[row : row + rows, col : col + cols].copy()
        if np.array_equal(old, new, equal_nan=True):
            return
        what = "cell" if new.size == 1 else f"{rows}×{cols} cells"
        s.submit(CellsEdit(f"Set {target} {what}", target, index, row, col, old, new, slot))

    def stroke(self, index, tool: str = "brush") -> Stroke:
        """Start painting input grid ``index`` with ``tool`` (``brush``: 1, ``eraser``: 0);
        ``Stroke.finish`` makes the whole stroke one undoable edit."""
        s = self.session
        if tool not in TOOL_VALUES:
            raise ValueError(f"unknown tool {tool!r}; paint with {' or '.join(TOOL_VALUES)}")
        if s.stage_index > 0:
            raise ValueError(f"this grid is what {s.stage.title} reads: step layer 1 to paint")
        return Stroke(s, index, TOOL_VALUES[tool], tool)

    # -- the input -------------------------------------------------------------------------------
    def resize_input(self, shape) -> None:
        """Resize the input's spatial axes; kept cells stay, new cells are 0."""
        shape = tuple(int(v) for v in shape)
        if any(v < 1 for v in shape):
            raise ValueError(f"an input needs at least one cell per axis, got {size_text(shape)}")
        x = self.document.x
        self.change(f"Resize input to {size_text(shape)}", x=resized(x, (x.shape[0], *shape)))

    def replace_input(self, x, text: str = "Replace input") -> None:
        """A new input ``(C, *S)`` with as many spatial axes, as one undoable edit.

        When the number of channels changes, every filter gets as many channels, each a copy
        of its first, so the kernel the user made meets every colour channel.
        """
        d = self.document
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != d.x.ndim:
            raise ValueError(
                f"the new input has {x.ndim - 1} spatial axes; this session has {d.nd}"
            )
        fields = {"x": x}
        if x.shape[0] != d.x.shape[0]:
            fields["weight"] = np.repeat(d.weight[:, :1], x.shape[0], axis=1)
            fields["settings"] = d.settings.with_changes(groups=1)
        self.change(text, **fields)

    def load_input(self, x, text: str = "Load input") -> None:
        """A new input ``(C, *S)`` of any rank, as one undoable edit.

        With the same number of spatial axes the filters are kept (see ``replace_input``);
        otherwise they start afresh as one averaging kernel of 3 cells per axis, with 'same'
        padding, so the new data can be stepped at once (the layers after it are dropped).
        """
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == self.document.x.ndim:
            self.replace_input(x, text)
            return
        nd = x.ndim - 1
        if nd not in (1, 2, 3):
            raise ValueError(f"an input has 1 to 3 spatial axes, this one has {nd}")
        self.change(
            text,
            x=x,
            weight=np.full((1, x.shape[0], *(3,) * nd), 1 / 3**nd),
            bias=np.zeros(1),
            use_bias=False,
            settings=ConvSettings.from_kwargs(nd, padding="same"),
            layers=(),
        )

    def fill_input(self, preset: str, seed: int = 0) -> None:
        """Fill every channel of a 2-D input from an input preset, at the current size."""
        x = self.document.x
        if x.ndim != 3:
            raise ValueError("input presets are 2-D grids; this input is not")
        options = {"seed": seed} if preset == "random" else {}
        grid = make_input(preset, *x.shape[1:], **options)
        self.change(f"Fill input with {preset}", x=np.broadcast_to(grid, x.shape).copy())

    # -- the first convolution's kernels ----------------------------------------------------------
    def resize_kernel(self, shape) -> None:
        """Resize every filter's kernel; kept weights stay, new weights are 0."""
        shape = tuple(int(v) for v in shape)
        if any(v < 1 for v in shape):
            raise ValueError(f"a kernel needs at least one cell per axis, got {size_text(shape)}")
        w = self.document.weight
        self.change(
            f"Resize kernel to {size_text(shape)}", weight=resized(w, (*w.shape[:2], *shape))
        )

    def set_kernel_preset(self, name: str, filter_index: int = 0) -> None:
        """Give filter ``filter_index`` (every channel of it) the preset kernel ``name``.

        Other filters keep their weights, cropped or padded with 0 to the preset's size.
        """
        preset = kernel(name)
        if self.document.nd == 1:
            preset = preset[preset.shape[0] // 2]
        w = self.document.weight
        weight = resized(w, (*w.shape[:2], *preset.shape))
        weight[filter_index] = preset
        self.change(f"Kernel preset {name}", weight=weight)

    def replace_weight(self, weight, text: str = "Load kernel") -> None:
        """New filters for the first convolution ``(F, C // groups, *K)``; groups follow the
        channels they split, and the next convolution's channels follow the filters."""
        d = self.document
        weight = np.asarray(weight, dtype=np.float64)
        if weight.ndim != d.weight.ndim:
            raise ValueError(f"the kernel has {weight.ndim - 2} spatial axes; the input has {d.nd}")
        channels = d.x.shape[0]
        if weight.shape[1] == 0 or channels % weight.shape[1]:
            raise ValueError(
                f"each filter needs {channels} channel(s) (or a number that divides it), "
                f"this kernel has {weight.shape[1]}"
            )
        groups = channels // weight.shape[1]
        if weight.shape[0] % groups:
            raise ValueError(
                f"{weight.shape[0]} filter(s) cannot be split into {groups} groups; give a "
                f"multiple of {groups} filters"
            )
        sources = [f if f < d.weight.shape[0] else None for f in range(weight.shape[0])]
        self.change(
            text,
            weight=weight,
            settings=d.settings.with_changes(groups=groups),
            layers=following_first_filters(d.layers, sources),
        )

    def load_weights(self, arrays: dict, choices: dict, text: str = "Open weights") -> None:
        """Put arrays of a weights file into the convolutions as one undoable edit:
        ``choices`` maps a layer number to the names of its weight and bias (see
        ``weight_edits.weights_fields``, which checks that they fit)."""
        fields = weights_fields(self.document, arrays, choices)
        if fields:
            self.change(text, **fields)

    def normalise_kernel(self, filter_index: int = 0) -> None:
        """Scale filter ``filter_index`` so that its weights sum to 1."""
        w = self.document.weight
        total = float(w[filter_index].sum())
        if total == 0 or not np.isfinite(total):
            raise ValueError("this kernel's weights sum to 0, so it cannot be scaled to sum to 1")
        weight = w.copy()
        weight[filter_index] /= total
        self.change("Normalise kernel", weight=weight)

    def randomise_kernel(self, filter_index: int = 0, seed: int | None = None) -> None:
        """Random weights from −1 to 1 in steps of 0.1 for filter ``filter_index``."""
        rng = np.random.default_rng(seed)
        weight = self.document.weight.copy()
        weight[filter_index] = rng.integers(-10, 11, size=weight[filter_index].shape) / 10
        self.change("Random kernel", weight=weight)

    def keep_learned_kernel(self, steps: int) -> None:
        """Make the first convolution's kernel (and bias, when it is used) the one gradient
        descent reached in ``steps`` steps: learning then starts again from it."""
        from .lenses import learned_weights  # the lenses load when a lens is first shown

        weight, bias = learned_weights(self.document, steps)
        fields = {"weight": np.array(weight)}
        if bias is not None:
            fields["bias"] = np.array(bias)
        self.change(f"Keep the kernel learned in {steps} steps", **fields)

    # -- filters, channels and groups ----------------------------------------------------------
    def add_filter(self) -> None:
        """One more filter: a copy of the last one, with bias 0."""
        d = self.document
        weight = np.concatenate([d.weight, d.weight[-1:]], axis=0)
        settings = d.settings
        if weight.shape[0] % settings.groups:  # a filter per group no longer fits: back to 1
            settings = settings.with_changes(groups=1)
            weight = resized(weight, (weight.shape[0], d.x.shape[0], *weight.shape[2:]))
        sources = [*range(d.weight.shape[0]), None]
        self.change(
            "Add filter",
            weight=weight,
            bias=np.append(d.bias, 0.0),
            settings=settings,
            layers=following_first_filters(d.layers, sources),
        )

    def remove_filter(self, filter_index: int) -> None:
        """Remove one filter (the last one stays)."""
        d = self.document
        if d.weight.shape[0] == 1:
            raise ValueError("a convolution needs at least one filter")
        keep = [f for f in range(d.weight.shape[0]) if f != filter_index]
        weight, settings = d.weight[keep], d.settings
        if weight.shape[0] % settings.groups:
            settings = settings.with_changes(groups=1)
            weight = resized(weight, (weight.shape[0], d.x.shape[0], *weight.shape[2:]))
        self.change(
            "Remove filter",
            weight=weight,
            bias=d.bias[keep],
            settings=settings,
            layers=following_first_filters(d.layers, keep),
        )

    def set_groups(self, groups: int) -> None:
        """Split channels and filters into ``groups`` (1: standard, channels: depthwise).

        Each filter keeps its first ``channels // groups`` channel kernels; filters are added
        (copies of the last) until there are a multiple of ``groups``.
        """
        d = self.document
        channels = d.x.shape[0]
        if groups < 1 or channels % groups:
            raise ValueError(
                f"groups must divide the {channels} input channels; "
                f"choose one of {', '.join(str(g) for g in divisors(channels))}"
            )
        filters = -(-d.weight.shape[0] // groups) * groups
        weight = resized(d.weight, (d.weight.shape[0], channels // groups, *d.weight.shape[2:]))
        extra = filters - weight.shape[0]
        if extra:
            weight = np.concatenate([weight, np.repeat(weight[-1:], extra, axis=0)])
        sources = [*range(d.weight.shape[0]), *[None] * extra]
        self.change(
            f"Set groups to {groups}",
            weight=weight,
            bias=np.concatenate([d.bias, np.zeros(extra)]),
            settings=d.settings.with_changes(groups=groups),
            layers=following_first_filters(d.layers, sources),
        )

    def set_bias(self, filter_index: int, value: float, use: bool = True) -> None:
        """Filter ``filter_index``'s bias, and whether biases are added at all (while a deeper
        convolution is stepped: its filter's bias)."""
        s = self.session
        slot = s.stage_slot()
        if slot is not None:
            layer = self.document.layers[slot]
            if getattr(layer, "bias", None) is None:
                raise ValueError(f"{s.stage.title} has no bias")
            bias = layer.bias.copy()
            bias[filter_index] = value
            layers = list(self.document.layers)
            layers[slot] = replace(layer, bias=bias)
            self.change(f"Set bias of layer {s.stage.number}", layers=tuple(layers))
            return
        bias = self.document.bias.copy()
        bias[filter_index] = value
        self.change("Set bias", bias=bias, use_bias=use)

    def set_activation(self, name: str) -> None:
        """The activation right after the first convolution (``none`` removes it)."""
        self.change(f"Activation {name}", layers=self.document.layers_with_activation(name))

    def set_gradient(self, text: str, **changes) -> None:
        """Where dL/dy comes from (``source``, ``seed``, ``target``) or the ``learning_rate``:
        one undoable edit, none when nothing changes."""
        old = self.document.gradient
        new = old.with_changes(**changes)
        if not new.same_as(old):
            self.session.submit(FieldsEdit(text, {"gradient": old}, {"gradient": new}))

    def set_gradient_cell(self, which: str, index, value: float) -> None:
        """Type ``value`` into cell ``index`` = ``(map, *coord)`` of ``dL/dy`` (``which`` =
        ``grad``) or of the target (``target``): one undoable edit; ValueError in words."""
        new = with_cell(self.document.gradient, self.session.pipeline, which, index, value)
        name = "dL/dy" if which == "grad" else "target"
        self.set_gradient(f"Set {name} cell", source=new.source, grad=new.grad, target=new.target)

    def set_target(self, key: str) -> None:
        """Learn towards the target ``key`` of ``gradient_targets.target_choices``."""
        target = target_for(self.session.pipeline, key)
        self.set_gradient(f"Target: {key}", source="target", target=target)
