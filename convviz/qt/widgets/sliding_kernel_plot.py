"""The textbook picture of a 1-D convolution: x[k], the kernel slid under it, their products.

Three stem plots share one axis ``k``. A step moves the kernel's stems, the window's shading
and the products, and rewrites one line of text: no item is made and nothing is laid out
again. The input's stems, the axes and the legend change only with the data.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...model.sliding_kernel import SlidingKernel, value_ranges
from . import themes
from .overlays import PADDING, USES, WINDOW
from .signal_plot import FILTER_COLOURS
from .steady_text import SteadyText

SIGNAL = QColor(FILTER_COLOURS[0])
CELL_PX = 26  # narrower cells crowd the stems and the kernel entries' names
AXIS_PX = 46  # the left axes' width, the same on every row so that the k's line up
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def span_to_show(taps, first: int, last: int, cells: int, current=None) -> tuple[float, float]:
    """The ``(left, right)`` edges of the k's to show: all of ``first..last`` when ``cells``
    hold them, else ``cells`` of them around ``taps``, kept while the taps stay in view (the
    kernel then slides across the view), moved ahead of the kernel once it leaves."""
    if last - first + 1 <= cells:
        return (first - 0.5, last + 0.5)
    lo, hi = float(np.min(taps)) - 0.5, float(np.max(taps)) + 0.5
    if current is not None and current[1] - current[0] == cells:
        if current[0] <= lo and hi <= current[1]:
            return current
        left = lo - 1 if lo > current[0] else hi + 1 - cells  # ahead of the way it moves
    else:
        left = lo - 1
    left = min(max(left, first - 0.5), last + 0.5 - cells)
    return (left, left + cells)


def stems(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line from ``(x, 0)`` to ``(x, y)`` per point, for ``connect="pairs"``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return np.repeat(x, 2), np.column_stack([np.zeros_like(y), y]).ravel()


def coloured(colour: QColor, text: str) -> str:
    return f'<span style="color:{QColor(colour).name()}"><b>{text}</b></span>'


class SlidingKernelPlot(QWidget):
    """``x[k]``, then the kernel where it sits for output ``n`` (``h[n−k]`` flipped for a true
    convolution, ``w[k−n]`` as is for a cross-correlation), then their products; under them
    ``y[n] = Σₖ …``.

    Padding is drawn hollow and dashed; the kernel's entries are named (``h₂ h₁ h₀``) where
    there is room, so that the flip shows even in a kernel of equal weights.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.ci.layout.setSpacing(0)
        self.canvas.ci.setContentsMargins(2, 2, 8, 2)
        self.sum = SteadyText(top=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.sum)
        self.rows = [self.canvas.addPlot(row=i, col=0) for i in range(3)]
        self.regions = []
        for i, plot in enumerate(self.rows):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.getAxis("left").setWidth(AXIS_PX)
            plot.getViewBox().setDefaultPadding(0)
            if i:
                plot.setXLink(self.rows[0])
            plot.getAxis("bottom").setStyle(showValues=i == 2)
            shade = QColor(WINDOW)
            shade.setAlpha(45)
            region = pg.LinearRegionItem(movable=False, brush=shade, pen=pg.mkPen(WINDOW, width=1))
            region.setZValue(-5)
            plot.addItem(region)
            self.regions.append(region)
        x_row, kernel_row, product_row = self.rows
        self.signal = self._stem_pair(x_row, SIGNAL, 2)
        self.padding_stems = pg.PlotDataItem(
            pen=pg.mkPen(PADDING, width=2, style=Qt.PenStyle.DashLine), connect="pairs"
        )
        self.padding_heads = pg.ScatterPlotItem(
            size=9, pen=pg.mkPen(PADDING, width=2), brush=pg.mkBrush(255, 255, 255, 0)
        )
        x_row.addItem(self.padding_stems)
        x_row.addItem(self.padding_heads)
        self.read = pg.ScatterPlotItem(size=14, pen=pg.mkPen(WINDOW, width=2.5), brush=None)
        self.read.setZValue(10)
        x_row.addItem(self.read)
        self.kernel = self._stem_pair(kernel_row, WINDOW, 3)
        self.products = self._stem_pair(product_row, USES, 3)
        self.names: list[pg.TextItem] = []  # h₀, h₁… over the kernel's stems
        self.font_px = 18
        self._data_key: tuple | None = None
        self._span: tuple[float, float] | None = None
        self._picture: SlidingKernel | None = None
        self.rows[2].setLabel("bottom", "k")
        self.set_font_px(self.font_px)
        self.set_theme(themes.current())
        # The rows learn their width after the window's layout: fit the k's to it then.
        self.rows[0].getViewBox().sigResized.connect(self._on_view_resized)

    @staticmethod
    def _stem_pair(plot, colour: QColor, width: float):
        line = pg.PlotDataItem(pen=pg.mkPen(colour, width=width), connect="pairs")
        heads = pg.ScatterPlotItem(size=9, pen=None, brush=pg.mkBrush(colour))
        plot.addItem(line)
        plot.addItem(heads)
        return line, heads

    # -- appearance ----------------------------------------------------------------------------
    def set_theme(self, theme) -> None:
        """Take ``theme``'s background and text colours."""
        self.canvas.setBackground(theme.plot)
        for plot in self.rows:
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(theme.text)
                plot.getAxis(axis).setPen(theme.label)
        for name in self.names:
            name.setColor(theme.text)

    def set_font_px(self, px: int) -> None:
        """Write the sum ``px`` pixels high, the legend, the axes' numbers and the kernel's
        entries' names a little smaller (presentation mode makes them all larger)."""
        self.font_px = px
        self.sum.setFont(self._font(px))
        self.legend.setFont(self._font(round(px * 0.8)))
        for plot in self.rows:
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setStyle(tickFont=self._font(self._small_px))
            plot.getAxis("left").setWidth(round(AXIS_PX * px / 18))
        for name in self.names:
            name.setFont(self._font(self._small_px))
        if self._picture is not None:
            self._place_names(self._picture)

    @property
    def _small_px(self) -> int:
        return max(round(self.font_px * 0.75), 11)

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        return font

    # -- data ----------------------------------------------------------------------------------
    def show_picture(
        self,
        walk,
        picture: SlidingKernel,
        filter_index: int,
        revealed: bool = True,
        activations=(),
        shown: float | None = None,
    ) -> None:
        """Draw ``picture`` (a step of ``walk``, filter ``filter_index``). The products and the
        sum stay hidden until ``revealed``; ``activations`` and ``shown`` (the feature map's
        value) finish the sum's line."""
        key = (walk, filter_index, picture.channel, picture.legend)
        old = self._data_key
        if old is None or old[0] is not walk or old[1:] != key[1:]:
            self._show_data(walk, picture, filter_index)
            self._data_key = key
        self._picture = picture
        taps = picture.taps.astype(np.float64)
        region = (taps.min() - 0.5, taps.max() + 0.5)
        for item in self.regions:
            item.setRegion(region)
        at = picture.taps - picture.k[0]
        self.read.setData(taps, picture.x[at])
        self.kernel[0].setData(*stems(taps, picture.weights))
        self.kernel[1].setData(taps, picture.weights)
        products = picture.products if revealed else np.zeros(0)
        self.products[0].setData(*stems(taps[: len(products)], products))
        self.products[1].setData(taps[: len(products)], products)
        self._follow(picture)
        self._place_names(picture)
        self.sum.setText(picture.sum_text(revealed, activations, shown))

    def _show_data(self, walk, picture: SlidingKernel, filter_index: int) -> None:
        """What changes with the document, the filter or the channel: x[k], the axes' ranges,
        the legend and the names of the kernel's entries."""
        real = ~picture.padding
        self.signal[0].setData(*stems(picture.k[real], picture.x[real]))
        self.signal[1].setData(picture.k[real], picture.x[real])
        self.padding_stems.setData(*stems(picture.k[~real], picture.x[~real]))
        self.padding_heads.setData(picture.k[~real], picture.x[~real])
        ranges = value_ranges(walk, filter_index, picture.channel)
        for i, (plot, (low, high)) in enumerate(zip(self.rows, ranges, strict=True)):
            margin = max(high - low, 1e-9) * 0.15
            # The kernel's row keeps room for its entries' names over (or under) the stems.
            above = margin + (max(high - low, 1e-9) * 0.35 if i == 1 and high > 0 else 0)
            below = margin + (max(high - low, 1e-9) * 0.35 if i == 1 and low < 0 else 0)
            plot.setYRange(low - below, high + above, padding=0)
        channels = walk.input.shape[0]
        of = f" (channel {picture.channel + 1} of {channels})" if channels > 1 else ""
        padding = ", hollow: padding" if picture.padding.any() else ""
        kind = "flipped" if picture.flip else "as is (cross-correlation)"
        self.legend.setText(
            f"{coloured(SIGNAL, 'x[k]')}{of}{padding}; "
            f"{coloured(WINDOW, picture.symbol)}: the kernel {kind}; "
            f"{coloured(USES, 'products')}"
        )
        letter = picture.symbol[0]
        while len(self.names) > len(picture.kernel_index):
            self.rows[1].removeItem(self.names.pop())
        while len(self.names) < len(picture.kernel_index):
            name = pg.TextItem(color=themes.current().text, anchor=(0.5, 1))
            name.setFont(self._font(self._small_px))
            self.rows[1].addItem(name)
            self.names.append(name)
        for name, m in zip(self.names, picture.kernel_index, strict=True):
            name.setText(f"{letter}{str(int(m)).translate(SUBSCRIPTS)}")
        self._span = None

    def _follow(self, picture: SlidingKernel) -> None:
        """Show every k when they fit, else the part the kernel slides across."""
        cells = max(int(self.rows[0].getViewBox().width() / CELL_PX), 1)
        extent = int(picture.taps.max() - picture.taps.min()) + 3
        span = span_to_show(
            picture.taps, int(picture.k[0]), int(picture.k[-1]), max(cells, extent), self._span
        )
        if span != self._span:
            self._span = span
            self.rows[0].setXRange(*span, padding=0)

    def _place_names(self, picture: SlidingKernel) -> None:
        """Each entry's name over its stem (under a negative one), when the cells are wide
        enough for it."""
        box = self.rows[1].getViewBox()
        (left, right), (low, high) = box.viewRange()
        px = box.width() / max(right - left, 1e-9)
        roomy = px >= 0.9 * CELL_PX
        gap = (high - low) * 0.04
        for name, k, w in zip(self.names, picture.taps, picture.weights, strict=True):
            name.setVisible(roomy)
            if roomy:
                name.setAnchor((0.5, 1) if w >= 0 else (0.5, 0))
                name.setPos(float(k), float(w) + (gap if w >= 0 else -gap))

    def _on_view_resized(self) -> None:
        if self._picture is not None:
            self._span = None
            self._follow(self._picture)
            self._place_names(self._picture)

    # -- for tests -----------------------------------------------------------------------------
    def kernel_stems(self) -> tuple[np.ndarray, np.ndarray]:
        """Where the kernel's stems are drawn (k) and how tall (its entries)."""
        x, y = self.kernel[1].getData()
        return np.asarray(x), np.asarray(y)

    def product_stems(self) -> tuple[np.ndarray, np.ndarray]:
        """Where the products are drawn and their values (empty until revealed)."""
        x, y = self.products[1].getData()
        return np.asarray(x), np.asarray(y)
