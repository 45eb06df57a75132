"""Typing, copying, pasting and clearing cells of a grid, turned into session edits."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ...model import Session, format_block, parse_block, parse_number
from .grid_view import GridView


class GridEditing(QObject):
    """Connects an editable ``GridView`` to one session grid (``input`` or ``kernel``).

    ``index`` picks the channel (input) or the filter (kernel). ``message`` carries a short
    sentence for the status bar: what was refused and why, or what was pasted.
    """

    message = Signal(str)

    def __init__(self, grid: GridView, session: Session, target: str) -> None:
        super().__init__(grid)
        self.grid = grid
        self.session = session
        self.target = target
        self.index = 0
        self.indices: list = []  # session index of each editable block, when there are several
        grid.edit_committed.connect(self._on_grid_edit_committed)
        grid.copy_requested.connect(self._on_grid_copy_requested)
        grid.paste_requested.connect(self._on_grid_paste_requested)
        grid.clear_requested.connect(self._on_grid_clear_requested)

    def locate(self, row: int, col: int):
        """The session index and the local cell for grid cell ``(row, col)``, or None.

        With several editable blocks (channels side by side) block ``i`` edits
        ``self.indices[i]``; with one it edits ``self.index``.
        """
        area = self.grid.area_at(row, col)
        if area is None:
            return None
        r0, c0, _, _ = self.grid.editable_areas[area]
        index = self.indices[area] if self.indices else self.index
        return index, row - r0, col - c0

    def _on_grid_edit_committed(self, row: int, col: int, text: str) -> None:
        place = self.locate(row, col)
        if place is None:
            return
        try:
            value = parse_number(text)
        except ValueError as error:
            self.message.emit(f"Not changed: {error}")
            self.grid.refuse_edit(row, col, f"Not changed: {error}")
            return
        index, r, c = place
        self._edit(index, r, c, [[value]])

    def _selected(self):
        r, c, rows, cols = self.grid.selection()
        place = self.locate(r, c)
        return None if place is None else (*place, rows, cols)

    def _on_grid_copy_requested(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        index, r, c, rows, cols = selected
        plane = self.session.grid(self.target, index)
        QApplication.clipboard().setText(format_block(plane[r : r + rows, c : c + cols]))
        self.message.emit(f"Copied {rows}×{cols} cells")

    def _on_grid_paste_requested(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        try:
            block = parse_block(QApplication.clipboard().text())
        except ValueError as error:
            self.message.emit(f"Nothing pasted: {error}")
            return
        index, r, c, _, _ = selected
        if self._edit(index, r, c, block):
            self.message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} cells")

    def _on_grid_clear_requested(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        index, r, c, rows, cols = selected
        self._edit(index, r, c, np.zeros((rows, cols)))

    def _edit(self, index, row: int, col: int, block) -> bool:
        """Write ``block``; a refused edit (a grid that is read-only now) says why."""
        try:
            self.session.edits.edit_cells(self.target, index, row, col, block)
        except ValueError as error:
            self.message.emit(f"Not changed: {error}")
            return False
        return True
