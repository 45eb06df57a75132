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


def test_a_zoomed_in_grid_follows_the_window_as_it_steps(qtbot, window):
    from PySide6.QtCore import QRectF

    grid = window.input_view.grid
    grid.box.setRange(QRectF(-1.5, -1.5, 5, 5), padding=0)  # zoomed in on the top-left corner
    qtbot.keyClick(window, Qt.Key.Key_End)  # the last window: the bottom-right corner
    (x0, x1), (y0, y1) = grid.box.viewRange()
    window_rect = window.input_view.window_rect()
    assert QRectF(x0, y0, x1 - x0, y1 - y0).contains(window_rect)
    assert x1 - x0 < 6  # still zoomed in: the view moved, it did not zoom out
    # shown whole, the grid stays put
    grid.fit()
    before = grid.box.viewRange()
    qtbot.keyClick(window, Qt.Key.Key_Home)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert grid.box.viewRange() == before
