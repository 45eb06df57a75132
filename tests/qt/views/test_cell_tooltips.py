"""Hover a cell: its row, column and value in words, what padding holds and which mode put it
there, an output not computed yet, a weight's index in PyTorch."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip

from convviz.model import fmt


def test_hovering_an_input_cell_names_it(qtbot, window):
    grid = window.input_view.grid
    pos = grid.cell_center_px(7, 3).toPoint()
    qtbot.mouseMove(grid.viewport(), pos)
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == "row 7, column 3: 1"


def test_padding_says_what_its_mode_put_there(qtbot, window):
    window.session.edits.change_settings("padding mode", padding_mode="reflect")
    grid = window.input_view.grid
    assert (
        grid.cell_tooltip(-1, 3)
        == "row −1, column 3: padding (reflect), 0: a copy of row 1, column 3"
    )
    window.session.edits.change_settings("padding mode", padding_mode="zeros")
    assert grid.cell_tooltip(-1, 3) == "row −1, column 3: padding (zeros), 0"


def test_every_channel_of_a_volume_and_of_cs231n_is_named(qtbot, window):
    window.open_demo("cs231n")
    view = window.input_view
    dr, dc = view.tile_offset(2)
    x = window.session.document.x
    text = view.grid.cell_tooltip(dr + 1, dc + 4)
    assert text.startswith("channel 3, row 1, column 4: ") and text.endswith(fmt(x[2, 1, 4]))


def test_an_output_not_yet_computed_says_which_step_computes_it(qtbot, window):
    window.open_demo("edges")
    grid = window.feature_map.grid
    row, col = window.feature_map.cell_of(1, (0, 2))
    assert grid.cell_tooltip(row, col) == (
        "filter 2, row 0, column 2: not computed yet (step 259; click to jump there)"
    )
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert grid.cell_tooltip(row, col).startswith("filter 2, row 0, column 2: ")


def test_a_weight_names_its_pytorch_index(qtbot, window):
    window.open_demo("cs231n")
    window.session.view.set(kernel_filter=1, kernel_channel=2)
    text = window.kernel_panel.grid.cell_tooltip(0, 1)
    w = fmt(window.session.document.weight[1, 2, 0, 1])
    assert (
        text == f"filter 2, channel 3, row 0, column 1: weight {w} (weight[1, 2, 0, 1] in PyTorch)"
    )


def test_every_setting_explains_itself_with_its_pytorch_name(qtbot, window):
    pp = window.parameter_panel
    for control, name in (
        (pp.stride[1], "stride"),
        (pp.dilation[2], "dilation"),
        (pp.padding_kind, "padding"),
        (pp.padding_mode, "padding_mode"),
        (pp.groups, "groups"),
        (pp.use_bias, "bias"),
    ):
        assert f"PyTorch: {name}" in control.toolTip()
    assert "F.relu" in pp.activation.toolTip()
    assert "rotates the kernel 180°" in pp.convolution.toolTip()
