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

MAX_SIDE_BY_SIDE = 4  # channels drawn side by side; more are shown one at a time


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
        self.title.setWordWrap(True)
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
        self.grid.resized.connect(self._on_grid_resized)
        self._tile = (0, 0)  # (rows, columns) from one channel's grid to the next
        self.channel_box.valueChanged.connect(self._on_channel_changed)
        box = self.grid.box
        self.ring = path_item(cosmetic_pen(PADDING, 1), hatch(PADDING, 170), 2)
        self.ring_dim = path_item(cosmetic_pen(PADDING, 0), QBrush(QColor(255, 255, 255, 110)), 1)
        self.unused = path_item(cosmetic_pen(UNUSED, 1), hatch(UNUSED, 200), 3)
        self.border = path_item(cosmetic_pen(QColor(40, 40, 40), 2), None, 4)
        self.window = outline(WINDOW, 5, 10)
        self.other_windows = path_item(cosmetic_pen(WINDOW, 5), None, 10)
        self.taps = path_item(cosmetic_pen(WINDOW, 2), QBrush(QColor(255, 140, 0, 40)), 9)
        self.chosen = outline(USES, 4, 11)
        for item in (
            self.ring_dim,
            self.ring,
            self.unused,
            self.border,
            self.window,
            self.other_windows,
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

    def shown_channels(self) -> list[int]:
        """The channels drawn: all of a 2-D input with up to four, else the chosen one."""
        s = self.session
        channels = s.x.shape[0]
        if s.nd == 2 and 1 < channels <= MAX_SIDE_BY_SIDE:
            return list(range(channels))
        return [self.channel]

    def tile_offset(self, channel: int) -> tuple[int, int]:
        """How far down and right channel ``channel``'s grid is drawn: channels stand side by
        side in a wide panel and one above the other in a tall one."""
        shown = self.shown_channels()
        i = shown.index(channel) if channel in shown else 0
        return i * self._tile[0], i * self._tile[1]

    def _stacked(self) -> bool:
        return self.grid.height() > self.grid.width()

    def _on_grid_resized(self) -> None:
        if len(self.shown_channels()) > 1 and (self._tile[0] > 0) != self._stacked():
            self.refresh()  # the panel's shape changed: lay the channels out the other way
        else:
            self.show_step()

    def refresh(self) -> None:
        """Redraw the cells, the padding rings and the unused cells from the session."""
        s = self.session
        self.channel = min(self.channel, s.x.shape[0] - 1)
        shown = self.shown_channels()
        with QSignalBlocker(self.channel_box):
            self.channel_box.setRange(1, s.x.shape[0])
            self.channel_box.setValue(self.channel + 1)
        self.channel_box.setVisible(len(shown) == 1 and s.x.shape[0] > 1)
        levels = value_range(s.x, "symmetric")
        rows, cols = as_plane(s.x[0]).shape
        if self._geometry_matches():
            g = s.stepper.geometry
            pads = ((0, 0), *g.pads) if g.nd == 1 else g.pads
            planes = [as_plane(s.stepper.padded[c]) for c in shown]
            origin = (-pads[0][0], -pads[1][0])
        else:
            g, planes, origin = None, [as_plane(s.x[c]) for c in shown], (0, 0)
        height, width = planes[0].shape
        stacked = len(planes) > 1 and self._stacked()
        self._tile = (height + 1, 0) if stacked else (0, width + 1)
        count = len(planes)
        values = np.full(
            (height + (count - 1) * self._tile[0], width + (count - 1) * self._tile[1]), np.nan
        )
        for i, plane in enumerate(planes):
            dr, dc = i * self._tile[0], i * self._tile[1]
            values[dr : dr + height, dc : dc + width] = plane
        self.grid.show_values(values, origin=origin, levels=levels, colormap=self.colormap)
        self.grid.editable_areas = [(*self.tile_offset(c), rows, cols) for c in shown]
        self.editing.indices = list(shown)
        ring, borders = QPainterPath(), QPainterPath()
        for channel in shown:
            dr, dc = self.tile_offset(channel)
            inner = cell_rect(dr, dc, rows, cols)
            outer = cell_rect(origin[0] + dr, origin[1] + dc, height, width)
            ring.addPath(ring_path(outer, inner))
            borders.addRect(inner)
        self.ring.setPath(ring)
        self.ring_dim.setPath(ring)
        self.border.setPath(borders)
        self._draw_unused(g, origin, (height, width), shown)
        many = s.x.shape[0] > 1
        if len(shown) > 1:
            order = "top to bottom" if stacked else "left to right"
            channels = f", channels 1–{len(shown)} {order}"
        else:
            channels = f", channel {self.channel + 1} of {s.x.shape[0]}" if many else ""
        padding = "" if g is None or not any(map(any, g.pads)) else " (hatched: padding)"
        size = size_text(s.x.shape[1:])
        name = f"Signal of {size} cells" if s.nd == 1 else f"Input {size}"
        self.title.setText(f"{name}{channels}{padding}")
        one_d = s.nd == 1
        self.plot.setVisible(one_d)
        self.grid.setMaximumHeight(140 if one_d else 16777215)
        if one_d:
            self.plot.show_signals(values, x0=origin[1])
        self.show_step()

    def _draw_unused(self, g, origin, shape, shown) -> None:
        path = QPainterPath()
        if g is not None:
            unused = (0, *g.unused) if g.nd == 1 else g.unused
            rows, cols = shape
            for channel in shown:
                dr, dc = self.tile_offset(channel)
                top, left = origin[0] + dr, origin[1] + dc
                if unused[0] > 0:
                    path.addRect(cell_rect(top + rows - unused[0], left, unused[0], cols))
                if unused[1] > 0:
                    path.addRect(cell_rect(top, left + cols - unused[1], rows, unused[1]))
        self.unused.setPath(path)
        self.unused.setToolTip("never reached by the window: the stride skips these cells")

    def show_step(self) -> None:
        """Move the window and its tap marks to the session's current step, on every channel
        the step's filter reads."""
        s = self.session
        if not self._geometry_matches():
            self.window.hide()
            self.other_windows.setPath(QPainterPath())
            self.taps.setPath(cells_path([]))
            return
        step = s.current
        shown = self.shown_channels()
        cells, others, main = [], QPainterPath(), None
        for channel in shown:
            taps = step.taps[step.taps[:, 0] == channel][:, 1:]
            if taps.size == 0:  # this channel is not in the filter's group
                continue
            if taps.shape[1] == 1:
                taps = np.column_stack([np.zeros(len(taps), dtype=int), taps])
            taps = taps + np.array(self.tile_offset(channel))
            cells.extend(map(tuple, taps))
            top, left = taps.min(axis=0)
            bottom, right = taps.max(axis=0)
            rect = cell_rect(top, left, bottom - top + 1, right - left + 1)
            if main is None:
                main = rect
            else:
                others.addRect(rect)
        self.taps.setPath(cells_path(cells, inset=0.12))
        self.other_windows.setPath(others)
        if main is None:
            self.window.hide()
            return
        self.window.setRect(main)
        self.window.show()
        if s.nd == 1:
            mine = step.taps[:, 0] == self.channel
            self.plot.show_window(step.taps[mine, 1], step.values[mine])
            follow_window(self.grid, int(main.left() + 0.5), int(main.width()))

    def _on_channel_changed(self, value: int) -> None:
        self.channel = value - 1
        self.refresh()

    def window_rect(self):
        """The window's outline in scene coordinates (for tests and the link to the output)."""
        return self.window.rect() if self.window.isVisible() else None

    # -- user intent ---------------------------------------------------------------------------
    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        place = self.editing._locate(row, col)
        if place is None:
            self.chosen.hide()
            self.cell_chosen.emit(self.channel, -1, -1)
            return
        channel, r, c = place
        self.chosen.setRect(cell_rect(row, col))
        self.chosen.show()
        self.cell_chosen.emit(channel, r, c)
