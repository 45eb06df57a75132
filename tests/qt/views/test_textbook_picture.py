"""The textbook picture of a 1-D step: the kernel slides under x[k] as the keys step it."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from convviz.model import fmt


def press(qtbot, window, key=Qt.Key.Key_Right, times=1):
    for _ in range(times):
        qtbot.keyClick(window, key)


def feature_map_value(window):
    """The number the feature map shows for the step's output cell."""
    step = window.session.current
    row, col = window.feature_map.cell_of(step.filter, step.out_index)
    grid = window.feature_map.grid
    return grid.values[row - grid.origin[0], col - grid.origin[1]]


def roomy(qtbot, window):
    """A laptop's window (1366×768): room to name the kernel's entries under their stems."""
    window.resize(1366, 768)
    plot = window.computation.textbook
    qtbot.waitUntil(lambda: plot.rows[0].getViewBox().width() > 200)


def test_convolution_slides_the_flipped_kernel_as_numpy_convolve_does(qtbot, window):
    window.open_demo("signal-1d")  # numpy.convolve([0, 1, 2, 3, 4], [1, −1, 2]), 'full'
    roomy(qtbot, window)
    h = np.array([1.0, -1.0, 2.0])
    expected = np.convolve(np.arange(5.0), h)
    plot = window.computation.textbook
    assert plot.isVisible()
    assert "h[n−k]" in plot.legend.text() and "the kernel flipped" in plot.legend.text()
    for n in range(len(expected)):
        press(qtbot, window)
        k, weights = plot.kernel_stems()
        assert k.tolist() == [n - 2, n - 1, n]  # the kernel sits at n and moves one per step
        np.testing.assert_array_equal(weights, h[n - k.astype(int)])  # h[n−k]: flipped
        assert plot.kernel_names() == ["h₂", "h₁", "h₀"]
        shown = feature_map_value(window)
        assert shown == pytest.approx(expected[n])
        _, products = plot.product_stems()
        assert products.sum() == pytest.approx(shown)
        assert plot.sum_words().endswith(f"= {fmt(shown)}")
        assert plot.sum_words().startswith(f"y[{n}] = Σₖ x[k]·h[{n}−k]\n") or n == 0


def test_cross_correlation_slides_the_kernel_as_is(qtbot, window):
    window.open_demo("signal-1d")
    roomy(qtbot, window)
    window.parameter_panel.correlation.click()
    plot = window.computation.textbook
    assert "as is (cross-correlation)" in plot.legend.text()
    press(qtbot, window, times=4)  # output 3: w[0] at k = 1 ('full' pads 2 cells)
    k, weights = plot.kernel_stems()
    assert k.tolist() == [1, 2, 3] and weights.tolist() == [1, -1, 2]
    assert plot.kernel_names() == ["w₀", "w₁", "w₂"]
    assert plot.sum_words() == f"y[3] = Σₖ x[k]·w[k−1]\n    = {fmt(feature_map_value(window))}"


def test_padding_is_drawn_apart_with_what_each_mode_puts_there(qtbot, window):
    window.open_demo("signal-1d")
    plot = window.computation.textbook
    press(qtbot, window)
    x, y = plot.padding_heads.getData()
    assert x.tolist() == [-2, -1, 5, 6] and y.tolist() == [0, 0, 0, 0]  # zeros, hollow
    real, _ = plot.signal[1].getData()
    assert real.tolist() == [0, 1, 2, 3, 4]
    window.session.edits.change_settings("padding mode", padding_mode="reflect")
    x, y = plot.padding_heads.getData()
    assert y.tolist() == [2, 1, 3, 2]  # reflected about the first and last cells
    _, read = plot.read.getData()
    assert read.tolist() == [2, 1, 0]  # the window reads the reflected copies
    assert plot.sum_words().endswith(f"= {fmt(feature_map_value(window))}")


def test_stride_moves_the_kernel_by_the_stride_and_dilation_spreads_it(qtbot, window):
    window.open_demo("heartbeat")
    panel = window.parameter_panel
    panel.stride[2].setValue(3)
    panel.dilation[2].setValue(2)
    g = window.session.walk.geometry
    plot = window.computation.textbook
    before = g.pads[0][0]
    for n in range(4):
        press(qtbot, window)
        k, _ = plot.kernel_stems()
        assert k[0] == 3 * n - before  # n advances by the stride
        assert np.all(np.diff(k) == 2)  # the dilation's gaps
        shown = feature_map_value(window)
        _, products = plot.product_stems()
        assert products.sum() == pytest.approx(shown)
        assert plot.sum_words().endswith(f"= {fmt(shown)}")
    assert f"w[(k−3n+{before})/2]" in plot.legend.text()


