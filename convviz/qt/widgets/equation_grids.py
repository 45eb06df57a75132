"""window × kernel = products, painted as three grids that grow with the panel (a pooling:
the window alone, its largest or counted cells marked, and the result)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QRegion,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...model import fmt
from ...numbers import fmt_short

PADDING_FILL = QColor(226, 226, 226)
PADDING_TEXT = QColor(110, 110, 110)
CELL_FILL = QColor(255, 255, 255)
WINNER = QColor(255, 140, 0)
WINNER_FILL = QColor(255, 222, 179)


@dataclass
class ChannelBlock:
    """One input channel's part of a step: what is under the window, the weights, the products."""

    title: str
    window: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    padding: np.ndarray
    kernel_title: str = "kernel"
    mode: str = "products"  # or a pooling's "max" / "avg": only the window is drawn
    hidden: bool = False  # products and results show "?" (the class is predicting them)


MIN_NUMBER_PX = 8  # smaller digits are not read from a classroom: fewer decimals first


_METRICS: list[QFontMetricsF] = []


def _metrics_at_100px() -> QFontMetricsF:
    """The default font's metrics at 100 px (made once the application exists)."""
    if not _METRICS:
        font = QFont()
        font.setPixelSize(100)
        _METRICS.append(QFontMetricsF(font))
    return _METRICS[0]


def fitted_title(text: str, px: int, room: float) -> tuple[QFont, str]:
    """A font of ``px`` pixels or smaller (down to 9) in which ``text`` fits ``room`` pixels
    of width, and the text itself, cut short with "…" if even 9 px is too wide."""
    font = QFont()
    font.setPixelSize(px)
    while px > 9 and QFontMetricsF(font).horizontalAdvance(text) > room:
        px -= 1
        font.setPixelSize(px)
    return font, QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, room)


def fit_numbers(
    values, cell: float, hidden: bool = False, height: float | None = None
) -> tuple[list[list[str]], int]:
    """Each cell's number and one font size for the whole grid, chosen so that the widest
    number fits its cell: three decimals if they fit at a readable size, else two, else one
    if that rounds nothing two would show (0.6 for 0.63 beside a sum of 0.63·1 reads as a
    mistake); when none fits, the numbers are left out (never drawn over each other): the
    sum below says them."""
    limit = min((cell if height is None else height) * 0.5, 40.0)
    texts: list[list[str]] = []
    for decimals in (3, 2, 1):
        texts = [["?" if hidden else fmt_short(v, decimals) for v in row] for row in values]
        if decimals == 1 and not hidden:
            two = [[fmt_short(v, 2) for v in row] for row in values]
            if texts != two:
                break
        widest = max((t for row in texts for t in row), key=len, default="0")
        width = _metrics_at_100px().horizontalAdvance(widest or "0")
        px = int(min(limit, 100 * cell * 0.88 / max(width, 1.0)))
        if px >= MIN_NUMBER_PX:
            return texts, px
    return [["" for _ in row] for row in texts], MIN_NUMBER_PX


def _same(a, b) -> bool:
    """Whether two grids (or paddings, None for none) hold the same values, NaN alike."""
    if a is None or b is None:
        return a is b
    if a.shape != b.shape:
        return False
    return np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f")


