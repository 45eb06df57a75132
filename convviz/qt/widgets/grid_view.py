"""A grid of numbers drawn with pyqtgraph: coloured cells, their values, and in-place editing.

Cell ``(r, c)`` is centred on scene point ``(c, r)``, in the unpadded input's frame, so padding
cells have negative or too-large coordinates exactly as the engine's ``Step.taps`` do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QKeySequence,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QLineEdit, QToolTip

from ...colormaps import colourise, lookup_table
from . import themes
from .cell_labels import FILL, READABLE_PX, CellLabels
from .overlays import cell_rect, path_item

SAY_MS = 5000  # how long a word at a cell stays
MIN_CELLS_SHOWN = 2.0  # zoomed in, at least this many cells stay across the view
MAX_ZOOM_OUT = 2.0  # zoomed out, the view spans at most this many times the grid
PAN_BUTTONS = Qt.MouseButton.MiddleButton | Qt.MouseButton.RightButton
SELECTION = QColor(30, 110, 230)
FRESH_CELLS = 8192  # cells redrawn on the patch before they are folded into the whole picture


READABLE_CELL_PX = 36  # a long signal is zoomed so that its cells are this wide
HIDDEN_NUMBERS = "Cells too small for their numbers: zoom in with the wheel, or hover a cell"
ZOOM_TO_READ = "cells too small for their numbers: zoom in with the wheel to read them all"


def readable_cell_px(grid: GridView, first: int, width: int) -> float:
    """How wide the cells around columns ``first..first+width-1`` must be for their widest
    number (two decimals) to be written at ``READABLE_PX``, presentation's scale included;
    ``READABLE_CELL_PX`` at least. (36 px cells had written a signal's −1.39 at 7 px on a
    1366×768 projector, in a strip with room to spare above and below.)"""
    c0 = grid.origin[1]
    rows = grid.values.shape[0]
    near = grid.labels.widest_in(0, rows, max(first - c0 - 40, 0), max(first - c0 + width + 40, 0))
    widest = near[2] or "0"
    font = QFont()
    font.setPixelSize(round(READABLE_PX * max(grid.labels.scale_factor, 1.0)))
    return max(READABLE_CELL_PX, QFontMetricsF(font).horizontalAdvance(widest) / FILL)


def follow_window(grid: GridView, first: int, width: int, at: float = 0.5) -> None:
    """Keep columns ``first..first+width-1`` in view when a row is too long to read whole,
    their middle ``at`` of the way across (0.5: centred; a map's newest cell further right,
    with the outputs before it in view rather than the cells still to come).

    Only rows whose cells would be too small for their numbers are zoomed: the view then shows
    as many whole columns around the window as fit at a readable size (a half cell at each
    edge had lost its number); otherwise the whole row.
    """
    rows, cols = grid.values.shape
    shown = max(int(grid.width() / readable_cell_px(grid, first, width)), width + 2, 5)
    if cols <= shown:
        return
    left = grid.origin[1]
    start = round(first + width / 2 - shown * at)
    start = min(max(start, left), left + cols - shown)
    grid.box.setRange(QRectF(start - 0.5, grid.origin[0] - 0.5, shown, rows), padding=0)


def keep_in_view(grid: GridView, rect: QRectF) -> None:
    """When the user has zoomed in, pan so that ``rect`` (scene cells: the window, or the cell
    just computed) stays in view as it steps; a grid shown whole is left alone."""
    (x0, x1), (y0, y1) = grid.box.viewRange()
    view = QRectF(x0, y0, x1 - x0, y1 - y0)
    rows, cols = grid.values.shape
    whole = QRectF(grid.origin[1] - 0.5, grid.origin[0] - 0.5, cols, rows)
    if view.contains(whole) or view.contains(rect):
        return  # the whole grid, or the window, is in view already
    dx = (rect.left() - x0 if rect.left() < x0 else 0) or (
        rect.right() - x1 if rect.right() > x1 else 0
    )
    dy = (rect.top() - y0 if rect.top() < y0 else 0) or (
        rect.bottom() - y1 if rect.bottom() > y1 else 0
    )
    # Move a little past the edge, so that the next steps do not pan on every frame.
    margin_x, margin_y = (x1 - x0) * 0.25, (y1 - y0) * 0.25
    dx += margin_x if dx > 0 else -margin_x if dx < 0 else 0
    dy += margin_y if dy > 0 else -margin_y if dy < 0 else 0
    grid.box.translateBy(x=dx, y=dy)
    grid.labels.update()


class CellEditor(QLineEdit):
    """The line edit laid over a cell while it is being typed into."""

    committed = Signal(str, str)  # text, where to go next: "down", "right", "stay"
    cancelled = Signal()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.committed.emit(self.text(), "down")
        elif key == Qt.Key.Key_Tab:
            self.committed.emit(self.text(), "right")
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        return False  # Tab commits instead of moving the focus away

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.isVisible():
            self.committed.emit(self.text(), "stay")


class GridView(pg.GraphicsView):
    """Coloured cells with their values; optionally editable, with a rectangular selection.

    Signals carry cell coordinates in the view's frame (see the module's docstring).
    """

    cell_clicked = Signal(int, int)
    # While ``painting``, a left-drag is a brush stroke: where it starts and moves, in cells
    # (fractions too: the pointer's exact place), then its end.
    stroke_started = Signal(float, float)
    stroke_moved = Signal(float, float)
    stroke_finished = Signal()
    resized = Signal()
    edit_committed = Signal(int, int, str)
    copy_requested = Signal()
    paste_requested = Signal()
    clear_requested = Signal()

    def __init__(self, editable: bool = False, parent=None) -> None:
        super().__init__(parent, background=themes.current().grid)
        self.background_colour = themes.current().grid
        self.editable = editable
        self.box = pg.ViewBox(
            invertY=True, lockAspect=True, enableMouse=False, enableMenu=False, defaultPadding=0.02
        )
        self.setCentralItem(self.box)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.image)
        # Blocks (row, col, rows, cols) whose empty cells are still to come: see ``mark_to_come``.
        self.to_come = path_item(QPen(Qt.PenStyle.NoPen), QBrush(themes.current().pending), -1)
        self.box.addItem(self.to_come)
        self.to_come_blocks: list[tuple[int, int, int, int]] = []
        # Cells changed since the whole picture was drawn, coloured again on a small patch
        # over it (top, left, bottom, right): a step or a typed cell does not colour a photo's
        # four million cells again.
        self.fresh = pg.ImageItem(axisOrder="row-major")
        self.fresh.setZValue(1)
        self.fresh.hide()
        self.box.addItem(self.fresh)
        self._fresh_box: tuple[int, int, int, int] | None = None
        self._colouring: tuple[str, tuple[float, float]] | None = None
        self.labels = CellLabels()
        self.box.addItem(self.labels)
        self._selection_item = QGraphicsRectItem()
        pen = QPen(SELECTION, 3)
        pen.setCosmetic(True)
        self._selection_item.setPen(pen)
        self._selection_item.setBrush(QBrush(QColor(30, 110, 230, 40)))
        self._selection_item.setZValue(20)
        self._selection_item.hide()
        self.box.addItem(self._selection_item)
        self.values = np.zeros((0, 0))
        self.origin = (0, 0)
        # Blocks of cells that may be edited, each (row, col, rows, cols): one per grid shown.
        self.editable_areas: list[tuple[int, int, int, int]] = []
        self.anchor: tuple[int, int] | None = None
        self.cursor_cell: tuple[int, int] | None = None
        self.editor = CellEditor(self.viewport())
        self.editor.setObjectName("cellEditor")
        self.editor.hide()
        self.editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor.committed.connect(self._on_editor_committed)
        self.editor.cancelled.connect(self.cancel_edit)
        self._editing: tuple[int, int] | None = None
        self._refused: tuple[int, int] | None = None  # the cell whose entry was refused
        self.headroom = 0.0  # cells shown above the grid, for labels over it
        self._pan_from = None  # where a pan drag last was
        # What a cell is, in words, for the tooltip under the pointer: (row, col) → text or None.
        self.describe: Callable[[int, int], str | None] | None = None
        self.viewport().setMouseTracking(True)
        self.painting = False  # a left-drag paints (the input's brush and eraser)
        self._stroking = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable else Qt.FocusPolicy.NoFocus)
        self.hidden_numbers_note: QLabel | None = None  # see ``explain_hidden_numbers``
        self._placing_note = False  # a placement of the note waits for the event loop
        self._labelled = False  # the cells' numbers are written (where they fit)

    def explain_hidden_numbers(self) -> None:
        """Say, at the foot of the view, when the cells are too small for their numbers and
        how to read them: a 16×16 input on a laptop had shown colours without a word of why
        its numbers were gone. (Not for grids drawn as pictures, such as spectra.)"""
        note = self.hidden_numbers_note = QLabel(HIDDEN_NUMBERS, self.viewport())
        note.setObjectName("hiddenNumbers")
        note.setWordWrap(True)
        note.setAutoFillBackground(True)
        note.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        note.setForegroundRole(QPalette.ColorRole.ToolTipText)
        note.setContentsMargins(6, 2, 6, 2)
        # The pointer reads the cells under it (their tooltips) and zooms through the note.
        note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        note.hide()
        self.box.sigRangeChanged.connect(self._note_hidden_numbers)

    def numbers_hidden(self) -> bool:
        """Whether the grid has numbers that its cells, as zoomed now, are too small for."""
        (x0, x1), (y0, y1) = self.box.viewRange()
        in_view = QRectF(x0, y0, x1 - x0, y1 - y0)
        return self._labelled and self.labels.drawn_px(self.cell_px(), in_view) == 0

    def _note_hidden_numbers(self, *_) -> None:
        """Place the note once the event in hand is done: the view's range and size are
        then settled (placed at once, it had been measured against the maps' foot before a
        resize and covered digits's last map rows at 1920×1080)."""
        if self.hidden_numbers_note is not None and not self._placing_note:
            self._placing_note = True
            QTimer.singleShot(0, self, self._place_hidden_numbers_note)

    def _place_hidden_numbers_note(self) -> None:
        """Show the note under the cells where the view has room for it; where the cells
        fill the view, the cells' tooltips say it instead (a note over the feature maps had
        hidden their last rows)."""
        self._placing_note = False
        note = self.hidden_numbers_note
        if not self.numbers_hidden():
            note.hide()
            return
        margins = note.contentsMargins()
        metrics = QFontMetrics(note.font())
        across = margins.left() + margins.right()
        width = max(
            min(metrics.horizontalAdvance(note.text()) + across + 2, self.viewport().width() - 8),
            60,
        )
        # Wrapped, it is as tall as its lines at that width (adjustSize, and QLabel's own
        # height for a width once its size was fixed, had cut the third line).
        lines = metrics.boundingRect(
            QRect(0, 0, width - across, 10000), Qt.TextFlag.TextWordWrap, note.text()
        )
        note.setFixedSize(width, lines.height() + margins.top() + margins.bottom() + 2)
        top = self.viewport().height() - note.height() - 4
        foot = self.box.mapViewToDevice(QPointF(0, self.origin[0] + self.values.shape[0] - 0.5))
        note.move(4, top)
        note.setVisible(foot is not None and top >= foot.y() + 2)

    # -- drawing -----------------------------------------------------------------------------
    def set_background(self, colour: QColor) -> None:
        """The colour behind the cells (the theme's)."""
        self.background_colour = QColor(colour)
        self.setBackground(colour)

    def show_values(
        self,
        values: np.ndarray,
        *,
        origin=(0, 0),
        levels=(-1.0, 1.0),
        colormap: str = "diverging",
        labels: bool = True,
        shade: np.ndarray | None = None,
    ) -> None:
        """Draw 2-D ``values`` (NaN: empty cell) with the top-left cell at ``origin``;
        ``shade`` (the shape of ``values``), when given, is what colours the cells."""
        values = np.asarray(values, dtype=np.float64)
        reshaped = values.shape != self.values.shape or tuple(origin) != self.origin
        self.values = values
        self.origin = tuple(origin)
        self._colouring = (colormap, tuple(levels)) if shade is None else None
        self.fresh.hide()
        self._fresh_box = None
        lut = lookup_table(colormap)
        colours = values if shade is None else shade
        self.image.setImage(
            np.ascontiguousarray(colours, dtype=np.float32),
            lut=lut,
            levels=levels,
            autoLevels=False,
        )
        rows, cols = values.shape
        self.image.setRect(QRectF(origin[1] - 0.5, origin[0] - 0.5, cols, rows))
        self._labelled = labels
        if labels:
            self.labels.set_values(values, lut, levels, origin, shade)
        else:
            self.labels.set_values(np.full(values.shape, np.nan), origin=origin)
        if reshaped:
            self.fit()
        self._note_hidden_numbers()

    @property
    def colour_levels(self) -> tuple[float, float] | None:
        """The value range the colours span (None for a grid coloured through ``shade``)."""
        return None if self._colouring is None else self._colouring[1]

    def redraw_cells(self, top: int, left: int, bottom: int, right: int) -> bool:
        """Colour the cells of the box (grid rows and columns, end excluded) again from
        ``values``, which the caller changed in place, and write their numbers again; False
        (nothing done) for a grid coloured through ``shade``.

        The cells go on the patch that covers every cell changed since the whole picture was
        drawn; a patch grown past ``FRESH_CELLS`` is folded into the whole picture instead.
        """
        if self._colouring is None:
            return False
        if self._fresh_box is not None:
            old = self._fresh_box
            top, left = min(old[0], top), min(old[1], left)
            bottom, right = max(old[2], bottom), max(old[3], right)
        r0, c0 = self.origin
        if (bottom - top) * (right - left) > FRESH_CELLS:
            self.image.setImage(
                np.ascontiguousarray(self.values, dtype=np.float32), autoLevels=False
            )
            self.fresh.hide()
            self._fresh_box = None
        else:
            block = self.values[top - r0 : bottom - r0, left - c0 : right - c0]
            # Opaque everywhere: a cell emptied must hide what the whole picture still shows.
            # In float32, as the whole picture holds its numbers: a cell's colour is the one
            # a whole redraw would give it.
            rgba = self._opaque_colours(block.astype(np.float32), top - r0, left - c0)
            self.fresh.setImage(rgba, autoLevels=False, levels=None, lut=None)
            self.fresh.setRect(QRectF(left - 0.5, top - 0.5, right - left, bottom - top))
            self.fresh.show()
            self._fresh_box = (top, left, bottom, right)
        self.labels.update_cells(top, left, bottom - top, right - left)
        return True

    def set_levels(self, levels) -> bool:
        """Spread the colours over ``levels`` (a typed value widened or narrowed the range):
        the whole picture is coloured again from the numbers it holds, without taking them
        anew, and the patch and the digits' colours follow; False for a grid coloured through
        ``shade``."""
        if self._colouring is None:
            return False
        levels = (float(levels[0]), float(levels[1]))
        self._colouring = (self._colouring[0], levels)
        self.image.setLevels(levels)
        self.labels.set_levels(levels)
        if self._fresh_box is not None:
            self.redraw_cells(*self._fresh_box)
        return True

    def mark_to_come(self, blocks) -> None:
        """Draw the empty cells of ``blocks`` (each ``(row, col, rows, cols)`` in the grid's
        frame) in the theme's grey for what is still to come, apart from the background
        around them: a computed 0 (white on the diverging map) had looked like an empty cell,
        and a map of zeros like no map at all."""
        self.to_come_blocks = [tuple(block) for block in blocks]
        path = QPainterPath()
        for block in self.to_come_blocks:
            path.addRect(cell_rect(*block))
        self.to_come.setBrush(QBrush(themes.current().pending))  # the theme may have changed
        self.to_come.setPath(path)

    def _opaque_colours(self, block: np.ndarray, row: int, col: int) -> np.ndarray:
        """RGBA colours of ``block`` (values from array row ``row``, column ``col``): empty
        cells in the background's colour, or the grey of ``mark_to_come`` inside its blocks
        (the patch over the picture is opaque, so it paints that grey itself)."""
        colormap, levels = self._colouring
        background = (*self.background_colour.getRgb()[:3], 255)
        rgba = colourise(block, colormap, *levels, missing=background)
        empty = np.isnan(block)
        grey = (*self.to_come.brush().color().getRgb()[:3], 255)
        r0, c0 = self.origin
        for top, left, rows, cols in self.to_come_blocks:
            t, lo = max(top - r0 - row, 0), max(left - c0 - col, 0)
            b, hi = (
                min(top - r0 - row + rows, block.shape[0]),
                min(left - c0 - col + cols, block.shape[1]),
            )
            if t < b and lo < hi:
                inside = empty[t:b, lo:hi]
                rgba[t:b, lo:hi][inside] = grey
        return rgba

    def drawn_colours(self) -> np.ndarray:
        """The colours as drawn (the whole picture with the patch over it), RGBA, one per
        cell (for tests)."""
        rgba = self._opaque_colours(self.image.image, 0, 0)
        if self.fresh.isVisible() and self._fresh_box is not None:
            (top, left, bottom, right), (r0, c0) = self._fresh_box, self.origin
            rgba[top - r0 : bottom - r0, left - c0 : right - c0] = self.fresh.image
        return rgba

    def fit(self) -> None:
        """Show the whole grid (and ``headroom`` cells above it, for labels)."""
        rows, cols = self.values.shape
        top = self.origin[0] - 0.5 - self.headroom
        self.box.setRange(
            QRectF(self.origin[1] - 0.5, top, cols, rows + self.headroom), padding=0.02
        )

    def cell_px(self) -> float:
        """How many screen pixels one cell is wide right now."""
        a = self.box.mapViewToDevice(QPointF(0, 0))
        b = self.box.mapViewToDevice(QPointF(1, 0))
        return 0.0 if a is None or b is None else abs(b.x() - a.x())

    def cell_center_px(self, row: int, col: int) -> QPointF:
        """Where the centre of cell ``(row, col)`` is, in this widget's pixels."""
        scene = self.box.mapViewToScene(QPointF(col, row))
        return QPointF(self.mapFromScene(scene))

    def point_at(self, pos) -> tuple[float, float]:
        """Where widget point ``pos`` is, in cells: ``(row, col)``, cell centres whole."""
        point = self.box.mapSceneToView(
            self.mapToScene(pos.toPoint() if hasattr(pos, "toPoint") else pos)
        )
        return point.y(), point.x()

    def cell_at(self, pos) -> tuple[int, int]:
        """The cell under widget point ``pos``."""
        row, col = self.point_at(pos)
        return int(np.floor(row + 0.5)), int(np.floor(col + 0.5))

    def in_grid(self, row: int, col: int) -> bool:
        """Whether ``(row, col)`` is a cell of the values shown."""
        rows, cols = self.values.shape
        return (0 <= row - self.origin[0] < rows) and (0 <= col - self.origin[1] < cols)

    @property
    def editable_area(self) -> tuple[int, int, int, int]:
        """The first editable block (most grids have just one)."""
        return self.editable_areas[0] if self.editable_areas else (0, 0, 0, 0)

    @editable_area.setter
    def editable_area(self, area) -> None:
        self.editable_areas = [tuple(area)]

    def area_at(self, row: int, col: int) -> int | None:
        """Which editable block holds ``(row, col)``, or None."""
        for i, (r0, c0, rows, cols) in enumerate(self.editable_areas):
            if r0 <= row < r0 + rows and c0 <= col < c0 + cols:
                return i
        return None

    def in_editable_area(self, row: int, col: int) -> bool:
        """Whether ``(row, col)`` may be typed into."""
        return self.area_at(row, col) is not None

    # -- selection -----------------------------------------------------------------------------
    def select(self, row: int, col: int, extend: bool = False) -> None:
        """Select one cell, or extend the selection from its anchor to ``(row, col)``."""
        if not self.in_editable_area(row, col):
            return
        if not extend or self.anchor is None:
            self.anchor = (row, col)
        elif self.area_at(row, col) != self.area_at(*self.anchor):
            return  # a selection stays within one grid
        self.cursor_cell = (row, col)
        r0, c0, rows, cols = self.selection()
        self._selection_item.setRect(QRectF(c0 - 0.5, r0 - 0.5, cols, rows))
        self._selection_item.show()

    def select_all(self) -> None:
        """Select every cell of the block the cursor is in (else of the first block)."""
        area = self.area_at(*self.cursor_cell) if self.cursor_cell is not None else None
        if area is None:
            if not self.editable_areas:
                return
            area = 0
        r0, c0, rows, cols = self.editable_areas[area]
        if rows == 0 or cols == 0:
            return
        self.select(r0, c0)
        self.select(r0 + rows - 1, c0 + cols - 1, extend=True)

    def selection(self) -> tuple[int, int, int, int]:
        """The selected block as ``(row, col, rows, cols)``; zero size when nothing is selected."""
        if self.anchor is None or self.cursor_cell is None:
            return (0, 0, 0, 0)
        (ar, ac), (br, bc) = self.anchor, self.cursor_cell
        return min(ar, br), min(ac, bc), abs(ar - br) + 1, abs(ac - bc) + 1

    # -- editing -------------------------------------------------------------------------------
    def begin_edit(self, row: int, col: int, text: str | None = None) -> None:
        """Open the editor on cell ``(row, col)``, with ``text`` or the cell's current value."""
        if not (self.editable and self.in_editable_area(row, col)):
            return
        self.select(row, col)
        self._editing = (row, col)
        if text is None:
            value = self.values[row - self.origin[0], col - self.origin[1]]
            text = "" if np.isnan(value) else repr(float(value)).removesuffix(".0")
        centre = self.cell_center_px(row, col)
        size = max(self.cell_px(), 48.0)
        self.editor.setGeometry(int(centre.x() - size / 2), int(centre.y() - 16), int(size), 32)
        self.editor.setText(text)
        self.editor.show()
        self.editor.setFocus()
        if text and len(text) > 1:
            self.editor.selectAll()

    @property
    def editing(self) -> bool:
        """Whether a cell is being typed into."""
        return self._editing is not None

    def cancel_edit(self) -> None:
        """Close the editor and keep the old value."""
        self._editing = None
        self.editor.hide()
        self.setFocus()

    def say_at_cell(self, row: int, col: int, message: str) -> None:
        """Show ``message`` beside cell ``(row, col)`` for a few seconds, where the student is
        looking (the status bar is far away)."""
        centre = self.cell_center_px(row, col).toPoint()
        QToolTip.showText(self.mapToGlobal(centre), message, self, QRect(), SAY_MS)

    def refuse_edit(self, row: int, col: int, message: str) -> None:
        """The entry just typed into ``(row, col)`` was refused: say why there, and stay."""
        self._refused = (row, col)
        self.say_at_cell(row, col, message)

    def _on_editor_committed(self, text: str, move: str) -> None:
        if self._editing is None:
            return
        row, col = self._editing
        self._editing = None
        self._refused = None
        self.editor.hide()
        self.edit_committed.emit(row, col, text)
        if self._refused is not None:  # the cursor stays on the cell that was refused
            self.select(row, col)
            self.setFocus()
            return
        if move != "stay":
            nxt = (row + 1, col) if move == "down" else (row, col + 1)
            if self.in_editable_area(*nxt):
                self.select(*nxt)
            self.setFocus()

    # -- events --------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() in PAN_BUTTONS:  # drag with the middle or right button: pan
            self._pan_from = event.position()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.painting:
            self._stroking = True
            self.stroke_started.emit(*self.point_at(event.position()))
            return
        row, col = self.cell_at(event.position())
        if self.editable:
            self.setFocus()
            extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.select(row, col, extend)
        self.cell_clicked.emit(row, col)

    def cell_tooltip(self, row: int, col: int) -> str | None:
        """The words the tooltip gives for cell ``(row, col)`` (None: no tooltip), and how
        to read the numbers where the cells are too small for them and the note has no room."""
        if self.describe is None or not self.in_grid(row, col):
            return None
        text = self.describe(row, col)
        note = self.hidden_numbers_note
        if text and note is not None and not note.isVisible() and self.numbers_hidden():
            text += f"\n({ZOOM_TO_READ})"
        return text

    def mouseMoveEvent(self, event) -> None:
        if not event.buttons():
            text = self.cell_tooltip(*self.cell_at(event.position()))
            if text:
                where = event.position().toPoint()
                QToolTip.showText(self.viewport().mapToGlobal(where), text, self.viewport())
            else:
                QToolTip.hideText()
            return
        if self._pan_from is not None and event.buttons() & PAN_BUTTONS:
            before = self.box.mapSceneToView(self.mapToScene(self._pan_from.toPoint()))
            after = self.box.mapSceneToView(self.mapToScene(event.position().toPoint()))
            self.box.translateBy(x=before.x() - after.x(), y=before.y() - after.y())
            self._pan_from = event.position()
            self.labels.update()
            return
        if self._stroking and event.buttons() & Qt.MouseButton.LeftButton:
            self.stroke_moved.emit(*self.point_at(event.position()))
            return
        if self.editable and event.buttons() & Qt.MouseButton.LeftButton and self.anchor:
            self.select(*self.cell_at(event.position()), extend=True)

    def mouseReleaseEvent(self, event) -> None:
        self._pan_from = None
        if self._stroking and event.button() == Qt.MouseButton.LeftButton:
            self._stroking = False
            self.stroke_finished.emit()
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.painting:  # a quick second dab, not an edit
            self.mousePressEvent(event)
            return
        row, col = self.cell_at(event.position())
        if self.editable and self.in_editable_area(row, col):
            self.begin_edit(row, col)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.fit()  # elsewhere a double-click shows the whole grid again
            self.labels.update()

    def view_span(self) -> float:
        """How many cells the view spans along its longer side."""
        (x0, x1), (y0, y1) = self.box.viewRange()
        return max(x1 - x0, y1 - y0)

    def whole_span(self) -> float:
        """``view_span`` when the whole grid is shown (the view keeps cells square, so the
        longer side of the widget shows more than the grid)."""
        rows, cols = self.values.shape
        aspect = max(self.width(), 1) / max(self.height(), 1)
        return max(cols, rows * aspect, rows, cols / aspect, 1)

    def wheelEvent(self, event) -> None:
        """Zoom about the pointer, from a few cells up close to twice the grid's size."""
        factor = 0.85 if event.angleDelta().y() > 0 else 1 / 0.85
        if (factor < 1 and self.view_span() * factor < MIN_CELLS_SHOWN) or (
            factor > 1 and self.view_span() * factor > MAX_ZOOM_OUT * self.whole_span()
        ):
            event.accept()
            return
        centre = self.box.mapSceneToView(self.mapToScene(event.position().toPoint()))
        self.box.scaleBy((factor, factor), center=centre)
        self.labels.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "values", None) is not None and self.values.size:
            self.fit()
            self.resized.emit()
        if getattr(self, "hidden_numbers_note", None) is not None:
            self._note_hidden_numbers()

    def keyPressEvent(self, event) -> None:
        if not self.editable or self.cursor_cell is None:
            super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_requested.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.begin_edit(*self.cursor_cell)
        elif event.text() and event.text() in "0123456789-.−+/eE":
            self.begin_edit(*self.cursor_cell, text=event.text())
        elif event.text().isalpha() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            self.say_at_cell(
                *self.cursor_cell,
                f"{event.text()!r} does not start a number: type a digit, − or . "
                "(or press Enter to edit the cell)",
            )
        else:
            super().keyPressEvent(event)
