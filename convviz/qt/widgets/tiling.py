"""Several grids on one view (channels, depth slices, maps), in the rows and columns that make
their cells largest, with room above each for its label ("channel 2", "filter 3", "depth −1")."""

from __future__ import annotations

import math

from PySide6.QtGui import QColor, QFont

from .overlays import ScreenText

LABEL_PX = 18  # the height a grid's label needs above it
LABEL_GAP_CELLS = 6  # at most: a photo's cells are too small to make room for labels
LABEL_Z = 12  # over the patch of freshly computed cells, which spans the gaps between grids


def label_gap(cell_px: float) -> int:
    """How many cells tall the gap above a labelled grid must be for its label, when cells are
    ``cell_px`` pixels (one cell had put "filter 3" over the grid above it); 0 when even
    ``LABEL_GAP_CELLS`` cells are too short: such grids go unlabelled (a 4096² photo's
    "channel 2" had been written over its grid)."""
    gap = max(1, math.ceil(LABEL_PX / max(cell_px, 1e-6)))
    return gap if gap <= LABEL_GAP_CELLS else 0


def tile_layout(
    count: int, rows: int, cols: int, area: tuple[float, float], labelled: bool
) -> tuple[int, int]:
    """How many of ``count`` grids of ``rows`` × ``cols`` cells go side by side in an
    ``area`` (width, height) of pixels so that the cells come out largest (one column apart,
    the label gap apart from the row below), and that gap in cells: 1 unlabelled, 0 when
    the cells are too small for labels (then 1 cell apart, unlabelled)."""
    area_w, area_h = max(area[0], 1), max(area[1], 1)

    def layout(per_row: int) -> tuple[float, int]:
        lines = -(-count // per_row)
        across = area_w / (per_row * (cols + 1))
        cell = min(across, area_h / (lines * (rows + 1)))
        gap = label_gap(cell) if labelled else 1
        return min(across, area_h / (lines * (rows + max(gap, 1)))), gap

    best = max(range(1, count + 1), key=lambda per_row: layout(per_row)[0])
    return best, layout(best)[1]


def grid_label(words: str, colour: QColor) -> ScreenText:
    """A grid's label, centred over the point it is put at (its bottom edge on it)."""
    label = ScreenText(words, colour, (0.5, 1), QFont("DejaVu Sans", 11))
    label.setZValue(LABEL_Z)
    return label
