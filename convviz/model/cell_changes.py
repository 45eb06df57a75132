"""Which input cells an edit changed, remembered beside the document it made, so that the
pipeline can compute only the outputs those cells reach (``engine.incremental``) and the views
can draw only what changed. Weak references only: a forgotten document takes its note along.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from .document import Document

_NOTES: dict[int, tuple[weakref.ref, CellChange]] = {}
_KEPT = 64  # notes kept for recent documents


@dataclass(frozen=True)
class CellChange:
    """``after`` is ``before`` with the input cells inside ``box`` (per spatial axis
    ``[start, stop)``, any channel) changed, and nothing else."""

    before: weakref.ref
    box: tuple[tuple[int, int], ...]

    def came_from(self, document: Document) -> bool:
        """Whether the change was made to ``document`` itself."""
        return self.before() is document


def note_change(before: Document, after: Document, box) -> None:
    """Remember that ``after`` is ``before`` with only the input cells in ``box`` changed."""
    _NOTES[id(after)] = (weakref.ref(after), CellChange(weakref.ref(before), tuple(box)))
    while len(_NOTES) > _KEPT:
        _NOTES.pop(next(iter(_NOTES)))


def change_of(document: Document) -> CellChange | None:
    """The cells ``document`` changed from the one it was made from, if noted."""
    found = _NOTES.get(id(document))
    if found is None or found[0]() is not document:
        return None
    change = found[1]
    return change if change.before() is not None else None


def input_box(x_shape, index, row: int, col: int, rows: int, cols: int):
    """The box (per spatial axis) of a block written at ``(row, col)`` of the input's grid
    ``index`` (a channel, or ``(channel, depth)`` of a volume)."""
    nd = len(x_shape) - 1
    if nd == 1:
        return ((col, col + cols),)
    if nd == 2:
        return ((row, row + rows), (col, col + cols))
    depth = index[1] if isinstance(index, tuple) else 0
    return ((depth, depth + 1), (row, row + rows), (col, col + cols))
