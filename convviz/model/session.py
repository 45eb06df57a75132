"""What the user is working on: input, kernels, settings and the step being shown.

The session validates, stores, then emits. Views redraw from it; they never change each other.
Edits go through ``submit`` (by default straight to ``apply``; the window routes them through
its ``QUndoStack``) so that every change can be undone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..engine import ActivationLayer, ConvLayer, PoolLayer, Step, Stepper, demo, size_text
from .edits import CellsEdit, Edit, StateEdit, grid_plane
from .events import Event
from .layer_stack import LayerStack, Stage
from .operations import GridOperations
from .project import Project
from .settings import ConvSettings

STATE_FIELDS = ("x", "weight", "bias", "use_bias", "settings", "activation", "layers")
LAYER_TYPES = (ConvLayer, PoolLayer, ActivationLayer)
ACTIVATION_CHOICES = ("none", "relu", "leaky_relu", "sigmoid", "tanh")


class Session(GridOperations):
    """The app's state, free of Qt.

    Attributes
    ----------
    x : numpy.ndarray
        The input, ``(C, *S)``.
    weight : numpy.ndarray
        The filters, ``(F, C // groups, *K)``.
    bias : numpy.ndarray
        One number per filter; added only while ``use_bias`` is on.
    settings : ConvSettings
        What the user asked for (even when it is impossible; see ``problem``).
    layers : tuple
        The layers after the convolution and its activation (see ``stack``).
    stepper : Stepper
        The last valid convolution: the picture stays when a setting is impossible.
    problem : str or None
        Why the current settings cannot be computed, in the engine's words.
    stage_index : int
        Which convolution or pooling of the stack is being stepped (0: the first). The views
        show ``stage``: its input, window, computation and output.
    position : int
        Output cells of that stage computed so far, from 0 (nothing yet) to ``steps``.
    """

    def __init__(self, demo_name: str = "letter-h") -> None:
        self.data_changed = Event()
        self.step_changed = Event()
        self.submit: Callable[[Edit], None] = self.apply
        self.demo_name = demo_name
        self.position = 0
        self.predict = False
        self.previewing = False
        self.stage_index = 0
        self.stack = LayerStack(self)
        self._last_stage: Stage | None = None
        self._load(demo_name)

    # -- state ------------------------------------------------------------------------------
    def _load(self, name: str) -> None:
        d = demo(name)
        self.demo_name = name
        self.x = np.array(d.x, dtype=np.float64)
        self.weight = np.array(d.weight, dtype=np.float64)
        self.use_bias = d.bias is not None
        self.bias = (
            np.zeros(self.weight.shape[0]) if d.bias is None else np.array(d.bias, dtype=np.float64)
        )
        self.settings = ConvSettings.from_kwargs(self.x.ndim - 1, **d.settings)
        self.activation = "none"
        self.layers = tuple(d.layers)
        self.problem = None
        self.stepper = self._build()
        self.stage_index = 0
        self._last_stage = None
        self.position = 0

    def load_demo(self, name: str) -> None:
        """Replace everything with the demo ``name`` (a whole new session, not an edit)."""
        self._load(name)
        self.data_changed.emit()
        self.step_changed.emit()

    def to_project(self, view: dict | None = None) -> Project:
        """The session as a project (copies), with the views' options in ``view``."""
        return Project(
            self.x.copy(),
            self.weight.copy(),
            self.bias.copy(),
            self.use_bias,
            self.settings,
            self.position,
            self.demo_name,
            dict(view or {}),
            self.activation,
            self.layers,
            self.stage_index,
        )

    def open_project(self, project: Project) -> None:
        """Replace everything with a checked project (a whole new session, not an edit)."""
        self.demo_name = project.demo_name
        self.x = project.x.copy()
        self.weight = project.weight.copy()
        self.bias = project.bias.copy()
        self.use_bias = project.use_bias
        self.settings = project.settings
        self.activation = project.activation
        self.layers = tuple(project.layers)
        self.problem = None
        self.stepper = self._build()
        self.stage_index = 0
        self._last_stage = None
        if 0 < project.stage < len(self.stack.stage_starts()):
            self.stage_index = project.stage
            if self.stage_problem:  # a stack that cannot run opens on its first layer
                self.stage_index = 0
        self.position = max(0, min(project.position, self.steps))
        self.data_changed.emit()
        self.step_changed.emit()

    def state(self) -> dict:
        """Copies of every editable field, as ``StateEdit`` and project files store them."""
        return {
            "x": self.x.copy(),
            "weight": self.weight.copy(),
            "bias": self.bias.copy(),
            "use_bias": self.use_bias,
            "settings": self.settings,
            "activation": self.activation,
            "layers": self.layers,
        }

    def set_state(self, **fields) -> None:
        """Store new values for some fields, rebuild the stepper if it can be, and emit."""
        unknown = set(fields) - set(STATE_FIELDS)
        if unknown:
            raise ValueError(f"unknown session fields: {sorted(unknown)}")
        if fields.get("activation", "none") not in ACTIVATION_CHOICES:
            raise ValueError(
                f"unknown activation {fields['activation']!r}; choose one of "
                f"{', '.join(ACTIVATION_CHOICES)}"
            )
        layers = fields.get("layers", ())
        if not isinstance(layers, tuple) or not all(isinstance(v, LAYER_TYPES) for v in layers):
            raise ValueError("layers must be a tuple of ConvLayer, PoolLayer or ActivationLayer")
        for name, value in fields.items():
            setattr(self, name, value.copy() if isinstance(value, np.ndarray) else value)
        if self.bias.shape != (self.weight.shape[0],):
            bias = np.zeros(self.weight.shape[0])
            keep = min(len(bias), len(self.bias))
            bias[:keep] = self.bias[:keep]
            self.bias = bias
        self._rebuild()

    def _build(self) -> Stepper:
        bias = self.bias if self.use_bias else None
        return Stepper(self.x, self.weight, bias, **self.settings.as_kwargs())

    def _rebuild(self) -> None:
        before = self.position
        try:
            self.stepper = self._build()
        except ValueError as error:
            self.problem = str(error)
        else:
            self.problem = None
        self.stage_index = min(self.stage_index, len(self.stack.stage_starts()) - 1)
        self.position = min(before, self.steps)
        self.data_changed.emit()
        self.step_changed.emit()

    def apply(self, edit: Edit) -> None:
        """Carry out ``edit`` now (without an undo stack)."""
        edit.redo(self)

    # -- what the views ask ------------------------------------------------------------------
    @property
    def nd(self) -> int:
        """Spatial axes of the input (1, 2 or 3)."""
        return self.x.ndim - 1

    @property
    def stage(self) -> Stage:
        """The layer being stepped. When the layers before it stop fitting, the last picture
        that could be computed stays (``stage_problem`` says why)."""
        try:
            stage = self.stack.stage(self.stage_index)
        except ValueError:
            if self._last_stage is None or self._last_stage.index != self.stage_index:
                raise
            return self._last_stage
        self._last_stage = stage
        return stage

    @property
    def stage_problem(self) -> str | None:
        """Why the stepped layer cannot be computed for the current data (a deeper layer that
        no longer fits), else None."""
        if self.stage_index == 0:
            return None
        try:
            self.stack.stage(self.stage_index)
        except ValueError as error:
            return str(error)
        return None

    @property
    def shown_problem(self) -> str | None:
        """What keeps the picture from being current: the settings or the layers."""
        return self.problem or self.stage_problem

    @property
    def walk(self):
        """The stepped layer's walk: a ``Stepper`` or a ``PoolStepper``."""
        return self.stage.stepper

    def set_stage(self, index: int) -> None:
        """Step layer ``index`` of ``stack.stage_titles()`` from its first cell (not an edit)."""
        index = max(0, min(int(index), len(self.stack.stage_starts()) - 1))
        if index == self.stage_index:
            return
        previous = self.stage_index
        self.stage_index = index
        try:
            self.stage  # noqa: B018 - build it now, to refuse a layer that cannot run
        except ValueError:
            self.stage_index = previous
            raise
        self.position = 0
        self.previewing = False
        self.data_changed.emit()
        self.step_changed.emit()

    @property
    def steps(self) -> int:
        """Number of steps (output cells over all maps) of the stepped layer."""
        return len(self.walk)

    @property
    def current(self) -> Step:
        """The step shown: the one just computed, or the next window while it waits.

        Every view asks for it on each frame; it is worked out once per step.
        """
        walk = self.walk
        index = min(self.position, len(walk) - 1) if self.waiting else self.position - 1
        cached = getattr(self, "_current", None)
        if cached is None or cached[0] is not walk or cached[1] != index:
            self._current = (walk, index, walk[index])
        return self._current[2]

    @property
    def waiting(self) -> bool:
        """Whether the window shown has not produced its output yet (at the start, or while a
        class predicts it)."""
        return self.position == 0 or (self.previewing and self.position < self.steps)

    @property
    def revealed(self) -> bool:
        """Whether the shown step's output has been computed."""
        return not self.waiting

    def activated(self, values):
        """``values`` after the stepped layer's activations (unchanged if there are none)."""
        return self.stage.activated(values)

    def feature_map(self) -> np.ndarray:
        """The maps as far as computed (after the activation): NaN where not computed yet.

        O(map) copying only: the activated maps are computed once per change, not per step.
        """
        final = self.final_map()
        result = np.full(final.shape, np.nan, dtype=final.dtype)
        result.reshape(-1)[: self.position] = final.reshape(-1)[: self.position]
        return result

    def final_map(self) -> np.ndarray:
        """Every cell of the stepped layer's maps, after its activations (computed once per
        change)."""
        return self.stage.final

    def output_size_text(self) -> str:
        """The first convolution's output-size formula with the numbers plugged in, or the
        problem."""
        return self.problem or self.stepper.geometry.explain()

    def caption(self) -> str:
        """``step 12 of 256: window at row 2, column 5`` (with the filter when there are many)."""
        n = self.steps
        layer = self._layer_prefix()
        if self.position == 0 and not self.previewing:
            return f"{layer}step 0 of {n}: ready, the window waits at its first place"
        step = self.current
        if self.waiting:
            where = _where(step.window_origin, step.out_index)
            return f"{layer}step {step.index + 1} of {n}: {where}: what will it be? (→ reveals)"
        where = _where(step.window_origin, step.out_index)
        maps = self.walk.geometry.filters
        unit = "filter" if self.stage.kind == "conv" else "channel"
        which = f"{unit} {step.filter + 1} of {maps}, " if maps > 1 else ""
        return f"{layer}step {self.position} of {n}: {which}{where}"

    def _layer_prefix(self) -> str:
        if len(self.layers) == 0:
            return ""
        return f"{self.stage.title}, "

    # -- stepping ----------------------------------------------------------------------------
    def set_position(self, position: int) -> None:
        """Show ``position`` cells computed (clamped to 0..steps); emits only on a change."""
        position = max(0, min(int(position), self.steps))
        if position != self.position or self.previewing:
            self.position = position
            self.previewing = False
            self.step_changed.emit()

    def set_predict(self, on: bool) -> None:
        """ "Predict, then reveal": each step first shows the window, then (next key) its output."""
        self.predict = bool(on)
        if not on and self.previewing:
            self.previewing = False
            self.step_changed.emit()

    def step_forward(self, count: int = 1) -> None:
        """Compute the next ``count`` cells (in predict mode, one half-step: show, then reveal)."""
        if self.predict and count == 1 and self.position < self.steps:
            if self.previewing or self.position == 0:  # at the start the window already waits
                self.set_position(self.position + 1)
            else:
                self.previewing = True
                self.step_changed.emit()
            return
        self.set_position(self.position + count)

    def step_back(self, count: int = 1) -> None:
        """Undo the last ``count`` computed cells."""
        self.set_position(self.position - count)

    def reset(self) -> None:
        """Back to before the first cell."""
        self.set_position(0)

    def run_to_end(self) -> None:
        """Compute every cell."""
        self.set_position(self.steps)

    def row_forward(self) -> None:
        """Move a whole output row ahead."""
        self.step_forward(self.walk.geometry.out[-1])

    def jump_to(self, filter_index: int, out_index) -> None:
        """Show the step that computes output cell ``out_index`` of ``filter_index``."""
        self.set_position(self.walk.index_of(filter_index, out_index) + 1)

    @property
    def finished(self) -> bool:
        """Whether every cell has been computed."""
        return self.position >= self.steps

    # -- edits (each goes through ``submit``) ------------------------------------------------
    def edit_cells(self, target: str, index, row: int, col: int, block) -> None:
        """Write ``block`` (2-D) into grid ``target`` (``input``/``kernel``) at ``(row, col)``.

        ``index`` is the channel (input), or the filter or ``(filter, channel)`` (kernel).
        Cells past the grid's edge are dropped; a block wholly outside does nothing.
        """
        slot = self.stage_slot() if target == "kernel" else None
        if target == "input" and self.stage_index > 0:
            raise ValueError(
                f"this grid is what {self.stage.title} reads: the output of the layer before. "
                "Step layer 1 to edit the input"
            )
        if target == "kernel" and self.stage.kind != "conv":
            raise ValueError("a pooling has no weights to edit")
        grid = self.grid(target, index)
        block = np.atleast_2d(np.asarray(block, dtype=np.float64))
        rows = min(block.shape[0], grid.shape[0] - row)
        cols = min(block.shape[1], grid.shape[1] - col)
        if rows <= 0 or cols <= 0 or row < 0 or col < 0:
            return
        new = block[:rows, :cols]
        old = grid[row : row + rows, col : col + cols].copy()
        if np.array_equal(old, new, equal_nan=True):
            return
        what = "cell" if new.size == 1 else f"{rows}×{cols} cells"
        self.submit(
            CellsEdit(f"Set {target} {what}", target, index, row, col, old, new.copy(), slot)
        )

    def change(self, text: str, **fields) -> None:
        """Submit an undoable edit replacing some fields (``x``, ``weight``, ``settings``...)."""
        before = self.state()
        after = {name: fields[name] for name in fields}
        if all(_same(before[name], after[name]) for name in after):
            return
        self.submit(StateEdit(text, {name: before[name] for name in after}, after))

    def change_settings(self, text: str, **changes) -> None:
        """Submit an edit of some settings (``stride=(2, 2)``, ``flip=True``...)."""
        self.change(text, settings=self.settings.with_changes(**changes))

    def grid(self, target: str, index=0) -> np.ndarray:
        """The 2-D grid a user edits: input channel ``index``, or kernel ``index`` = filter or
        ``(filter, channel)``.

        A 1-D signal is a grid of one row. The result is a view: write through ``edit_cells``.
        While a deeper layer is stepped, these are its input and its weights.
        """
        array = self.stage.x if target == "input" else self.kernel_weights()
        return grid_plane(array, target, index)

    def kernel_weights(self) -> np.ndarray:
        """The weights of the convolution being stepped (layer 1's ``weight`` or a deeper
        layer's; a pooling's stage shows layer 1's)."""
        stage = self.stage
        return stage.layer.weight if stage.index > 0 and stage.kind == "conv" else self.weight

    def stage_slot(self) -> int | None:
        """Where the stepped layer sits in ``layers`` (None for the first convolution)."""
        if self.stage_index == 0:
            return None
        return self.stack.stage_starts()[self.stage_index] - self.stack.offset

    @property
    def picture_matches_input(self) -> bool:
        """Whether the stepped walk was computed from the input the views show (not so while
        the first convolution's settings are impossible: its last valid walk is shown)."""
        return self.stage_index > 0 or self.problem is None

    def shape_text(self) -> str:
        """Input and kernel sizes in words, e.g. ``input 16×16, kernel 3×3``."""
        return f"input {size_text(self.x.shape[1:])}, kernel {size_text(self.weight.shape[2:])}"


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


def _where(origin, out_index) -> str:
    if len(out_index) == 1:
        return f"window at cell {origin[0]}, output cell {out_index[0]}"
    if len(out_index) == 2:
        return (
            f"window at row {origin[0]}, column {origin[1]} → output row {out_index[0]}, "
            f"column {out_index[1]}"
        )
    return f"window at {tuple(origin)} → output {tuple(out_index)}"
