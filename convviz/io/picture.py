"""Grids as pictures: one coloured block of pixels per cell, panels side by side.

At one pixel per cell the picture is exact (for further processing); scaled up it can carry the
values, grid lines and a colour bar, for slides.
"""

from __future__ import annotations

import numpy as np

from ..colormaps import SIGNED_DEFAULT, colourise, lookup_table, value_range
from ..numbers import MINUS, fmt
from .readers import MAX_IMAGE_PIXELS

GRID_LINE = (90, 90, 90, 255)
BAR_WIDTH = 24
BAR_MARGIN = 90


def panels(values: np.ndarray) -> list[np.ndarray]:
    """Split an ``(F, *O)`` map into 2-D panels: one per filter, and per depth slice in 3-D.

    A 1-D map becomes one row per filter; a vector (a linear layer's outputs) one row.
    """
    values = np.asarray(values)
    if values.ndim == 1:
        return [values[None]]
    if values.ndim == 2:
        return [values]
    if values.ndim == 3:
        return list(values)
    if values.ndim == 4:
        return [plane for volume in values for plane in volume]
    raise ValueError(f"cannot draw a map of shape {values.shape}")


def resolve_range(values: np.ndarray, value_mode="symmetric") -> tuple[float, float]:
    """``data``, ``symmetric``, or a fixed ``(low, high)`` pair, as the colours' range."""
    if isinstance(value_mode, tuple | list):
        low, high = (float(v) for v in value_mode)
        if not high > low:
            raise ValueError(f"a fixed range needs low < high, got {low:g} to {high:g}")
        return low, high
    return value_range(values, value_mode)


def _label(value: float) -> str:
    # Pillow's built-in font has no Unicode minus sign.
    return fmt(value).replace(MINUS, "-")


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=max(size, 8))


def _draw_labels(
    picture: np.ndarray, part: np.ndarray, left: int, scale: int, low, high, colormap
) -> np.ndarray:
    from PIL import Image, ImageDraw

    image = Image.fromarray(picture)
    draw = ImageDraw.Draw(image)
    texts = [["" if np.isnan(v) else _label(v) for v in row] for row in part]
    widest = max((len(t) for row in texts for t in row), default=1)
    font = _font(int(min(scale * 0.4, scale * 1.5 / max(widest, 1))))
    table = lookup_table(colormap)
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if not text:
                continue
            t = 0.0 if high == low else min(max((part[r, c] - low) / (high - low), 0), 1)
            dark = float(table[round(t * 255)] @ np.array([0.299, 0.587, 0.114])) < 110
            centre = (left + c * scale + scale / 2, r * scale + scale / 2)
            draw.text(
                centre,
                text,
                fill=(255, 255, 255, 255) if dark else (20, 20, 20, 255),
                font=font,
                anchor="mm",
            )
    return np.asarray(image)


def _colour_bar(height: int, low: float, high: float, colormap: str) -> np.ndarray:
    from PIL import Image, ImageDraw

    bar = np.full((height, BAR_WIDTH + BAR_MARGIN, 4), 255, dtype=np.uint8)
    ramp = np.linspace(high, low, height)[:, None].repeat(BAR_WIDTH, axis=1)
    bar[:, 8 : 8 + BAR_WIDTH - 8] = colourise(ramp, colormap, low, high)[:, : BAR_WIDTH - 8]
    image = Image.fromarray(bar)
    draw = ImageDraw.Draw(image)
    font = _font(min(16, max(height // 8, 9)))
    draw.text((BAR_WIDTH + 4, 0), _label(high), fill=(0, 0, 0, 255), font=font, anchor="lt")
    draw.text((BAR_WIDTH + 4, height), _label(low), fill=(0, 0, 0, 255), font=font, anchor="lb")
    return np.asarray(image)


def map_picture(
    values: np.ndarray,
    *,
    scale: int = 1,
    colormap: str = SIGNED_DEFAULT,
    value_mode="symmetric",
    gap: int | None = None,
    labels: bool = False,
    grid_lines: bool = False,
    colour_bar: bool = False,
) -> np.ndarray:
    """An RGBA picture of a ``(F, *O)`` map (or one 2-D grid): ``scale`` pixels per cell.

    Panels stand left to right, ``gap`` transparent pixels apart (one cell by default).
    ``value_mode`` is ``data``, ``symmetric`` (0 in the middle) or a fixed ``(low, high)``.
    Labels need at least 12 pixels per cell and grid lines at least 4; below that they are
    left out rather than smudged.
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1 pixel per cell, got {scale}")
    cells = int(np.prod(np.shape(values), dtype=np.int64))
    if cells * scale * scale > MAX_IMAGE_PIXELS:  # the gaps between maps add little
        raise ValueError(
            f"{scale} pixels per cell makes a picture of about {cells * scale * scale:.1e} "
            f"pixels, more than convviz writes ({MAX_IMAGE_PIXELS:,}); use a smaller scale"
        )
    low, high = resolve_range(values, value_mode)
    parts = panels(values)
    gap = scale if gap is None else gap
    rows = max(p.shape[0] for p in parts) * scale
    width = sum(p.shape[1] * scale for p in parts) + gap * (len(parts) - 1)
    picture = np.zeros((rows, width, 4), dtype=np.uint8)
    left = 0
    places = []
    for part in parts:
        rgba = colourise(part, colormap, low, high)
        rgba = np.repeat(np.repeat(rgba, scale, axis=0), scale, axis=1)
        if grid_lines and scale >= 4:
            rgba[::scale, :] = GRID_LINE
            rgba[:, ::scale] = GRID_LINE
            rgba[-1, :] = GRID_LINE
            rgba[:, -1] = GRID_LINE
        picture[: rgba.shape[0], left : left + rgba.shape[1]] = rgba
        places.append((part, left))
        left += rgba.shape[1] + gap
    if labels and scale >= 12:
        for part, start in places:
            picture = _draw_labels(
                picture, np.asarray(part, dtype=np.float64), start, scale, low, high, colormap
            )
    if colour_bar:
        picture = np.concatenate([picture, _colour_bar(rows, low, high, colormap)], axis=1)
    return picture
