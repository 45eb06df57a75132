"""A colour bar: the colour map from the lowest value a grid colours to the highest, with the
numbers written at its ends (and 0 where a signed range crosses it)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...colormaps import lookup_table
from ...numbers import fmt

MARGIN = 4


class ColourBar(QWidget):
    """A thin strip of the colour map with ``low`` and ``high`` written at its ends."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.low, self.high, self.colormap = -1.0, 1.0, "diverging"
        self.font_px = 13
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "What each colour means: the lowest value at the left, the highest at the right"
        )

    def set_range(self, low: float, high: float, colormap: str) -> None:
        """Show ``colormap`` from ``low`` to ``high``."""
        if (low, high, colormap) != (self.low, self.high, self.colormap):
            self.low, self.high, self.colormap = float(low), float(high), colormap
            self.update()

    def set_font_px(self, px: int) -> None:
        """The size of its numbers (presentation mode makes them larger)."""
        self.font_px = px
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, int(self.font_px * 1.5) + 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self.sizeHint().height())

    def text(self) -> str:
        """The numbers written (for tests and screen readers)."""
        zero = " … 0 … " if self.low < 0 < self.high else " … "
        return f"{fmt(self.low)}{zero}{fmt(self.high)}"

    def _font(self) -> QFont:
        font = QFont()
        font.setPixelSize(self.font_px)
        return font

    def bar_rect(self) -> QRectF:
        """Where the colours are drawn, between the two numbers."""
        metrics = QFontMetricsF(self._font())
        left = MARGIN + metrics.horizontalAdvance(fmt(self.low)) + 6
        right = self.width() - MARGIN - metrics.horizontalAdvance(fmt(self.high)) - 6
        return QRectF(left, 4, max(right - left, 10), self.height() - 8)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setFont(self._font())
        low, high = fmt(self.low), fmt(self.high)
        margin = MARGIN
        bar = self.bar_rect()
        left = bar.left()
        gradient = QLinearGradient(bar.left(), 0, bar.right(), 0)
        table = lookup_table(self.colormap)
        for i in range(0, 256, 15):
            gradient.setColorAt(i / 255, QColor(*(int(v) for v in table[i])))
        gradient.setColorAt(1.0, QColor(*(int(v) for v in table[255])))
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(QColor(120, 120, 120), 1))
        painter.drawRect(bar)
        if self.low < 0 < self.high:  # where 0 is: white on the diverging map
            x = bar.left() + bar.width() * (-self.low) / (self.high - self.low)
            painter.setPen(QPen(QColor(40, 40, 40), 1))
            painter.drawLine(int(x), int(bar.top()), int(x), int(bar.bottom()))
        painter.setPen(self.palette().color(self.palette().ColorRole.WindowText))
        centre = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(margin, 0, left, self.height()), centre, low)
        painter.drawText(
            QRectF(bar.right() + 6, 0, self.width() - bar.right(), self.height()), centre, high
        )
        painter.end()
