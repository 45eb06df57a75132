"""Shapes drawn over a grid: the window, its taps, the padding ring, highlighted cells."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

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


class _CosmeticBounds:
    """Keeps ``_cosmetic_margin`` until the view it is drawn in zooms or resizes: the scene
    asks for an item's bounds many times a step, and each answer had mapped it to the screen."""

    _margin: float | None = None
    _watching = False

    def _margin_now(self) -> float:
        if self._margin is not None:
            return self._margin
        margin = _cosmetic_margin(self)
        scene = self.scene()
        if scene is not None and scene.views() and self._watch():
            self._margin = margin
        return margin

    def _watch(self) -> bool:
        """Hear of the view box's zoom (the item is in its ``childGroup``); False if not in one."""
        if not self._watching:
            group = self.parentItem()
            box = group.parentItem() if group is not None else None
            signal = getattr(box, "sigTransformChanged", None)
            if signal is None:
                return False
            signal.connect(self._forget_margin)
            self._watching = True
        return True

    def _forget_margin(self, *_args) -> None:
        if self._margin is not None:
            self.prepareGeometryChange()
            self._margin = None


class CosmeticRectItem(_CosmeticBounds, QGraphicsRectItem):
    """A rectangle whose bounds count its pen in pixels, as it is drawn.

    ``QGraphicsRectItem`` counts a cosmetic pen's width in scene units: a 5-pixel outline on
    cells of one unit claimed five cells around it, so moving the window repainted most of the
    view on every step.
    """

    def boundingRect(self) -> QRectF:
        m = self._margin_now()
        return self.rect().adjusted(-m, -m, m, m)


class CosmeticPathItem(_CosmeticBounds, QGraphicsPathItem):
    """A path whose bounds count its pen in pixels (see ``CosmeticRectItem``)."""

    def boundingRect(self) -> QRectF:
        m = self._margin_now()
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


class ScreenText(QGraphicsSimpleTextItem):
    """Words of a fixed size in pixels at a point of a grid, ``anchor`` (0–1 across, 0–1 down)
    of them on the point: pyqtgraph's ``TextItem`` lays itself out again whenever it is
    painted, a good part of a step's cost where the maps are labelled."""

    def __init__(self, text: str, colour: QColor, anchor=(0.5, 0.5), font: QFont | None = None):
        super().__init__(text)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QBrush(colour))
        self.anchor = anchor
        if font is not None:
            self.setFont(font)
        self._place()

    def setFont(self, font: QFont) -> None:
        super().setFont(font)
        self._place()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._place()

    def _place(self) -> None:
        size = super().boundingRect()
        across, down = self.anchor
        self.setTransform(QTransform.fromTranslate(-across * size.width(), -down * size.height()))
