"""Edit → Copy, Paste and Select all, by their keys and from the menu, on the grid a user is
working in; a cell being typed into keeps its own Ctrl+A and Ctrl+C."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.qt.gestures import click_cell

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_a_then_ctrl_c_copies_the_whole_input(qtbot, window):
    grid = window.input_view.grid
    click_cell(qtbot, grid, 0, 0)
    qtbot.keyClick(grid, Qt.Key.Key_A, CTRL)
    assert grid.selection() == (0, 0, 16, 16)
    qtbot.keyClick(grid, Qt.Key.Key_C, CTRL)
    rows = QApplication.clipboard().text().strip().splitlines()
    copied = np.array([[float(v) for v in row.split("\t")] for row in rows])
    np.testing.assert_array_equal(copied, window.session.document.x[0])


def test_edit_menu_paste_writes_at_the_selected_cell_and_undoes_in_one_step(qtbot, window):
    grid = window.input_view.grid
    click_cell(qtbot, grid, 2, 3)
    QApplication.clipboard().setText("7\t8\n9\t10")
    before = window.session.document.x.copy()
    window.actions_by_name["paste"].trigger()
    np.testing.assert_array_equal(window.session.document.x[0, 2:4, 3:5], [[7, 8], [9, 10]])
    window.undo_stack.undo()
    np.testing.assert_array_equal(window.session.document.x, before)


def test_copy_with_nothing_selected_says_what_to_do(qtbot, window):
    window.actions_by_name["copy"].trigger()
    assert "Select cells first" in window.statusBar().currentMessage()


def test_the_kernel_grid_with_the_focus_is_the_one_copied(qtbot, window):
    kernel_grid = window.kernel_panel.grid
    click_cell(qtbot, kernel_grid, 1, 1)
    qtbot.keyClick(kernel_grid, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(kernel_grid, Qt.Key.Key_C, CTRL)
    rows = QApplication.clipboard().text().strip().splitlines()
    assert len(rows) == 3 and rows[1].split("\t") == ["0.2", "0.2", "0.2"]


def test_a_cell_being_typed_into_keeps_its_own_select_all(qtbot, window):
    grid = window.input_view.grid
    click_cell(qtbot, grid, 1, 1)
    qtbot.keyClicks(grid, "4")
    qtbot.keyClicks(grid.editor, "25")
    qtbot.keyClick(grid.editor, Qt.Key.Key_A, CTRL)
    assert grid.editor.selectedText() == "425"
    assert grid.selection()[2:] == (1, 1)  # the grid's selection did not grow


def test_each_demo_describes_itself_where_it_is_chosen(qtbot, window):
    from convviz.engine import DEMO_INFO

    file_menu = window.menuBar().actions()[0].menu()
    demos = next(a.menu() for a in file_menu.actions() if a.text() == "New from demo")
    assert demos.toolTipsVisible()
    tips = {a.text().split(":")[0]: a.toolTip() for a in demos.actions()}
    assert tips == {name: info[1] for name, info in DEMO_INFO.items()}
