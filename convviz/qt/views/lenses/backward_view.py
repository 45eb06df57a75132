"""The backward lens: ``dL/dz``, ``dL/dx`` and ``dL/dW`` filling in as each output hands its
gradient back, and below them the chosen input cell's gradient gathered (the rotated kernel).
``dL/dy`` and the target are typed into on the grid; the loss is chosen above it."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout

from ....model.lenses import backward_picture
from ....model.lenses.loss_route import layers_after
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import USES, WINDOW
from .lens_view import LensView
from .loss_controls import GradientCells, LossControls

CHOSEN = QColor(30, 90, 220)  # the input cell whose gradient is gathered and checked
GAP = 2  # empty cells between blocks


class BackwardView(LensView):
    """Grids of the gradients so far, the gather at the chosen cell, and the words."""

    lens = "backward"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.controls = LossControls(session)
        self.source = self.controls.source
        self.grid = BlockGrid()
        self.gather = BlockGrid()
        self.cells = GradientCells(self.grid, session)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.gather, 2)
        self.picture = None
        self.weight_tap = None  # the weight checked by a finite difference (None: the middle)
        self._input_at = (0, 0)
        self._weights_at = None

    # -- user intent ---------------------------------------------------------------------------
    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        """A click on ``dL/dx`` chooses that input cell (as a click on the input does); a
        click on ``dL/dW`` chooses the weight checked by a finite difference."""
        p = self.picture
        if p is None:
            return
        one_d = self.session.stage.stepper.geometry.nd == 1
        r0, c0 = self._input_at
        rows, cols = p.grad_input.shape
        r, c = row - r0, col - c0
        if 0 <= r < rows and 0 <= c < cols:
            self.session.view.set(chosen_cell=(p.channel, (c,) if one_d else (r, c)))
            return
        if self._weights_at is not None and p.grad_weight is not None:
            r, c = row - self._weights_at[0], col - self._weights_at[1]
            if 0 <= r < p.grad_weight.shape[0] and 0 <= c < p.grad_weight.shape[1]:
                local = p.channel % self.session.stage.stepper.geometry.channels_per_group
                self.weight_tap = (p.filter, local, *((c,) if one_d else (r, c)))
                self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        super()._on_model_view_changed(name)
        if self.active and name == "chosen_cell":
            self.refresh()

    # -- drawing -------------------------------------------------------------------------------
    def draw(self) -> None:
        s = self.session
        choice = s.document.gradient
        p = backward_picture(
            s.stage,
            s.current,
            s.playhead.position,
            choice,
            s.view.chosen_cell,
            s.view.channel,
            layers_after(s.pipeline, s.stage),
            self.weight_tap,
        )
        self.picture = p
        self.controls.show_choice()
        g = s.stage.stepper.geometry
        many = g.filters > 1 or g.channels > 1
        z = "dL/dz" if p.separate_loss else "dL/dy"
        blocks, typed, at = [], [], 0
        if p.target is not None:
            blocks.append(Block(p.target, 0, at, "target"))
            typed.append(("target", p.loss_index, (0, at, *p.target.shape)))
            at += p.target.shape[1] + GAP
        if p.separate_loss:
            title = f"dL/dy {p.loss_index + 1}" if many else "dL/dy"
            blocks.append(Block(p.grad_loss, 0, at, title + " (loss)", title_below=True))
            typed.append(("grad", p.loss_index, (0, at, *p.grad_loss.shape)))
            at += p.grad_loss.shape[1] + GAP
        out_at = at
        blocks.append(Block(p.grad_output, 0, out_at, f"{z} {p.filter + 1}" if many else z))
        if not p.separate_loss:
            typed.append(("grad", p.filter, (0, out_at, *p.grad_output.shape)))
        x_at = out_at + p.grad_output.shape[1] + GAP
        self._input_at = (0, x_at)
        # dL/dx and dL/dW fill in as outputs hand their gradient back: said, or a running
        # dL/dW of 0.7 beside the check of the whole one (≈ 0) reads as a contradiction.
        so_far = " so far" if s.playhead.position < s.playhead.steps else ""
        dx = f"dL/dx {p.channel + 1}" if many else "dL/dx"
        blocks.append(Block(p.grad_input, 0, x_at, dx + so_far))
        self._weights_at = None
        if p.grad_weight is not None:
            w_at = x_at + p.grad_input.shape[1] + GAP
            self._weights_at = (0, w_at)
            blocks.append(Block(p.grad_weight, 0, w_at, "dL/dW" + so_far))
        font = self.font_px - 2
        self.grid.show_blocks(blocks, self.colormap, font_px=font)
        self.cells.set_blocks(typed)
        r, c = p.out_cell
        self.grid.mark_rect("cell", (r, c + out_at, 1, 1), WINDOW, width=4)
        self.grid.mark_cells("window", [(r, c + x_at) for r, c in p.window], USES, width=3)
        if p.grad_weight is not None:
            self.grid.mark_rect("weights", (0, self._weights_at[1], *p.grad_weight.shape), WINDOW)
            tap = p.weight_tap[2:] if len(p.weight_tap) > 3 else (0, p.weight_tap[2])
            checked = (tap[0], tap[1] + self._weights_at[1], 1, 1)
            self.grid.mark_rect(
                "checked",
                checked if p.weight_tap[1] == p.channel % max(g.channels_per_group, 1) else None,
                CHOSEN,
                2,
            )
        else:
            self.grid.mark_rect("weights", None, WINDOW)
            self.grid.mark_rect("checked", None, CHOSEN)
        chosen = None if p.chosen_cell is None else (p.chosen_cell[0], p.chosen_cell[1] + x_at)
        self.grid.mark_rect("chosen", None if chosen is None else (*chosen, 1, 1), CHOSEN, 3)
        self.gather.setVisible(p.gather_values is not None)
        if p.gather_values is not None:
            kernel_cols = p.gather_values.shape[1]
            self.gather.show_blocks(
                [
                    # One title over both: two would run into each other over small blocks.
                    Block(p.gather_values, 0, 0, f"{z} it meets  ×  W rotated 180°"),
                    Block(p.gather_weights, 0, kernel_cols + GAP + 1),
                ],
                self.colormap,
                font_px=font,
            )
            self.gather.mark_rect("values", (0, 0, *p.gather_values.shape), CHOSEN)
        self.share_height(self.grid, self.gather)
        lines = list(p.lines)
        lines[2] += " Click an input cell to gather another (blue)."
        if p.weight_check is not None:
            lines[4] += " Click a weight of dL/dW to check another."
        lines[1] += " Type into dL/dy" + (" or the target" if p.target is not None else "")
        lines[1] += " to change the loss."
        self.set_words(lines, bold=0)
