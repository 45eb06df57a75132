"""What a student can ask the map to become: the targets of the backward and learn lenses, and
the typed-in cells of ``dL/dy`` and of the target.

A target is a map the shape of the stack's last map. ``shifted`` (the default, stored as no
target) is the map moved one cell right; ``now`` takes the map as it is, to be edited cell by
cell; ``kernel:<name>`` is what a preset kernel of the same size would make of the input (a
convolution alone, no layers after it): the map the learn-edges demo learns towards.
"""

from __future__ import annotations

import numpy as np

from ..engine import KERNELS, conv
from .gradient import GradientChoice, loss_of
from .pipeline import Pipeline

TARGET_TITLES = {"shifted": "the map shifted right", "now": "the map as it is now"}


def loss_map(pipeline: Pipeline) -> np.ndarray:
    """The map the loss is measured on: the stack's last map; ValueError while the stack
    cannot run."""
    maps = pipeline.map_outputs
    if not maps:
        raise ValueError(pipeline.stack_problem or pipeline.problem or "nothing is computed")
    return np.asarray(maps[-1], dtype=np.float64)


def _preset_kernels(pipeline: Pipeline) -> list[str]:
    """The presets whose size is the first convolution's, when it alone makes the last map."""
    if pipeline.stepper is None or len(pipeline.stage_starts) > 1:
        return []
    stage = pipeline.stage(0)
    if len(pipeline.layers) - 1 != len(stage.activations):
        return []
    shape = pipeline.stepper.geometry.kernel
    return [name for name, k in KERNELS.items() if np.shape(k) == tuple(shape)]


def target_choices(pipeline: Pipeline) -> list[tuple[str, str]]:
    """``(key, title)`` of every target this pipeline can take."""
    choices = list(TARGET_TITLES.items())
    for name in _preset_kernels(pipeline):
        choices.append((f"kernel:{name}", f"{name} kernel's map"))
    return choices


def target_for(pipeline: Pipeline, key: str) -> np.ndarray | None:
    """The target ``key`` names (None for ``shifted``, which follows the map)."""
    if key == "shifted":
        return None
    if key == "now":
        return loss_map(pipeline).copy()
    name = key.removeprefix("kernel:")
    if name not in _preset_kernels(pipeline):
        raise ValueError(f"no target {key!r} for this document")
    stage = pipeline.stage(0)
    g = stage.stepper.geometry
    weight = np.zeros_like(stage.stepper.weight, dtype=np.float64)
    weight[:] = np.asarray(KERNELS[name], dtype=np.float64) / g.channels_per_group
    settings = {
        "stride": g.stride,
        "padding": g.pads,
        "dilation": g.dilation,
        "groups": g.groups,
        "padding_mode": g.padding_mode,
        "flip": g.flip,
    }
    z = conv(stage.stepper.input, weight, None, **settings)
    return np.asarray(stage.activated(z), dtype=np.float64)


def with_cell(choice: GradientChoice, pipeline: Pipeline, which: str, index, value: float):
    """``choice`` with one cell of ``dL/dy`` (``which`` = ``grad``: the source becomes
    ``edited``, from the gradient shown) or of the target (``target``) set to ``value``.

    ``index`` is the cell in the last map, ``(map, *coord)``. ValueError in words for a cell
    outside it or a number that is not finite.
    """
    if not np.isfinite(value):
        raise ValueError(f"a gradient or target must be a finite number, not {value}")
    y = loss_map(pipeline)
    index = tuple(int(i) for i in index)
    if len(index) != y.ndim or not all(0 <= i < n for i, n in zip(index, y.shape, strict=True)):
        raise ValueError(f"cell {index} is outside the map {y.shape}")
    loss = loss_of(choice, y)
    if which == "grad":
        grad = np.array(loss.grad, dtype=np.float64)
        grad[index] = value
        return choice.with_changes(source="edited", grad=grad)
    if which == "target":
        target = np.array(loss.target if loss.target is not None else y, dtype=np.float64)
        target[index] = value
        return choice.with_changes(source="target", target=target)
    raise ValueError(f"cannot type into {which!r}")


def target_key(choice: GradientChoice, pipeline: Pipeline) -> str:
    """The key of ``target_choices`` that ``choice``'s target is (``custom`` when typed in)."""
    if choice.target is None:
        return "shifted"
    for key, _ in target_choices(pipeline)[2:]:
        made = target_for(pipeline, key)
        if made.shape == choice.target.shape and np.array_equal(made, choice.target):
            return key
    return "custom"
