"""The textbook picture of a 1-D convolution: x[k], the kernel slid under it, their products.

Three stem plots share one axis ``k``. A step moves the kernel's stems, the window's shading
and the products, and rewrites one line of text: no item is made and nothing is laid out
again. The input's stems, the axes and the legend change only with the data.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

from ...model.sliding_kernel import SlidingKernel, value_ranges
from . import themes
from .overlays import PADDING, USES, WINDOW
from .signal_plot import FILTER_COLOURS
from .steady_text import SteadyText

SIGNAL = QColor(FILTER_COLOURS[0])
CELL_PX = 14  # the narrowest cell shown: the stems still stand apart
NAMED_CELL = 1.5  # the narrowest cell that holds a kernel entry's name (h₁₂), in font sizes
PART_CELL = 1.8  # a signal too long to show whole is shown in cells this wide, in font sizes
AXIS_PX = 46  # the left axes' width, the same on every row so that the k's line up
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
NAME_GAP_PX = 3  # between two kernel entries' names under their stems
RING_REACH_PX = 9  # half the ring around a value the window reads (14 px), and a little


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


def tick_step(span: float, pieces: float = 2.5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts ``span`` into at most
    ``pieces`` (at least one)."""
    pieces = max(pieces, 1.0)
    if not np.isfinite(span) or span <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(span / pieces))
    return float(next(m * power for m in (1, 2, 5, 10, 20) if span / (m * power) <= pieces))