class EquationGrids(QWidget):
    """Paints, per channel, ``window × kernel = products``; cells shrink to fit the width."""

    MAX_CELL = 64
    FIT_AT_LEAST = 24

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.blocks: list[ChannelBlock] = []
        self.scale = 1.0
        self.fit_height: float | None = None  # the height shown without scrolling, if known
        self._static_texts: dict[tuple[str, int], QStaticText] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_blocks(self, blocks: list[ChannelBlock]) -> None:
        """Show these blocks (one per channel the filter sees). A step that keeps the grids'
        shapes repaints only the grids whose numbers changed (the kernel stays as drawn)."""
        shapes_changed = [b.window.shape for b in blocks] != [b.window.shape for b in self.blocks]
        dirty = None if shapes_changed else self._changed_area(self.blocks, blocks)
        self.blocks = blocks
        if shapes_changed:
            self.updateGeometry()
        if dirty is None:
            self.update()
        elif not dirty.isEmpty():
            self.update(dirty)

    def _changed_area(self, before: list[ChannelBlock], after: list[ChannelBlock]):
        """The region of the grids that differ between two lists of blocks of the same shapes,
        or None when more than numbers changed (titles, modes, hiding: repaint everything)."""
        if len(before) != len(after) or not after or after[0].mode != "products":
            return None
        cell, lines = self._layout(self.width())
        wide = self._cell_width(cell, lines)
        region = QRegion()
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if (old.title, old.kernel_title, old.mode, old.hidden) != (
                new.title,
                new.kernel_title,
                new.mode,
                new.hidden,
            ):
                return None
            places = self._product_places(index, cell, lines)
            same = {
                "window": _same(old.window, new.window) and _same(old.padding, new.padding),
                "weights": _same(old.weights, new.weights),
                "products": _same(old.products, new.products),
            }
            for part, (left, top) in places.items():
                if not same[part]:
                    box = self._grid_box(left, top, cell, new.window.shape, wide=wide)
                    region = region.united(box)
        return region

    def _product_places(self, index: int, cell: float, lines: int) -> dict:
        """Where block ``index``'s three grids start (left, top): window, weights, products,
        on one line, two (products under the window) or three (a strip: one grid a line)."""
        cols = self.blocks[0].window.shape[1] if self.blocks else 0
        gap = max(cell * 0.55, 22)
        top = 2.0 + index * self._block_height(cell, lines)
        line = self._block_height(cell)
        if lines == 3:
            return {
                "window": (2 + gap, top),
                "weights": (2 + gap, top + line),
                "products": (2 + gap, top + 2 * line),
            }
        kernel_left = 2 + cols * cell + gap
        products = (2 + gap, top + line) if lines == 2 else (kernel_left + cols * cell + gap, top)
        return {"window": (2.0, top), "weights": (kernel_left, top), "products": products}

    def _grid_box(self, left: float, top: float, cell: float, shape, sign=True, wide=None) -> QRect:
        """The pixels a grid of cells ``cell`` tall and ``wide`` wide (as tall when not given),
        its title, (several channels) its sum below and, with ``sign``, the sign before it
        cover."""
        rows, cols = shape
        wide = cell if wide is None else wide
        before = max(cell * 0.55, 22) - 3 if sign else 1  # the sign, not the grid before it
        height = cell * 0.6 + rows * cell + (cell * 0.7 if len(self.blocks) > 1 else 0)
        return QRectF(left - before, top, cols * wide + before + 1, height + 1).toAlignedRect()

    def _cell_width(self, cell: float, lines: int, width: float | None = None) -> float:
        """How wide cells ``cell`` pixels tall are drawn in a panel ``width`` wide (this
        one's when not given): as wide as tall, but grids one to a line (only a signal's
        strips go so) widen their cells to the panel, up to 2.5 times their height: the
        height above the 1-D picture is short, the width is not, and heartbeat's products
        (−0.076) had not fitted square cells."""
        if lines != 3:
            return cell
        width = self.width() if width is None else width
        cols = self.blocks[0].window.shape[1]
        gap = max(cell * 0.55, 22)
        return max(cell, min(2.5 * cell, (width - gap - 12) / cols))

    def _layout(self, width: float) -> tuple[float, int]:
        """Cell size, and on how many lines the grids go: ``= products`` on a second line, or
        (a strip of one row) each grid on its own line, when that makes the cells bigger."""
        if not self.blocks:
            return 0.0, 1
        rows, cols = self.blocks[0].window.shape
        largest = self._largest_cell(1)
        if self.blocks[0].mode != "products":  # the window, then "max = 5" beside it
            return max(12.0, min(largest, (width - 10) / (cols + 4.5))), 1
        # The gap for "×" and "=" is about 0.55 of a cell (at least 22 px). Several channels
        # write each channel's sum under its products, not beside them: the width goes to
        # the cells (a narrow middle column had drawn cs231n's digits at 9 px).
        several = len(self.blocks) > 1
        one_line = min(largest, (width - 10) / (3 * cols + 1.2), (width - 54) / (3 * cols))
        two_lines = min(
            self._largest_cell(2), (width - 10) / (2 * cols + 0.6), (width - 32) / (2 * cols)
        )
        best, lines = one_line, 1
        if not several and one_line < 40 * self.scale and two_lines > one_line * 1.2:
            best, lines = two_lines, 2
        if rows == 1 and not several and best < 40 * self.scale:
            # A signal's strips are short: three lines cost little height, and the cells
            # get wide enough for two decimals (heartbeat's −0.38 had read −0.4).
            # Their cells then widen to the panel (``_cell_width``): the width is what fits
            # the numbers, so that is what is compared.
            three_lines = min(
                self._largest_cell(3), (width - 10) / (cols + 0.6), (width - 32) / cols
            )
            if self._cell_width(three_lines, 3, width) > best * 1.2:
                best, lines = three_lines, 3
        return max(12.0, best), lines

    def _largest_cell(self, lines: int) -> float:
        """The largest cells: ``MAX_CELL`` (grown in presentation mode), made smaller when the
        grids, on ``lines`` lines, would run past ``fit_height`` (the sums under them took
        that height in presentation mode at 1366×768), but never below ``FIT_AT_LEAST`` px:
        smaller, the numbers would not be read, and the panel scrolls instead."""
        largest = self.MAX_CELL * self.scale
        if self.fit_height is None or not self.blocks:
            return largest
        fitting = self.cell_wanted(self.fit_height / lines - 4)
        return min(largest, max(fitting, self.FIT_AT_LEAST))

    def cell_wanted(self, height: float) -> float:
        """The cell size at which the grids fill ``height`` (at most their largest cells)."""
        if not self.blocks:
            return self.MAX_CELL * self.scale
        rows = self.blocks[0].window.shape[0]
        count = len(self.blocks)
        lines = rows + 0.6 + (0.7 if count > 1 and self.blocks[0].mode == "products" else 0)
        return min(self.MAX_CELL * self.scale, max(12.0, (height / count - 12) / lines))

    def width_in_cells(self) -> tuple[float, float]:
        """How wide the grids are in cells, and the pixels besides (the signs between them):
        the width at cell size ``c`` is ``cells * c + pixels``."""
        if not self.blocks:
            return 9.0, 54.0
        cols = self.blocks[0].window.shape[1]
        if self.blocks[0].mode != "products":
            return cols + 4.5, 10.0
        return 3.0 * cols, 54.0

    def _block_height(self, cell: float, lines: int = 1) -> float:
        rows = self.blocks[0].window.shape[0]
        one = rows * cell + cell * 0.6 + 12
        if len(self.blocks) > 1 and self.blocks[0].mode == "products":
            one += cell * 0.7  # the channel's sum, under its products
        return lines * one

    def link_anchors(self) -> tuple[QPointF, QPointF] | None:
        """Where the link from the input arrives (the first window grid's top-left corner)
        and where the link to the map leaves (the last products grid's top-right corner, a
        pooling's last window), in this widget's pixels; None with nothing drawn."""
        if not self.blocks:
            return None
        cell, lines = self._layout(self.width())
        title = cell * 0.6
        cols = self.blocks[0].window.shape[1]
        if self.blocks[0].mode != "products":
            last_top = 2.0 + (len(self.blocks) - 1) * self._block_height(cell)
            return QPointF(2.0, 2.0 + title), QPointF(2.0 + cols * cell, last_top + title)
        first = self._product_places(0, cell, lines)["window"]
        left, top = self._product_places(len(self.blocks) - 1, cell, lines)["products"]
        return (
            QPointF(first[0], first[1] + title),
            QPointF(left + cols * self._cell_width(cell, lines), top + title),
        )

    def painted_rects(self) -> list[QRect]:
        """The rectangles the grids, their titles, signs and sums cover (a link passes
        behind them, and in the gaps between them)."""
        if not self.blocks:
            return []
        cell, lines = self._layout(self.width())
        if self.blocks[0].mode != "products":  # the window, then "→ max = 5" beside it
            return [QRect(0, 0, self.width(), self.heightForWidth(self.width()))]
        wide = self._cell_width(cell, lines)
        rects = []
        for index, block in enumerate(self.blocks):
            for part, (left, top) in self._product_places(index, cell, lines).items():
                sign = part != "window"  # "×" and "=" stand before the kernel and products
                shape = block.window.shape
                rects.append(self._grid_box(left, top, cell, shape, sign=sign, wide=wide))
        return rects

    def sizeHint(self) -> QSize:
        if not self.blocks:
            return QSize(200, 40)
        return QSize(300, self.heightForWidth(max(self.width(), 300)))

    def minimumSizeHint(self) -> QSize:
        return QSize(150, 40)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self.blocks:
            return 40
        cell, lines = self._layout(width)
        return int(len(self.blocks) * self._block_height(cell, lines)) + 4

    def _static_text(self, text: str, font: QFont) -> tuple[QStaticText, float, float]:
        """``text`` laid out once per text and size, with its width and height (a step redraws
        the numbers of two or more grids; laying each out again was most of the panel's cost)."""
        key = (text, font.pixelSize())
        known = self._static_texts.get(key)
        if known is None:
            if len(self._static_texts) > 4000:
                self._static_texts.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            size = static.size()
            known = self._static_texts[key] = (static, size.width(), size.height())
        return known

    def _grid(
        self,
        painter,
        left,
        top,
        cell,
        values,
        title,
        padding=None,
        marked=None,
        hidden=False,
        title_width=None,
        filled=None,
        wide=None,
    ) -> float:
        """Paint ``values`` as a grid of cells ``cell`` tall and ``wide`` wide (as tall when
        not given), its title over it; return the grid's right edge."""
        rows, cols = values.shape
        wide = cell if wide is None else wide
        # The title fits the room it has, up to the next grid's or the panel's edge: a
        # signal's "kernel, rotated 180°" had run into "products" and past the panel.
        room = min(title_width or cols * wide + 40, self.width() - left - 2)
        # 0.3 of a cell had written "kernel" at 9 px; at least 11, what a class reads.
        font, title = fitted_title(title, max(int(cell * 0.36), 11), room)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.palette().ColorRole.WindowText))
        painter.drawText(
            QRectF(left, top, room, cell * 0.6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        top += cell * 0.6
        texts, px = fit_numbers(values, wide, hidden, height=cell)
        font.setPixelSize(px)
        painter.setFont(font)
        # A few calls per grid, not a few per cell: every step paints two or more grids.
        xs = [left + c * wide for c in range(cols + 1)]
        ys = [top + r * cell for r in range(rows + 1)]
        painter.fillRect(QRectF(left, top, cols * wide, rows * cell), CELL_FILL)
        shaded = [[False] * cols for _ in range(rows)]
        if padding is not None:
            shaded = np.asarray(padding, bool).tolist()
        for marks, colour in ((shaded, PADDING_FILL), (filled, WINNER_FILL)):
            if marks is None:
                continue
            for r, c in zip(*np.nonzero(np.asarray(marks, bool)), strict=True):
                painter.fillRect(QRectF(xs[int(c)], ys[int(r)], wide, cell), colour)
        painter.setPen(QPen(QColor(150, 150, 150), 1))
        painter.drawLines(
            [QLineF(left, y, xs[-1], y) for y in ys] + [QLineF(x, top, x, ys[-1]) for x in xs]
        )
        half, half_wide = cell / 2, wide / 2
        for pad, colour in ((False, Qt.GlobalColor.black), (True, PADDING_TEXT)):
            painter.setPen(colour)
            for r in range(rows):
                row_texts, row_shaded, middle = texts[r], shaded[r], ys[r] + half
                for c in range(cols):
                    if row_shaded[c] is not pad or not row_texts[c]:
                        continue
                    static, width, height = self._static_text(row_texts[c], font)
                    corner = QPointF(xs[c] + half_wide - width / 2, middle - height / 2)
                    painter.drawStaticText(corner, static)
        if marked is not None:  # the cells a pooling takes: a thick outline over the grid
            for r, c in np.argwhere(marked):
                rect = QRectF(left + c * cell, top + r * cell, cell, cell)
                painter.setPen(QPen(WINNER, max(3.0, cell * 0.08)))
                painter.drawRect(rect.adjusted(2, 2, -2, -2))
        return left + cols * wide

    def _paint_pool(self, painter, block, top, cell, op_font, result: str | None) -> None:
        """The window with the cells it takes marked, and ``→ max = 5`` or ``→ mean = 2.5``
        after the last slice (``result`` None: this is not the last slice)."""
        rows = block.window.shape[0]
        taken = block.weights > 0
        if block.mode == "max" and block.hidden:
            taken = None  # marking the winner would give the answer away
        if block.mode == "avg" and taken.all():
            taken = None  # every cell counts: nothing to single out
        x = self._grid(
            painter,
            2,
            top,
            cell,
            block.window,
            block.title,
            block.padding,
            marked=taken,
            title_width=self.width() - 4,
            filled=taken if block.mode == "max" else None,
        )
        if result is None:
            return
        word = "max" if block.mode == "max" else "mean"
        text = f"→ {word} = {result}"
        room = self.width() - x - 12
        font = QFont(op_font)
        while font.pixelSize() > 10 and QFontMetricsF(font).horizontalAdvance(text) > room:
            font.setPixelSize(font.pixelSize() - 1)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        middle = top + cell * 0.6 + rows * cell / 2
        painter.drawText(
            QRectF(x + 8, middle - cell / 2, room, cell),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"→ {word} = {result}",
        )

    def paintEvent(self, event) -> None:
        if not self.blocks:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        cell, lines = self._layout(self.width())
        wide = self._cell_width(cell, lines)
        gap = max(cell * 0.55, 22)
        op_font = QFont()
        op_font.setPixelSize(max(int(cell * 0.6), 14))
        pool_top = 2.0
        for index, block in enumerate(self.blocks):
            if block.mode != "products":
                total = sum(float(b.products.sum()) for b in self.blocks)
                last = block is self.blocks[-1]
                result = ("?" if block.hidden else fmt(total)) if last else None
                self._paint_pool(painter, block, pool_top, cell, op_font, result)
                pool_top += self._block_height(cell)
                continue
            rows, cols = block.window.shape
            places = self._product_places(index, cell, lines)
            parts = (
                ("window", None, block.window, block.title),
                ("weights", "×", block.weights, block.kernel_title),
                ("products", "=", block.products, "products"),
            )
            for part, symbol, values, title in parts:
                left, top = places[part]
                box = self._grid_box(left, top, cell, values.shape, sign=False, wide=wide)
                if not event.region().intersects(box):
                    continue  # a step changed other grids: this one stays as drawn
                middle = top + cell * 0.6 + rows * cell / 2
                if symbol is not None:
                    painter.setFont(op_font)
                    painter.setPen(Qt.GlobalColor.black)
                    painter.drawText(
                        QRectF(left - gap, middle - cell / 2, gap, cell),
                        Qt.AlignmentFlag.AlignCenter,
                        symbol,
                    )
                hidden = block.hidden and part == "products"
                padding = block.padding if part == "window" else None
                self._grid(
                    painter,
                    left,
                    top,
                    cell,
                    values,
                    title,
                    padding,
                    hidden=hidden,
                    wide=wide,
                    title_width=values.shape[1] * wide + gap - 6,  # up to the next grid
                )
                if part == "products" and len(self.blocks) > 1:  # the channel's sum, under it
                    sum_font = QFont(op_font)
                    sum_font.setPixelSize(max(int(cell * 0.5), 12))
                    painter.setFont(sum_font)
                    painter.setPen(Qt.GlobalColor.black)
                    painter.drawText(
                        QRectF(
                            left - gap,
                            top + cell * 0.6 + rows * cell,
                            cols * wide + gap,
                            cell * 0.7,
                        ),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        "Σ ?" if block.hidden else f"Σ {fmt(float(block.products.sum()))}",
                    )
        painter.end()
