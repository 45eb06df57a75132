"""View state with one home: what the user chose to look at, not what is computed.

Views bind to it and keep no private copy; ``changed`` names the field that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .events import Event

COLORMAP_DEFAULT = "diverging"


@dataclass
class ViewState:
    """The colour map, presentation mode, the chosen input cell and what each grid shows.

    Attributes
    ----------
    colormap : str
        The colour map of every grid (main views, kernel editor, Layers panel).
    presentation : bool
        Presentation mode (large numbers, side panels folded away).
    chosen_cell : tuple or None
        ``(channel, coord)`` of the input cell the user clicked (its outputs light up).
    channel : int
        The input channel shown when channels are drawn one at a time.
    kernel_filter, kernel_channel, kernel_depth : int
        Which filter, channel and depth slice the kernel editor shows.
    receptive_field : tuple or None
        The input cells a deeper layer's chosen cell depends on, one ``(first, last)`` range
        per axis in the frame of the stepped layer's input (chosen in the Layers panel).
    lens : str
        How the middle of the window draws the step: ``sliding`` (the window over the input)
        or another lens of ``lenses.LENSES``.
    theme : str
        ``light``, ``dark`` or ``high-contrast`` (remembered by the window, not by projects).
    frequency_route : str or None
        The frequency lens's transform: ``full`` (padded, no wrap-around), ``circular``, or
        None for the one the document's padding suggests.
    tool : str
        What a left-drag on the input does: ``select`` cells, or paint with the ``brush`` (1)
        or the ``eraser`` (0) (``strokes.TOOLS``).
    """

    colormap: str = COLORMAP_DEFAULT
    presentation: bool = False
    chosen_cell: tuple | None = None
    channel: int = 0
    kernel_filter: int = 0
    kernel_channel: int = 0
    kernel_depth: int = 0
    receptive_field: tuple | None = None
    lens: str = "sliding"
    theme: str = "light"
    frequency_route: str | None = None
    tool: str = "select"
    changed: Event = field(default_factory=Event, repr=False, compare=False)

    def set(self, **values) -> None:
        """Change some fields; ``changed(name)`` is emitted for each that really changed."""
        names = {f.name for f in fields(self)} - {"changed"}
        unknown = set(values) - names
        if unknown:
            raise ValueError(f"unknown view fields: {sorted(unknown)}")
        differ = [name for name, value in values.items() if getattr(self, name) != value]
        for name in differ:
            setattr(self, name, values[name])
        for name in differ:
            self.changed.emit(name)
