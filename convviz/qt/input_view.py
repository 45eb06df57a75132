"""The input grid: the (padded) input, the window and its taps, and editing of the cells."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..colormaps import value_range
from ..engine import size_text
from ..model import Session
from .grid_editing import GridEditing
from .grid_view import GridView, follow_window
from .overlays import (
    PADDING,
    UNUSED,
    USES,
    WINDOW,
    cell_rect,
    cells_path,
    cosmetic_pen,
    hatch,
    outline,
    path_item,
    ring_path,
)
from .signal_plot import SignalPlot


def as_plane(array: np.ndarray) -> np.ndarray:
    """A 1-D signal as one row, a 2-D grid as it is."""
    return array[None] if array.ndim == 1 else array


class InputView(QWidget):
    """Shows channel ``channel`` of the session's input, padded, with the current window.

    Emits ``message`` with a short sentence for the status bar (a typo, a paste that failed)
    and ``cell_chosen`` when a cell is clicked (to highlight the outputs that use it).
    """

    message = Signal(str)
    cell_chosen = Signal(int, int, int)  # channel, row, column; row −1: none

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.channel = 0
        self.colormap = "diverging"
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.grid = GridView(editable=True)
        self.channel_box = QSpinBox()
        self.channel_box.setPrefix("channel ")
        self.channel_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.channel_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.grid, 1)
        self.plot = SignalPlot("signal (padding included)")
        layout.addWidget(self.plot, 2)
        self.grid.resized.connect(self.show_step)
        self.channel_box.valueChanged.connect(self._on_channel_changed)
        box = self.grid.box
        self.ring = path_item(cosmetic_pen(PADDING, 1), hatch(PADDING, 170), 2)
        self.ring_dim = path_item(cosmetic_pen(PADDING, 0), QBrush(QColor(255, 255, 255, 110)), 1)
        self.unused = path_item(cosmetic_pen(UNUSED, 1), hatch(UNUSED, 200), 3)
        self.border = outline(QColor(40, 40, 40), 2, 4)
        self.window = outline(WINDOW, 5, 10)
        self.taps = path_item(cosmetic_pen(WINDOW, 2), QBrush(QColor(255, 140, 0, 40)), 9)
        self.chosen = outline(USES, 4, 11)
        for item in (
            self.ring_dim,
            self.ring,
            self.unused,
            self.border,
            self.window,
            self.taps,
            self.chosen,
        ):
            box.addItem(item)
        self.editing = GridEditing(self.grid, session, "input")
        self.editing.message.connect(self.message)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        session.data_changed.connect(self.refresh)
        session.step_changed.connect(self.show_step)
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------
    def _geometry_matches(self) -> bool:
        return self.session.problem is None

    def refresh(self) -> None:
        """Redraw the cells, the padding ring and the unused cells from the session."""
        s = self.session
        self.channel = min(self.channel, s.x.shape[0] - 1)
        self.editing.index = self.channel
        with QSignalBlocker(self.channel_box):
            self.channel_box.setRange(1, s.x.shape[0])
            self.channel_box.setValue(self.channel + 1)
        self.channel_box.setVisible(s.x.shape[0] > 1)
        data = as_plane(s.x[self.channel])
        levels = value_range(s.x, "symmetric")
        rows, cols = data.shape
        if self._geometry_matches():
            g = s.stepper.geometry
            pads = ((0, 0), *g.pads) if g.nd == 1 else g.pads
            values = as_plane(s.stepper.padded[self.channel])
            origin = (-pads[0][0], -pads[1][0])
        else:
            g, pads, values, origin = None, ((0, 0), (0, 0)), data, (0, 0)
        self.grid.show_values(values, origin=origin, levels=levels, colormap=self.colormap)
        self.grid.editable_area = (0, 0, rows, cols)
        inner = cell_rect(0, 0, rows, cols)
        outer = cell_rect(origin[0], origin[1], values.shape[0], values.shape[1])
        self.ring.setPath(ring_path(outer, inner))
        self.ring_dim.setPath(ring_path(outer, inner))
        self.border.setRect(inner)
        self.border.show()
        self._draw_unused(g, origin, values.shape)
        channels = f", channel {self.channel + 1} of {s.x.shape[0]}" if s.x.shape[0] > 1 else ""
        padding = "" if g is None or not any(map(any, g.pads)) else " (hatched: padding)"
        name = (
            f"Signal of {s.x.shape[1]} cells" if s.nd == 1 else f"Input {size_text(s.x.shape[1:])}"
        )
        self.title.setText(f"{name}{channels}{padding}")
        one_d = s.nd == 1
        self.plot.setVisible(one_d)
        self.grid.setMaximumHeight(140 if one_d else 16777215)
        if one_d:
            self.plot.show_signals(values, x0=origin[1])
        self.show_step()

    def _draw_unused(self, g, origin, shape) -> None:
        path = QPainterPath()
        if g is not None:
            unused = (0, *g.unused) if g.nd == 1 else g.unused
            rows, cols = shape
            if unused[0] > 0:
                path.addRect(cell_rect(origin[0] + rows - unused[0], origin[1], unused[0], cols))
            if unused[1] > 0:
                path.addRect(cell_rect(origin[0], origin[1] + cols - unused[1], rows, unused[1]))
        self.unused.setPath(path)
        self.unused.setToolTip("never reached by the window: the stride skips these cells")

    def show_step(self) -> None:
        """Move the window and its tap marks to the session's current step."""
        s = self.session
        if not self._geometry_matches():
            self.window.hide()
            self.taps.setPath(cells_path([]))
            return
        step = s.current
        taps = step.taps[step.taps[:, 0] == self.channel][:, 1:]
        if taps.size == 0:  # this channel is not in the filter's group
            self.window.hide()
            self.taps.setPath(cells_path([]))
            return
        if taps.shape[1] == 1:
            taps = np.column_stack([np.zeros(len(taps), dtype=int), taps])
        top, left = taps.min(axis=0)
        bottom, right = taps.max(axis=0)
        self.window.setRect(cell_rect(top, left, bottom - top + 1, right - left + 1))
        self.window.show()
        self.taps.setPath(cells_path(map(tuple, taps), inset=0.12))
        if s.nd == 1:
            mine = step.taps[:, 0] == self.channel
            self.plot.show_window(step.taps[mine, 1], step.values[mine])
            follow_window(self.grid, left, right - left + 1)

    def _on_channel_changed(self, value: int) -> None:
        self.channel = value - 1
        self.refresh()

    def window_rect(self):
        """The window's outline in scene coordinates (for tests and the link to the output)."""
        return self.window.rect() if self.window.isVisible() else None

    # -- user intent ---------------------------------------------------------------------------
    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        rows, cols = as_plane(self.session.x[self.channel]).shape
        if 0 <= row < rows and 0 <= col < cols:
            self.chosen.setRect(cell_rect(row, col))
            self.chosen.show()
            self.cell_chosen.emit(self.channel, row, col)
        else:
            self.chosen.hide()
            self.cell_chosen.emit(self.channel, -1, -1)
