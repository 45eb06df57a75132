"""A line from the window on the input to the output cell it produced, across the panels."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QRegion
from PySide6.QtWidgets import QWidget

from ..widgets.overlays import WINDOW


def line_region(start: QPointF, end: QPointF, reach: int = 8, step: int = 48) -> QRegion:
    """Squares ``reach`` pixels beyond the line from ``start`` to ``end``, one per ``step``
    pixels of its length: a diagonal line's rectangle would cover most of the window, and a
    band that follows it closely is hundreds of thin rectangles that every view beneath must
    clip against."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    pieces = max(1, math.ceil(math.hypot(dx, dy) / step))
    region = QRegion()
    for k in range(pieces):
        a = QPointF(start.x() + dx * k / pieces, start.y() + dy * k / pieces)
        b = QPointF(start.x() + dx * (k + 1) / pieces, start.y() + dy * (k + 1) / pieces)
        box = QRectF(a, b).normalized().adjusted(-reach, -reach, reach, reach)
        region = region.united(box.toAlignedRect())
    return region


class LinkOverlay(QWidget):
    """A transparent layer over ``parent`` that draws the link; it never takes a mouse click.

    The line passes behind the widgets ``avoid()`` returns (the computation's grids and
    sentences, and its plot once made), so it never crosses a number there.
    """

    def __init__(
        self, parent: QWidget, input_view, feature_map, avoid=tuple, via=lambda: None
    ) -> None:
        super().__init__(parent)
        self.input_view = input_view
        self.feature_map = feature_map
        self.via = via  # the computation's (arrival, departure) global points, or None
        self.avoid = avoid
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        parent.installEventFilter(self)
        self._drawn = QRegion()
        self._drawn_points = None  # the line ``_drawn`` covers
        self._free: QRegion | None = None  # free_region(), kept from one step to the next
        self._pending = False
        self._watching_window = False
        input_view.session.playhead.moved.connect(lambda _stage_changed: self.refresh())
        input_view.session.document_changed.connect(self.refresh)
        # A lens fills the middle with its own pictures: the link would cross their numbers.
        input_view.session.view.changed.connect(lambda name: name == "lens" and self.refresh())
        self.setGeometry(parent.rect())
        self.raise_()

    def refresh(self) -> None:
        """Repaint along the old and the new line once every view has taken the change (the
        map may not have moved its newest cell yet: a line drawn to a place not yet known
        would be left behind on the next step). That is just before the window paints what
        the step changed, in the same pass (a later pass would paint the views under the line
        a second time); a timer covers a change that repaints nothing else."""
        if not self._pending:
            self._pending = True
            if not self._watching_window:
                self.window().installEventFilter(self)
                self._watching_window = True
            QTimer.singleShot(0, self, self._repaint_line)

    def _repaint_line(self) -> None:
        if self._pending:
            self._repaint_now()

    def _repaint_now(self) -> None:
        """Repaint only along the old and the new line: a staircase of small squares that
        covers each, not the rectangle around it (a diagonal line's rectangle spans most of the
        window, and everything under it would be painted again on every step)."""
        self._pending = False
        points = self.segments()
        self._free = self.free_region()
        # Not where the grids and sentences hide the line: what is beneath stays as drawn.
        region = QRegion()
        for segment in points or ():
            region = region.united(line_region(*segment))
        region = region.intersected(self._free)
        dirty = self._drawn.united(region)
        self._drawn, self._drawn_points = region, points
        if not dirty.isEmpty():
            self.update(dirty)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            if self._pending and watched is self.window():
                self._repaint_now()
            return False
        if watched is not self.parentWidget():
            return False
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._free = None
            if self.geometry() != watched.rect():
                self.setGeometry(watched.rect())
            siblings = [child for child in watched.children() if isinstance(child, QWidget)]
            if siblings and siblings[-1] is not self:
                self.raise_()  # raised again only when a widget came over it: a raise repaints
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

    def segments(self) -> tuple[tuple[QPointF, QPointF], ...] | None:
        """The lines drawn: from the window to the computation's window grid, and from its
        products to the output cell (one straight line, passing behind the computation,
        when the computation's grids are not in view). A straight line from input to output
        had run behind a wide computation and showed only as two stubs."""
        ends = self.endpoints()
        if ends is None:
            return None
        via = self.via()
        if via is None:
            return (ends,)
        arrive, leave = (QPointF(self.mapFromGlobal(point)) for point in via)
        if not (ends[0].x() < arrive.x() and leave.x() < ends[1].x()):
            return (ends,)  # the computation is not between them (a narrow or odd layout)
        # Square corners, turning in the gaps between the panels: out of the input along the
        # window's top border, into the computation along its window grid's top border; out
        # of the products along their top border, into the map along the cell's row border.
        # A slanted line had struck through the map's finished numbers, and had run behind
        # the kernel grid (it read as "kernel → output") and the channels below the window.
        start, end = ends
        out_x = max(self._grid_edge(self.input_view.grid, "right"), start.x())
        in_x = min(self._grid_edge(self.feature_map.grid, "left"), end.x())
        out_x = min(out_x, arrive.x() - 4)
        in_x = max(in_x, leave.x() + 4)
        corner = self._way_out(start)
        up = ((start, corner),) if corner != start else ()
        return (
            *up,
            (corner, QPointF(out_x, corner.y())),
            (QPointF(out_x, corner.y()), QPointF(out_x, arrive.y())),
            (QPointF(out_x, arrive.y()), arrive),
            (leave, QPointF(in_x, leave.y())),
            (QPointF(in_x, leave.y()), QPointF(in_x, end.y())),
            (QPointF(in_x, end.y()), end),
        )

    def _way_out(self, start: QPointF) -> QPointF:
        """Where the line turns toward the computation: up the window's right edge into the
        band over its row of grids, above the grids' labels (through them it had struck out
        "depth 0"), when another grid stands beside it (a line along that grid's cells had
        read as if it came from there); else at the window's corner itself."""
        view = self.input_view
        band = view.band_above_row(view.window_rect())
        if band is None:
            return start
        band_top, row_top = (self._y_of(view.grid, y) for y in band[:2])
        label = band[2]
        free_bottom = row_top - label
        y = (band_top + free_bottom) / 2 if free_bottom - band_top >= 4 else row_top - 2
        return QPointF(start.x(), min(y, start.y()))

    def _y_of(self, grid, y: float) -> float:
        """Scene row ``y`` of ``grid`` in this overlay's pixels."""
        point = grid.mapFromScene(grid.box.mapViewToScene(QPointF(0, y)))
        return QPointF(self.mapFromGlobal(grid.mapToGlobal(point))).y()

    def _grid_edge(self, grid, side: str) -> float:
        """The x of ``grid``'s cells' ``side`` edge in this overlay, a few pixels outside."""
        view = grid.box.viewRect()
        values = grid.values
        c0 = grid.origin[1]
        left_col, right_col = c0 - 0.5, c0 - 0.5 + values.shape[1]
        x = max(left_col, view.left()) if side == "left" else min(right_col, view.right())
        point = grid.mapFromScene(grid.box.mapViewToScene(QPointF(x, view.top())))
        local = QPointF(self.mapFromGlobal(grid.mapToGlobal(point)))
        return local.x() - 6 if side == "left" else local.x() + 6

    def free_region(self) -> QRegion:
        """Everywhere but the parts of the ``avoid`` widgets that hold something."""
        region = QRegion(self.rect())
        for widget in self.avoid():
            if not widget.isVisible():
                continue
            corner = self.mapFromGlobal(widget.mapToGlobal(QPoint(0, 0)))
            if hasattr(widget, "painted_rects"):  # painted grids: only what they paint
                for rect in widget.painted_rects():
                    region = region.subtracted(QRegion(rect.translated(corner)))
                continue
            height = widget.height()
            if widget.hasHeightForWidth():  # only as tall as what it shows
                height = min(height, widget.heightForWidth(widget.width()))
            region = region.subtracted(QRegion(QRect(corner, QSize(widget.width(), height))))
        return region

    def paintEvent(self, event) -> None:
        points = self.segments()
        if points != self._drawn_points:
            # A view moved its window or cell without a step (a resize, a re-fit): the line
            # is drawn again, old and new places both, once every view has settled. Until
            # then only the line known to be drawn is painted: a line painted elsewhere by a
            # repaint beneath would be left behind where nothing repaints it.
            self.refresh()
            points = self._drawn_points
        if points is None or not event.region().intersects(self._drawn):
            return  # a view beneath repainted elsewhere: the line is not there
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRegion(self._drawn)
        colour = QColor(WINDOW)
        colour.setAlpha(170)
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        for segment in points:
            painter.drawLine(*segment)
        painter.setBrush(colour)
        painter.drawEllipse(points[-1][1], 4, 4)
        painter.end()
