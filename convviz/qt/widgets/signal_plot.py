"""1-D signals as line plots: the input with the window's span, the outputs as they fill in."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from . import themes
from .overlays import WINDOW
from .scene_items import discard_items

FILTER_COLOURS = ("#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")


class SignalPlot(pg.PlotWidget):
    """A line plot of one or more 1-D signals against cell index, with an optional window.

    Cells that are NaN (not computed yet) leave a gap in the line.
    """

    def __init__(self, title: str = "", parent=None) -> None:
        super().__init__(parent, background=themes.current().plot)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.25)
        self._title = title
        self.getPlotItem().setTitle(title, color=themes.current().text, size="11pt")
        self.set_theme(themes.current())
        self.curves: list[pg.PlotDataItem] = []
        window = QColor(WINDOW)
        window.setAlpha(60)
        self.window = pg.LinearRegionItem(
            movable=False, brush=window, pen=pg.mkPen(WINDOW, width=2)
        )
        self.window.setZValue(-5)
        self.window.hide()
        self.addItem(self.window)
        self.taps = pg.ScatterPlotItem(
            size=11, pen=pg.mkPen(WINDOW, width=2), brush=pg.mkBrush(255, 255, 255)
        )
        self.taps.setZValue(10)
        self.addItem(self.taps)

    def set_theme(self, theme) -> None:
        """Take ``theme``'s background and text colours."""
        self.setBackground(theme.plot)
        self.getPlotItem().setTitle(self._title, color=theme.text, size="11pt")
        for axis in ("left", "bottom"):
            self.getAxis(axis).setTextPen(theme.text)
            self.getAxis(axis).setPen(theme.label)

    def show_signals(self, signals: np.ndarray, names=None, x0: float = 0.0, span=None) -> None:
        """Plot each row of ``signals`` (2-D), the first cell at ``x0``; the y-axis spans the
        finite values of ``span`` when given (the whole output, so it does not move as the
        map fills in), else those shown."""
        signals = np.atleast_2d(np.asarray(signals, dtype=np.float64))
        if len(self.curves) > len(signals):
            discard_items(self, self.curves[len(signals) :])
            del self.curves[len(signals) :]
        while len(self.curves) < len(signals):
            colour = FILTER_COLOURS[len(self.curves) % len(FILTER_COLOURS)]
            curve = pg.PlotDataItem(
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=4,
                symbolBrush=colour,
                symbolPen=None,
                connect="finite",
            )
            self.addItem(curve)
            self.curves.append(curve)
        x = x0 + np.arange(signals.shape[1])
        for i, (curve, row) in enumerate(zip(self.curves, signals, strict=True)):
            if np.isfinite(row).any():
                curve.setData(x, row)
            else:  # nothing computed yet (an all-NaN line upsets the symbol bounds)
                curve.setData([], [])
            if names:
                curve.opts["name"] = names[i]
        values = signals if span is None else np.asarray(span, dtype=np.float64)
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        margin = max(high - low, 1e-9) * 0.08
        self.setXRange(x0 - 0.5, x0 + signals.shape[1] - 0.5, padding=0.01)
        self.setYRange(low - margin, high + margin, padding=0)

    def show_window(self, taps: np.ndarray | None, values: np.ndarray | None = None) -> None:
        """Shade the window's span and mark its taps (``taps``: cell indices), or hide them."""
        if taps is None or len(taps) == 0:
            self.window.hide()
            self.taps.setData([], [])
            return
        self.window.setRegion((float(taps.min()) - 0.5, float(taps.max()) + 0.5))
        self.window.show()
        if values is not None:
            self.taps.setData(np.asarray(taps, dtype=float), np.asarray(values, dtype=float))
        else:
            self.taps.setData([], [])
