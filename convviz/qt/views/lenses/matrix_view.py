"""The convolution-matrix lens: ``x`` laid along the top, ``M`` under it, ``y`` at its right;
the current output cell's row of ``M`` lights up with the input cells it multiplies."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ....model.lenses import matrix_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import USES, WINDOW
from .lens_view import LensView

MOVED = QColor(140, 60, 200)  # taps that came through the padding (folded back or wrapped)


class MatrixView(LensView):
    """``y = M x`` with the document's numbers, one row of ``M`` per step."""

    lens = "matrix"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.grid = self.add_to_body(BlockGrid())
        self.picture = None

    def draw(self) -> None:
        s = self.session
        p = matrix_picture(s.stage, s.current, s.playhead.position)
        self.picture = p
        cols = p.entries.shape[1]
        plus_b = " + b" if s.stage.use_bias else ""
        blocks = [
            Block(p.x[None, :], 0, 0, "x"),
            Block(p.entries, 2, 0, "M"),
            Block(p.y[:, None], 2, cols + 1, "y", to_come=True),
        ]
        self.grid.show_blocks(blocks, self.colormap, font_px=self.font_px - 2)
        self.grid.mark_rect("row", (2 + p.row, 0, 1, cols), WINDOW)
        self.grid.mark_rect("cell", (2 + p.row, cols + 1, 1, 1), WINDOW, width=4)
        terms = [(2 + p.row, c) for c in p.terms] + [(0, c) for c in p.terms]
        self.grid.mark_cells("terms", terms, USES)
        moved = [(2 + r, c) for r, c in zip(*p.moved.nonzero(), strict=True)]
        self.grid.mark_cells("moved", moved, MOVED, width=2.5)
        lines = [
            p.sentence,
            f"y = M x{plus_b}: x holds the input's cells in a row (channel by channel), y one "
            "output cell per row of M. " + p.shape_text + ".",
        ]
        if moved:
            lines.append(
                "Outlined in purple: taps that reach the input through the padding (reflect and "
                "replicate fold them back onto the cell they copy, circular wraps them around)."
            )
        lines.append(p.note)
        self.set_words(lines, bold=0)
