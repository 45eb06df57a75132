"""Shapes drawn over a grid: the window, its taps, the padding ring, highlighted cells."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem

WINDOW = QColor(255, 140, 0)  # the window and the output cell it produces share this colour
USES = QColor(0, 150, 70)
PADDING = QColor(120, 120, 120)
UNUSED = QColor(200, 40, 40)


def cosmetic_pen(colour: QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    """A pen whose width is in screen pixels, whatever the zoom."""
    pen = QPen(colour, width, style)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def _cosmetic_margin(item) -> float:
    """How far, in the item's units, its cosmetic pen reaches past its shape: half the pen's
    width in pixels (and a pixel for antialiasing) at the scale it is drawn at now."""
    pixels = item.pen().widthF() / 2 + 2
    scene = item.scene()
    views = scene.views() if scene is not None else []
    if not views:
        return pixels
    scale = abs(item.deviceTransform(views[0].viewportTransform()).m11())
    return pixels / scale if scale > 0 else pixels


class CosmeticRectItem(QGraphicsRectItem):
    """A rectangle whose bounds count its pen in pixels, as it is drawn.

    ``QGraphicsRectItem`` counts a cosmetic pen's width in scene units: a 5-pixel outline on
    cells of one unit claimed five cells around it, so moving the window repainted most of the
    view on every step.
    """

    def boundingRect(self) -> QRectF:
        m = _cosmetic_margin(self)
        return self.rect().adjusted(-m, -m, m, m)


class CosmeticPathItem(QGraphicsPathItem):
    """A path whose bounds count its pen in pixels (see ``CosmeticRectItem``)."""

    def boundingRect(self) -> QRectF:
        m = _cosmetic_margin(self)
        return self.path().controlPointRect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        return self.path()


def outline(colour: QColor, width: float, z: float) -> QGraphicsRectItem:
    """An unfilled rectangle item, hidden until given a rectangle."""
    item = CosmeticRectItem()
    item.setPen(cosmetic_pen(colour, width))
    item.setBrush(Qt.BrushStyle.NoBrush)
    item.setZValue(z)
    item.hide()
    return item


def cell_rect(row0: int, col0: int, rows: int = 1, cols: int = 1) -> QRectF:
    """The scene rectangle of a block of cells whose top-left cell is ``(row0, col0)``."""
    return QRectF(col0 - 0.5, row0 - 0.5, cols, rows)


def cells_path(cells: Iterable[tuple[int, int]], inset: float = 0.0) -> QPainterPath:
    """One path of square outlines, one per cell, shrunk by ``inset`` on each side."""
    path = QPainterPath()
    for r, c in cells:
        path.addRect(QRectF(c - 0.5 + inset, r - 0.5 + inset, 1 - 2 * inset, 1 - 2 * inset))
    return path


def path_item(pen: QPen, brush: QBrush | None, z: float) -> QGraphicsPathItem:
    """An empty path item to fill with ``setPath``."""
    item = CosmeticPathItem()
    item.setPen(pen)
    item.setBrush(brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    return item


def ring_path(outer: QRectF, inner: QRectF) -> QPainterPath:
    """The area between two rectangles (the padding ring)."""
    path = QPainterPath()
    path.addRect(outer)
    hole = QPainterPath()
    hole.addRect(inner)
    return path.subtracted(hole)


def hatch(colour: QColor, alpha: int) -> QBrush:
    """A diagonal hatch: marks cells that are not real data."""
    c = QColor(colour)
    c.setAlpha(alpha)
    return QBrush(c, Qt.BrushStyle.BDiagPattern)
