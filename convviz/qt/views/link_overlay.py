"""A line from the window on the input to the output cell it produced, across the panels."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPolygon, QRegion
from PySide6.QtWidgets import QWidget

from ..widgets.overlays import WINDOW


def line_region(start: QPointF, end: QPointF, reach: int = 8) -> QRegion:
    """The band ``reach`` pixels either side of the line from ``start`` to ``end`` (and round
    its ends): a diagonal line's region, unlike its rectangle, leaves most of the window out."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    length = math.hypot(dx, dy)
    if length < 1:
        return QRegion(QRect(int(start.x()) - reach, int(start.y()) - reach, 2 * reach, 2 * reach))
    # A unit step along the line and one across it, both ``reach`` pixels long.
    ax, ay = dx / length * reach, dy / length * reach
    corners = [
        QPoint(round(start.x() - ax - ay), round(start.y() - ay + ax)),
        QPoint(round(end.x() + ax - ay), round(end.y() + ay + ax)),
        QPoint(round(end.x() + ax + ay), round(end.y() + ay - ax)),
        QPoint(round(start.x() - ax + ay), round(start.y() - ay - ax)),
    ]
    return QRegion(QPolygon(corners))


class LinkOverlay(QWidget):
    """A transparent layer over ``parent`` that draws the link; it never takes a mouse click.

    The line passes behind the widgets ``avoid()`` returns (the computation's grids and
    sentences, and its plot once made), so it never crosses a number there.
    """

    def __init__(self, parent: QWidget, input_view, feature_map, avoid=tuple) -> None:
        super().__init__(parent)
        self.input_view = input_view
        self.feature_map = feature_map
        self.avoid = avoid
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        parent.installEventFilter(self)
        self._drawn = QRegion()
        self._pending = False
        input_view.session.playhead.moved.connect(lambda _stage_changed: self.refresh())
        input_view.session.document_changed.connect(self.refresh)
        # A lens fills the middle with its own pictures: the link would cross their numbers.
        input_view.session.view.changed.connect(lambda name: name == "lens" and self.refresh())
        self.setGeometry(parent.rect())
        self.raise_()

    def refresh(self) -> None:
        """Repaint along the old and the new line once every view has taken the change (the
        map may not have moved its newest cell yet: a line drawn to a place not yet known
        would be left behind on the next step)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._repaint_line)

    def _repaint_line(self) -> None:
        """Repaint only along the old and the new line: a staircase of small squares that
        covers each, not the rectangle around it (a diagonal line's rectangle spans most of the
        window, and everything under it would be painted again on every step)."""
        self._pending = False
        points = self.endpoints()
        region = QRegion() if points is None else line_region(*points)
        dirty = self._drawn.united(region)
        self._drawn = region
        if not dirty.isEmpty():
            self.update(dirty)

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def _anchor(self, grid, rect, side: str) -> QPointF | None:
        if rect is None or not grid.isVisible():
            return None
        # Top corners: the line then runs along cell borders, never through a number.
        corner = rect.topRight() if side == "right" else rect.topLeft()
        scene = grid.box.mapViewToScene(corner)
        local = grid.mapFromScene(scene)
        return QPointF(self.mapFromGlobal(grid.mapToGlobal(local)))

    def endpoints(self) -> tuple[QPointF, QPointF] | None:
        """Where the line starts (window's top-right corner) and ends (output cell's top-left)."""
        if self.input_view.session.view.lens != "sliding":
            return None
        start = self._anchor(self.input_view.grid, self.input_view.window_rect(), "right")
        end = self._anchor(self.feature_map.grid, self.feature_map.current_rect(), "left")
        if start is None or end is None:
            return None
        return start, end

    def free_region(self) -> QRegion:
        """Everywhere but the parts of the ``avoid`` widgets that hold something."""
        region = QRegion(self.rect())
        for widget in self.avoid():
            if not widget.isVisible():
                continue
            height = widget.height()
            if widget.hasHeightForWidth():  # painted grids: only as tall as what they paint
                height = min(height, widget.heightForWidth(widget.width()))
            corner = self.mapFromGlobal(widget.mapToGlobal(QPoint(0, 0)))
            region = region.subtracted(QRegion(QRect(corner, QSize(widget.width(), height))))
        return region

    def paintEvent(self, event) -> None:
        if not self._drawn.isEmpty() and not event.region().intersects(self._drawn):
            return  # a view beneath repainted elsewhere: the line is not there
        points = self.endpoints()
        if points is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRegion(self.free_region())
        colour = QColor(WINDOW)
        colour.setAlpha(170)
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        painter.drawLine(*points)
        painter.setBrush(colour)
        painter.drawEllipse(points[1], 4, 4)
        painter.end()
