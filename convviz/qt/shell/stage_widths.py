"""How the stage's width is shared between the input, the computation and the map.

They start from fixed shares (5 : 4 : 5). When the computation's grids would be drawn with
cells smaller than they could be at their height (cs231n's three channels of window × kernel
= products were drawn at 9 pixels beside a half-empty input), the computation takes the width
it needs from the input and the map, but only what they do not need themselves: each keeps
the width at which its own cells are as large as its height allows, up to a readable size.
"""

from __future__ import annotations

DEFAULT_SHARES = (5, 4, 5)  # input, computation, map
LENS_SHARES = (1, 2, 1)  # a lens (matrices, spectra) in the middle takes half to start with
LENS_MAP_SHARE = 0.2  # beside a lens the map keeps this share of the width at least
MIN_PANEL = 180  # narrower, a panel's title and buttons are cut
READABLE_CELL = 36  # cells larger than this do not make numbers easier to read from afar


def default_widths(total: int, shares=DEFAULT_SHARES) -> list[int]:
    """``total`` pixels in ``shares`` (input, computation, map)."""
    whole = sum(shares)
    sizes = [total * share // whole for share in shares]
    sizes[-1] += total - sum(sizes)
    return sizes


def grid_width_needed(rows: float, cols: float, height: float, margin: float = 24) -> float:
    """The width past which a grid of square cells ``rows`` × ``cols`` at ``height`` gains
    nothing: its cells as large as the height allows, at most ``READABLE_CELL``."""
    if rows <= 0 or cols <= 0 or height <= 0:
        return MIN_PANEL
    return cols * min(height / rows, READABLE_CELL) + margin


def widths_for(total: int, needed: list[float], shares=DEFAULT_SHARES) -> list[int]:
    """Input, computation and map widths for a stage ``total`` pixels wide whose panels need
    ``needed`` pixels: ``shares``, the computation (or lens) widened with what the input and
    the map can spare."""
    sizes = default_widths(total, shares)
    deficit = needed[1] - sizes[1]
    spares = [max(0.0, sizes[i] - max(needed[i], MIN_PANEL)) for i in (0, 2)]
    take = min(deficit, sum(spares))
    if take <= 0:
        return sizes
    from_input = int(take * spares[0] / sum(spares))
    sizes[0] -= from_input
    sizes[1] += int(take)
    sizes[2] = total - sizes[0] - sizes[1]
    return sizes
