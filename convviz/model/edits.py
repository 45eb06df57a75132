"""Undoable edits: small objects that turn one Document into the next, and back.

An edit keeps only what it changes (a block of cells, or the fields it replaces), so a long
history of typed cells on a large input costs little.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from .document import Document


class Edit(Protocol):
    """What a history holds: ``text`` for the menu, ``apply`` and ``revert``."""

    text: str

    def apply(self, document: Document) -> Document: ...

    def revert(self, document: Document) -> Document: ...


def grid_plane(array: np.ndarray, target: str, index) -> np.ndarray:
    """The 2-D view of ``array`` a grid edits: input ``index`` = channel or ``(channel, depth)``,
    or kernel ``index`` = filter, ``(filter, channel)`` or ``(filter, channel, depth)``.

    A 1-D signal or kernel is one row; a 3-D volume is edited one depth slice at a time.
    """
    index = index if isinstance(index, tuple) else (index,)
    if target == "input":
        plane = array[index]
    elif target == "kernel":
        plane = array[(*index, 0) if len(index) == 1 else index]  # a filter alone: channel 0
    else:
        raise ValueError(f"unknown grid {target!r}")
    while plane.ndim > 2:  # no depth given: the first slice
        plane = plane[0]
    return plane[None] if plane.ndim == 1 else plane


@dataclass(frozen=True, eq=False)
class CellsEdit:
    """Cells of one grid set to new values (a typed number, a paste, a fill).

    ``layer`` is the place in ``Document.layers`` of a deeper convolution whose kernel is
    edited (None: the first convolution's ``weight``, or the input).
    """

    text: str
    target: str
    index: int | tuple
    row: int
    col: int
    old: np.ndarray
    new: np.ndarray
    layer: int | None = None

    def _write(self, document: Document, block: np.ndarray) -> Document:
        if self.layer is not None:
            array = document.layers[self.layer].weight.copy()
        else:
            array = (document.x if self.target == "input" else document.weight).copy()
        plane = grid_plane(array, self.target, self.index)
        rows, cols = block.shape
        plane[self.row : self.row + rows, self.col : self.col + cols] = block
        if self.layer is not None:
            layers = list(document.layers)
            layers[self.layer] = replace(layers[self.layer], weight=array)
            return document.replace(layers=tuple(layers))
        return document.replace(**{"x" if self.target == "input" else "weight": array})

    def apply(self, document: Document) -> Document:
        """Write the new values."""
        return self._write(document, self.new)

    def revert(self, document: Document) -> Document:
        """Write the old values back."""
        return self._write(document, self.old)


@dataclass(frozen=True, eq=False)
class FieldsEdit:
    """Some whole fields replaced (a resize, a preset, a setting, a layer)."""

    text: str
    before: dict
    after: dict

    def apply(self, document: Document) -> Document:
        """Store the new field values."""
        return document.replace(**self.after)

    def revert(self, document: Document) -> Document:
        """Store the old field values."""
        return document.replace(**self.before)
