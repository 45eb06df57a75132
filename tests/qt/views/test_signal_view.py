"""1-D signals: the row of cells follows the window, line plots show input and outputs."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from convviz.engine import conv, demo
from convviz.qt.widgets.grid_view import GridView
from convviz.qt.widgets.signal_plot import SignalPlot

from ..gestures import click_cell


def test_heartbeat_plots_follow_the_steps(qtbot, window):
    window.open_demo("heartbeat")
    s = window.session
    s.playhead.set_position(150)
    qtbot.wait(10)
    plot = window.input_view.plot
    assert plot.isVisible() and window.feature_map.plot.isVisible()
    _, y = plot.curves[0].getData()
    np.testing.assert_array_equal(y[2:-2], s.document.x[0])  # 'same' padding: two cells each side
    step = s.current
    assert plot.window.getRegion() == (step.taps[:, 1].min() - 0.5, step.taps[:, 1].max() + 0.5)
    outputs = window.feature_map.plot.curves
    d = demo("heartbeat")
    full = conv(d.x, d.weight, **d.settings)
    np.testing.assert_allclose(outputs[0].getData()[1], full[0])  # filter 1 finished
    computed = outputs[1].getData()[1]
    np.testing.assert_allclose(computed[:30], full[1, :30])
    assert np.isnan(computed[30:]).all()


def test_a_long_signal_is_shown_readably_around_the_window(qtbot, window):
    window.open_demo("heartbeat")
    window.session.playhead.set_position(100)
    grid = window.input_view.grid
    assert grid.labels.labels_visible(grid.cell_px())
    left, right = grid.box.viewRange()[0]
    taps = window.session.current.taps[:, 1]
    assert left <= taps.min() and taps.max() <= right
    maps = window.feature_map.grid
    assert maps.labels.labels_visible(maps.cell_px())


def test_in_presentation_a_signals_cells_are_widened_for_its_numbers(qtbot):
    # A 1366×768 projector: 36 px cells had written heartbeat's −0.38 at 7 px while its strip
    # had room to spare above and below.
    from convviz.qt.shell.main_window import MainWindow
    from convviz.qt.widgets.cell_labels import READABLE_PX

    window = MainWindow("heartbeat", persist=False)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    window.set_presentation(True)
    window.session.playhead.set_position(12)
    qtbot.wait(50)
    grid = window.feature_map.grid  # (the input's strip shows the window and a cell each side)
    left, right = grid.box.viewRange()[0]
    assert right - left < grid.values.shape[1]  # zoomed in around the newest cell
    assert grid.labels.drawn_px(grid.cell_px(), grid.box.viewRect()) >= READABLE_PX
    window.set_presentation(False)
    window.undo_stack.setClean()


def test_a_long_maps_strip_shows_whole_cells_and_the_outputs_so_far(qtbot, window):
    # frequency-1d: half a cell at the strip's edge had lost its number, and the newest
    # output sat in the middle of empty cells still to come while the ones before it had
    # scrolled away.
    window.open_demo("heartbeat")
    window.session.playhead.set_position(100)
    for grid in (window.input_view.grid, window.feature_map.grid):
        left, right = grid.box.viewRange()[0]
        assert (left + 0.5) == round(left + 0.5) and (right + 0.5) == round(right + 0.5)
    left, right = window.feature_map.grid.box.viewRange()[0]
    newest = window.session.current.out_index[0]
    assert left < newest < right
    assert newest - left > 2 * (right - newest)  # more of the past than of what is to come


def test_one_filter_per_row_and_clicks_jump(qtbot, window):
    window.open_demo("heartbeat")
    assert window.feature_map.grid.values.shape == (2, 120)
    window.session.playhead.set_position(150)
    assert window.feature_map.current_rect().top() == 0.5  # row 1: the second filter
    click_cell(qtbot, window.feature_map.grid, 1, 25)
    assert window.session.current.filter == 1 and window.session.current.out_index == (25,)


def test_two_d_demos_have_no_plots(qtbot, window):
    # A 2-D start makes no line plot at all (they cost start-up time); a 1-D demo makes them,
    # and they hide again on the way back to 2-D.
    assert not window.findChildren(SignalPlot) and window.class_scores.plot is None
    assert window.computation._textbook is None  # the 1-D textbook picture neither
    grids = window.findChildren(GridView)  # cross-correlation: no rotated kernel made yet
    assert window.kernel_panel.rotated not in grids
    window.open_demo("heartbeat")
    assert window.input_view.plot.isVisible() and window.computation.textbook.isVisible()
    window.open_demo("letter-h")
    assert not window.input_view.plot.isVisible()
    assert not window.feature_map.plot.isVisible()
    assert not window.computation.textbook.isVisible()


def test_volume_shows_depth_slices_with_the_window_across_them(qtbot, window):
    from PySide6.QtCore import QRectF

    from ..gestures import type_into_cell

    window.open_demo("volume-3d")
    s = window.session
    s.playhead.set_position(60)
    view = window.input_view
    assert [d for _, d in view.tiles()] == list(range(-1, 6))  # padding slices at both ends
    step = s.current
    depths = sorted({int(d) for d in step.taps[:, 1]})
    assert depths == [0, 1, 2]
    rects = view.window_rects()
    assert len(rects) == len(depths)
    for d in depths:  # the window is drawn on every slice it covers
        top, left = view.tile_offset(0, d)
        assert any(r.contains(QRectF(left + 1.5, top - 0.5, 3, 3).center()) for r in rects)
    # the map's newest cell sits in its depth slice's grid
    f, (d, r, c) = 0, step.out_index
    assert window.feature_map.output_at(*window.feature_map.cell_of(f, (d, r, c))) == (f, (d, r, c))
    # typing into a depth slice edits that slice
    top, left = view.tile_offset(0, 3)
    type_into_cell(qtbot, view.grid, top + 2, left + 4, "9")
    assert s.document.x[0, 3, 2, 4] == 9
    # every parameter has a box per axis
    window.parameter_panel.stride[0].setValue(2)
    assert s.document.settings.stride == (2, 1, 1) and s.pipeline.stepper.output.shape == (
        1,
        3,
        7,
        7,
    )


def test_the_output_plot_keeps_its_axis_while_the_output_fills_in(qtbot, window):
    window.open_demo("heartbeat")
    s = window.session
    plot = window.feature_map.plot
    s.playhead.set_position(3)
    first = plot.getViewBox().viewRange()[1]
    s.playhead.set_position(s.playhead.steps // 2)
    assert plot.getViewBox().viewRange()[1] == first  # the y-axis did not move
    final = s.final_map()
    low, high = first
    assert low <= final.min() and final.max() <= high  # it spans the whole output


def test_shift_left_goes_back_a_whole_output_row(qtbot, window):

    s = window.session
    s.playhead.set_position(40)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert s.playhead.position == 40 - s.walk.geometry.out[-1]


@pytest.mark.parametrize(
    ("demo", "texts"),
    [
        ("cs231n", ["filter 1", "filter 2"]),
        ("volume-3d", [f"depth {d}" for d in range(5)]),
    ],
)
def test_each_map_is_labelled_over_it(qtbot, window, demo, texts):
    window.open_demo(demo)
    labels = window.feature_map.map_labels
    assert [label.text() for label in labels] == texts
    g = window.session.walk.geometry
    for index, label in enumerate(labels):
        tile = (index, (0, 0)) if g.nd == 2 else (0, (index, 0, 0))
        top, left = window.feature_map.cell_of(*tile)
        assert label.pos().y() == top - 0.5  # just above its map
        assert left <= label.pos().x() <= left + g.out[-1]


def test_a_single_map_has_no_label(qtbot, window):
    assert window.feature_map.map_labels == [] and window.feature_map.grid.headroom == 0