def test_the_kernel_stays_in_view_as_it_slides_along_a_long_signal(qtbot, window):
    window.open_demo("heartbeat")
    roomy(qtbot, window)
    plot = window.computation.textbook
    pans = 0
    for _ in range(40):
        before = plot.rows[0].getViewBox().viewRange()[0]
        press(qtbot, window)
        (left, right), _ = plot.rows[0].getViewBox().viewRange()
        pans += [left, right] != before
        k, _ = plot.kernel_stems()
        assert left <= k.min() - 0.5 and k.max() + 0.5 <= right
        assert plot.kernel_names() == ["w₀", "w₁", "w₂", "w₃", "w₄"]
    assert right - left < 40  # a part of the 124 cells, large enough to read
    assert pans < 10  # the kernel slides across the view; the view moves now and then


def test_a_step_moves_the_stems_without_redrawing_the_signal(qtbot, window, monkeypatch):
    window.open_demo("heartbeat")
    plot = window.computation.textbook
    press(qtbot, window)
    redrawn = []
    monkeypatch.setattr(plot, "_show_data", lambda *args: redrawn.append(args))
    items = [list(row.items) for row in plot.rows]
    press(qtbot, window, times=5)
    assert redrawn == []  # x[k], the axes and the legend stay as they were
    assert [list(row.items) for row in plot.rows] == items  # no item made or removed
    y_ranges = [row.getViewBox().viewRange()[1] for row in plot.rows]
    press(qtbot, window, times=7)
    assert [row.getViewBox().viewRange()[1] for row in plot.rows] == y_ranges


def test_a_step_lays_nothing_out_again(qtbot, window):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    window.open_demo("heartbeat")
    roomy(qtbot, window)
    plot = window.computation.textbook
    press(qtbot, window)
    qtbot.wait(20)

    class LayoutRequests(QObject):
        count = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    requests = LayoutRequests()
    watched = [plot, *plot.findChildren(QWidget)]  # (the sums above it are not its own)
    for widget in watched:
        widget.installEventFilter(requests)
    for _ in range(30):
        press(qtbot, window)
        qtbot.wait(1)
    for widget in watched:
        widget.removeEventFilter(requests)
    assert requests.count == 0


def test_a_signal_of_several_channels_draws_the_one_the_input_shows(qtbot, window):
    from convviz.model import ConvSettings, Document

    rng = np.random.default_rng(5)
    x, weight = rng.normal(size=(2, 9)).round(2), rng.normal(size=(1, 2, 3)).round(2)
    s = window.session
    s.open_document(
        Document.from_demo("signal-1d").replace(
            x=x,
            weight=weight,
            bias=np.array([0.5]),
            use_bias=True,
            settings=ConvSettings.from_kwargs(1, padding=1, flip=True),
            layers=(),
        )
    )
    press(qtbot, window, times=4)  # output 3
    plot = window.computation.textbook
    assert "channel 1 of 2" in plot.legend.text()
    s.view.set(channel=1)
    assert "channel 2 of 2" in plot.legend.text()
    _, values = plot.signal[1].getData()
    np.testing.assert_array_equal(values, x[1])
    k, weights = plot.kernel_stems()
    np.testing.assert_array_equal(weights, weight[0, 1][4 - k.astype(int)])  # h[n+1−k], n = 3
    shown = feature_map_value(window)
    formula, value = plot.sum_words().split("\n")
    assert formula == "y[3] = Σₖ x[k]·h[4−k] + other channels + bias"
    assert value.endswith(f" + 0.5 = {fmt(shown)}")
    window.undo_stack.setClean()


def test_the_second_filter_brings_its_own_kernel(qtbot, window):
    window.open_demo("heartbeat")
    s = window.session
    s.playhead.set_position(s.walk.index_of(1, (30,)) + 1)
    plot = window.computation.textbook
    _, weights = plot.kernel_stems()
    assert weights.tolist() == [0, 0, 1, -1, 0]
    low, high = plot.rows[1].getViewBox().viewRange()[1]
    assert low < -1 and high > 1
    assert plot.sum_words().endswith(f"= {fmt(feature_map_value(window))}")


def test_predicting_hides_the_products_and_the_sum(qtbot, window):
    window.open_demo("signal-1d")
    window.set_predict(True)
    plot = window.computation.textbook
    press(qtbot, window, times=2)  # y[0] revealed; the window moves on to y[1] and waits
    assert not window.session.playhead.revealed
    k, _ = plot.kernel_stems()
    assert k.tolist() == [-1, 0, 1] and len(plot.product_stems()[0]) == 0
    assert plot.sum_words().endswith("= ?")
    press(qtbot, window)  # revealed
    assert len(plot.product_stems()[0]) == 3
    assert plot.sum_words().endswith(f"= {fmt(feature_map_value(window))}")


