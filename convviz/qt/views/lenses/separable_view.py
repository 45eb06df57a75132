"""The separable lens: the kernel as column × row (the outer product drawn as a table), then
the two passes: the intermediate map and the result, the current cell lit in both."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ....model.lenses import separable_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import USES, WINDOW
from .lens_view import LensView


class SeparableView(LensView):
    """Rank, column, row, their product (and what it misses), then pass 1 and pass 2."""

    lens = "separable"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.kernel_grid = BlockGrid()
        self.passes = BlockGrid()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kernel_grid, 2)
        layout.addWidget(self.passes, 3)
        self.picture = None

    def draw(self) -> None:
        s = self.session
        p = separable_picture(s.stage, s.current, s.view.channel)
        self.picture = p
        k2 = p.kernel.shape[1]
        gap = 3  # empty cells between the blocks, room for their titles
        blocks = [
            Block(p.row[None, :], 0, 2, "row"),
            Block(p.column[:, None], 2, 0, "col", title_below=True),
            Block(p.approximation, 2, 2, "col × row", title_below=True),
            Block(p.kernel, 2, k2 + 2 + gap, "kernel", title_below=True),
        ]
        if p.rank > 1:
            blocks.append(Block(p.error, 2, 2 * (k2 + gap) + 2, "error", True))
        self.kernel_grid.show_blocks(blocks, self.colormap, font_px=self.font_px - 2)
        p2 = p.intermediate.shape[1]
        stage_blocks = [
            Block(p.intermediate, 0, 0, "pass 1 (col, down)"),
            Block(p.result, 0, p2 + 2, "pass 2 (row, along)"),
        ]
        self.passes.show_blocks(stage_blocks, self.colormap, font_px=self.font_px - 2)
        r, q = p.out_index
        self.passes.mark_cells("pass1", p.pass1_cells, USES, width=3)
        self.passes.mark_rect("cell", (r, p2 + 2 + q, 1, 1), WINDOW, width=4)
        channel = (
            f"channel {p.channel + 1} of filter {p.filter + 1}: "
            if (s.stage.stepper.geometry.channels > 1 or s.stage.stepper.geometry.filters > 1)
            else ""
        )
        self.set_words([channel + p.words[0], *p.words[1:]], bold=0)
