"""Every cell's number, painted by one graphics item (one ``TextItem`` per cell is far too slow)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QStaticText

from ..model import fmt

MIN_CELL_PX = 18.0
DARK_TEXT = QColor(20, 20, 20)
LIGHT_TEXT = QColor(250, 250, 250)


class CellLabels(pg.GraphicsObject):
    """Numbers centred on cells ``(r, c)`` at scene point ``(c, r)``; hidden below ~18 px a cell.

    ``light`` marks the cells whose background is dark enough to need white text.
    """

    def __init__(self) -> None:
        super().__init__()
        self._values = np.zeros((0, 0))
        self._light = np.zeros((0, 0), dtype=bool)
        self._origin = (0, 0)
        self._texts: list[list[str]] = []
        self._cache: dict[tuple[str, int], QStaticText] = {}
        self._widest = ""
        self.scale_factor = 1.0
        self.setZValue(5)

    def set_values(self, values: np.ndarray, light: np.ndarray, origin=(0, 0)) -> None:
        """Show ``values`` (2-D; NaN shows nothing) with the top-left cell at ``origin``."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self._values.shape or tuple(origin) != self._origin:
            self.prepareGeometryChange()
        self._values = values
        self._light = np.asarray(light, dtype=bool)
        self._origin = tuple(origin)
        self._texts = [["" if np.isnan(v) else fmt(v) for v in row] for row in values]
        self._widest = max((t for row in self._texts for t in row), key=len, default="")
        self.update()

    def text_at(self, row: int, col: int) -> str:
        """The label drawn on cell ``(row, col)`` of the values given (for tests and tooltips)."""
        return self._texts[row][col]

    def boundingRect(self) -> QRectF:
        rows, cols = self._values.shape
        return QRectF(self._origin[1] - 0.5, self._origin[0] - 0.5, cols, rows)

    def _font_px(self, cell_px: float) -> int:
        size = min(cell_px * 0.42, 30.0) * self.scale_factor
        font = QFont()
        font.setPixelSize(max(int(size), 6))
        width = QFontMetricsF(font).horizontalAdvance(self._widest or "0")
        if width > cell_px * 0.9:
            size *= cell_px * 0.9 / width
        return max(int(size), 6)

    def labels_visible(self, cell_px: float) -> bool:
        """Whether labels are drawn when a cell is ``cell_px`` pixels wide."""
        return cell_px >= MIN_CELL_PX and self._values.size > 0

    def paint(self, painter, option, widget=None) -> None:
        transform = painter.transform()
        cell_px = abs(transform.m11())
        if not self.labels_visible(cell_px):
            return
        view = self.getViewBox()
        visible = view.viewRect() if view is not None else self.boundingRect()
        r0, c0 = self._origin
        rows, cols = self._values.shape
        top = max(int(np.floor(visible.top() + 0.5)) - r0, 0)
        bottom = min(int(np.ceil(visible.bottom() + 0.5)) - r0, rows)
        left = max(int(np.floor(visible.left() + 0.5)) - c0, 0)
        right = min(int(np.ceil(visible.right() + 0.5)) - c0, cols)
        px = self._font_px(cell_px)
        font = QFont()
        font.setPixelSize(px)
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        for r in range(top, bottom):
            for c in range(left, right):
                text = self._texts[r][c]
                if not text:
                    continue
                static = self._cache.get((text, px))
                if static is None:
                    static = QStaticText(text)
                    static.prepare(transform.__class__(), font)
                    static.setTextFormat(Qt.TextFormat.PlainText)
                    self._cache[(text, px)] = static
                size = static.size()
                centre = transform.map(QPointF(c0 + c, r0 + r))
                painter.setPen(LIGHT_TEXT if self._light[r, c] else DARK_TEXT)
                painter.drawStaticText(
                    QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), static
                )
        painter.restore()
        if len(self._cache) > 5000:
            self._cache.clear()
