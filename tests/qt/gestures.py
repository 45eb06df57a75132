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


def drag_through_cells(qtbot, grid, cells, button=Qt.MouseButton.LeftButton):
    """Press on the first cell, move through the others with the button held, release on the
    last (QTest's mouseMove carries no button, so the moves are sent as events)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = grid.viewport()
    points = [grid.cell_center_px(r, c).toPoint() for r, c in cells]
    qtbot.mousePress(viewport, button, pos=points[0])
    for point in points[1:]:
        local = QPointF(point)
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            local,
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            button,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, button, pos=points[-1])
