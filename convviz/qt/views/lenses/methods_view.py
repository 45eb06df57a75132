"""Three ways, one answer: a table of the stage's convolution computed directly, unfolded and
through the FFT, with their costs and how far apart their answers are."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from ....model.lenses import three_ways
from .lens_view import LensView

FIGURES = ("multiplications", "working memory", "time (best of 3)", "largest |difference|")
# Two lines for the long one: on one it was cut to "nfolded (im2c" in a laptop's column.
SHORT = {"direct": "Direct", "unfold": "Unfolded\n(im2col)", "fft": "FFT"}


class MethodsView(LensView):
    """The table is recomputed (and timed) when the document or the stage changes, not on a
    plain step: a step changes none of its figures."""

    lens = "methods"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.table = QTableWidget(len(FIGURES), 3)  # one column per method: it fits a narrow pane
        self.table.setHorizontalHeaderLabels(list(SHORT.values()))
        self.table.setVerticalHeaderLabels(FIGURES)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped words at the columns' width of the moment ("0
        # (reference)" had been cut to "0 ..." by rows sized before the columns stretched).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.rows = []
        self._timed = None  # the stage the rows were timed on

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed and self.active:
            self.refresh()

    def draw(self) -> None:
        stage = self.session.stage
        if stage is not self._timed:  # a colour map or the theme changes none of the figures
            self.rows = three_ways(stage)
            self._timed = stage
        self.table.setStyleSheet(f"font-size: {self.font_px}px;")
        for c, row in enumerate(self.rows):
            for r, text in enumerate(row.cells()[1:]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.set_words(
            [
                "The same map three ways: the sliding window (what the other views step), one "
                "large matrix product over the unfolded columns, and the convolution theorem "
                "through the FFT. Their answers differ only by rounding.",
                "Direct and unfolded do the same multiplications; the unfolded way pays in "
                "memory for one fast matrix product. The FFT's cost barely grows with the "
                "kernel, so it wins for large kernels.",
            ]
        )
