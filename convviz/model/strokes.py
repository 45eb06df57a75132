"""Painting on the input with a soft round brush: the picture follows the pointer live, and the
whole stroke becomes one undoable edit when the button is released."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .document import Document
from .edits import CellsEdit, Edit

BRUSH_CORE = 0.5  # cells from the brush's centre that get the full value
BRUSH_EDGE = 1.7  # cells from the centre where the brush fades out to nothing
DAB_SPACING = 0.25  # cells between two dabs along a drag, so that a fast drag leaves no gaps
TOOLS = ("select", "brush", "eraser")
TOOL_VALUES = {"brush": 1.0, "eraser": 0.0}
"""What each painting tool leaves in the cells it covers fully."""


class PaintedSession(Protocol):
    """What a stroke needs of the session it paints on."""

    document: Document

    def grid(self, target: str, index=0) -> np.ndarray: ...

    def set_document(self, document: Document) -> None: ...

    def submit(self, edit: Edit) -> None: ...


def brush_coverage(shape, points, origin=(0, 0)) -> np.ndarray:
    """How strongly a stroke through ``points`` (``(row, col)`` in cells, fractions allowed)
    covers each cell of a block of ``shape`` whose top-left cell is ``origin``: 1 within
    ``BRUSH_CORE`` of the path, fading linearly to 0 at ``BRUSH_EDGE``; where dabs overlap
    the strongest counts, so going over a cell again changes nothing."""
    rows, cols = np.indices(shape, dtype=np.float64)
    rows += origin[0]
    cols += origin[1]
    coverage = np.zeros(shape)
    for row, col in points:
        distance = np.hypot(rows - row, cols - col)
        dab = np.clip((BRUSH_EDGE - distance) / (BRUSH_EDGE - BRUSH_CORE), 0.0, 1.0)
        np.maximum(coverage, dab, out=coverage)
    return coverage


def dabs_box(shape, points) -> tuple[slice, slice] | None:
    """The cells of a grid of ``shape`` that dabs at ``points`` can reach (None: none)."""
    reach = int(np.ceil(BRUSH_EDGE))
    rows = [r for r, _ in points]
    cols = [c for _, c in points]
    top, bottom = (
        max(int(np.floor(min(rows))) - reach, 0),
        min(int(max(rows)) + reach + 1, shape[0]),
    )
    left, right = (
        max(int(np.floor(min(cols))) - reach, 0),
        min(int(max(cols)) + reach + 1, shape[1]),
    )
    if top >= bottom or left >= right:
        return None
    return slice(top, bottom), slice(left, right)


def dabs_between(start, end) -> list[tuple[float, float]]:
    """Points from ``start`` to ``end`` (both included) at most ``DAB_SPACING`` cells apart."""
    (r0, c0), (r1, c1) = start, end
    count = max(1, int(np.ceil(np.hypot(r1 - r0, c1 - c0) / DAB_SPACING)))
    return [(r0 + (r1 - r0) * t, c0 + (c1 - c0) * t) for t in np.linspace(0, 1, count + 1)]


class Stroke:
    """One drag of the brush or the eraser over input grid ``index`` (a channel, or a channel
    and depth slice): each ``paint_to`` shows the stroke so far at once (the document changes,
    but no edit is kept), and ``finish`` turns the whole stroke into one ``CellsEdit``.

    The brush leaves ``value`` where it covers a cell fully and blends towards it at its soft
    edge, rounded to hundredths so that the cells read well.
    """

    def __init__(self, session: PaintedSession, index, value: float, tool: str = "brush") -> None:
        self.session = session
        self.index = index
        self.value = float(value)
        self.tool = tool
        self.start = session.document
        self.before = np.array(session.grid("input", index))
        self.points: list[tuple[float, float]] = []
        self._coverage = np.zeros(self.before.shape)
        self.painted = self.before.copy()

    def paint_to(self, row: float, col: float) -> None:
        """Drag the brush to ``(row, col)`` (in cells of the grid): every cell on the way."""
        point = (float(row), float(col))
        new = dabs_between(self.points[-1], point) if self.points else [point]
        self.points.append(point)
        # Only the cells the new dabs reach are worked out again (a photo has millions).
        box = dabs_box(self.before.shape, new)
        if box is None:
            return
        origin = (box[0].start, box[1].start)
        coverage = self._coverage[box]
        block = brush_coverage(coverage.shape, new, origin)
        np.maximum(coverage, block, out=coverage)
        before = self.before[box]
        painted = np.round(before + (self.value - before) * coverage, 2)
        painted[coverage == 0] = before[coverage == 0]  # untouched: as was
        shown = self.painted[box]
        if np.array_equal(painted, shown):
            return
        old = shown.copy()
        shown[...] = painted
        # The change from the picture shown a moment ago: the pipeline sums again only the
        # outputs these cells reach.
        step = CellsEdit("", "input", self.index, origin[0], origin[1], old, painted)
        self.session.set_document(step.apply(self.session.document))

    def finish(self) -> None:
        """End the stroke: one undoable edit holding every cell it changed (none: nothing)."""
        changed = np.argwhere(self.painted != self.before)
        if not len(changed):
            return
        (r0, c0), (r1, c1) = changed.min(axis=0), changed.max(axis=0) + 1
        old = self.before[r0:r1, c0:c1].copy()
        new = self.painted[r0:r1, c0:c1].copy()
        verb = "Paint" if self.tool == "brush" else "Erase"
        edit = CellsEdit(
            f"{verb} {r1 - r0}×{c1 - c0} cells", "input", self.index, int(r0), int(c0), old, new
        )
        # The edit starts from the document before the stroke, so that undo returns to it.
        self.session.set_document(self.start)
        self.session.submit(edit)

    def cancel(self) -> None:
        """Forget the stroke: the input is as it was before it."""
        if self.session.document is not self.start:
            self.session.set_document(self.start)
