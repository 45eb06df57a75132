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


def test_the_computations_numbers_fit_their_cells_or_are_left_out():
    from PySide6.QtGui import QFont, QFontMetricsF

    from convviz.qt.widgets.equation_grids import MIN_NUMBER_PX, fit_numbers

    products = np.array([[0.39, 0.636, 0.342, 0.024, -0.066]])  # heartbeat's, at 1280×720
    for cell in (60.0, 40.0, 26.0, 20.0, 12.0):
        texts, px = fit_numbers(products, cell)
        font = QFont()
        font.setPixelSize(px)
        metrics = QFontMetricsF(font)
        assert px >= MIN_NUMBER_PX
        assert all(metrics.horizontalAdvance(t) <= cell * 0.9 for row in texts for t in row)
    assert fit_numbers(products, 60.0)[0][0][4] == "−0.066"  # room: every decimal
    assert fit_numbers(products, 30.0)[0][0][1] == "0.64"  # tight: fewer decimals
    assert fit_numbers(products, 26.0)[0][0][4] == "−0.1"  # tighter: one
    assert fit_numbers(products, 12.0)[0] == [[""] * 5]  # no room: left out, not overlapping
    assert fit_numbers(np.array([[0.004, 1.0]]), 40.0)[0][0][0] == "0.004"  # never an exponent