def stems(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line from ``(x, 0)`` to ``(x, y)`` per point, for ``connect="pairs"``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return np.repeat(x, 2), np.column_stack([np.zeros_like(y), y]).ravel()


def coloured(colour: QColor, text: str) -> str:
    """``text`` in bold, in ``colour``, for the legend: the colour of its row's stems."""
    return f'<span style="color:{QColor(colour).name()}"><b>{text}</b></span>'


class SlidingKernelPlot(QWidget):
    """``x[k]``, then the kernel where it sits for output ``n`` (``h[n−k]`` flipped for a true
    convolution, ``w[k−n]`` as is for a cross-correlation), then their products; under them
    ``y[n] = Σₖ …``.

    Padding is drawn hollow and dashed; the kernel's entries are named (``h[2] h[1] h[0]``
    as the legend writes ``x[k]``, ``h₂ h₁ h₀`` in narrower cells) where there is room, so
    that the flip shows even in a kernel of equal weights.
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
        self.canvas.setMinimumHeight(140)  # lower, the three rows would run into each other
        layout.addWidget(self.sum)
        self.rows = [self.canvas.addPlot(row=i, col=0) for i in range(3)]
        self.regions = []
        for i, plot in enumerate(self.rows):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            # The kernel row's k axis names the kernel's entries, which move on every step:
            # no grid from it. Every other axis (and its grid) is painted once and then copied.
            plot.showGrid(x=i != 1, y=True, alpha=0.2)
            for axis in ("left", "bottom") if i != 1 else ("left",):
                plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.getAxis("left").setWidth(AXIS_PX)
            plot.getViewBox().setDefaultPadding(0)
            if i:
                plot.setXLink(self.rows[0])
            plot.getAxis("bottom").setStyle(showValues=i > 0)
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
        # h₀, h₁… under the kernel's stems: the ticks of the kernel row's own k axis
        self.name_axis = kernel_row.getAxis("bottom")
        self.names: list[str] = []
        self.short_names: list[str] = []
        self._named: list[str] = []  # the names shown
        self._sum_words = ""
        self._ranges = ((0.0, 1.0),) * 3
        self.font_px = 18
        self._data_key: tuple | None = None
        self._span: tuple[float, float] | None = None
        self._picture: SlidingKernel | None = None
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

    def set_font_px(self, px: int) -> None:
        """Write the sum ``px`` pixels high, the legend, the axes' numbers and the kernel's
        entries' names a little smaller (presentation mode makes them all larger)."""
        self.font_px = px
        self.sum.setFont(self._font(px))
        self.legend.setFont(self._font(round(px * 0.8)))
        self.rows[2].setLabel("bottom", "k", **{"font-size": f"{self._small_px}px"})
        for plot in self.rows:
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setStyle(tickFont=self._font(self._small_px))
            plot.getAxis("left").setWidth(round(AXIS_PX * px / 18))
        self._on_view_resized()  # cells as wide as the new names need

    @property
    def _small_px(self) -> int:
        return max(round(self.font_px * 0.67), 11)

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
        # The formula, then its value on a line of its own: a step changes the numbers, not
        # the lines (a sum on one line wrapped at some steps only, and laid the panel out again)
        formula, value = picture.sum_lines(revealed, activations, shown)
        self._sum_words = f"{formula}\n    {value}"
        self.sum.setText(f"{escape(formula)}<br>&nbsp;&nbsp;&nbsp;&nbsp;<b>{escape(value)}</b>")

    def _show_data(self, walk, picture: SlidingKernel, filter_index: int) -> None:
        """What changes with the document, the filter or the channel: x[k], the axes' ranges,
        the legend and the names of the kernel's entries."""
        real = ~picture.padding
        self.signal[0].setData(*stems(picture.k[real], picture.x[real]))
        self.signal[1].setData(picture.k[real], picture.x[real])
        self.padding_stems.setData(*stems(picture.k[~real], picture.x[~real]))
        self.padding_heads.setData(picture.k[~real], picture.x[~real])
        self._ranges = value_ranges(walk, filter_index, picture.channel)
        self._fit_y_ranges()
        self._space_ticks()
        channels = walk.input.shape[0]
        of = f" (channel {picture.channel + 1} of {channels})" if channels > 1 else ""
        padding = ", hollow: padding" if picture.padding.any() else ""
        kind = "flipped" if picture.flip else "as is (cross-correlation)"
        self.legend.setText(
            f"{coloured(SIGNAL, 'x[k]')}{of}{padding}; "
            f"{coloured(WINDOW, picture.symbol)}: the kernel {kind}; "
            f"{coloured(USES, 'products')}"
        )
        letter, index = picture.symbol[0], [int(m) for m in picture.kernel_index]
        # As the legend writes x[k] where the cells have room for it; subscripts, whose
        # digits are 4 px on a projector, only where they have not.
        self.names = [f"{letter}[{m}]" for m in index]
        self.short_names = [f"{letter}{str(m).translate(SUBSCRIPTS)}" for m in index]
        self._span = None

    def _follow(self, picture: SlidingKernel) -> None:
        """Show every k when they fit, else the part the kernel slides across (in cells
        wide enough to name the kernel's entries)."""
        width = self.rows[0].getViewBox().width()
        whole = len(picture.k)
        part = PART_CELL * self._small_px
        cells = whole if width >= whole * CELL_PX else max(int(width / part), 1)
        extent = int(picture.taps.max() - picture.taps.min()) + 3
        span = span_to_show(
            picture.taps, int(picture.k[0]), int(picture.k[-1]), max(cells, extent), self._span
        )
        if span != self._span:
            self._span = span
            self.rows[0].setXRange(*span, padding=0)

    def _place_names(self, picture: SlidingKernel) -> None:
        """Each entry's name under its stem, when the cells are wide enough for the names."""
        box = self.rows[1].getViewBox()
        (left, right), _ = box.viewRange()
        cell = box.width() / max(right - left, 1e-9)
        metrics = QFontMetricsF(self._font(self._small_px))
        chosen = []
        if cell >= max(map(metrics.horizontalAdvance, self.names), default=0) + NAME_GAP_PX:
            chosen = self.names
        elif cell >= NAMED_CELL * self._small_px:
            chosen = self.short_names
        names = list(zip(picture.taps.tolist(), chosen, strict=True)) if chosen else []
        self._named = [name for _, name in names]
        self.name_axis.setTicks([names, []])

    def sum_words(self) -> str:
        """The sum under the picture as plain text, its two lines split by a newline."""
        return self._sum_words

    def kernel_names(self) -> list[str]:
        """The names under the kernel's stems, left to right (none when too narrow)."""
        return list(self._named)

    def _space_ticks(self) -> None:
        """Two or three numbers on each row's axis, fewer on a low row: more ran together."""
        for plot, (low, high) in zip(self.rows, self._ranges, strict=True):
            room = plot.getViewBox().height() / (2.2 * self._small_px)
            plot.getAxis("left").setTickSpacing(levels=[(tick_step(high - low, min(room, 2.5)), 0)])

    def _fit_y_ranges(self) -> None:
        """Each row's values with room above and below: 15% of their range, and at least
        half a ring's width in pixels where the row is tall enough to give it (a row squashed
        to 40 px in presentation at 1024×768 had cut the ring around signal-1d's largest
        value in half)."""
        for plot, (low, high) in zip(self.rows, self._ranges, strict=True):
            span = max(high - low, 1e-9)
            px = plot.getViewBox().height()
            margin = span * 0.15
            # margin / (span + 2 margin) of px is the reach; in a row too low for that the
            # values keep at least a third of it (heartbeat's 25 px rows had gone flat).
            if px > 2 * RING_REACH_PX + 1:
                wanted = RING_REACH_PX * span / (px - 2 * RING_REACH_PX)
                margin = max(margin, min(wanted, span))
            plot.setYRange(low - margin, high + margin, padding=0)

    def _on_view_resized(self) -> None:
        self._fit_y_ranges()
        self._space_ticks()
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
