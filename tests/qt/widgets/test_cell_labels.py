"""Cell numbers stay legible on every colour map: black or white, whichever contrasts more."""

import numpy as np
import pytest

from convviz.colormaps import COLORMAPS, lookup_table
from convviz.qt.widgets.cell_labels import CellLabels


def _contrast(rgb: np.ndarray, white: np.ndarray) -> np.ndarray:
    """WCAG contrast ratio of white (or black) text on ``rgb`` (0–255)."""
    c = rgb / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    luminance = linear @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(white, 1.05 / (luminance + 0.05), (luminance + 0.05) / 0.05)


@pytest.mark.parametrize("name", COLORMAPS)
def test_digits_contrast_enough_on_every_colour_of_every_map(qapp, name):
    labels = CellLabels()
    lut = lookup_table(name)
    ramp = np.linspace(-1, 1, 256)[None]
    labels.set_values(ramp, lut, (-1.0, 1.0))
    white = labels.white_text(ramp)[0]
    colours = lut[np.clip(np.round((ramp[0] + 1) / 2 * 255), 0, 255).astype(int)]
    assert _contrast(colours.astype(float), white).min() >= 4.5  # WCAG AA for text
    assert white.any() and not white.all()  # both kinds of digit are used
