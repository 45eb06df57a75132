"""The computation's grids fit above its sums: in presentation mode the sums grow, and every
row of every channel must still show without scrolling (at 1366×768 the sums had covered
cs231n's third channel and tiny-cnn's last row of products)."""

import pytest

from convviz.model import Session
from convviz.qt.views.computation_view import ComputationView


def shown_computation(qtbot, session, step: int, size, big_print: bool = False):
    """The computation of ``session`` at ``step``, shown ``size`` big (in presentation mode's
    big print when ``big_print``)."""
    view = ComputationView(session)
    qtbot.addWidget(view)
    session.playhead.set_position(step)
    if big_print:
        session.view.set(presentation=True)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize("demo", ["cs231n", "tiny-cnn", "volume-3d"])
def test_every_row_of_the_grids_shows_above_the_sums_in_big_print(qtbot, demo):
    # The middle column of a 1366×768 screen in presentation mode.
    view = shown_computation(qtbot, Session(demo), 12, (380, 560), big_print=True)
    viewport = view.scroll.viewport()

    def grids_fit() -> bool:
        return view.grids.heightForWidth(viewport.width()) <= viewport.height() + 2

    qtbot.waitUntil(grids_fit)
    assert view.scroll.verticalScrollBar().maximum() <= 2  # nothing hidden below
    cell, _ = view.grids._layout(viewport.width())
    assert cell >= view.grids.FIT_AT_LEAST  # still cells the back row reads


def test_a_signals_grids_go_one_to_a_line_and_keep_two_decimals(qtbot):
    # heartbeat at 1366×768 with the side panels: the middle column is 275 px. On one or two
    # lines the window's 0.07 and −0.38 had been written 0.1 and −0.4 beside a sum of 0.07·0.2.
    from convviz.numbers import fmt_short
    from convviz.qt.widgets.equation_grids import fit_numbers

    view = shown_computation(qtbot, Session("heartbeat"), 12, (275, 590))
    grids = view.grids
    qtbot.waitUntil(lambda: grids._layout(grids.width())[1] == 3)
    cell, _ = grids._layout(grids.width())
    window = grids.blocks[0].window
    texts, _ = fit_numbers(window, cell)
    assert texts[0] == [fmt_short(v, 2) for v in window[0]]
    # And the three lines show whole above the picture, without scrolling.
    viewport = view.scroll.viewport()
    assert grids.heightForWidth(viewport.width()) <= viewport.height() + 2


def test_a_long_sum_in_big_print_leaves_the_grids_their_height(qtbot):
    # digits in presentation mode at 1024×768: the sum of nine products with bias and ReLU at
    # 28 px had taken most of the panel and left the grids 8 px cells.
    view = shown_computation(qtbot, Session("digits"), 12, (380, 540), big_print=True)
    view.refresh()
    sums = view.sums
    assert sums.heightForWidth(sums.width()) <= view.height() * view.SUMS_SHARE or (
        view._sums_px == 18
    )
    assert view._sums_px < view.font_px  # written smaller than the big print asks
    assert "2.898" in view.text()


def test_a_grid_title_fits_the_room_it_has():
    from PySide6.QtGui import QFontMetricsF

    from convviz.qt.widgets.equation_grids import fitted_title

    title = "kernel, rotated 180°"
    font, text = fitted_title(title, 29, 1000)
    assert (font.pixelSize(), text) == (29, title)  # room enough: as asked
    font, text = fitted_title(title, 29, 195)
    assert text == title and 9 <= font.pixelSize() < 29
    assert QFontMetricsF(font).horizontalAdvance(text) <= 195
    font, text = fitted_title(title, 29, 40)
    assert font.pixelSize() == 9 and text.endswith("…")  # cut short, never past its room


def test_a_signals_rotated_kernel_title_stays_inside_the_panel(qtbot):
    # signal-1d with convolution on, in presentation at 1920×1080: "kernel, rotated 180°"
    # had run past the computation's right edge ("kernel, rotated 18").
    from PySide6.QtGui import QColor

    session = Session("signal-1d")
    session.edits.change_settings("Use convolution", flip=True)
    view = shown_computation(qtbot, session, 7, (410, 700), big_print=True)
    qtbot.wait(50)
    image = view.grids.grab().toImage()
    cell, _ = view.grids._layout(view.grids.width())
    edge = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width() - 3, image.width())
        for y in range(int(cell * 0.6))
    ]
    assert min(edge) > 150  # no letter at the panel's edge
