"""Titles and boxes say what they show as a sentence would."""

import pytest


def test_kernel_size_boxes_say_row_or_rows(qtbot, window):
    panel = window.kernel_panel
    assert (panel.rows.text(), panel.cols.text()) == ("3 rows", "3 columns")
    window.open_demo("heartbeat")  # a 1-D kernel: one row
    assert panel.rows.text() == "1 row"
    assert panel.cols.text().endswith("columns")


def test_several_maps_are_titled_feature_maps(qtbot, window):
    window.open_demo("cs231n")
    filters = window.session.walk.geometry.filters
    assert window.feature_map.title.text().startswith(f"Feature maps: {filters} maps of 3×3")
    window.open_demo("letter-h")
    assert window.feature_map.title.text().startswith("Feature map 16×16")


def test_the_kernel_panel_with_its_rotated_kernel_fits_a_laptops_dock(qtbot, window):
    # signal-1d is a true convolution: the kernel and its 180° rotation side by side had
    # needed 400 px, wider than the Kernel dock at 1366×768 (about 360 px).
    window.open_demo("signal-1d")
    panel = window.kernel_panel
    assert panel.rotated_title.isVisibleTo(panel)
    assert panel.minimumSizeHint().width() <= 360


def test_a_long_title_in_big_print_is_written_smaller_to_keep_to_two_lines(qtbot):
    # Presentation mode at 1024×768: "Input 5×5 (channels 1–3 in reading order; hatched:
    # padding)" at 26 px had taken five lines of a narrow column.
    from PySide6.QtGui import QFontMetrics

    from convviz.qt.widgets import panel_title as titles

    titles.set_title_px(26)
    try:
        title = titles.panel_title("Input 5×5 (channels 1–3 in reading order; hatched: padding)")
    finally:
        titles.set_title_px(17)
    qtbot.addWidget(title)
    title.resize(300, 200)
    title.show()
    qtbot.waitExposed(title)
    px = title.font().pixelSize()
    assert 13 <= px < 26
    lines = title.heightForWidth(300) / QFontMetrics(title.font()).lineSpacing()
    assert lines <= 2.6  # two lines and the margins
    title.resize(900, 200)  # room again: the asked-for size comes back
    qtbot.waitUntil(lambda: title.font().pixelSize() == 26)


def test_the_input_title_says_what_the_red_cells_are(qtbot, window):
    window.open_demo("output-padding")  # stride 2 leaves a row and a column unread
    assert any(window.session.walk.geometry.unused)
    assert "red hatching: cells the stride never reaches" in window.input_view.title.text()
    window.open_demo("letter-h")
    assert "red" not in window.input_view.title.text()


def test_the_step_counter_has_room_for_a_photos_count(qtbot, window):
    # A 4096² photo has 16777216 steps: "step 60 of 16777216" had been cut to "…of 1677721".
    counter = window.transport.position
    window.transport._fit_counter(16_777_216)
    text = "step 16777216 of 16777216: predict"
    assert counter.minimumWidth() >= counter.fontMetrics().horizontalAdvance(text)
    window.transport._fit_counter(256)
    assert counter.minimumWidth() < counter.fontMetrics().horizontalAdvance(text)


def test_a_signals_strips_say_which_filter_is_which(qtbot, window):
    window.open_demo("heartbeat")  # two filters, one strip each
    assert "(filter 1 at the top, 2 at the bottom)" in window.feature_map.title.text()


def test_the_kernel_shown_is_coloured_over_its_own_filters_range(qtbot, window):
    # frequency: filter 1 is a Gaussian (0.004 to 0.14) beside a filter of larger weights.
    window.open_demo("frequency")
    panel = window.kernel_panel
    weight = window.session.document.weight
    assert abs(weight).max() > 2 * abs(weight[0]).max()  # the other filter is larger
    high = panel.grid.colour_levels[1]
    assert high == pytest.approx(abs(weight[0]).max())


def test_a_5x5_kernel_without_its_rotated_copy_takes_the_panels_width(qtbot, window):
    # frequency's 5×5 Gaussian at 1920×1080: drawn in half the dock beside an empty half,
    # its 0.004 had been 6 px.
    window.open_demo("frequency")  # cross-correlation: no rotated copy
    panel = window.kernel_panel
    grid = panel.grid
    qtbot.waitUntil(lambda: grid.width() > 0.8 * panel.width())
    assert grid.minimumHeight() >= 5 * 40  # room for 40 px rows
    qtbot.waitUntil(lambda: grid.cell_px() >= 36)
    assert grid.labels.text_at(0, 0) == "0.004"
