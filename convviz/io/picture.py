"""Feature maps as pictures: one coloured block of pixels per cell, filters side by side."""

from __future__ import annotations

import numpy as np

from ..colormaps import SIGNED_DEFAULT, colourise, value_range


def panels(values: np.ndarray) -> list[np.ndarray]:
    """Split an ``(F, *O)`` map into 2-D panels: one per filter, and per depth slice in 3-D.

    A 1-D map becomes one row per filter.
    """
    values = np.asarray(values)
    if values.ndim == 2:
        return [values]
    if values.ndim == 3:
        return list(values)
    if values.ndim == 4:
        return [plane for volume in values for plane in volume]
    raise ValueError(f"cannot draw a map of shape {values.shape}")


def map_picture(
    values: np.ndarray,
    *,
    scale: int = 1,
    colormap: str = SIGNED_DEFAULT,
    value_mode: str = "symmetric",
    gap: int | None = None,
) -> np.ndarray:
    """An RGBA picture of a ``(F, *O)`` map: ``scale`` pixels per cell, panels left to right.

    Panels are separated by ``gap`` transparent pixels (one cell's width by default).
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1 pixel per cell, got {scale}")
    low, high = value_range(values, value_mode)
    parts = panels(values)
    gap = scale if gap is None else gap
    rows = max(p.shape[0] for p in parts) * scale
    width = sum(p.shape[1] * scale for p in parts) + gap * (len(parts) - 1)
    picture = np.zeros((rows, width, 4), dtype=np.uint8)
    left = 0
    for part in parts:
        rgba = colourise(part, colormap, low, high)
        rgba = np.repeat(np.repeat(rgba, scale, axis=0), scale, axis=1)
        picture[: rgba.shape[0], left : left + rgba.shape[1]] = rgba
        left += rgba.shape[1] + gap
    return picture
