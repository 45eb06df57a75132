"""Grids zoom with the wheel within limits, pan with a middle- or right-button drag, and show
the whole grid again on a double-click."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent

from convviz.qt.widgets.grid_view import MAX_ZOOM_OUT, MIN_CELLS_SHOWN


def _wheel(grid, notches: int) -> None:
    centre = QPointF(grid.width() / 2, grid.height() / 2)
    delta = QPoint(0, 120 if notches > 0 else -120)
    for _ in range(abs(notches)):
        event = QWheelEvent(
            centre,
            QPointF(grid.mapToGlobal(centre.toPoint())),
            QPoint(),
            delta,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        grid.wheelEvent(event)


def test_the_wheel_zooms_within_limits(qtbot, window):
    grid = window.feature_map.grid
    whole = grid.view_span()
    _wheel(grid, 40)  # far in
    assert MIN_CELLS_SHOWN * 0.8 <= grid.view_span() < whole / 4
    _wheel(grid, -80)  # far out
    assert whole < grid.view_span() <= MAX_ZOOM_OUT * grid.whole_span()


def test_a_middle_drag_pans_and_a_double_click_shows_the_whole_grid(qtbot, window):
    grid = window.feature_map.grid
    whole = grid.box.viewRange()
    _wheel(grid, 8)
    centre = QPoint(grid.width() // 2, grid.height() // 2)
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.MiddleButton, pos=centre)
    before = grid.box.viewRange()[0][0]
    qtbot.mouseMove(grid.viewport(), centre + QPoint(60, 0))
    from PySide6.QtGui import QMouseEvent

    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(centre + QPoint(60, 0)),
        QPointF(grid.viewport().mapToGlobal(centre + QPoint(60, 0))),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.MiddleButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.mouseMoveEvent(move)
    assert grid.box.viewRange()[0][0] < before  # dragged right: the view moved left
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.MiddleButton, pos=centre)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    after = grid.box.viewRange()
    for (a0, a1), (w0, w1) in zip(after, whole, strict=True):
        assert abs(a0 - w0) < 1e-6 and abs(a1 - w1) < 1e-6
