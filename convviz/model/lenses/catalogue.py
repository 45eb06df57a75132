"""The lenses there are, their titles and keys, and the refusal a lens gives a stage it cannot
draw."""

from __future__ import annotations

LENSES = (
    "sliding",
    "unfolded",
    "matrix",
    "frequency",
    "separable",
    "methods",
    "backward",
    "transposed",
    "learn",
)
"""Every lens, in menu order; ``sliding`` is the window sliding over the input."""

LENS_TITLES = {
    "sliding": "Sliding window",
    "unfolded": "Unfolded (im2col)",
    "matrix": "Convolution matrix",
    "frequency": "Frequency (FFT)",
    "separable": "Separable kernel",
    "methods": "Three ways, one answer",
    "backward": "Backward pass",
    "transposed": "Transposed",
    "learn": "Learn the kernel",
}

LENS_KEYS = {name: f"Ctrl+{i}" for i, name in enumerate(LENSES, start=1)}
"""The key that shows each lens."""


DEMO_LENSES = {
    "im2col": "unfolded",
    "frequency": "frequency",
    "frequency-1d": "frequency",
    "transposed": "transposed",
    "output-padding": "transposed",
    "backward": "backward",
    "learn-edges": "learn",
}
"""The lens a demo opens in (the others keep the lens the user chose)."""


class LensUnavailable(ValueError):
    """A lens cannot draw the stage stepped; the message says why and what would work."""


def lens_name(text: str) -> str:
    """``text`` as a lens name (ValueError listing the lenses for anything else)."""
    name = str(text).strip().lower()
    if name not in LENSES:
        raise ValueError(f"there is no lens {text!r}; the lenses are {', '.join(LENSES)}")
    return name
