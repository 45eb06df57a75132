"""The transposed lens: the scatter (each INPUT cell stamps the kernel onto the OUTPUT) above
the gather (one OUTPUT cell from the stretched INPUT and the rotated kernel), stepping
together, and how many stamps land on each OUTPUT cell."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ....model.lenses import transposed_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.overlays import USES, WINDOW
from .backward_view import CHOSEN, GAP
from .lens_view import LensView


class TransposedView(LensView):
    """Scatter and gather of ``Mᵀ y``, every grid labelled INPUT or OUTPUT."""

    lens = "transposed"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.scatter = BlockGrid()
        self.gather = BlockGrid()
        self.scatter.cell_clicked.connect(self._on_scatter_cell_clicked)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scatter, 1)
        layout.addWidget(self.gather, 1)
        self.picture = None
        self._output_at = 0

    def _on_scatter_cell_clicked(self, row: int, col: int) -> None:
        """A click on the OUTPUT chooses the cell the gather computes."""
        p = self.picture
        if p is None:
            return
        rows, cols = p.scattered.shape
        c = col - self._output_at
        if 0 <= row < rows and 0 <= c < cols:
            coord = (c,) if self.session.stage.stepper.geometry.nd == 1 else (row, c)
            self.session.view.set(chosen_cell=(p.channel, coord))

    def _on_model_view_changed(self, name: str) -> None:
        super()._on_model_view_changed(name)
        if self.active and name == "chosen_cell":
            self.refresh()

    def draw(self) -> None:
        s = self.session
        p = transposed_picture(
            s.stage, s.current, s.playhead.position, s.view.chosen_cell, s.view.channel
        )
        self.picture = p
        font = self.font_px - 2
        stamp_at = p.source.shape[1] + GAP
        out_at = stamp_at + p.stamp.shape[1] + GAP
        self._output_at = out_at
        self.scatter.show_blocks(
            [
                Block(p.source, 0, 0, "INPUT y"),
                Block(p.stamp, 0, stamp_at, "stamp"),
                Block(p.scattered, 0, out_at, "OUTPUT so far"),
                Block(p.counts, 0, out_at + p.scattered.shape[1] + GAP, "stamps"),
            ],
            self.colormap,
            font_px=font,
        )
        output = p.output[p.channel]
        output = output[None] if output.ndim == 1 else output
        self.scatter.mark_rect("cell", (*p.in_cell, 1, 1), WINDOW, width=4)
        self.scatter.mark_rect("stamp", (0, stamp_at, *p.stamp.shape), WINDOW)
        self.scatter.mark_cells("window", [(r, c + out_at) for r, c in p.window], WINDOW, 3)
        chosen = None if p.chosen_cell is None else (p.chosen_cell[0], p.chosen_cell[1] + out_at)
        self.scatter.mark_rect("chosen", None if chosen is None else (*chosen, 1, 1), CHOSEN)
        kernel_at = p.stretched.shape[1] + GAP
        full_at = kernel_at + p.gather_weights.shape[1] + GAP
        self.gather.show_blocks(
            [
                Block(p.stretched, 0, 0, "INPUT, 0s"),
                Block(p.gather_weights, 0, kernel_at, "W ↻"),
                Block(output, 0, full_at, "OUTPUT"),
            ],
            self.colormap,
            font_px=font,
        )
        reach = self.session.stage.stepper.geometry
        span = [d * (k - 1) + 1 for d, k in zip(reach.dilation, reach.kernel, strict=True)]
        rows, cols = (1, span[0]) if len(span) == 1 else span
        self.gather.mark_rect("window", (*p.gather_origin, rows, cols), CHOSEN)
        self.gather.mark_rect("kernel", (0, kernel_at, *p.gather_weights.shape), USES)
        cell = p.chosen_cell or (0, 0)
        self.gather.mark_rect("cell", (cell[0], cell[1] + full_at, 1, 1), CHOSEN, width=4)
        self.share_height(self.scatter, self.gather)
        lines = list(p.lines)
        lines[1] += " (click an OUTPUT cell to gather another)"
        self.set_words(lines, bold=0)
