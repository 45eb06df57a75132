"""The colours a feature map must be drawn in, worked out apart from the view's patches."""

import numpy as np

from convviz.colormaps import colourise

BACKGROUND = (236, 236, 236, 255)  # behind the cells, and in the gaps between maps
PENDING = (212, 212, 212, 255)  # a map's cells not computed yet


def expected_map_colours(window, values=None) -> np.ndarray:
    """Every cell of the window's feature-map grid coloured from its value (``values``, the
    grid's own when not given): grey where a map's cell is not computed yet, the background
    between the maps."""
    fm = window.feature_map
    values = fm.grid.values if values is None else values
    rgba = colourise(values, fm.colormap, *fm._levels, missing=BACKGROUND)
    maps = ~np.isnan(fm.tiled(np.zeros(window.session.feature_map().shape)))
    rgba[maps & np.isnan(values)] = PENDING
    return rgba
