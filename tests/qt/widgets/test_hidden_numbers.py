"""When cells are too small for their numbers, the grid says so and how to read them."""

import pytest
from PySide6.QtCore import QPointF, Qt

from convviz.qt.shell.main_window import MainWindow
from convviz.qt.shell.window_layout import apply_layout, layout_for_window
from convviz.qt.widgets.cell_labels import SMALLEST_PX

from .test_grid_zoom import _wheel


@pytest.fixture
def laptop_digits(qtbot):
    """digits (a 16×16 input) in a 1366×768 laptop's window, side panels shown."""
    window = MainWindow("digits", persist=False)
    apply_layout(window, window.docks, layout_for_window(1366, 728))
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    yield window
    window.undo_stack.setClean()
    window.close()


def _grid_foot(grid) -> float:
    """Where the last row of cells ends, in the view's pixels."""
    rows = grid.values.shape[0]
    return grid.box.mapViewToDevice(QPointF(0, grid.origin[0] + rows - 0.5)).y()


def test_a_grid_too_small_for_its_numbers_says_how_to_read_them(qtbot, laptop_digits):
    grid = laptop_digits.input_view.grid
    note = grid.hidden_numbers_note
    assert grid.numbers_hidden()  # 16×16 and its padding beside the docks: ~12 px cells
    qtbot.waitUntil(note.isVisible)  # placed once the layout has settled
    assert "zoom in with the wheel" in note.text() and "hover a cell" in note.text()
    assert note.geometry().top() >= _grid_foot(grid)  # under the cells, not over them
    _wheel(grid, 6)  # the student zooms in as the note says
    assert not grid.numbers_hidden()
    assert grid.labels.decimals in (2, 3)  # numbers are written now
    qtbot.waitUntil(lambda: not note.isVisible())
    _wheel(grid, -6)  # and out again
    qtbot.waitUntil(note.isVisible)


def test_over_cells_the_tooltips_say_it_instead_of_a_note(qtbot, laptop_digits):
    # The four 16×16 maps fill their view: a note at its foot had hidden their last rows
    # (while the pointer was on them); the cells' tooltips say how to read them instead.
    laptop_digits.session.playhead.set_position(300)
    grid = laptop_digits.feature_map.grid
    qtbot.wait(20)
    assert grid.numbers_hidden()
    assert not grid.hidden_numbers_note.isVisible()
    assert grid.hidden_numbers_note.geometry().bottom() > _grid_foot(grid) - 40  # no room
    tip = grid.cell_tooltip(0, 0)
    assert tip.startswith(grid.describe(0, 0)) and "zoom in with the wheel" in tip
    _wheel(grid, 10)  # zoomed in, the numbers are written: the tooltip is the cell's alone
    assert not grid.numbers_hidden()
    assert grid.cell_tooltip(0, 0) == grid.describe(0, 0)


def test_readable_cells_have_no_note(qtbot):
    window = MainWindow("letter-h", persist=False)
    apply_layout(window, window.docks, layout_for_window(1366, 728))
    window.show()
    qtbot.waitExposed(window)
    grid = window.input_view.grid
    assert not grid.numbers_hidden()
    assert grid.labels.drawn_px(grid.cell_px(), grid.box.viewRect()) >= SMALLEST_PX  # 0s and 1s
    assert not grid.hidden_numbers_note.isVisible()
    window.session.playhead.set_position(0)  # the map empty, its cells large: no note either
    assert not window.feature_map.grid.numbers_hidden()
    window.undo_stack.setClean()
    window.close()


def test_the_note_shows_all_its_lines_in_a_narrow_view(qtbot, laptop_digits):
    # learn-edges at 1366×768: the note wrapped to three lines in a 230 px view and its
    # third ("cell") was cut off.
    from PySide6.QtGui import QFontMetrics

    grid = laptop_digits.input_view.grid
    laptop_digits.splitter.setSizes([170, 830, 300])
    qtbot.waitUntil(lambda: grid.width() < 200)
    note = grid.hidden_numbers_note
    qtbot.waitUntil(lambda: note.isVisible() and note.width() < 200)
    lines = note.height() // QFontMetrics(note.font()).lineSpacing()
    assert lines >= 3  # the words wrapped, and every line has its room
    words = QFontMetrics(note.font()).boundingRect(
        note.contentsRect(), Qt.TextFlag.TextWordWrap, note.text()
    )
    assert words.height() <= note.contentsRect().height()  # none cut off at the foot
    assert note.geometry().bottom() <= grid.viewport().height()
