"""The unfolded (im2col) lens: ``W`` times the columns gives ``Y``, laid out as a textbook
draws a matrix product (the columns above ``Y``, ``W`` to its left)."""

from __future__ import annotations

from ....model.lenses import unfolded_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import WINDOW
from .lens_view import LensView


class UnfoldedView(LensView):
    """The current window's column, the current filter's row and their cell of ``Y`` light up
    (the input view outlines the same window, the map the same cell)."""

    lens = "unfolded"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.grid = self.add_to_body(BlockGrid())
        self.picture = None

    def draw(self) -> None:
        s = self.session
        p = unfolded_picture(s.stage, s.current, s.playhead.position)
        self.picture = p
        taps = p.columns.shape[0]
        top, left = taps + 1, taps + 1  # W and Y start below the columns, right of W
        blocks = [
            Block(p.columns, 0, left, "columns"),
            Block(p.weights, top, 0, "W", title_below=True),
            Block(p.output, top, left, "Y", title_below=True, to_come=True),
        ]
        self.grid.show_blocks(blocks, self.colormap, font_px=self.font_px - 2)
        self.grid.mark_rect("column", (0, left + p.column, taps, 1), WINDOW)
        self.grid.mark_rect("row", (top + p.row, 0, 1, taps), WINDOW)
        self.grid.mark_rect("cell", (top + p.row, left + p.column, 1, 1), WINDOW, width=4)
        self.set_words(
            [
                p.sentence,
                "W (the filters as rows) · the columns (one window each)"
                + (" + b" if s.stage.use_bias else "")
                + " = Y (one map per row). "
                + p.shape_text
                + ".",
                p.why_text + " " + p.cost_text,
            ],
            bold=0,
        )
