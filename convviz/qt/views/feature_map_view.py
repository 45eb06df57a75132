"""The feature map filling in: all filters side by side, the newest cell outlined."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...colormaps import symmetric_range_after, value_range
from ...engine.incremental import outputs_reading
from ...model import Session, fmt
from ...model.captions import cell_words
from ..session_view import SessionView
from ..widgets import themes
from ..widgets.colour_bar import ColourBar
from ..widgets.grid_view import GridView, follow_window, keep_in_view
from ..widgets.overlays import (
    USES,
    WINDOW,
    ScreenText,
    cell_rect,
    cells_path,
    cosmetic_pen,
    outline,
    path_item,
)
from ..widgets.panel_title import panel_title
from ..widgets.scene_items import discard_items
from ..widgets.signal_plot import SignalPlot
from ..widgets.tiling import grid_label, tile_layout

IN_PLACE_CELLS = 64  # a step that changes more cells than this draws the whole map again


class FeatureMapView(SessionView, QWidget):
    """Every filter's map in one grid, a one-cell gap between them; NaN cells stay empty.

    Colours span the finished map's range, so a cell keeps its colour as the map fills in.
    Clicking a computed or empty output cell asks the session to jump to its step.
    """

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = panel_title()
        self.grid = GridView(editable=False)
        self.grid.explain_hidden_numbers()
        self._plot: SignalPlot | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        self.colour_bar = ColourBar()
        self.colour_bar.set_font_px(13)
        layout.addWidget(self.colour_bar)
        self._per_row = 1  # maps (or depth slices) side by side
        self._gap = 1  # cells between rows of maps: room for their labels
        self._layout = (1, 1)  # maps per row, and the label gap (0: no room for labels)
        self.grid.resized.connect(self._on_grid_resized)
        self.current = outline(WINDOW, 5, 10)
        # The cell a class is predicting: a "?" where its number will appear.
        mark_font = QFont("DejaVu Sans", 18, QFont.Weight.Bold)
        self.predicted = ScreenText("?", WINDOW, (0.5, 0.5), mark_font)
        self.predicted.setZValue(11)
        self.predicted.hide()
        self.grid.box.addItem(self.predicted)
        self.map_labels: list[ScreenText] = []
        self.uses = path_item(cosmetic_pen(USES, 3), QBrush(QColor(0, 150, 70, 60)), 9)
        self.grid.box.addItem(self.current)
        self.grid.box.addItem(self.uses)
        self.borders = path_item(cosmetic_pen(QColor(110, 110, 110), 1), None, 4)
        self.grid.box.addItem(self.borders)
        self._levels = (-1.0, 1.0)
        self._output_range = (0.0, 1.0)
        # What the grid shows: (stage, cells computed, colour map, levels), so that a step can
        # write the cells it changed instead of drawing the whole map again.
        self._shown: tuple | None = None
        self._learning = False  # drawn the learned kernel's maps (the learn lens steps descent)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        self.grid.describe = self.describe_cell
        self.bind_session(session)
        self.refresh()

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed or self.session.learning:  # a descent step changes every cell
            self.refresh()
        else:
            self.show_step()

    def _on_model_document_changed(self) -> None:
        if not self._draw_changed_outputs():
            self.refresh()

    def _draw_changed_outputs(self) -> bool:
        """After a few typed input cells of a picture: write again only the outputs whose
        windows read them (those computed so far) and colour them on the patch; False when
        more changed (then ``refresh`` draws everything)."""
        s = self.session
        change = s.pipeline.cell_change
        drawn = self._shown[0] if self._shown is not None else None
        if change is None or drawn is None or s.stage_index != 0 or s.nd != 2 or s.learning:
            return False
        if drawn.index != 0 or drawn.final.shape != s.stage.final.shape:
            return False
        if not change.came_from(self._drawn) or s.playhead.position != self._shown[1]:
            return False
        reach = outputs_reading(s.walk.geometry, change.box)
        if reach is None:
            return False
        (lo_r, hi_r), (lo_c, hi_c) = reach
        final = s.stage.final
        block = final[:, lo_r:hi_r, lo_c:hi_c]
        levels = symmetric_range_after(self._levels, drawn.final[:, lo_r:hi_r, lo_c:hi_c], block)
        if levels is None:  # an extreme output became smaller: the range takes every output
            levels = value_range(final, "symmetric")
        filters, rows, cols = final.shape
        index = (
            np.arange(filters)[:, None, None] * rows * cols
            + np.arange(lo_r, hi_r)[None, :, None] * cols
            + np.arange(lo_c, hi_c)[None, None, :]
        )  # each cell's step: the cells computed so far are shown
        shown = np.where(index < s.playhead.position, block, np.nan)
        values, (r0, c0) = self.grid.values, self.grid.origin
        places = [self.cell_of(f, (lo_r, lo_c)) for f in range(filters)]
        for f, (top, left) in enumerate(places):
            values[top - r0 : top - r0 + hi_r - lo_r, left - c0 : left - c0 + hi_c - lo_c] = shown[
                f
            ]
        if tuple(levels) != tuple(self._levels):  # the colours spread over the new range
            self._levels = levels
            self.colour_bar.set_range(*levels, self.colormap)
            self.grid.set_levels(levels)
        tops, lefts = [top for top, _ in places], [left for _, left in places]
        self.grid.redraw_cells(  # one patch over every map's changed outputs
            min(tops), min(lefts), max(tops) + hi_r - lo_r, max(lefts) + hi_c - lo_c
        )
        self._shown = (s.stage, self._shown[1], self.colormap, self._levels)
        self._drawn = s.document
        return True

    def _on_model_view_changed(self, name: str) -> None:
        if name == "colormap":
            self.show_step()
            self.colour_bar.set_range(*self._levels, self.colormap)
        elif name == "chosen_cell":
            self._draw_outputs_using(announce=True)
        elif name == "theme" or (name == "lens" and self.session.learning != self._learning):
            self.refresh()  # the map's labels and the patch take the theme's colours
        elif name == "presentation":
            self.grid.labels.scale_factor = 1.25 if self.session.view.presentation else 1.0
            self.grid.labels.update()
            self.colour_bar.set_font_px(20 if self.session.view.presentation else 13)

    @property
    def plot(self) -> SignalPlot:
        """A 1-D map's outputs as a line plot under the grid (made when first needed: a 2-D map
        never shows it)."""
        if self._plot is None:
            self._plot = SignalPlot("outputs")
            self._plot.hide()
            self.layout().addWidget(self._plot, 2)
        return self._plot

    def tiled(self, maps: np.ndarray) -> np.ndarray:
        """``(F, *O)`` maps in one 2-D array, NaN in the one-cell gaps: 2-D maps side by side,
        1-D maps one row per filter, 3-D maps one row of depth slices per filter."""
        if maps.ndim == 2:
            return maps
        if maps.ndim == 3:
            maps = maps[:, None]
        filters, depth, rows, cols = maps.shape
        per_row = self._per_row
        count = filters * depth
        grid_rows = -(-count // per_row)
        gap = self._gap
        tiled = np.full(
            (grid_rows * (rows + gap) - gap, min(count, per_row) * (cols + 1) - 1), np.nan
        )
        for f in range(filters):
            for d in range(depth):
                top, left = self._tile_corner(f * depth + d, rows, cols)
                tiled[top : top + rows, left : left + cols] = maps[f, d]
        return tiled

    def _tile_corner(self, i: int, rows: int, cols: int) -> tuple[int, int]:
        return i // self._per_row * (rows + self._gap), i % self._per_row * (cols + 1)

    def _best_per_row(self) -> tuple[int, int]:
        """How many maps (or depth slices) to put side by side so that the cells come out
        largest (digits' four 16×16 maps in one row of a squarish panel had 5 px cells where
        two rows of two have twice that), and how many cells tall the gaps between rows are:
        enough for a map's label over it (one cell had put "filter 3" over the map above)."""
        g = self.session.walk.geometry
        if g.nd == 1:
            return 1, 1
        count = g.filters * (g.out[0] if g.nd == 3 else 1)
        area = (self.grid.width(), self.grid.height())
        return tile_layout(count, *g.out[-2:], area, self._labelled())

    def _labelled(self) -> bool:
        """Whether the maps carry labels (several filters, or a volume's depth slices)."""
        g = self.session.walk.geometry
        return not (g.nd == 1 or (g.filters == 1 and g.nd == 2))

    def cell_of(self, filter_index: int, out_index) -> tuple[int, int]:
        """Where output cell ``out_index`` of ``filter_index`` is drawn."""
        out = self.session.walk.geometry.out
        if len(out_index) == 1:
            return filter_index, out_index[0]
        if len(out_index) == 2:
            top, left = self._tile_corner(filter_index, out[0], out[1])
            return top + out_index[0], left + out_index[1]
        d, r, c = out_index
        top, left = self._tile_corner(filter_index * out[0] + d, out[1], out[2])
        return top + r, left + c

    def describe_cell(self, row: int, col: int) -> str | None:
        """``filter 2, row 3, column 0: 0.5`` (or ``not computed yet``; click to jump there)."""
        found = self.output_at(row, col)
        if found is None:
            return None
        filter_index, out_index = found
        s = self.session
        where = cell_words(out_index)
        unit = "filter" if s.stage.kind == "conv" else "channel"
        which = f"{unit} {filter_index + 1}, " if s.walk.geometry.filters > 1 else ""
        if self._learning:
            value = float(s.shown_map()[(filter_index, *out_index)])
            return f"{which}{where}: {fmt(value)} (the kernel learned so far)"
        step = s.walk.index_of(filter_index, out_index)
        if step >= s.playhead.position:
            return f"{which}{where}: not computed yet (step {step + 1}; click to jump there)"
        value = float(s.final_map()[(filter_index, *out_index)])  # not learning, here
        return f"{which}{where}: {fmt(value)} (step {step + 1})"

    def output_at(self, row: int, col: int):
        """The ``(filter, out_index)`` drawn at grid cell ``(row, col)``, or None for a gap."""
        g = self.session.walk.geometry
        if g.nd == 1:
            if 0 <= row < g.filters and 0 <= col < g.out[0]:
                return row, (col,)
            return None
        depth, rows, cols = g.out if g.nd == 3 else (1, *g.out)
        if min(row, col) < 0:
            return None
        grid_row, r = divmod(row, rows + self._gap)
        grid_col, c = divmod(col, cols + 1)
        i = grid_row * self._per_row + grid_col
        if r < rows and c < cols and grid_col < self._per_row and i < g.filters * depth:
            return i // depth, ((i % depth, r, c) if g.nd == 3 else (r, c))
        return None

    def _on_grid_resized(self) -> None:
        if self._best_per_row() != self._layout:
            self.refresh()  # lay the depth slices out again for the new shape
        else:
            self.show_step()

    def refresh(self) -> None:
        """New data: new colour range, new title, and the map as far as computed."""
        layout = self._best_per_row()
        if layout != self._layout:
            self._layout = layout
            self._per_row, self._gap = layout[0], max(layout[1], 1)  # gap 0: no labels
            self._shown = None  # laid out anew: every cell moves
        s = self.session
        self._drawn = s.document
        final = self.session.shown_map()
        self._levels = value_range(final, "symmetric")
        self.colour_bar.set_range(*self._levels, self.colormap)
        finite = final[np.isfinite(final)]  # the 1-D plot's axis: the whole output, once
        self._output_range = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        g = s.walk.geometry
        shape = "×".join(map(str, g.out))
        maps = f"{g.filters} maps of {shape}" if g.filters > 1 else shape
        if g.nd == 1 and g.filters == 1:
            maps = f"of {shape} cells"
        elif g.nd == 1:  # one strip per map, no room beside them for labels
            maps += f" (filter 1 at the top, {g.filters} at the bottom)"
        stale = ""
        if s.problem:
            stale = "  (last valid result: fix the parameters)"
        elif s.stage_problem:
            stale = "  (last result that could be computed: a layer no longer fits, see Layers)"
        name = "Feature map" if g.filters == 1 else "Feature maps:"  # "Feature maps: 2 maps of 3×3"
        if s.document.layers:
            name = f"Output of {s.stage.title} —"
        self._learning = s.learning
        if self._learning:
            k = s.playhead.position
            name = f"{name.rstrip(':')} after {k} descent step{'s' if k != 1 else ''}:"
        self.title.setText(f"{name} {maps}{stale}")
        self._draw_outputs_using(announce=False)
        blocks = self._map_blocks()
        borders = QPainterPath()
        for block in blocks:
            borders.addRect(cell_rect(*block))
        self.borders.setPath(borders)  # so that empty maps show their extent
        self.grid.mark_to_come(blocks)  # cells not computed yet: grey, not the background
        self._label_maps()
        one_d = g.nd == 1
        if one_d or self._plot is not None:
            self.plot.setVisible(one_d)
        self.grid.setMaximumHeight(40 + 60 * g.filters if one_d else 16777215)
        self.show_step()

    def _label_maps(self) -> None:
        """``filter 1``, ``filter 2``… over each map drawn, and a volume's ``depth d``: filters
        are counted from 1, positions (depth, row, column) indexed from 0 as in the captions."""
        discard_items(self.grid.box, self.map_labels)
        self.map_labels = []
        g = self.session.walk.geometry
        unit = "filter" if self.session.stage.kind == "conv" else "channel"
        if not self._labelled() or self._layout[1] == 0:  # 0: cells too small for labels
            self.grid.headroom = 0.0
            return
        cols = g.out[-1]
        for f in range(g.filters):
            for d in range(g.out[0] if g.nd == 3 else 1):
                top, left = self.cell_of(f, (d, 0, 0) if g.nd == 3 else (0, 0))
                words = [f"{unit} {f + 1}"] if g.filters > 1 else []
                words += [f"depth {d}"] if g.nd == 3 else []  # a position, as captions say
                label = grid_label(", ".join(words), themes.current().label)
                label.setPos(left + cols / 2 - 0.5, top - 0.5)
                self.grid.box.addItem(label)
                self.map_labels.append(label)
        self.grid.headroom = float(self._gap)
        self.grid.fit()

    def _map_blocks(self) -> list[tuple[int, int, int, int]]:
        """Every map's (and depth slice's) cells on the grid: ``(row, col, rows, cols)``."""
        g = self.session.walk.geometry
        if g.nd == 1:
            return [(0, 0, g.filters, g.out[0])]
        rows, cols = g.out[-2:]
        blocks = []
        for f in range(g.filters):
            for d in range(g.out[0] if g.nd == 3 else 1):
                index = (d, 0, 0) if g.nd == 3 else (0, 0)
                blocks.append((*self.cell_of(f, index), rows, cols))
        return blocks

    def _write_changed_cells(self) -> bool:
        """Write only the cells a step computed or took back into the grid shown; False when
        more changed than a step changes (then the whole map is drawn again)."""
        s = self.session
        shown = self._shown
        now = (s.stage, s.playhead.position, self.colormap, self._levels)
        if shown is None or shown[0] is not now[0] or shown[2:] != now[2:] or self._learning:
            return False
        first, last = sorted((shown[1], now[1]))
        if last - first > IN_PLACE_CELLS:
            return False
        g = s.walk.geometry
        final = s.stage.final
        per_map = int(np.prod(g.out))
        values, (r0, c0) = self.grid.values, self.grid.origin
        rows, cols = [], []
        for index in range(first, last):
            f, rest = divmod(index, per_map)
            out_index = np.unravel_index(rest, g.out)
            row, col = self.cell_of(f, tuple(int(i) for i in out_index))
            values[row - r0, col - c0] = final[(f, *out_index)] if index < now[1] else np.nan
            rows.append(row)
            cols.append(col)
        self._shown = now
        if rows:
            self.grid.redraw_cells(min(rows), min(cols), max(rows) + 1, max(cols) + 1)
        return True

    def drawn_colours(self) -> np.ndarray:
        """The map's colours as drawn, RGBA, one per grid cell (for tests)."""
        return self.grid.drawn_colours()

    def show_step(self) -> None:
        """Draw the cells computed so far and outline the newest one."""
        s = self.session
        maps = None
        if not self._write_changed_cells():
            maps = s.learned_map() if self._learning else s.feature_map()
            self.grid.show_values(self.tiled(maps), levels=self._levels, colormap=self.colormap)
            self._shown = (s.stage, s.playhead.position, self.colormap, self._levels)
        if self._learning:  # no window slides: the whole map is the learned kernel's
            self.current.hide()
            self.predicted.hide()
            if s.nd == 1:
                self.plot.show_signals(maps if maps is not None else s.learned_map())
                self.plot.show_window(None)
            return
        step = s.current
        row, col = self.cell_of(step.filter, step.out_index)
        self.current.setRect(cell_rect(row, col))
        if s.nd > 1 and s.playhead.revealed:
            keep_in_view(self.grid, cell_rect(row, col))  # zoomed in: follow the newest cell
        self.current.setVisible(s.playhead.revealed)
        self.predicted.setPos(col, row)
        self.predicted.setVisible(s.playhead.previewing and not s.playhead.revealed)
        if s.nd == 1:
            # The y-axis spans the whole output: it stays put while the output fills in.
            maps = s.feature_map() if maps is None else maps
            self.plot.show_signals(maps, span=self._output_range)
            shown = step.out_index if s.playhead.revealed else ()
            self.plot.show_window(
                np.array(shown), s.activated(np.array([step.output]))[: len(shown)]
            )
            follow_window(self.grid, col, 1, at=0.8)  # the outputs so far, not the empty

    def current_rect(self):
        """The outline of the newest cell in scene coordinates, or None before the first step."""
        return self.current.rect() if self.current.isVisible() else None

    def _draw_outputs_using(self, announce: bool) -> None:
        """Mark every output cell whose window reads the input cell chosen in the view state
        (``announce``: say how many in the status bar)."""
        s = self.session
        chosen = s.view.chosen_cell
        if chosen is None or not s.picture_matches_input:
            self.uses.setPath(cells_path([]))
            return
        channel, coord = chosen
        mask = s.walk.outputs_using(channel, tuple(coord))
        cells = [
            self.cell_of(int(idx[0]), tuple(int(v) for v in idx[1:])) for idx in np.argwhere(mask)
        ]
        self.uses.setPath(cells_path(cells))
        if announce:
            where = ", ".join(str(v) for v in coord)
            self.message.emit(f"Input cell ({where}) is used by {len(cells)} output cell(s)")

    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        if self._learning:
            return  # the transport counts descent steps: there is no window to jump to
        found = self.output_at(row, col)
        if found is not None:
            self.session.jump_to(*found)
