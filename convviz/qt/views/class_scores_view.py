"""The class scores of a classifier: one bar per class, the predicted one highlighted, each
probability written over its bar. Shown only while the stack ends in a linear layer."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...model import Session
from ..session_view import SessionView
from ..widgets import themes
from ..widgets.overlays import WINDOW
from ..widgets.panel_title import panel_title

OTHER = QColor(110, 140, 190)  # the classes not predicted


def percent(p: float) -> str:
    """``99.7 %``, ``3 %``, ``0 %``: a probability as a class reads it (short enough to sit
    over a narrow bar)."""
    return f"{100 * p:.1f} %" if p >= 0.995 else f"{100 * p:.0f} %"


class ClassScoresView(SessionView, QWidget):
    """Bars of the softmax of the last layer's outputs (``Pipeline.class_scores``), labelled
    0, 1, 2…: the tallest is the class the network predicts. Redrawn on every change of the
    document, so the bars follow a brush stroke on the input as it is painted."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = panel_title()
        self.plot: pg.PlotWidget | None = None  # made for the first classifier shown
        self.bars: pg.BarGraphItem | None = None
        self.labels: list[pg.TextItem] = []
        self.scores = np.zeros(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        self.bind_session(session)
        self.refresh()

    def _make_plot(self) -> None:
        self.plot = pg.PlotWidget(background=themes.current().grid)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(150)
        item = self.plot.getPlotItem()
        item.setYRange(0, 1.15, padding=0)
        item.getAxis("left").setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")]])
        item.getAxis("left").setLabel("softmax")
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen(themes.current().text)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        self.layout().addWidget(self.plot, 1)

    def _on_model_view_changed(self, name: str) -> None:
        if name == "theme" and self.plot is not None:  # the theme's colours
            theme = themes.current()
            self.plot.setBackground(theme.grid)
            for label in self.labels:
                label.setColor(theme.label)
            for axis in ("left", "bottom"):
                self.plot.getPlotItem().getAxis(axis).setTextPen(theme.text)

    @property
    def predicted(self) -> int | None:
        """The class with the highest score, or None when there are no scores."""
        return int(np.argmax(self.scores)) if self.scores.size else None

    def refresh(self) -> None:
        """Show the scores of the session's document, or hide while there are none."""
        scores = self.session.pipeline.class_scores
        self.setVisible(scores is not None)
        if scores is None:
            self.scores = np.zeros(0)
            return
        if self.plot is None:
            self._make_plot()
        self.scores = np.asarray(scores)
        classes = np.arange(len(scores))
        best = self.predicted
        brushes = [pg.mkBrush(WINDOW if c == best else OTHER) for c in classes]
        self.bars.setOpts(x=classes, height=self.scores, width=0.7, brushes=brushes)
        item = self.plot.getPlotItem()
        item.setXRange(-0.6, len(scores) - 0.4, padding=0)
        item.getAxis("bottom").setTicks([[(int(c), str(c)) for c in classes]])
        self._write_probabilities()
        self.title.setText(f"Class scores: reads {best} ({percent(float(self.scores[best]))})")
        number = len(self.session.pipeline.layers)
        self.title.setToolTip(
            f"The softmax of layer {number}'s outputs: one probability per class, summing to 1"
        )

    def _write_probabilities(self) -> None:
        while len(self.labels) < len(self.scores):
            label = pg.TextItem(anchor=(0.5, 1.0), color=themes.current().label)
            label.setFont(QFont("DejaVu Sans", 9))
            self.plot.addItem(label)
            self.labels.append(label)
        best = self.predicted
        for i, label in enumerate(self.labels):
            # Near-zero scores go unlabelled: ten "0 %" side by side ran together on a laptop.
            label.setVisible(bool(i < len(self.scores) and (i == best or self.scores[i] >= 0.01)))
            if i < len(self.scores):
                label.setText(percent(float(self.scores[i])))
                label.setPos(i, float(self.scores[i]) + 0.01)
