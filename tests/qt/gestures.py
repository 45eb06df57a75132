"""What a user's hand does: click a grid cell, type into it."""

from PySide6.QtCore import Qt


def click_cell(qtbot, grid, row, col, modifier=None, double=False):
    """Click the centre of a grid cell."""
    pos = grid.cell_center_px(row, col).toPoint()
    modifier = modifier or Qt.KeyboardModifier.NoModifier
    if double:
        qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, modifier, pos)
    else:
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, modifier, pos)


def type_into_cell(qtbot, grid, row, col, text, key=Qt.Key.Key_Return):
    click_cell(qtbot, grid, row, col)
    qtbot.keyClicks(grid, text[0])
    assert grid.editing
    qtbot.keyClicks(grid.editor, text[1:])
    qtbot.keyClick(grid.editor, key)
