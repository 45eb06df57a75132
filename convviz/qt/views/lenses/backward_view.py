"""The backward lens: ``dL/dz``, ``dL/dx`` and ``dL/dW`` filling in as each output hands its
gradient back, and below them the chosen input cell's gradient gathered (the rotated kernel)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ....model.gradient import SOURCE_TITLES
from ....model.lenses import backward_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import USES, WINDOW
from .lens_view import LensView

CHOSEN = QColor(30, 90, 220)  # the input cell whose gradient is gathered and checked
GAP = 2  # empty cells between blocks


class BackwardView(LensView):
    """Grids of the gradients so far, the gather at the chosen cell, and the words."""

    lens = "backward"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.source = QComboBox()
        for name, title in SOURCE_TITLES.items():
            self.source.addItem(title, name)
        self.source.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.source.setToolTip("The loss whose gradient dL/dy is passed back (an undoable edit)")
        self.source.activated.connect(self._on_view_source_chosen)
        self.reseed = QPushButton("New random")
        self.reseed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reseed.setToolTip("Draw another random dL/dy")
        self.reseed.clicked.connect(self._on_view_reseed)
        top = QHBoxLayout()
        top.addWidget(QLabel("dL/dy:"))
        top.addWidget(self.source, 1)
        top.addWidget(self.reseed)
        self.grid = BlockGrid()
        self.gather = BlockGrid()
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.gather, 2)
        self.picture = None
        self._input_at = (0, 0)

    # -- user intent ---------------------------------------------------------------------------
    def _on_view_source_chosen(self, index: int) -> None:
        source = self.source.itemData(index)
        self.session.edits.set_gradient(f"dL/dy: {source}", source=source)

    def _on_view_reseed(self) -> None:
        seed = self.session.document.gradient.seed + 1
        self.session.edits.set_gradient("New random dL/dy", source="random", seed=seed)

    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        """A click on ``dL/dx`` chooses that input cell (as a click on the input does)."""
        p = self.picture
        if p is None:
            return
        r0, c0 = self._input_at
        rows, cols = p.grad_input.shape
        r, c = row - r0, col - c0
        if 0 <= r < rows and 0 <= c < cols:
            coord = (c,) if self.session.stage.stepper.geometry.nd == 1 else (r, c)
            self.session.view.set(chosen_cell=(p.channel, coord))

    def _on_model_view_changed(self, name: str) -> None:
        super()._on_model_view_changed(name)
        if self.active and name == "chosen_cell":
            self.refresh()

    # -- drawing -------------------------------------------------------------------------------
    def draw(self) -> None:
        s = self.session
        choice = s.document.gradient
        p = backward_picture(
            s.stage, s.current, s.playhead.position, choice, s.view.chosen_cell, s.view.channel
        )
        self.picture = p
        with QSignalBlocker(self.source):
            self.source.setCurrentIndex(self.source.findData(choice.source))
        self.reseed.setVisible(choice.source == "random")
        g = s.stage.stepper.geometry
        many = g.filters > 1 or g.channels > 1
        out_cols = p.grad_output.shape[1]
        x_at = out_cols + GAP
        w_at = x_at + p.grad_input.shape[1] + GAP
        self._input_at = (0, x_at)
        z = "dL/dz" if s.stage.activations else "dL/dy"
        blocks = [
            Block(p.grad_output, 0, 0, f"{z} {p.filter + 1}" if many else z),
            Block(p.grad_input, 0, x_at, f"dL/dx {p.channel + 1}" if many else "dL/dx"),
            Block(p.grad_weight, 0, w_at, "dL/dW"),
        ]
        font = self.font_px - 2
        self.grid.show_blocks(blocks, self.colormap, font_px=font)
        self.grid.mark_rect("cell", (*p.out_cell, 1, 1), WINDOW, width=4)
        self.grid.mark_cells("window", [(r, c + x_at) for r, c in p.window], USES, width=3)
        self.grid.mark_rect("weights", (0, w_at, *p.grad_weight.shape), WINDOW)
        chosen = None if p.chosen_cell is None else (p.chosen_cell[0], p.chosen_cell[1] + x_at)
        self.grid.mark_rect("chosen", None if chosen is None else (*chosen, 1, 1), CHOSEN, 3)
        kernel_cols = p.gather_values.shape[1]
        self.gather.show_blocks(
            [
                Block(p.gather_values, 0, 0, f"{z} it meets"),
                Block(p.gather_weights, 0, kernel_cols + GAP + 1, "W rotated"),
            ],
            self.colormap,
            font_px=font,
        )
        self.gather.mark_rect("values", (0, 0, *p.gather_values.shape), CHOSEN)
        lines = list(p.lines)
        lines[2] += " Click an input cell to gather another (blue)."
        self.set_words(lines, bold=0)
