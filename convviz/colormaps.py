"""Colour maps as 256-entry RGB tables, shared by the views and the image exporters (no Qt)."""

from __future__ import annotations

import numpy as np

# Anchor colours, evenly spaced from the lowest value to the highest; facts from the published maps.
_ANCHORS: dict[str, list[str]] = {
    # Blue for negative, white for zero, red for positive: signed data at a glance.
    "diverging": ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"],
    # Perceptually uniform.
    "viridis": [
        "#440154",
        "#482475",
        "#414487",
        "#355f8d",
        "#2a788e",
        "#21918c",
        "#22a884",
        "#44bf70",
        "#7ad151",
        "#bddf26",
        "#fde725",
    ],
    # Perceptually uniform and readable with the common colour-vision deficiencies.
    "cividis": [
        "#00224e",
        "#123570",
        "#3b496c",
        "#575d6d",
        "#707173",
        "#8a8779",
        "#a69d75",
        "#c4b56c",
        "#e4cf5b",
        "#fee838",
    ],
    "grey": ["#000000", "#ffffff"],
}

COLORMAPS: tuple[str, ...] = tuple(_ANCHORS)
"""Colour map names; the first suits signed data and is the default."""

SIGNED_DEFAULT = "diverging"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def lookup_table(name: str) -> np.ndarray:
    """The ``(256, 3)`` uint8 table of colour map ``name`` (made once; read-only)."""
    if name not in _ANCHORS:
        raise ValueError(f"unknown colormap {name!r}; choose one of {', '.join(COLORMAPS)}")
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = _make_table(name)
        table.flags.writeable = False
    return table


_TABLES: dict[str, np.ndarray] = {}


def _make_table(name: str) -> np.ndarray:
    anchors = np.array([_rgb(c) for c in _ANCHORS[name]], dtype=np.float64)
    where = np.linspace(0, 1, len(anchors))
    t = np.linspace(0, 1, 256)
    table = np.column_stack([np.interp(t, where, anchors[:, i]) for i in range(3)])
    return np.round(table).astype(np.uint8)


def value_range(values: np.ndarray, mode: str = "symmetric") -> tuple[float, float]:
    """The range a colour map spans: ``data`` (min to max) or ``symmetric`` (±max |value|).

    NaN and infinite values are ignored; a flat range is widened so that it is never empty.
    """
    if mode not in ("symmetric", "data"):
        raise ValueError(f"unknown value range {mode!r}; use 'data' or 'symmetric'")
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return (-1.0, 1.0)
    # One pass over the values when they are all finite (a photo's 4 million cells: a few
    # milliseconds); NaN or ∞ anywhere makes the extremes non-finite, and only then are the
    # finite cells picked out.
    low, high = float(values.min()), float(values.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return (-1.0, 1.0)
        low, high = float(finite.min()), float(finite.max())
    if mode == "symmetric":
        top = max(abs(low), abs(high)) or 1.0
        return (-top, top)
    return (low, high) if high > low else (low - 1.0, high + 1.0)


def colourise(
    values: np.ndarray, name: str, low: float, high: float, missing=(0, 0, 0, 0)
) -> np.ndarray:
    """Map values to RGBA uint8 through colour map ``name`` over ``[low, high]``.

    NaN (a cell not computed yet) gets the ``missing`` colour.
    """
    values = np.asarray(values, dtype=np.float64)
    table = lookup_table(name)
    with np.errstate(invalid="ignore"):
        t = np.clip((values - low) / (high - low), 0, 1)
    index = np.nan_to_num(t * 255, nan=0).round().astype(np.intp)
    rgba = np.empty((*values.shape, 4), dtype=np.uint8)
    rgba[..., :3] = table[index]
    rgba[..., 3] = 255
    rgba[np.isnan(values)] = missing
    return rgba


def symmetric_range_after(levels, old_block, new_block) -> tuple[float, float] | None:
    """The ``symmetric`` range of values whose range was ``levels`` after the cells
    ``old_block`` became ``new_block``, without reading the other cells; None when it takes
    them all (an extreme cell changed to a smaller value, or a cell that is not finite)."""
    top = float(levels[1])
    old = np.asarray(old_block, dtype=np.float64)
    new = np.asarray(new_block, dtype=np.float64)
    if new.size == 0:
        return (-top, top)
    if not (np.all(np.isfinite(new)) and np.all(np.isfinite(old))):
        return None
    new_top, old_top = float(np.max(np.abs(new))), float(np.max(np.abs(old)))
    if new_top > top:
        return (-new_top, new_top)
    if old_top < top or new_top == top:
        return (-top, top)
    return None
