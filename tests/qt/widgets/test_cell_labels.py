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
    # Tighter: one decimal would write 0.636 as 0.6 beside a sum of 0.636·w, so they are left
    # out; numbers one decimal writes exactly keep it.
    assert fit_numbers(products, 26.0)[0] == [[""] * 5]
    assert fit_numbers(np.array([[0.5, -1.5, 2.0, 0.1, -0.3]]), 25.0)[0][0][1] == "−1.5"
    assert fit_numbers(products, 12.0)[0] == [[""] * 5]  # no room: left out, not overlapping
    assert fit_numbers(np.array([[0.004, 1.0]]), 40.0)[0][0][0] == "0.004"  # never an exponent


def test_one_long_number_does_not_shrink_every_label_it_takes_fewer_decimals(qapp):
    # The learn lens's dL/dW: one weight's −3.01e−04 had drawn all nine numbers at 7 px.
    from convviz.qt.widgets.cell_labels import READABLE_PX

    labels = CellLabels()
    grad = np.array([[-0.034, -0.009, 0.043], [-0.033, -0.000301, 0.042], [-0.035, 0.002, 0.036]])
    labels.set_values(grad)
    decimals, px = labels._format(60.0, labels._widest_texts(0, 3, 0, 3))
    assert px >= READABLE_PX and decimals < 3
    labels.decimals = decimals
    assert labels.text_at(1, 1) == "−0.0003"  # its first digit, never an exponent or a 0
    assert "e" not in labels.text_at(0, 0)
    # Room for every decimal: nothing is shortened.
    assert labels._format(120.0, labels._widest_texts(0, 3, 0, 3))[0] == 3


def test_presentation_asks_more_of_three_decimals_before_it_writes_them(qapp):
    # The learn lens's kernel on a 1366×768 projector had been written 0.901 at 11 px
    # where 0.9 at 16 px reads from the back row.
    from convviz.qt.widgets.cell_labels import READABLE_PX

    labels = CellLabels()
    labels.set_values(np.array([[0.901, -0.171, -0.739], [0.927, 0.033, -0.93]]))
    widest = labels._widest_texts(0, 2, 0, 3)
    cell = next(c for c in range(20, 200) if labels._format(float(c), widest)[0] == 3)
    assert labels._format(float(cell), widest)[1] >= READABLE_PX  # normal: three decimals
    labels.scale_factor = 1.25
    decimals, px = labels._format(float(cell), widest)
    assert decimals == 2 and px > labels._font_px(float(cell), widest[3])  # larger digits


def test_a_cell_written_later_is_measured_with_the_rest(qapp):
    # A step repaints one cell: its number must take the grid's font, and a wider number
    # written there makes the grid's font fit it too.
    labels = CellLabels()
    values = np.array([[1.0, 2.0, 3.0]])
    labels.set_values(values)
    before = labels._format(40.0, labels._widest_texts(0, 1, 0, 3))
    values[0, 1] = -12.345
    labels.update_cells(0, 1, 1, 1)
    after = labels._format(40.0, labels._widest_texts(0, 1, 0, 3))
    assert after[1] < before[1] or after[0] < before[0]


def test_numbers_too_wide_for_their_cells_are_left_out_not_overlapped(qapp):
    # The learned map at 1366×768: 19 px cells of −0.933 and 7.49e−04 had been drawn at the
    # 6 px floor, wider than their cells, and ran into each other.
    from PySide6.QtGui import QFont, QFontMetricsF

    labels = CellLabels()
    labels.set_values(np.array([[-0.933, 0.000749, -1.863, 0.138]]))
    decimals, px = labels._format(19.0, labels._widest_texts(0, 1, 0, 4))
    if px:
        font = QFont()
        font.setPixelSize(px)
        widest = labels._widest_texts(0, 1, 0, 4)[decimals]
        assert QFontMetricsF(font).horizontalAdvance(widest) <= 19.0
    decimals, px = labels._format(8.0, labels._widest_texts(0, 1, 0, 4))
    assert px == 0  # no room at all: nothing drawn


def test_a_cell_cut_by_the_edge_of_the_view_loses_its_number(qapp):
    # A long strip followed by the view: half of "0.9" at its left edge had read as "9".
    from PySide6.QtCore import QRectF

    labels = CellLabels()
    labels.set_values(np.array([[0.9, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]]))
    view = QRectF(0.0, -0.5, 5.0, 1.0)  # cell 0 half cut, 1–4 whole, 5 half cut
    top, bottom, left, right = labels.cells_to_label(view, view)
    assert (top, bottom, left, right) == (0, 1, 1, 5)
    snug = QRectF(-0.45, -0.5, 5.9, 1.0)  # 0.05 of cells 0 and 5 cut: they keep their numbers
    assert labels.cells_to_label(snug, snug)[2:] == (0, 6)
    part = QRectF(2.5, -0.5, 1.0, 1.0)  # a repaint of cell 3 alone
    assert labels.cells_to_label(view, part) == (0, 1, 3, 4)


def test_a_cell_cut_by_a_pan_loses_its_number(qtbot):
    # frequency-1d's input strip at 1920×1080: after the view followed the window, the cell
    # at the left edge, most of it out of view, still showed "85" of its 0.85 (the labels'
    # cached picture had been shifted, not painted again).
    from PySide6.QtCore import QPointF, QRectF

    from convviz.qt.widgets.grid_view import GridView

    grid = GridView()
    qtbot.addWidget(grid)
    grid.resize(400, 80)
    grid.show()
    qtbot.waitExposed(grid)
    grid.show_values(np.full((1, 40), 0.85), levels=(-10.0, 10.0), colormap="grey")
    grid.box.setRange(QRectF(9.5, -0.5, 10, 1), padding=0)  # cells 10–19, whole
    qtbot.wait(50)
    grid.grab()  # painted (and cached) with cell 10 whole at the left edge
    cell = float(grid.cell_px())
    grid.box.translateBy(x=0.7)  # cell 10 now 70 % out of view, as a follow would leave it
    qtbot.wait(50)
    image = grid.grab().toImage()
    edge = int(grid.box.mapViewToDevice(QPointF(10.5, 0)).x())  # cell 10's right edge
    dark = sum(
        image.pixelColor(x, y).lightness() < 90
        for x in range(max(edge - 1, 0))
        for y in range(image.height())
    )
    assert cell > 30
    assert dark == 0  # no part of "0.85" on the cut cell


def test_numbers_that_would_be_specks_are_left_out(qapp):
    # digits's 16×16 input on a 1024×768 projector: 19 px cells had written 0.96 at 7 px,
    # digits 5 px tall, "0.14" cut to "D.14" by its neighbours; now the grid says how to read.
    labels = CellLabels()
    labels.set_values(np.array([[0.96, 0.14, 0.01, 0.5]]))
    widest = labels._widest_texts(0, 1, 0, 4)
    assert labels._format(19.0, widest)[1] == 0
    decimals, px = labels._format(24.0, widest)
    assert px >= 8 and decimals == 2  # a little wider, and they are written
