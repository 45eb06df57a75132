"""Undoable edits: small objects that turn one Document into the next, and back.

An edit keeps only what it changes (a block of cells, or the fields it replaces), so a long
history of typed cells on a large input costs little.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from ..engine.recycled import copy_of
from .cell_changes import input_box, note_change
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


class RemembersDocuments:
    """Undo gives back the very document the edit started from while it is still alive (the
    pipeline cache keeps recent ones), so undo and redo reuse what was computed for it instead
    of computing an equal copy again. Only weak references: a long history holds no documents.
    """

    _memo: dict

    def apply(self, document: Document) -> Document:
        """The next document (the one made before, if this is a redo and it is alive)."""
        return self._step(document, "before", "after", self._forward)

    def revert(self, document: Document) -> Document:
        """The document before the edit (the very one, if it is alive)."""
        return self._step(document, "after", "before", self._backward)

    def _step(self, document: Document, came: str, goes: str, compute) -> Document:
        was, will = self._memo.get(came), self._memo.get(goes)
        if was is not None and will is not None and was() is document and will() is not None:
            return will()
        result = compute(document)
        self._memo[came], self._memo[goes] = weakref.ref(document), weakref.ref(result)
        return result


@dataclass(frozen=True, eq=False)
class CellsEdit(RemembersDocuments):
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
    _memo: dict = field(default_factory=dict, repr=False)

    def _write(self, document: Document, block: np.ndarray) -> Document:
        if self.layer is not None:
            array = document.layers[self.layer].weight.copy()
        else:
            array = copy_of(document.x if self.target == "input" else document.weight)
        plane = grid_plane(array, self.target, self.index)
        rows, cols = block.shape
        plane[self.row : self.row + rows, self.col : self.col + cols] = block
        array.flags.writeable = False  # the document takes this copy as it is: no second one
        if self.layer is not None:
            layers = list(document.layers)
            layers[self.layer] = replace(layers[self.layer], weight=array)
            return document.replace(layers=tuple(layers))
        if self.target != "input":
            return document.replace(weight=array)
        result = document.replace(x=array)
        box = input_box(array.shape, self.index, self.row, self.col, rows, cols)
        note_change(document, result, box)  # the pipeline sums again only what these reach
        return result

    def _forward(self, document: Document) -> Document:
        return self._write(document, self.new)

    def _backward(self, document: Document) -> Document:
        return self._write(document, self.old)


@dataclass(frozen=True, eq=False)
class FieldsEdit(RemembersDocuments):
    """Some whole fields replaced (a resize, a preset, a setting, a layer)."""

    text: str
    before: dict
    after: dict
    _memo: dict = field(default_factory=dict, repr=False)

    def _forward(self, document: Document) -> Document:
        return document.replace(**self.after)

    def _backward(self, document: Document) -> Document:
        return document.replace(**self.before)