def test_bias_and_activation_finish_the_sum_as_the_map_shows_it(qtbot, window):
    window.open_demo("signal-1d")
    s = window.session
    window.parameter_panel.use_bias.click()
    window.kernel_panel.bias.setValue(-5)
    s.edits.set_activation("relu")
    press(qtbot, window, times=6)  # y[5] = 3·2 + 4·(−1) − 5 = −3 → relu → 0
    text = window.computation.textbook.sum_words()
    assert text == "y[5] = Σₖ x[k]·h[5−k] + bias\n    = 2 + −5 = −3 → relu → 0"
    assert feature_map_value(window) == 0


def test_two_d_demos_have_no_textbook_picture(qtbot, window):
    assert not window.computation.textbook.isVisible()
    window.open_demo("heartbeat")
    assert window.computation.textbook.isVisible()


def test_a_deeper_one_d_layer_slides_its_own_kernel_over_the_layer_before(qtbot, window):
    window.open_demo("heartbeat")
    s = window.session
    s.edits.add_activation("relu")
    s.edits.add_conv(filters=1, size=3, seed=4)
    assert window.step_layer(1)  # the convolution after the ReLU (which steps with layer 1)
    press(qtbot, window, times=20)
    plot = window.computation.textbook
    assert plot.isVisible()
    picture_input = plot.signal[1].getData()[1]
    np.testing.assert_allclose(picture_input, s.stage.x[s.view.channel])  # layer 1's output
    _, weights = plot.kernel_stems()
    np.testing.assert_array_equal(weights, s.stage.layer.weight[0, s.view.channel])
    assert plot.sum_words().endswith(f"= {fmt(feature_map_value(window))}")
    window.undo_stack.setClean()


def test_wide_cells_name_the_entries_as_the_legend_writes_indices(qtbot, window):
    # Subscript digits (h₂) had been 4 px tall at 1920×1080; where the cells have room the
    # names are written h[2], as the legend writes x[k] and h[n−k].
    window.open_demo("signal-1d")
    window.resize(1600, 900)
    plot = window.computation.textbook
    qtbot.waitUntil(lambda: plot.rows[0].getViewBox().width() > 300)
    press(qtbot, window, times=3)
    assert plot.kernel_names() == ["h[2]", "h[1]", "h[0]"]
    window.resize(1366, 768)  # narrower: the short names of a laptop
    qtbot.waitUntil(lambda: plot.kernel_names() == ["h₂", "h₁", "h₀"])


def test_a_squashed_row_keeps_the_ring_around_its_largest_value_whole(qtbot, window):
    # Presentation at 1024×768: the x[k] row was ~30 px tall and 15% of its range above the
    # largest value left half of the 14 px ring around signal-1d's x[4] outside the plot.
    from PySide6.QtCore import QPointF

    window.open_demo("signal-1d")
    plot = window.computation.textbook
    window.session.playhead.set_position(7)  # the window reads x[4] = 4, the largest
    for height in (40, 60, 200):
        box = plot.rows[0].getViewBox()
        plot.rows[0].setFixedHeight(height)
        qtbot.waitUntil(lambda h=height: abs(plot.rows[0].height() - h) <= 1)
        plot._on_view_resized()
        top = box.mapViewToDevice(QPointF(4, 4.0))
        edge = box.mapViewToDevice(QPointF(4, box.viewRange()[1][1]))
        assert abs(top.y() - edge.y()) >= 8, height  # half the ring (7 px) and its pen


def test_a_very_low_row_keeps_its_values_apart(qtbot, window):
    # heartbeat in presentation at 1024×768: rows 25 px tall had been given so much room
    # for the ring that 3.04 and 0 were drawn at one height and the axis's numbers overlapped.
    from PySide6.QtCore import QPointF

    window.open_demo("signal-1d")
    plot = window.computation.textbook
    window.session.playhead.set_position(7)
    box = plot.rows[0].getViewBox()
    plot.rows[0].setFixedHeight(25)
    qtbot.waitUntil(lambda: abs(plot.rows[0].height() - 25) <= 1)
    plot._on_view_resized()
    low, high = (box.mapViewToDevice(QPointF(4, v)).y() for v in (0.0, 4.0))
    assert abs(low - high) >= box.height() / 3  # the values span a third of the row at least
