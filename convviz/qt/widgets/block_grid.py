"""Several matrices laid out on one grid of cells, each with a title, and outlines over them.

The lenses draw matrix pictures with it (``W`` beside the columns it multiplies, ``M`` under the
``x`` it multiplies): one grid keeps every block's cells the same size and lined up, zooms and
pans as one, and labels its numbers as the other grids do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from ...colormaps import value_range
from . import themes
from .grid_view import GridView
from .overlays import cell_rect, cells_path, cosmetic_pen, outline, path_item
from .scene_items import discard_items


@dataclass(frozen=True)
class Block:
    """One matrix of the picture: its values (NaN: an empty cell), where its top-left cell goes
    and the title written over it."""

    values: np.ndarray
    row: int
    col: int
    title: str = ""
    title_below: bool = False
    to_come: bool = False  # its empty cells are outputs still to come: grey, as the map's


class BlockGrid(GridView):
    """A read-only grid composed of ``Block``s, with named outlines (rectangles or cell sets)."""

    def __init__(self, parent=None) -> None:
        super().__init__(editable=False, parent=parent)
        self._titles: list[pg.TextItem] = []
        self._title_px = 15
        self._marks: dict[str, object] = {}
        self._fitting_titles = False  # a fit of the titles is waiting for the event loop
        self._mark_widths: dict[str, float] = {}  # each mark's width asked for, in pixels
        self.blocks: list[Block] = []

    def show_blocks(self, blocks: list[Block], colormap: str, font_px: int = 15) -> None:
        """Draw ``blocks`` on one grid coloured with ``colormap``, each block over its own
        range (±its largest |value|): the input's columns stay as vivid beside a large output
        as they are in the input view."""
        rows = max((b.row + b.values.shape[0] for b in blocks), default=0)
        cols = max((b.col + b.values.shape[1] for b in blocks), default=0)
        canvas = np.full((rows, cols), np.nan)
        shade = np.full((rows, cols), np.nan)
        for b in blocks:
            r, c = b.values.shape
            canvas[b.row : b.row + r, b.col : b.col + c] = b.values
            _, top = value_range(b.values, "symmetric")
            shade[b.row : b.row + r, b.col : b.col + c] = b.values / top
        self.blocks = list(blocks)
        self._title_px = font_px
        self.show_values(canvas, levels=(-1.0, 1.0), colormap=colormap, shade=shade)
        # Outputs still to come in the feature map's grey (im2col's Y had shown them as
        # blank as the space around it).
        self.mark_to_come([(b.row, b.col, *b.values.shape) for b in blocks if b.to_come])
        discard_items(self.box, self._titles)
        font = QFont()
        font.setPixelSize(font_px)
        font.setBold(True)
        self._titles = []
        for b in blocks:
            if not b.title:
                continue
            below = b.title_below
            text = pg.TextItem(b.title, color=themes.current().label, anchor=(0, 0 if below else 1))
            text.setFont(font)
            text.setPos(b.col - 0.5, b.row + b.values.shape[0] - 0.5 if below else b.row - 0.5)
            self.box.addItem(text)
            self._titles.append(text)
        self._fit_to_cells()  # now, not from a resize or a paint: no flash of large titles

    def fit(self) -> None:
        """Show every block, with room for the titles above and below them (titles keep
        their size in pixels whatever the zoom, so the room is worked out from the size of a
        cell). A title wider than the room to its right is written smaller (not below 10 px)
        rather than cut by the edge of the view."""
        rows, cols = self.values.shape
        if not rows or not cols:
            return
        line = self._title_px * 1.6
        titled = [b for b in self.blocks if b.title]
        above = any(not b.title_below for b in titled)
        below = any(b.title_below for b in titled)
        lines = int(above) + int(below)
        # 1.04: the 2% the range is padded by on each side.
        cell = max(min(self.width() / (cols * 1.04), (self.height() - lines * line) / rows), 1.0)
        top = line / cell if above else 0.0
        bottom = line / cell if below else 0.0
        self.box.setRange(QRectF(-0.5, -0.5 - top, cols, rows + top + bottom), padding=0.02)
        self._fit_to_cells_soon()

    def _fit_to_cells_soon(self) -> None:
        """Fit the titles and marks once the event in hand is done: changing items' fonts
        while the view was being resized or painted had crashed Qt's scene."""
        if not self._fitting_titles:
            self._fitting_titles = True
            QTimer.singleShot(0, self, self._fit_to_cells)

    def _fit_to_cells(self) -> None:
        """Fit what is drawn in pixels to the cells' size: the marks' widths, and each title at
        the size asked for, or smaller where it would run into the next title on its line or
        out of view (measured, then each font set once)."""
        self._fitting_titles = False
        for name in self._marks:  # the cells' size changed too
            self._thin_mark(name)
        width = self.width()
        if not self._titles or width <= 0:
            return
        lefts = []
        for text in self._titles:
            at = self.box.mapViewToDevice(text.pos())
            lefts.append(0.0 if at is None else at.x())
        wanted = QFont(self._titles[0].textItem.font())
        wanted.setPixelSize(self._title_px)
        metrics = QFontMetricsF(wanted)
        for i, text in enumerate(self._titles):
            line = (text.pos().y(), text.anchor.y())  # the same row of blocks, same side
            after = [
                lefts[j]
                for j, other in enumerate(self._titles)
                if (other.pos().y(), other.anchor.y()) == line and lefts[j] > lefts[i]
            ]
            room = min(after, default=width) - lefts[i] - 8
            wide = metrics.horizontalAdvance(text.textItem.toPlainText()) + 8
            px = self._title_px
            if wide > room > 0:
                px = max(int(self._title_px * room / wide), 10)
            if text.textItem.font().pixelSize() != px:
                font = QFont(wanted)
                font.setPixelSize(px)
                text.setFont(font)

    def title_texts(self) -> list[str]:
        """The block titles drawn (for tests)."""
        return [t.textItem.toPlainText() for t in self._titles]

    def mark_rect(self, name: str, rect, colour: QColor, width: float = 3.0, z: float = 30) -> None:
        """Outline ``rect`` = ``(row, col, rows, cols)`` (None hides it) as mark ``name``."""
        item = self._marks.get(name)
        if item is None:
            item = outline(colour, width, z)
            self.box.addItem(item)
            self._marks[name] = item
            self._mark_widths[name] = width
            self._thin_mark(name)
        if rect is None:
            item.hide()
            return
        item.setRect(cell_rect(*rect))
        item.show()

    def mark_cells(self, name: str, cells, colour: QColor, width: float = 2.0, z: float = 25):
        """Outline each of ``cells`` (``(row, col)`` pairs) as mark ``name``."""
        item = self._marks.get(name)
        if item is None:
            item = path_item(cosmetic_pen(colour, width), None, z)
            self.box.addItem(item)
            self._marks[name] = item
            self._mark_widths[name] = width
            self._thin_mark(name)
        item.setPath(cells_path(list(cells), inset=0.08))

    def _thin_mark(self, name: str) -> None:
        """Draw mark ``name`` at the width asked for, thinner in small cells (at least 1.5 px,
        at most 7% of a cell): 3–4 px outlines in 22 px cells had covered the digits of the
        transposed lens's "OUTPUT so far"."""
        item = self._marks[name]
        cell = self.cell_px()
        width = self._mark_widths[name]
        if cell > 0:
            width = min(width, max(1.5, cell * 0.07))
        pen = item.pen()
        if pen.widthF() != width:
            pen.setWidthF(width)
            item.setPen(pen)

    def marked_rect(self, name: str):
        """The ``(row, col, rows, cols)`` of mark ``name`` (None when hidden or unknown)."""
        item = self._marks.get(name)
        if item is None or not item.isVisible() or not hasattr(item, "rect"):
            return None
        r = item.rect()
        return (round(r.top() + 0.5), round(r.left() + 0.5), round(r.height()), round(r.width()))
