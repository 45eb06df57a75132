"""Every cell's number, painted by one graphics item (one ``TextItem`` per cell is far too slow)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsItem

from ...numbers import fmt_short

MIN_CELL_PX = 18.0
READABLE_PX = 11  # smaller digits are not read from a classroom: fewer decimals first
SMALLEST_PX = 8  # smaller still, the numbers are left out (specks: digits 5 px tall), as the
# computation's grids do (MIN_NUMBER_PX); the grid then says how to read them
WHOLE_GRID_CELLS = 4096  # up to 64×64, the widest label is measured over the whole grid
FILL = 0.82  # of a cell's width, at most, for its number: a gap keeps neighbours apart
HEIGHT = 0.55  # of a cell's height, the font's size (a digit is about 0.7 of it)
TALLEST = 0.62  # of a cell's height, the font's size at most, presentation's scale included
DARK_TEXT = QColor(20, 20, 20)
LIGHT_TEXT = QColor(250, 250, 250)


class CellLabels(pg.GraphicsObject):
    """Numbers centred on cells ``(r, c)`` at scene point ``(c, r)``; hidden below ~18 px a cell.

    Labels are formatted while painting, and only for the cells in view, so a 512×512 grid
    costs nothing while its cells are too small to label.
    """

    def __init__(self) -> None:
        super().__init__()
        self._values = np.zeros((0, 0))
        self._shade = self._values
        self._origin = (0, 0)
        self._colours: tuple[np.ndarray, tuple[float, float]] | None = None
        self._cache: dict[tuple[str, int], QStaticText] = {}
        # The widest label of each format over the cells in view, kept while those cells and
        # their values stay (a step repaints one cell: its font must be the grid's font, not
        # one chosen for that cell alone): (cells in view, widest per decimals), and the
        # blocks written since, to be measured into it.
        self._widest: tuple[tuple, dict[int, str]] | None = None
        self._written: list[tuple[int, int, int, int]] = []
        self.scale_factor = 1.0
        self.decimals = 3  # as last painted: fewer where cells are too small for three
        self.setZValue(5)
        # Moving the window over the grid then re-composes a cached picture of the labels
        # instead of drawing every number again.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # Paint only the labels in the part exposed (a step redraws one cell, not every label).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_values(
        self,
        values: np.ndarray,
        lut: np.ndarray | None = None,
        levels=(0.0, 1.0),
        origin=(0, 0),
        shade: np.ndarray | None = None,
    ) -> None:
        """Label 2-D ``values`` (NaN: no label) with the top-left cell at ``origin``.

        ``lut`` and ``levels`` are the colours under the labels: dark cells get white text.
        ``shade`` is what the cells are coloured by, when not ``values`` themselves.
        """
        values = np.asarray(values)
        self._shade = values if shade is None else np.asarray(shade)
        if values.shape != self._values.shape or tuple(origin) != self._origin:
            self.prepareGeometryChange()
        self._values = values
        self._widest, self._written = None, []
        self._colours = None if lut is None else (lut, tuple(levels))
        self._origin = tuple(origin)
        self.update()

    def viewRangeChanged(self) -> None:
        """The view panned or zoomed: paint the labels anew. Qt would otherwise shift the
        cached picture (an ``update()`` did not stop it), keeping numbers on cells that the
        pan has cut at the edge (a signal strip's "0.85" had read "85"): the cache is
        dropped by switching it off and on."""
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_levels(self, levels) -> None:
        """The colours under the labels now span ``levels``: the digits' colours follow."""
        if self._colours is not None:
            self._colours = (self._colours[0], tuple(levels))
            self.update()

    def update_cells(self, top: int, left: int, rows: int, cols: int) -> None:
        """Repaint the labels of a block of cells whose values changed in place (the values
        array given to ``set_values`` was written to)."""
        self._written.append((top, left, rows, cols))
        self.update(QRectF(left - 0.5, top - 0.5, cols, rows))

    def text_at(self, row: int, col: int) -> str:
        """The label drawn on cell ``(row, col)`` of the values given (for tests and tooltips)."""
        value = self._values[row, col]
        return "" if np.isnan(value) else fmt_short(value, self.decimals)

    def boundingRect(self) -> QRectF:
        rows, cols = self._values.shape
        return QRectF(self._origin[1] - 0.5, self._origin[0] - 0.5, cols, rows)

    DECIMALS = (3, 2)
    """Three decimals where they read, else two: two keep a small number's first digit
    (−0.0003), where one decimal would write a gradient's small values as 0."""

    def _widest_texts(self, top: int, bottom: int, left: int, right: int) -> dict[int, str]:
        """The widest label of the cells in view, written with each of ``DECIMALS`` (of
        every cell, for a grid of up to ``WHOLE_GRID_CELLS``: panning then measures nothing)."""
        if self._values.size <= WHOLE_GRID_CELLS:
            top, left = 0, 0
            bottom, right = self._values.shape
        key = (top, bottom, left, right)
        if self._widest is None or self._widest[0] != key:
            self._widest, self._written = (key, self.widest_in(top, bottom, left, right)), []
        widest = self._widest[1]
        r0, c0 = self._origin
        for row, col, rows, cols in self._written:  # cells written since: measured alone
            t, b = max(row - r0, top), min(row - r0 + rows, bottom)
            lo, hi = max(col - c0, left), min(col - c0 + cols, right)
            if t < b and lo < hi:
                more = self.widest_in(t, b, lo, hi)
                widest = {d: max(widest[d], more[d], key=len) for d in self.DECIMALS}
        self._widest, self._written = (key, widest), []
        return widest

    def widest_in(self, top: int, bottom: int, left: int, right: int) -> dict[int, str]:
        """The widest label of a block of cells (array indices, ends excluded) written with
        each of ``DECIMALS``."""
        block = np.asarray(self._values[top:bottom, left:right], dtype=np.float64)
        finite = np.unique(block[np.isfinite(block)]).tolist()  # each value written once
        return {
            d: max((fmt_short(v, d) for v in finite), key=len, default="") for d in self.DECIMALS
        }

    def _format(self, cell_px: float, widest: dict[int, str]) -> tuple[int, int]:
        """Decimals and font size for the labels: every decimal when the widest label still
        reads at ``READABLE_PX`` (or more), else the decimals that write them largest (two
        on a tie); size 0 when even those would be below ``SMALLEST_PX``: the numbers are
        left out rather than drawn over each other."""
        sizes = {d: self._font_px(cell_px, widest[d]) for d in self.DECIMALS}
        # Presentation's scale raises the bar: three decimals at 11 px had been chosen over
        # two at 16 px for the learn lens's kernel on a 1366×768 projector.
        if sizes[3] >= READABLE_PX * max(self.scale_factor, 1.0):
            return 3, sizes[3]
        decimals = max(reversed(self.DECIMALS), key=lambda d: sizes[d])
        px = sizes[decimals]
        return decimals, (px if px >= SMALLEST_PX else 0)

    def _font_px(self, cell_px: float, widest: str) -> int:
        """The font size at which ``widest`` fills at most ``FILL`` of a cell."""
        # 0.45 of a cell had written a 16×16 input's 0s and 1s at 9 px in 21 px cells.
        size = min(min(cell_px * HEIGHT, 30.0) * self.scale_factor, cell_px * TALLEST)
        font = QFont()
        font.setPixelSize(max(int(size), 6))
        width = QFontMetricsF(font).horizontalAdvance(widest or "0")
        if width > cell_px * FILL:
            size *= cell_px * FILL / width
        return max(int(size), 1)

    def cells_to_label(self, in_view: QRectF, painted: QRectF) -> tuple[int, int, int, int]:
        """The cells (top, bottom, left, right: array indices, ends excluded) a paint of
        ``painted`` writes numbers on: those in it and wholly in view (a fifth of a cell may be
        cut off): half of "0.9" at the edge of a strip had read as "9"."""
        top, bottom, left, right = self._in_view(painted)
        whole = self._in_view(in_view.adjusted(0.85, 0.85, -0.85, -0.85))
        return max(top, whole[0]), min(bottom, whole[1]), max(left, whole[2]), min(right, whole[3])

    def _in_view(self, rect: QRectF) -> tuple[int, int, int, int]:
        """The cells (top, bottom, left, right: array indices, ends excluded) ``rect`` shows."""
        r0, c0 = self._origin
        rows, cols = self._values.shape
        top = max(int(np.floor(rect.top() + 0.5)) - r0, 0)
        bottom = min(int(np.ceil(rect.bottom() + 0.5)) - r0, rows)
        left = max(int(np.floor(rect.left() + 0.5)) - c0, 0)
        right = min(int(np.ceil(rect.right() + 0.5)) - c0, cols)
        return top, bottom, left, right

    def drawn_px(self, cell_px: float, in_view: QRectF) -> int:
        """The font size the numbers in ``in_view`` are (or, for cells still empty, will be)
        written at when a cell is ``cell_px`` wide: 0 when the cells are too small for them."""
        if not self.labels_visible(cell_px):
            return 0
        return self._format(cell_px, self._widest_texts(*self._in_view(in_view)))[1]

    def labels_visible(self, cell_px: float) -> bool:
        """Whether labels are drawn when a cell is ``cell_px`` pixels wide."""
        return cell_px >= MIN_CELL_PX and self._values.size > 0

    def white_text(self, block: np.ndarray) -> np.ndarray:
        """Where the digits over ``block`` are white (else black), chosen for contrast."""
        if self._colours is None:
            return np.zeros(block.shape, dtype=bool)
        lut, (low, high) = self._colours
        with np.errstate(invalid="ignore"):
            t = np.clip((block - low) / (high - low), 0, 1)
        rgb = lut[np.nan_to_num(t * 255).astype(np.intp)] / 255.0
        # White text where it contrasts more than black (WCAG's relative luminance: below
        # about 0.18 white reads better), so digits stay legible on every colour map.
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        luminance = linear @ np.array([0.2126, 0.7152, 0.0722])
        return (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05)

    def paint(self, painter, option, widget=None) -> None:
        transform = painter.transform()
        cell_px = abs(transform.m11())
        if not self.labels_visible(cell_px):
            return
        box = self.getViewBox()
        in_view = box.viewRect() if box is not None else self.boundingRect()
        painted = in_view
        exposed = getattr(option, "exposedRect", None)
        if exposed is not None and not exposed.isEmpty():
            painted = in_view.intersected(exposed)
        r0, c0 = self._origin
        top, bottom, left, right = self.cells_to_label(in_view, painted)
        if top >= bottom or left >= right:
            return
        # One format for every label in view, whichever part this paint covers.
        decimals, px = self._format(cell_px, self._widest_texts(*self._in_view(in_view)))
        self.decimals = decimals
        if px == 0:
            return  # too small for any number: left out, never drawn over each other
        block = np.asarray(self._values[top:bottom, left:right], dtype=np.float64)
        texts = [["" if np.isnan(v) else fmt_short(v, decimals) for v in row] for row in block]
        light = self.white_text(np.asarray(self._shade[top:bottom, left:right], dtype=np.float64))
        font = QFont()
        font.setPixelSize(px)
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        for i, row in enumerate(texts):
            for j, text in enumerate(row):
                if not text:
                    continue
                static = self._cache.get((text, px))
                if static is None:
                    static = QStaticText(text)
                    static.setTextFormat(Qt.TextFormat.PlainText)
                    static.prepare(QTransform(), font)
                    self._cache[(text, px)] = static
                size = static.size()
                centre = transform.map(QPointF(c0 + left + j, r0 + top + i))
                painter.setPen(LIGHT_TEXT if light[i, j] else DARK_TEXT)
                painter.drawStaticText(
                    QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), static
                )
        painter.restore()
        if len(self._cache) > 5000:
            self._cache.clear()
