"""The computation takes the width its grids need from what the input and the map can spare."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from convviz.qt.shell.stage_widths import (
    LENS_SHARES,
    MIN_PANEL,
    default_widths,
    grid_width_needed,
    widths_for,
)


def test_the_default_shares_when_nobody_can_spare_width():
    assert default_widths(1400) == [500, 400, 500]
    assert widths_for(1400, [900, 600, 900]) == [500, 400, 500]


def test_the_computation_takes_only_what_the_others_spare():
    # the input needs 200 of its 500, the map all of its 500: the computation takes 300 at most
    assert widths_for(1400, [200, 1000, 600]) == [200, 700, 500]
    assert widths_for(1400, [200, 450, 600]) == [450, 450, 500]
    sizes = widths_for(1400, [100, 1000, 100])
    assert sum(sizes) == 1400 and min(sizes) >= MIN_PANEL


def test_a_grid_needs_its_height_limited_cells_at_most_readable():
    assert grid_width_needed(20, 10, 400) == 10 * 20 + 24  # cells 20 px: the height's limit
    assert grid_width_needed(4, 10, 400) == 10 * 36 + 24  # no larger than readable


def computation_cell_px(window) -> float:
    grids = window.computation.grids
    return grids._layout(grids.width())[0]


def settle(qtbot, window, width=1366, height=768):
    window.resize(width, height)
    qtbot.wait(150)


def test_cs231n_gets_readable_computation_cells_at_a_laptops_size(qtbot, window):
    window.undo_stack.setClean()
    window.open_demo("cs231n")
    settle(qtbot, window)
    sizes = window.splitter.sizes()
    assert sizes[1] > default_widths(sum(sizes))[1]  # wider than its default share
    assert computation_cell_px(window) >= 28
    # the input still shows every channel whole, with its numbers
    grid = window.input_view.grid
    assert grid.labels.labels_visible(grid.cell_px())


def test_a_lens_takes_the_maps_spare_width_and_gives_it_back(qtbot, window):
    # transposed's seven grids had been drawn beside a 2×2 map of 100 px cells.
    window.undo_stack.setClean()
    window.open_demo("transposed")  # (it opens on its lens)
    window.set_lens("sliding")
    settle(qtbot, window)
    before = window.splitter.sizes()
    window.set_lens("transposed")
    qtbot.wait(100)
    sizes = window.splitter.sizes()
    halves = default_widths(sum(sizes), LENS_SHARES)
    assert sizes[0] == halves[0]  # the input keeps its quarter
    assert abs(sizes[2] - max(MIN_PANEL, 0.2 * sum(sizes))) <= 1  # a fifth: little of its quarter
    assert sizes[2] < halves[2]
    assert sizes[1] > halves[1]  # the lens has it
    window.set_lens("sliding")
    qtbot.wait(100)
    assert window.splitter.sizes() == before


def test_letter_h_keeps_the_default_shares(qtbot, window):
    settle(qtbot, window)
    sizes = window.splitter.sizes()
    assert sizes == default_widths(sum(sizes))


def test_the_users_dividers_stand_until_reset_layout(qtbot, window):
    settle(qtbot, window)
    handle = window.splitter.handle(1)
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    for step in range(1, 11):
        QTest.mouseMove(handle, middle - QPoint(10 * step, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle - QPoint(100, 0))
    moved = window.splitter.sizes()
    assert moved != default_widths(sum(moved))
    window.undo_stack.setClean()
    window.open_demo("cs231n")
    qtbot.wait(150)
    assert window.splitter.sizes() == moved
    window.reset_layout()
    settle(qtbot, window)
    assert window.splitter.sizes()[1] > default_widths(sum(window.splitter.sizes()))[1]
