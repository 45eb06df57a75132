"""Undoable edits: each knows how to do and undo itself on a session, and its menu text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from .session import Session


class Edit(Protocol):
    """What the undo stack holds: ``text`` for the menu, ``redo`` and ``undo``."""

    text: str

    def redo(self, session: Session) -> None: ...

    def undo(self, session: Session) -> None: ...


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


@dataclass
class CellsEdit:
    """Cells of one grid set to new values (a typed number, a paste, a fill)."""

    text: str
    target: str
    index: int
    row: int
    col: int
    old: np.ndarray
    new: np.ndarray
    layer: int | None = None  # a kernel of ``session.layers[layer]`` instead of ``weight``

    def _write(self, session: Session, block: np.ndarray) -> None:
        if self.layer is not None:
            array = session.layers[self.layer].weight.copy()
        else:
            array = (session.x if self.target == "input" else session.weight).copy()
        plane = grid_plane(array, self.target, self.index)
        rows, cols = block.shape
        plane[self.row : self.row + rows, self.col : self.col + cols] = block
        if self.layer is not None:
            layers = list(session.layers)
            layers[self.layer] = replace(layers[self.layer], weight=array)
            session.set_state(layers=tuple(layers))
        else:
            session.set_state(**{"x" if self.target == "input" else "weight": array})

    def redo(self, session: Session) -> None:
        """Write the new values."""
        self._write(session, self.new)

    def undo(self, session: Session) -> None:
        """Write the old values back."""
        self._write(session, self.old)


@dataclass
class StateEdit:
    """Some whole fields replaced (a resize, a preset, a setting)."""

    text: str
    before: dict
    after: dict

    def redo(self, session: Session) -> None:
        """Store the new field values."""
        session.set_state(**self.after)

    def undo(self, session: Session) -> None:
        """Store the old field values."""
        session.set_state(**self.before)
