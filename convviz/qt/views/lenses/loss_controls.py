"""The loss a lens pushes back, chosen in the window: where ``dL/dy`` comes from, a new random
draw, and the target of a mean squared error. Every choice is an undoable edit of the document;
the cells of ``dL/dy`` and of the target are typed into on the lens's grid (``GradientCells``).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ....model.gradient import SOURCE_TITLES
from ....model.gradient_targets import target_choices, target_key
from ....numbers import parse_number
from ...widgets.block_grid import BlockGrid

CUSTOM_TITLE = "your own (typed in)"


class LossControls(QWidget):
    """``dL/dy: [source] [New random]  Target: [map]`` over a lens."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.source = QComboBox()
        for name, title in SOURCE_TITLES.items():
            self.source.addItem(title, name)
        self.source.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Long titles must not widen the lens past a laptop's middle column.
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source.setMinimumContentsLength(12)
        self.source.setToolTip(
            "The loss whose gradient dL/dy is passed back (an undoable edit); MSE: the mean "
            "squared error against a target map. Type into the "
            "cells of dL/dy to choose your own."
        )
        self.source.activated.connect(self._on_view_source_chosen)
        self.reseed = QPushButton("New random")
        self.reseed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reseed.setToolTip("Draw another random dL/dy")
        self.reseed.clicked.connect(self._on_view_reseed)
        self.target_label = QLabel("Target:")
        self.target = QComboBox()
        self.target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.target.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.target.setMinimumContentsLength(12)
        self.target.setToolTip(
            "The map the output should become (mean squared error); type into the target's "
            "cells to change single numbers"
        )
        self.target.activated.connect(self._on_view_target_chosen)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("dL/dy:"))
        row.addWidget(self.source, 1)
        row.addWidget(self.reseed)
        row.addWidget(self.target_label)
        row.addWidget(self.target, 1)

    # -- user intent ---------------------------------------------------------------------------
    def _on_view_source_chosen(self, index: int) -> None:
        source = self.source.itemData(index)
        self.session.edits.set_gradient(f"dL/dy: {source}", source=source)

    def _on_view_reseed(self) -> None:
        seed = self.session.document.gradient.seed + 1
        self.session.edits.set_gradient("New random dL/dy", source="random", seed=seed)

    def _on_view_target_chosen(self, index: int) -> None:
        key = self.target.itemData(index)
        if key != "custom":
            self.session.edits.set_target(key)

    # -- drawing -------------------------------------------------------------------------------
    def show_choice(self) -> None:
        """Show the document's choice (after any edit, undo or redo)."""
        s = self.session
        choice = s.document.gradient
        with QSignalBlocker(self.source):
            self.source.setCurrentIndex(self.source.findData(choice.source))
        self.reseed.setVisible(choice.source == "random")
        targets = choice.source == "target"
        self.target_label.setVisible(targets)
        self.target.setVisible(targets)
        if not targets:
            return
        choices = target_choices(s.pipeline)
        key = target_key(choice, s.pipeline)
        if key == "custom":
            choices.append(("custom", CUSTOM_TITLE))
        with QSignalBlocker(self.target):
            if [self.target.itemData(i) for i in range(self.target.count())] != [
                k for k, _ in choices
            ]:
                self.target.clear()
                for k, title in choices:
                    self.target.addItem(title, k)
            self.target.setCurrentIndex(self.target.findData(key))


class GradientCells:
    """Typing into the cells of ``dL/dy`` and of the target drawn on a lens's ``BlockGrid``:
    each block typed into is ``(which, map, rows, cols, origin)``; a refused entry is said at
    the cell, and the cursor stays there."""

    def __init__(self, grid: BlockGrid, session) -> None:
        self.grid = grid
        self.session = session
        self.blocks: list[tuple[str, int]] = []  # (which, map) per editable area
        grid.editable = True
        grid.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid.edit_committed.connect(self._on_grid_edit_committed)

    def set_blocks(self, blocks: list[tuple[str, int, tuple[int, int, int, int]]]) -> None:
        """The editable blocks: ``(which, map, (row, col, rows, cols))`` each."""
        self.blocks = [(which, index) for which, index, _ in blocks]
        self.grid.editable_areas = [area for _, _, area in blocks]

    def _on_grid_edit_committed(self, row: int, col: int, text: str) -> None:
        area = self.grid.area_at(row, col)
        if area is None:
            return
        which, index = self.blocks[area]
        r0, c0, _, _ = self.grid.editable_areas[area]
        nd = self.session.stage.stepper.geometry.nd
        coord = (col - c0,) if nd == 1 else (row - r0, col - c0)
        try:
            value = parse_number(text)
            self.session.edits.set_gradient_cell(which, (index, *coord), value)
        except ValueError as error:
            self.grid.refuse_edit(row, col, f"Not changed: {error}")
