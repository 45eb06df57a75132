"""The input grid: the (padded) input, the window and its taps, and editing of the cells."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath
from PySide6.QtWidgets import QBoxLayout, QSpinBox, QVBoxLayout, QWidget

from ...colormaps import symmetric_range_after, value_range
from ...engine import size_text, source_index
from ...model import Session, fmt
from ...model.captions import cell_words
from ..session_view import SessionView
from ..widgets import themes
from ..widgets.grid_editing import GridEditing
from ..widgets.grid_painting import GridPainting, PaintTools
from ..widgets.grid_view import GridView, follow_window, keep_in_view
from ..widgets.overlays import (
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
from ..widgets.panel_title import panel_title
from ..widgets.scene_items import discard_items
from ..widgets.signal_plot import SignalPlot
from ..widgets.tiling import grid_label, tile_layout

MAX_SIDE_BY_SIDE = 4  # channels drawn side by side; more are shown one at a time


def as_plane(array: np.ndarray) -> np.ndarray:
    """A 1-D signal as one row, a 2-D grid as it is."""
    return array[None] if array.ndim == 1 else array


class InputView(SessionView, QWidget):
    """Shows channel ``channel`` of the session's input, padded, with the current window.

    Emits ``message`` with a short sentence for the status bar (a typo, a paste that failed).
    A click chooses a cell in the session's view state (the feature map lights up the outputs
    that use it); the colour map and the channel shown come from there too.
    """

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = panel_title()
        self.grid = GridView(editable=True)
        self.grid.explain_hidden_numbers()
        self.channel_box = QSpinBox()
        self.channel_box.setPrefix("channel ")
        self.channel_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.header = header = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.tools = PaintTools(session)
        header.addWidget(self.title, 1)
        header.addWidget(self.tools)
        header.addWidget(self.channel_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.grid, 1)
        self._plot: SignalPlot | None = None
        self._wide_numbers = False  # the input has decimals: tap boxes near the cell edges
        self.grid.resized.connect(self._on_grid_resized)
        self._tile = (1, 1, 1)  # rows and columns from one grid to the next, grids per row
        self._plane_shape = (0, 0)  # one grid's rows and columns, padding included
        self._gap = 1  # cells between rows of grids: room for their labels
        self._labelled = False  # room for the grids' labels (not among a photo's tiny cells)
        self.tile_labels: list = []  # the grids' labels (tiling.grid_label)
        self.channel_box.valueChanged.connect(self._on_channel_changed)
        box = self.grid.box
        self.ring = path_item(cosmetic_pen(PADDING, 1), hatch(PADDING, 170), 2)
        self.ring_dim = path_item(cosmetic_pen(PADDING, 0), QBrush(QColor(255, 255, 255, 110)), 1)
        self.unused = path_item(cosmetic_pen(UNUSED, 1), hatch(UNUSED, 200), 3)
        self.border = path_item(cosmetic_pen(QColor(40, 40, 40), 2), None, 4)
        # One window outline and one set of tap marks per grid drawn (channel or depth slice):
        # a step then repaints the few cells around each window, not the whole view.
        self.marks: list[tuple] = []
        self.winner = path_item(cosmetic_pen(WINDOW, 4), QBrush(QColor(255, 140, 0, 110)), 9)
        self.winner.setToolTip("the largest value in the window: what max pooling keeps")
        self.chosen = outline(USES, 4, 11)
        self.field = path_item(
            cosmetic_pen(USES, 3, Qt.PenStyle.DashLine), QBrush(QColor(0, 150, 70, 35)), 12
        )
        for item in (
            self.ring_dim,
            self.ring,
            self.unused,
            self.border,
            self.winner,
            self.chosen,
            self.field,
        ):
            box.addItem(item)
        self.editing = GridEditing(self.grid, session, "input")
        self.editing.message.connect(self.message)
        self.painting = GridPainting(self.grid, session, self.editing)
        self.painting.message.connect(self.message)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        self.grid.describe = self.describe_cell
        self.bind_session(session)
        self.refresh()

    @property
    def plot(self) -> SignalPlot:
        """The 1-D signal as a line plot under the grid (made when first needed: a 2-D input
        never shows it)."""
        if self._plot is None:
            self._plot = SignalPlot("signal (padding included)")
            self._plot.hide()
            self.layout().addWidget(self._plot, 2)
        return self._plot

    @property
    def channel(self) -> int:
        """The channel shown when channels are drawn one at a time (from the view state)."""
        return min(self.session.view.channel, self.x.shape[0] - 1)

    # -- drawing -------------------------------------------------------------------------------
    def _geometry_matches(self) -> bool:
        return self.session.picture_matches_input

    @property
    def x(self):
        """What the stepped layer reads: the input, or the output of the layer before."""
        s = self.session
        return s.document.x if s.stage_index == 0 else s.stage.x

    def shown_channels(self) -> list[int]:
        """The channels drawn: all of a 2-D input with up to four, else the chosen one."""
        s = self.session
        channels = self.x.shape[0]
        if s.nd == 2 and 1 < channels <= MAX_SIDE_BY_SIDE:
            return list(range(channels))
        return [self.channel]

    def tiles(self) -> list[tuple[int, int | None]]:
        """The grids drawn, as ``(channel, depth)``: a 3-D volume's padded depth slices of one
        channel (depth < 0 or ≥ size: a slice of padding), else one per shown channel."""
        s = self.session
        if s.nd != 3:
            return [(c, None) for c in self.shown_channels()]
        before, after = s.walk.geometry.pads[0] if self._geometry_matches() else (0, 0)
        return [(self.channel, d) for d in range(-before, self.x.shape[1] + after)]

    def _tile_index(self, channel: int, depth: int | None = None) -> int | None:
        keys = self.tiles()
        key = (channel, depth)
        return keys.index(key) if key in keys else None

    def tile_offset(self, channel: int, depth: int | None = None) -> tuple[int, int]:
        """How far down and right the grid of ``channel`` (and ``depth``) is drawn."""
        return self._offset_of(self._tile_index(channel, depth) or 0)

    def _offset_of(self, i: int) -> tuple[int, int]:
        """How far down and right the ``i``-th grid is drawn."""
        step_rows, step_cols, per_row = self._tile
        return i // per_row * step_rows, i % per_row * step_cols

    def _grids_per_row(self, count: int, height: int, width: int) -> tuple[int, int]:
        """How many grids to put side by side so that the cells come out largest, and how
        many cells tall the gaps between rows of grids are: room for each grid's label
        ("channel 2", "depth −1") over it, as the maps have."""
        area = (self.grid.width(), self.grid.height())
        return tile_layout(count, height, width, area, labelled=count > 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_tools()

    def _place_tools(self) -> None:
        """The painting tools beside the title when the title keeps to its two lines at its
        size there, else under it (output-padding's long title had shrunk to half size on
        three lines beside them in presentation mode)."""
        tools = self.tools.sizeHint().width()
        room = self.width() - tools - max(self.header.spacing(), 6) - 8
        wide = room >= 240 and self.title.fits_at(room)
        self.header.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self.tools.setMinimumWidth(1 if wide else tools)

    def _on_grid_resized(self) -> None:
        tiles = len(self.tiles())
        height, width = self._plane_shape
        if tiles > 1 and self._grids_per_row(tiles, height, width) != (self._tile[2], self._gap):
            self.refresh()  # the panel's shape changed: lay the grids out again
        else:
            self.show_step()

    def _plane(self, channel: int, depth: int | None) -> np.ndarray:
        s = self.session
        if not self._geometry_matches():
            data = self.x[channel]
            return as_plane(data if depth is None else data[depth])
        padded = s.walk.padded[channel]
        if depth is None:
            return as_plane(padded)
        return padded[depth + s.walk.geometry.pads[0][0]]

    def refresh(self) -> None:
        """Redraw the cells, the padding rings and the unused cells from the session."""
        s = self.session
        x = self.x
        tiles = self.tiles()
        with QSignalBlocker(self.channel_box):
            self.channel_box.setRange(1, x.shape[0])
            self.channel_box.setValue(self.channel + 1)
        self.channel_box.setVisible(len(self.shown_channels()) == 1 and x.shape[0] > 1)
        levels = value_range(x, "symmetric")
        self._levels, self._drawn = levels, s.document
        # Numbers with decimals (0.39) fill their cells: the tap boxes then sit near the
        # cell's edge, or they would cut through the digits. A photo is too big to check.
        self._wide_numbers = s.nd == 1 or x.size > 65536 or not np.all(np.mod(x, 1) == 0)
        rows, cols = as_plane(x[0] if s.nd < 3 else x[0, 0]).shape
        g = s.walk.geometry if self._geometry_matches() else None
        if g is not None:
            pads = ((0, 0), *g.pads) if g.nd == 1 else g.pads[-2:]
            origin = (-pads[0][0], -pads[1][0])
        else:
            origin = (0, 0)
        planes = [self._plane(c, d) for c, d in tiles]
        height, width = planes[0].shape
        count = len(planes)
        per_row, labelled_gap = self._grids_per_row(count, height, width)
        self._labelled = labelled_gap > 0
        gap = max(labelled_gap, 1)
        self._tile, self._plane_shape, self._gap = (
            (height + gap, width + 1, per_row),
            (height, width),
            gap,
        )
        grid_rows = -(-count // per_row)
        values = np.full(
            (grid_rows * (height + gap) - gap, min(count, per_row) * (width + 1) - 1), np.nan
        )
        for i, plane in enumerate(planes):
            dr, dc = i // per_row * (height + gap), i % per_row * (width + 1)
            values[dr : dr + height, dc : dc + width] = plane
        stacked = per_row == 1
        self.grid.show_values(values, origin=origin, levels=levels, colormap=self.colormap)
        self._label_tiles(tiles, origin, width)
        self.grid.editable = s.stage_index == 0  # a deeper layer's input is computed, not typed
        self.tools.setVisible(s.nd == 2)  # a brush for pictures, not for signals or volumes
        self.tools.setEnabled(self.grid.editable)
        self.painting.update_mode()
        depth = x.shape[1] if s.nd == 3 else 1
        real = [(c, d) for c, d in tiles if d is None or 0 <= d < depth]
        self.grid.editable_areas = [(*self.tile_offset(c, d), rows, cols) for c, d in real]
        self.editing.indices = [c if d is None else (c, d) for c, d in real]
        ring, borders = QPainterPath(), QPainterPath()
        for c, d in tiles:
            dr, dc = self.tile_offset(c, d)
            outer = cell_rect(origin[0] + dr, origin[1] + dc, height, width)
            if (c, d) in real:
                inner = cell_rect(dr, dc, rows, cols)
                ring.addPath(ring_path(outer, inner))
                borders.addRect(inner)
            else:  # a whole slice of depth padding
                ring.addRect(outer)
        self.ring.setPath(ring)
        self.ring_dim.setPath(ring)
        self.border.setPath(borders)
        self._draw_unused(g, origin, (height, width), tiles)
        self.title.setText(self._title(g, len(tiles), stacked))
        self._place_tools()
        self._draw_chosen_cell()
        self._draw_receptive_field()
        one_d = s.nd == 1
        if one_d or self._plot is not None:
            self.plot.setVisible(one_d)
        self.grid.setMaximumHeight(140 if one_d else 16777215)
        if one_d:
            self.plot.show_signals(values, x0=origin[1])
        self.show_step()

    def _label_tiles(self, tiles, origin, width: int) -> None:
        """``channel 2`` or ``depth −1`` over each grid when there are several (a volume's
        padding slices too), so that they match the computation's titles."""
        discard_items(self.grid.box, self.tile_labels)
        self.tile_labels = []
        several = len(tiles) > 1 and self._labelled
        if several:
            for channel, depth in tiles:
                words = f"channel {channel + 1}" if depth is None else f"depth {fmt(depth)}"
                dr, dc = self.tile_offset(channel, depth)
                label = grid_label(words, themes.current().label)
                label.setPos(origin[1] + dc + width / 2 - 0.5, origin[0] + dr - 0.5)
                self.grid.box.addItem(label)
                self.tile_labels.append(label)
        headroom = float(self._gap) if several else 0.0
        if headroom != self.grid.headroom:  # a refresh keeps the user's zoom otherwise
            self.grid.headroom = headroom
            self.grid.fit()

    def describe_cell(self, row: int, col: int) -> str | None:
        """``channel 2, row 3, column 0: 0.5``; for padding, what the padding mode put there
        (``padding (reflect): a copy of row 1, column 0``)."""
        s = self.session
        height, width = self._plane_shape
        g = s.walk.geometry if self._geometry_matches() else None
        top, left = -self.grid.origin[0], -self.grid.origin[1]  # padding above and to the left
        for channel, depth in self.tiles():
            dr, dc = self.tile_offset(channel, depth)
            r, c = row - dr, col - dc
            if not (-top <= r < height - top and -left <= c < width - left):
                continue
            value = self.grid.values[row - self.grid.origin[0], col - self.grid.origin[1]]
            coord = [r, c] if s.nd > 1 else [c]
            if depth is not None:
                coord = [depth, *coord]
            where = cell_words(coord)
            channel_words = f"channel {channel + 1}, " if self.x.shape[0] > 1 else ""
            size = self.x.shape[1:]
            inside = all(0 <= v < n for v, n in zip(coord, size, strict=True))
            if inside:
                return f"{channel_words}{where}: {fmt(value)}"
            mode = getattr(g, "padding_mode", "zeros")  # a pooling pads with a constant
            if s.stage.kind == "max":
                return f"{channel_words}{where}: padding, −∞ for max pooling (it never wins)"
            if mode == "zeros":
                return f"{channel_words}{where}: padding (zeros), 0"
            sources = [
                int(source_index(n, b, a, mode)[v + b])
                for v, n, (b, a) in zip(coord, size, g.pads, strict=True)
            ]
            copied = cell_words(sources)
            return f"{channel_words}{where}: padding ({mode}), {fmt(value)}: a copy of {copied}"
        return None

    def _title(self, g, tiles: int, stacked: bool) -> str:
        s = self.session
        x = self.x
        size = size_text(x.shape[1:])
        name = {1: f"Signal of {size} cells", 2: f"Input {size}", 3: f"Volume {size}"}[s.nd]
        if s.stage_index > 0:
            source = s.stage.number - 1
            name = f"Layer {source}'s output, {x.shape[0]} × {size}: what layer {source + 1} reads"
        order = (
            "top to bottom"
            if stacked
            else "left to right"
            if tiles <= self._tile[2]
            else "in reading order"
        )
        many = x.shape[0] > 1
        if s.nd == 3:
            parts = [f"depth slices {order}"]
            if many:
                parts.append(f"channel {self.channel + 1} of {x.shape[0]}")
        elif tiles > 1:
            parts = [f"channels 1–{tiles} {order}"]
        else:
            parts = [f"channel {self.channel + 1} of {x.shape[0]}"] if many else []
        if g is not None and any(map(any, g.pads)):
            never = s.stage.kind == "max"
            parts.append("hatched: padding, −∞ so it never wins" if never else "hatched: padding")
        if g is not None and any(g.unused):
            parts.append("red hatching: cells the stride never reaches")
        return name + (f" ({'; '.join(parts)})" if parts else "")

    def _draw_unused(self, g, origin, shape, tiles) -> None:
        path = QPainterPath()
        if g is not None:
            unused = (0, *g.unused) if g.nd == 1 else g.unused[-2:]
            rows, cols = shape
            for c, d in tiles:
                dr, dc = self.tile_offset(c, d)
                top, left = origin[0] + dr, origin[1] + dc
                if unused[0] > 0:
                    path.addRect(cell_rect(top + rows - unused[0], left, unused[0], cols))
                if unused[1] > 0:
                    path.addRect(cell_rect(top, left + cols - unused[1], rows, unused[1]))
        self.unused.setPath(path)
        self.unused.setToolTip("never reached by the window: the stride skips these cells")

    def show_step(self) -> None:
        """Move the window and its tap marks to the session's current step, on every grid
        (channel or depth slice) the window covers."""
        s = self.session
        self.winner.setPath(QPainterPath())
        if not self._geometry_matches() or s.learning:  # descent steps slide no window
            for window, taps in self.marks:
                window.hide()
                taps.hide()
            if self._plot is not None:
                self._plot.show_window(None)
            return
        step = s.current
        taps = step.taps
        if s.nd == 1:
            taps = np.column_stack([taps[:, :1], np.zeros(len(taps), dtype=int), taps[:, 1:]])
        groups: dict = {}
        for tap in taps:
            key = (int(tap[0]), int(tap[1])) if s.nd == 3 else (int(tap[0]), None)
            groups.setdefault(key, []).append(tap[-2:])
        tiles = self.tiles()
        if groups and not any(key in groups for key in tiles):
            # The window reads a channel not drawn (a pooling or a depthwise filter on one of
            # many channels): show that channel (the view state's change redraws this view).
            s.view.set(channel=next(iter(groups))[0])
            return
        if s.stage.kind == "max" and s.playhead.revealed:
            self._mark_winner(taps[step.weights > 0], tiles)
        main = None
        for i, key in enumerate(tiles):
            window, marks = self._marks_for(i)
            if key not in groups:
                window.hide()
                marks.hide()
                continue
            where = np.array(groups[key]) + np.array(self.tile_offset(*key))
            top, left = where.min(axis=0)
            bottom, right = where.max(axis=0)
            rect = cell_rect(top, left, bottom - top + 1, right - left + 1)
            window.setRect(rect)
            window.show()
            inset = 0.04 if self._wide_numbers else 0.12
            marks.setPath(cells_path(map(tuple, where), inset=inset))
            marks.show()
            main = rect if main is None else main
        for window, marks in self.marks[len(tiles) :]:
            window.hide()
            marks.hide()
        if main is None:
            return
        if s.nd > 1:
            keep_in_view(self.grid, main)  # zoomed in: the view follows the window
        if s.nd == 1:
            mine = step.taps[:, 0] == self.channel
            self.plot.show_window(step.taps[mine, 1], step.values[mine])
            follow_window(self.grid, int(main.left() + 0.5), int(main.width()))

    def _marks_for(self, i: int) -> tuple:
        """The window outline and the tap marks of grid ``i`` (made when first needed)."""
        while len(self.marks) <= i:
            window = outline(WINDOW, 5, 10)
            taps = path_item(cosmetic_pen(WINDOW, 2), QBrush(QColor(255, 140, 0, 40)), 9)
            self.grid.box.addItem(window)
            self.grid.box.addItem(taps)
            self.marks.append((window, taps))
        return self.marks[i]

    def window_rects(self) -> list:
        """The window's outline on every grid it is drawn on (scene rectangles)."""
        return [window.rect() for window, _ in self.marks if window.isVisible()]

    def _mark_winner(self, taps: np.ndarray, tiles) -> None:
        """Fill the cell max pooling keeps (``taps``: channel, [depth,] row, column)."""
        cells = []
        for tap in taps:
            key = (int(tap[0]), int(tap[1])) if self.session.nd == 3 else (int(tap[0]), None)
            if key in tiles:
                cells.append(tuple(np.array(tap[-2:]) + np.array(self.tile_offset(*key))))
        self.winner.setPath(cells_path(cells, inset=0.06))

    def _draw_receptive_field(self) -> None:
        """Outline the input cells a deeper layer's cell depends on (the view state's
        ``receptive_field``: one ``(first, last)`` per axis) on every grid shown."""
        ranges = self.session.view.receptive_field
        path = QPainterPath()
        if ranges is not None:
            (r0, r1), (c0, c1) = ((0, 0), *ranges) if len(ranges) == 1 else ranges[-2:]
            depths = range(ranges[0][0], ranges[0][1] + 1) if len(ranges) == 3 else None
            for channel, depth in self.tiles():
                if depths is not None and depth not in depths:
                    continue
                dr, dc = self.tile_offset(channel, depth)
                path.addRect(cell_rect(r0 + dr, c0 + dc, r1 - r0 + 1, c1 - c0 + 1))
        self.field.setPath(path)

    def _on_channel_changed(self, value: int) -> None:
        self.session.view.set(channel=value - 1)

    def _on_model_document_changed(self) -> None:
        if not self._draw_changed_cells():
            self.refresh()

    def _draw_changed_cells(self) -> bool:
        """After a few typed cells of a picture: write them into the grid and colour them on
        the patch (a photo's four million cells are not drawn again); False when more changed
        (then ``refresh`` draws everything)."""
        s = self.session
        change = s.pipeline.cell_change
        drawn = getattr(self, "_drawn", None)
        if change is None or drawn is None or not change.came_from(drawn):
            return False
        if s.stage_index != 0 or s.nd != 2 or not self._geometry_matches():
            return False
        (r0, r1), (c0, c1) = change.box
        x, old = s.document.x, drawn.x
        block, old_block = x[:, r0:r1, c0:c1], old[:, r0:r1, c0:c1]
        levels = symmetric_range_after(self._levels, old_block, block)
        if levels is None:  # an extreme cell became smaller: the range takes every cell
            levels = value_range(x, "symmetric")
        values, (o_r, o_c) = self.grid.values, self.grid.origin
        for channel, depth in self.tiles():
            dr, dc = self.tile_offset(channel, depth)
            values[dr + r0 - o_r : dr + r1 - o_r, dc + c0 - o_c : dc + c1 - o_c] = x[
                channel, r0:r1, c0:c1
            ]
        if tuple(levels) != tuple(self._levels):  # the colours spread over the new range
            self._levels = levels
            self.grid.set_levels(levels)
        offsets = [self.tile_offset(channel, depth) for channel, depth in self.tiles()]
        tops, lefts = [dr for dr, _ in offsets], [dc for _, dc in offsets]
        self.grid.redraw_cells(  # one patch over every channel's changed cells
            min(tops) + r0, min(lefts) + c0, max(tops) + r1, max(lefts) + c1
        )
        self._drawn = s.document
        return True

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:
            self.refresh()
        else:
            self.show_step()

    def _on_model_view_changed(self, name: str) -> None:
        if name in ("colormap", "channel", "theme"):  # theme: the grids' labels
            self.refresh()
        elif name == "lens":
            self.show_step()  # the learn lens's descent steps slide no window
        elif name == "chosen_cell":
            self._draw_chosen_cell()
        elif name == "receptive_field":
            self._draw_receptive_field()
        elif name == "presentation":
            self.grid.labels.scale_factor = 1.25 if self.session.view.presentation else 1.0
            self.grid.labels.update()

    def _draw_chosen_cell(self) -> None:
        """Outline the cell chosen in the view state, if it is drawn."""
        chosen = self.session.view.chosen_cell
        if chosen is None:
            self.chosen.hide()
            return
        channel, coord = chosen
        depth = coord[0] if len(coord) == 3 else None
        if (channel, depth) not in self.tiles():
            self.chosen.hide()
            return
        dr, dc = self.tile_offset(channel, depth)
        r, c = (0, coord[0]) if len(coord) == 1 else coord[-2:]
        self.chosen.setRect(cell_rect(r + dr, c + dc))
        self.chosen.show()

    def band_above_row(self, rect) -> tuple[float, float, float] | None:
        """The band over the row of grids that holds ``rect`` (the window's outline), when
        another grid stands right of it in that row: its top and the row's top (scene y),
        and the height in pixels of the grids' labels at its foot (0: none). The link to the
        computation leaves through it, not along the next grid's cells (it had read as if
        channel 2 fed channel 1's computation)."""
        per_row = self._tile[2]
        tiles = self.tiles()
        if rect is None or per_row < 2 or len(tiles) < 2:
            return None
        height, width = self._plane_shape
        r0, c0 = self.grid.origin
        centre = rect.center()
        for i in range(len(tiles)):
            dr, dc = self._offset_of(i)
            top, left = r0 + dr - 0.5, c0 + dc - 0.5
            if top <= centre.y() <= top + height and left <= centre.x() <= left + width:
                if not (i % per_row < per_row - 1 and i + 1 < len(tiles)):
                    return None  # nothing beside it: the link leaves at the window's corner
                above = self._gap if i >= per_row else self.grid.headroom
                label = self.tile_labels[i].boundingRect().height() if self.tile_labels else 0.0
                return top - above, top, label
        return None

    def window_rect(self):
        """The window's outline in scene coordinates (for tests and the link to the output)."""
        rects = self.window_rects()
        return rects[0] if rects else None

    # -- user intent ---------------------------------------------------------------------------
    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        place = self.editing.locate(row, col)
        if place is None:
            self.session.view.set(chosen_cell=None)
            return
        index, r, c = place
        channel, depth = index if isinstance(index, tuple) else (index, None)
        coord = (c,) if self.session.nd == 1 else (r, c) if depth is None else (depth, r, c)
        self.session.view.set(chosen_cell=(channel, coord))
