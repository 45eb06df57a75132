"""When cells are too small for their numbers, the grid says so and how to read them."""

import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication

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
    assert note.isVisible()
    assert "zoom in with the wheel" in note.text() and "hover a cell" in note.text()
    assert note.geometry().top() >= _grid_foot(grid)  # under the cells, not over them
    _wheel(grid, 6)  # the student zooms in as the note says
    assert not grid.numbers_hidden()
    assert grid.labels.decimals in (2, 3)  # numbers are written now
    assert not note.isVisible()
    _wheel(grid, -6)  # and out again
    assert note.isVisible()


def test_over_cells_the_note_waits_for_the_pointer(qtbot, laptop_digits):
    # The four 16×16 maps fill their view: a note at its foot would hide their last rows, so
    # it is shown only while the pointer is on the maps.
    laptop_digits.session.playhead.set_position(300)
    grid = laptop_digits.feature_map.grid
    note = grid.hidden_numbers_note
    assert grid.numbers_hidden()
    assert not note.isVisible()
    assert note.geometry().bottom() > _grid_foot(grid) - 40  # no room under the maps
    centre = QPointF(grid.width() / 2, grid.height() / 2)
    # The pointer comes onto the maps and leaves them (the events Qt sends; the test screen
    # has no pointer of its own).
    QApplication.sendEvent(grid, QEnterEvent(centre, centre, grid.mapToGlobal(centre)))
    assert note.isVisible()
    QApplication.sendEvent(grid, QEvent(QEvent.Type.Leave))
    assert not note.isVisible()


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
    laptop_digits.splitter.setSizes([200, 800, 300])
    qtbot.waitUntil(lambda: grid.width() < 240)
    grid._note_hidden_numbers()
    note = grid.hidden_numbers_note
    assert note.isVisible()
    lines = note.height() // QFontMetrics(note.font()).lineSpacing()
    assert lines >= 3  # the words wrapped, and every line has its room
    assert note.height() >= note.heightForWidth(note.width())
    assert note.geometry().bottom() <= grid.viewport().height()
