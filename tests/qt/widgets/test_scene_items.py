"""Items taken out of a view are deleted between events, never left to the garbage collector
(which had freed them in the middle of another view's paint and crashed the suite)."""

import numpy as np
import shiboken6

from convviz.qt.widgets.block_grid import Block, BlockGrid
from convviz.qt.widgets.signal_plot import SignalPlot


def test_a_block_grids_old_titles_are_deleted_when_it_draws_again(qtbot):
    grid = BlockGrid()
    qtbot.addWidget(grid)
    grid.show_blocks([Block(np.ones((2, 2)), 0, 0, "kernel")], "diverging")
    old = list(grid._titles)
    grid.show_blocks([Block(np.zeros((2, 2)), 0, 0, "dL/dW")], "diverging")
    assert grid.title_texts() == ["dL/dW"]
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(t) for t in old))


def test_a_plots_extra_curves_are_deleted(qtbot):
    plot = SignalPlot("loss")
    qtbot.addWidget(plot)
    plot.show_signals(np.arange(12.0).reshape(3, 4))
    extra = plot.curves[1:]
    plot.show_signals(np.arange(4.0))
    assert len(plot.curves) == 1
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(c) for c in extra))
