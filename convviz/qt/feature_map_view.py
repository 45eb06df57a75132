"""The feature map filling in: all filters side by side, the newest cell outlined."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..colormaps import value_range
from ..model import Session
from .grid_view import GridView, follow_window
from .overlays import USES, WINDOW, cell_rect, cells_path, cosmetic_pen, outline, path_item
from .signal_plot import SignalPlot


class FeatureMapView(QWidget):
    """Every filter's map in one grid, a one-cell gap between them; NaN cells stay empty.

    Colours span the finished map's range, so a cell keeps its colour as the map fills in.
    Clicking a computed or empty output cell asks the session to jump to its step.
    """

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.colormap = "diverging"
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.grid = GridView(editable=False)
        self.plot = SignalPlot("outputs")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.plot, 2)
        self.grid.resized.connect(self.show_step)
        self.current = outline(WINDOW, 5, 10)
        self.uses = path_item(cosmetic_pen(USES, 3), QBrush(QColor(0, 150, 70, 60)), 9)
        self.grid.box.addItem(self.current)
        self.grid.box.addItem(self.uses)
        self._levels = (-1.0, 1.0)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        session.data_changed.connect(self.refresh)
        session.step_changed.connect(self.show_step)
        self.refresh()

    def tiled(self, maps: np.ndarray) -> np.ndarray:
        """``(F, *O)`` maps in one 2-D array: 2-D maps side by side with a one-cell gap (NaN),
        1-D maps as one row per filter."""
        if maps.ndim == 2:
            return maps
        filters, rows, cols = maps.shape[0], *maps.shape[1:3]
        tiled = np.full((rows, filters * (cols + 1) - 1), np.nan)
        for f in range(filters):
            tiled[:, f * (cols + 1) : f * (cols + 1) + cols] = maps[f]
        return tiled

    def cell_of(self, filter_index: int, out_index) -> tuple[int, int]:
        """Where output cell ``out_index`` of ``filter_index`` is drawn."""
        if len(out_index) == 1:
            return filter_index, out_index[0]
        cols = self.session.stepper.geometry.out[1]
        return out_index[0], filter_index * (cols + 1) + out_index[1]

    def output_at(self, row: int, col: int):
        """The ``(filter, out_index)`` drawn at grid cell ``(row, col)``, or None for a gap."""
        g = self.session.stepper.geometry
        if g.nd == 1:
            if 0 <= row < g.filters and 0 <= col < g.out[0]:
                return row, (col,)
            return None
        rows, cols = g.out[:2]
        filter_index, c = divmod(col, cols + 1)
        if 0 <= row < rows and 0 <= c < cols and filter_index < g.filters:
            return filter_index, (row, c)
        return None

    def refresh(self) -> None:
        """New data: new colour range, new title, and the map as far as computed."""
        s = self.session
        self._levels = value_range(s.final_map(), "symmetric")
        g = s.stepper.geometry
        shape = "×".join(map(str, g.out))
        maps = f"{g.filters} maps of {shape}" if g.filters > 1 else shape
        stale = "  (last valid result: fix the parameters)" if s.problem else ""
        self.title.setText(f"Feature map {maps}{stale}")
        self.uses.setPath(cells_path([]))
        one_d = g.nd == 1
        self.plot.setVisible(one_d)
        self.grid.setMaximumHeight(40 + 60 * g.filters if one_d else 16777215)
        self.show_step()

    def show_step(self) -> None:
        """Draw the cells computed so far and outline the newest one."""
        s = self.session
        self.grid.show_values(
            self.tiled(s.feature_map()), levels=self._levels, colormap=self.colormap
        )
        step = s.current
        row, col = self.cell_of(step.filter, step.out_index)
        self.current.setRect(cell_rect(row, col))
        self.current.setVisible(s.revealed)
        if s.nd == 1:
            self.plot.show_signals(s.feature_map())
            shown = step.out_index if s.revealed else ()
            self.plot.show_window(
                np.array(shown), s.activated(np.array([step.output]))[: len(shown)]
            )
            follow_window(self.grid, col, 1)

    def current_rect(self):
        """The outline of the newest cell in scene coordinates, or None before the first step."""
        return self.current.rect() if self.current.isVisible() else None

    def highlight_outputs_using(self, channel: int, row: int, col: int) -> None:
        """Mark every output cell whose window reads input cell ``(row, col)`` of ``channel``."""
        s = self.session
        if row < 0 or s.problem:
            self.uses.setPath(cells_path([]))
            return
        coord = (col,) if s.nd == 1 else (row, col)
        mask = s.stepper.outputs_using(channel, coord)
        cells = [
            self.cell_of(int(idx[0]), tuple(int(v) for v in idx[1:])) for idx in np.argwhere(mask)
        ]
        self.uses.setPath(cells_path(cells))
        self.message.emit(f"Input cell ({row}, {col}) is used by {len(cells)} output cell(s)")

    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        found = self.output_at(row, col)
        if found is not None:
            self.session.jump_to(*found)
