"""1-D signals: the row of cells follows the window, line plots show input and outputs."""

import numpy as np

from convviz.engine import conv, demo

from .conftest import click_cell


def test_heartbeat_plots_follow_the_steps(qtbot, window):
    window.open_demo("heartbeat")
    s = window.session
    s.set_position(150)
    qtbot.wait(10)
    plot = window.input_view.plot
    assert plot.isVisible() and window.feature_map.plot.isVisible()
    _, y = plot.curves[0].getData()
    np.testing.assert_array_equal(y[2:-2], s.x[0])  # 'same' padding: two cells each side
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
    window.session.set_position(100)
    grid = window.input_view.grid
    assert grid.labels.labels_visible(grid.cell_px())
    left, right = grid.box.viewRange()[0]
    taps = window.session.current.taps[:, 1]
    assert left <= taps.min() and taps.max() <= right
    maps = window.feature_map.grid
    assert maps.labels.labels_visible(maps.cell_px())


def test_one_filter_per_row_and_clicks_jump(qtbot, window):
    window.open_demo("heartbeat")
    assert window.feature_map.grid.values.shape == (2, 120)
    window.session.set_position(150)
    assert window.feature_map.current_rect().top() == 0.5  # row 1: the second filter
    click_cell(qtbot, window.feature_map.grid, 1, 25)
    assert window.session.current.filter == 1 and window.session.current.out_index == (25,)


def test_two_d_demos_have_no_plots(qtbot, window):
    assert not window.input_view.plot.isVisible()
    assert not window.feature_map.plot.isVisible()
