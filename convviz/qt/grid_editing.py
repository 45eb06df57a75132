"""Typing, copying, pasting and clearing cells of a grid, turned into session edits."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ..model import Session, format_block, parse_block, parse_number
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
        grid.edit_committed.connect(self._on_grid_edit_committed)
        grid.copy_requested.connect(self._on_grid_copy_requested)
        grid.paste_requested.connect(self._on_grid_paste_requested)
        grid.clear_requested.connect(self._on_grid_clear_requested)

    def _plane(self) -> np.ndarray:
        return self.session.grid(self.target, self.index)

    def _on_grid_edit_committed(self, row: int, col: int, text: str) -> None:
        try:
            value = parse_number(text)
        except ValueError as error:
            self.message.emit(f"Not changed: {error}")
            return
        self.session.edit_cells(self.target, self.index, row, col, [[value]])

    def _on_grid_copy_requested(self) -> None:
        r, c, rows, cols = self.grid.selection()
        QApplication.clipboard().setText(format_block(self._plane()[r : r + rows, c : c + cols]))
        self.message.emit(f"Copied {rows}×{cols} cells")

    def _on_grid_paste_requested(self) -> None:
        try:
            block = parse_block(QApplication.clipboard().text())
        except ValueError as error:
            self.message.emit(f"Nothing pasted: {error}")
            return
        r, c, _, _ = self.grid.selection()
        self.session.edit_cells(self.target, self.index, r, c, block)
        self.message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} cells")

    def _on_grid_clear_requested(self) -> None:
        r, c, rows, cols = self.grid.selection()
        self.session.edit_cells(self.target, self.index, r, c, np.zeros((rows, cols)))
