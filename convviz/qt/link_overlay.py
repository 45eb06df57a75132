"""A line from the window on the input to the output cell it produced, across the panels."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .overlays import WINDOW


class LinkOverlay(QWidget):
    """A transparent layer over ``parent`` that draws the link; it never takes a mouse click."""

    def __init__(self, parent: QWidget, input_view, feature_map) -> None:
        super().__init__(parent)
        self.input_view = input_view
        self.feature_map = feature_map
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        parent.installEventFilter(self)
        input_view.session.step_changed.connect(self.update)
        input_view.session.data_changed.connect(self.update)
        self.setGeometry(parent.rect())
        self.raise_()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def _anchor(self, grid, rect, side: str) -> QPointF | None:
        if rect is None or not grid.isVisible():
            return None
        x = rect.right() if side == "right" else rect.left()
        scene = grid.box.mapViewToScene(QPointF(x, rect.center().y()))
        local = grid.mapFromScene(scene)
        return QPointF(self.mapFromGlobal(grid.mapToGlobal(local)))

    def endpoints(self) -> tuple[QPointF, QPointF] | None:
        """Where the line starts (window's right edge) and ends (output cell's left edge)."""
        start = self._anchor(self.input_view.grid, self.input_view.window_rect(), "right")
        end = self._anchor(self.feature_map.grid, self.feature_map.current_rect(), "left")
        if start is None or end is None:
            return None
        return start, end

    def paintEvent(self, event) -> None:
        points = self.endpoints()
        if points is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(WINDOW)
        colour.setAlpha(150)
        painter.setPen(QPen(colour, 3, Qt.PenStyle.DashLine))
        painter.drawLine(*points)
        painter.setBrush(colour)
        painter.drawEllipse(points[1], 5, 5)
        painter.end()
