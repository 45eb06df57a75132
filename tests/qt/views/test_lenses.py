"""The lenses in the window, driven by keys and clicks: each draws the step the transport is
on, with the numbers of the sliding window, and switching lens keeps the step."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from convviz.engine import conv
from convviz.model.lenses import LENSES


def block_values(grid, rect):
    """The values drawn inside ``rect`` = (row, col, rows, cols) of a block grid."""
    r, c, rows, cols = rect
    return grid.values[r : r + rows, c : c + cols]


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier, times=1):
    for _ in range(times):
        qtbot.keyClick(window, key, modifier)


def test_ctrl_2_shows_the_unfolded_matrix_and_its_column_is_the_window(qtbot, window):
    window.open_demo("cs231n")
    press(qtbot, window, Qt.Key.Key_Right, times=4)
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    host = window.lenses
    view = host.current
    assert window.session.view.lens == "unfolded" and view is host.views["unfolded"]
    assert host.chooser.currentData() == "unfolded"
    assert window.lens_actions["unfolded"].isChecked()
    step = window.session.current
    column = block_values(view.grid, view.grid.marked_rect("column")).ravel()
    np.testing.assert_array_equal(column, step.values)
    row = block_values(view.grid, view.grid.marked_rect("row")).ravel()
    np.testing.assert_array_equal(row, step.weights)
    cell = block_values(view.grid, view.grid.marked_rect("cell"))
    assert cell[0, 0] == pytest.approx(step.output)
    assert f"= {view.picture.sentence.split('= ')[-1]}" in view.text()
    # → moves the column with the window, and Ctrl+1 goes back to the same step.
    press(qtbot, window, Qt.Key.Key_Right)
    column = block_values(view.grid, view.grid.marked_rect("column")).ravel()
    np.testing.assert_array_equal(column, window.session.current.values)
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert host.current is window.computation and window.session.playhead.position == 5
    assert "= " in window.computation.text()


def test_the_im2col_demo_opens_in_its_lens_and_shows_the_whole_product(qtbot, window):
    window.open_demo("im2col")
    view = window.lenses.current
    assert window.session.view.lens == "unfolded"
    press(qtbot, window, Qt.Key.Key_End)
    d = window.session.document
    expected = conv(d.x, d.weight)
    p = view.picture
    assert p.columns.shape == (8, 9) and p.weights.shape == (2, 8)
    np.testing.assert_allclose(p.weights @ p.columns, expected.reshape(2, 9), atol=1e-12)
    np.testing.assert_array_equal(p.output, expected.reshape(2, 9))  # every cell computed
    assert "8 × 9: 2 channels × 2 × 2 taps, 9 windows" in view.text()


def test_the_matrix_lens_lights_the_steps_row_and_y_is_m_times_x(qtbot, window):
    window.open_demo("im2col")
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Right, times=7)
    view = window.lenses.current
    p = view.picture
    row = block_values(view.grid, view.grid.marked_rect("row")).ravel()
    x = window.session.document.x.ravel()
    assert np.nansum(row * x) == pytest.approx(window.session.current.output)
    assert p.first_row + p.row == window.session.current.index
    assert "y[7] = row 7 of M · x" in view.text()


def test_the_frequency_lens_gives_the_direct_result_and_marks_the_cell(qtbot, window):
    window.open_demo("frequency")
    press(qtbot, window, Qt.Key.Key_Right, times=100)
    view = window.lenses.current
    p = view.picture
    assert window.session.view.lens == "frequency"
    np.testing.assert_allclose(p.via_fft, p.direct, atol=1e-12)
    shown = view.images["direct"].values
    np.testing.assert_array_equal(shown, p.direct)
    assert view.cells["direct"].isVisible()
    rect = view.cells["direct"].rect()
    r, c = round(rect.top() + 0.5), round(rect.left() + 0.5)
    assert p.direct[r, c] == pytest.approx(window.session.current.output, abs=1e-12)
    assert "low-pass" in view.text()
    # The route box: circular wraps (N cells) instead.
    view.route.activated.emit(view.route.findData("circular"))
    assert window.session.view.frequency_route == "circular"
    assert view.picture.direct.shape == (32, 32) and "circular" in view.text()


def test_a_signal_shows_its_spectra_as_curves(qtbot, window):
    window.open_demo("frequency-1d")
    view = window.lenses.current
    assert view.gain_plot.isVisible() and not view.pictures.isVisible()
    _, gain = view.gain_plot.curves[0].getData()
    np.testing.assert_allclose(gain, view.picture.kernel_spectrum)
    assert gain.max() == pytest.approx(1.0)  # an average passes a constant whole


def test_separable_lens_steps_both_passes(qtbot, window):
    window.session.edits.set_kernel_preset("sobel-x")
    press(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Right, times=20)
    view = window.lenses.current
    p = view.picture
    assert p.rank == 1
    np.testing.assert_allclose(p.result, p.direct, atol=1e-12)
    cell = block_values(view.passes, view.passes.marked_rect("cell"))[0, 0]
    assert cell == pytest.approx(window.session.current.output)
    assert "3 + 3 = 6 as two passes" in view.text()


def test_a_lens_that_cannot_draw_the_stage_says_why(qtbot, window):
    window.open_demo("tiny-cnn")
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_L)
    press(qtbot, window, Qt.Key.Key_Right)  # the max pooling
    view = window.lenses.current
    assert view.unavailable.isVisible() and not view.body.isVisible()
    assert "pooling" in view.text() and "Ctrl+1" in view.text()
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert view.body.isVisible() and not view.unavailable.isVisible()


def test_a_hidden_lens_does_no_work_on_a_step(qtbot, window, monkeypatch):
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    drawn = []
    unfolded = window.lenses.views["unfolded"]
    monkeypatch.setattr(unfolded, "draw", lambda: drawn.append(1))
    press(qtbot, window, Qt.Key.Key_Right, times=3)
    assert drawn == []


def test_every_lens_draws_every_demo_without_an_error(qtbot, window):
    from convviz.engine import DEMOS

    for demo in DEMOS:
        window.open_demo(demo)
        window.session.playhead.set_position(3)
        for lens in LENSES:
            window.set_lens(lens)
            view = window.lenses.current
            assert view.text().strip()


def test_the_lens_is_saved_in_the_project_and_old_projects_open_sliding(qtbot, window, tmp_path):
    window.set_lens("matrix")
    path = tmp_path / "lens.convviz"
    assert window.files.save_to(path)
    window.set_lens("sliding")
    window.undo_stack.setClean()
    assert window.open_project(path)
    assert (
        window.session.view.lens == "matrix"
        and window.lenses.current is window.lenses.views["matrix"]
    )
    window.apply_view_options({"colormap": "viridis"})  # a project from before lenses
    assert window.session.view.lens == "sliding"


def test_three_ways_times_once_per_stage_not_per_colour_map(qtbot, window, monkeypatch):
    from convviz.qt.views.lenses import methods_view

    timed = []
    original = methods_view.three_ways

    def counting(stage, *args, **kwargs):
        timed.append(stage)
        return original(stage, *args, **kwargs)

    monkeypatch.setattr(methods_view, "three_ways", counting)
    window.open_demo("cs231n")
    press(qtbot, window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    view = window.lenses.current
    assert len(timed) == 1 and len(view.rows) == 3
    window.session.view.set(colormap="viridis")  # a new colour map: the same figures
    press(qtbot, window, Qt.Key.Key_Right)  # a step: the same figures
    assert len(timed) == 1
    window.session.edits.change_settings("stride 1", stride=1)  # another convolution: timed
    assert len(timed) == 2 and timed[-1] is window.session.stage


def lens_alone(qtbot, demo: str, lens: str, size, step: int = 0):
    """The ``lens`` view on its own, on a session of ``demo`` at ``step``, ``size`` big."""
    from convviz.model import Session
    from convviz.qt.views.lenses.lens_host import lens_view_class

    session = Session(demo)
    session.view.set(lens=lens)
    view = lens_view_class(lens)(session)
    qtbot.addWidget(view)
    session.playhead.set_position(step)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    qtbot.wait(20)
    return view


def test_three_ways_writes_every_heading_and_figure_whole_in_a_laptops_column(qtbot):
    # 1366×768: "Unfolded (im2col)" had been cut to "nfolded (im2c" and "0 (reference)" to
    # "0 …" in a 530 px lens.
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    view = lens_alone(qtbot, "cs231n", "methods", (530, 560))
    table = view.table
    header = table.horizontalHeader()
    metrics = QFontMetrics(header.font())
    for c in range(table.columnCount()):
        words = table.horizontalHeaderItem(c).text()
        widest = max(metrics.horizontalAdvance(line) for line in words.split("\n"))
        assert widest <= header.sectionSize(c) - 4, words
    cells = QFontMetrics(table.font())
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            text = table.item(r, c).text()
            room = QRect(0, 0, table.columnWidth(c) - 8, 10000)
            needed = cells.boundingRect(room, Qt.TextFlag.TextWordWrap, text).height()
            assert needed <= table.rowHeight(r), text


def test_outputs_still_to_come_are_grey_in_the_unfolded_lens_as_in_the_map(qtbot):
    # im2col's Y showed the outputs not computed yet as blank as the space around it.
    from PySide6.QtGui import QColor

    from convviz.qt.widgets import themes

    view = lens_alone(qtbot, "im2col", "unfolded", (640, 560), step=3)
    grid = view.grid
    y = next(b for b in grid.blocks if b.title == "Y")
    image = grid.grab().toImage()
    ratio = image.devicePixelRatio()

    def colour(row, col):
        point = grid.cell_center_px(y.row + row, y.col + col) * ratio
        return QColor(image.pixel(int(point.x()), int(point.y())))

    assert np.isnan(y.values[0, 4]) and not np.isnan(y.values[0, 0])
    assert colour(0, 4).rgb() == themes.current().pending.rgb()  # to come: the map's grey
    assert colour(0, 0).rgb() != themes.current().pending.rgb()  # computed: its colour
