"""Typing, pasting, copying, parameters and undo, through the real widgets."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from convviz.engine import conv
from convviz.model import fmt

from ..gestures import click_cell, type_into_cell


def test_typing_a_number_updates_input_and_map(qtbot, window):
    window.session.playhead.set_position(40)
    type_into_cell(qtbot, window.input_view.grid, 2, 2, "5")
    s = window.session
    assert s.document.x[0, 2, 2] == 5 and s.playhead.position == 40
    expected = conv(s.document.x, s.document.weight, padding="same")
    assert window.feature_map.grid.values[2, 2] == expected[0, 2, 2]
    assert window.input_view.grid.labels.text_at(3, 3) == "5"
    assert window.input_view.grid.cursor_cell == (3, 2)  # Enter moves down


def test_tab_moves_right_and_escape_cancels(qtbot, window):
    grid = window.input_view.grid
    type_into_cell(qtbot, grid, 0, 0, "2", key=Qt.Key.Key_Tab)
    assert grid.cursor_cell == (0, 1)
    qtbot.keyClicks(grid, "9")
    qtbot.keyClick(grid.editor, Qt.Key.Key_Escape)
    assert not grid.editing
    assert window.session.document.x[0, 0, :2].tolist() == [2, 0]


def test_a_typo_is_refused_at_the_cell_and_the_cursor_stays(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QToolTip

    said = []
    monkeypatch.setattr(QToolTip, "showText", lambda pos, text, *a: said.append((pos, text)))
    grid = window.input_view.grid
    type_into_cell(qtbot, grid, 5, 3, "1x")
    assert window.session.document.x[0, 5, 3] == 1
    assert "'1x' is not a number" in window.statusBar().currentMessage()
    position, text = said[-1]
    assert "'1x' is not a number" in text  # said where the student is looking
    assert position == grid.mapToGlobal(grid.cell_center_px(5, 3).toPoint())
    assert grid.cursor_cell == (5, 3)  # not moved on to the next row


def test_typing_a_letter_on_a_cell_says_why_nothing_happened(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QToolTip

    said = []
    monkeypatch.setattr(QToolTip, "showText", lambda pos, text, *a: said.append(text))
    grid = window.input_view.grid
    click_cell(qtbot, grid, 2, 2)
    qtbot.keyClicks(grid, "q")
    assert not grid.editing and "'q' does not start a number" in said[-1]


def test_arrow_keys_move_the_text_cursor_while_editing(qtbot, window):
    grid = window.input_view.grid
    click_cell(qtbot, grid, 0, 0)
    qtbot.keyClicks(grid, "1")
    qtbot.keyClicks(grid.editor, "2")
    qtbot.keyClick(grid.editor, Qt.Key.Key_Left)
    qtbot.keyClicks(grid.editor, "5")
    assert grid.editor.text() == "152"
    qtbot.keyClick(grid.editor, Qt.Key.Key_Space)
    assert grid.editor.text() == "15 2"  # the editor keeps Left and Space for itself
    assert window.session.playhead.position == 0 and not window.playback.playing
    qtbot.keyClick(grid.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(grid.editor, Qt.Key.Key_Return)
    assert window.session.document.x[0, 0, 0] == 152


def test_paste_a_block_and_copy_it_back(qtbot, window):
    grid = window.input_view.grid
    QApplication.clipboard().setText("1\t2\t3\n4\t5\t6\n")
    click_cell(qtbot, grid, 0, 0)
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.x[0, :2, :3].tolist() == [[1, 2, 3], [4, 5, 6]]
    click_cell(qtbot, grid, 0, 1)
    click_cell(qtbot, grid, 1, 2, modifier=Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "2.0\t3.0\n5.0\t6.0"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.x[0, :2, :3].sum() == 0  # one paste, one undo


def test_pasting_text_that_is_not_numbers_changes_nothing(qtbot, window):
    QApplication.clipboard().setText("hello world")
    click_cell(qtbot, window.input_view.grid, 0, 0)
    before = window.session.document.x.copy()
    qtbot.keyClick(window.input_view.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(window.session.document.x, before)
    assert "Nothing pasted" in window.statusBar().currentMessage()


def test_undo_and_redo_with_the_keyboard(qtbot, window):
    type_into_cell(qtbot, window.input_view.grid, 1, 1, "7")
    type_into_cell(qtbot, window.kernel_panel.grid, 0, 0, "1")
    assert window.session.document.weight[0, 0, 0, 0] == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.weight[0, 0, 0, 0] == 0
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.x[0, 1, 1] == 0
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.session.document.x[0, 1, 1] == 7
    assert window.actions_by_name["undo"].text() == "Undo Set input cell"


def test_stride_updates_formula_and_map(qtbot, window):
    panel = window.parameter_panel
    for box in panel.stride:
        box.setValue(2)
    assert "/ 2) + 1 = 8" in panel.formula.text()
    assert window.session.pipeline.stepper.output.shape == (1, 8, 8)
    assert window.feature_map.title.text().startswith("Feature map 8×8")
    window.undo_stack.undo()
    assert window.session.document.settings.stride == (2, 1)


def test_impossible_dilation_shows_the_problem_and_keeps_the_picture(qtbot, window):
    panel = window.parameter_panel
    panel.padding_kind.setCurrentText("valid")
    panel.padding_kind.activated.emit(0)
    window.session.playhead.run_to_end()
    before = window.feature_map.grid.values.copy()
    panel.dilation[1].setValue(9)
    assert panel.problem.isVisible()
    assert "does not fit in the 16×16 input" in panel.problem.text()
    np.testing.assert_array_equal(window.feature_map.grid.values, before)
    assert "last valid result" in window.feature_map.title.text()
    panel.dilation[1].setValue(2)
    assert not panel.problem.isVisible()


def test_custom_padding_per_side(qtbot, window):
    panel = window.parameter_panel
    panel.padding_kind.setCurrentText("custom")
    panel.padding_kind.activated.emit(3)
    _, _, top, _, _, right = panel.pads  # front and back are for 3-D volumes
    top.setValue(0)
    right.setValue(3)
    assert window.session.pipeline.stepper.geometry.pads == ((0, 1), (1, 3))
    assert window.input_view.grid.origin == (0, -1)


def test_stride_that_skips_cells_marks_them_unused(qtbot, window):
    window.session.edits.change_settings("valid", padding="valid", stride=(3, 3))
    assert window.session.pipeline.stepper.geometry.unused == (1, 1)
    assert not window.input_view.unused.path().isEmpty()


def test_flip_shows_the_rotated_kernel(qtbot, window):
    panel = window.parameter_panel
    window.kernel_panel.preset.activated.emit(window.kernel_panel.preset.findText("sobel-x"))
    panel.convolution.click()
    assert window.session.document.settings.flip
    assert window.kernel_panel.rotated.isVisible()
    assert "flipped" in window.kernel_panel.title.text()
    np.testing.assert_array_equal(
        window.kernel_panel.rotated.values, window.session.document.weight[0, 0, ::-1, ::-1]
    )
    window.session.playhead.set_position(1)
    assert "kernel, rotated 180°" in window.computation.text()


def test_kernel_size_normalise_and_bias(qtbot, window):
    kp = window.kernel_panel
    kp.rows.setValue(2)
    kp.cols.setValue(4)
    assert window.session.document.weight.shape == (1, 1, 2, 4)
    window.session.edits.change("ones", weight=np.ones((1, 1, 2, 4)))
    kp.normalise.click()
    assert window.session.document.weight.sum() == 1
    assert not kp.bias.isEnabled()
    window.parameter_panel.use_bias.setChecked(True)
    assert kp.bias.isEnabled()
    kp.bias.setValue(0.5)
    window.session.playhead.set_position(1)
    assert "+ bias 0.5 =" in window.computation.text()
    assert "= 1·1·2·4 + 1 = 9" in window.parameter_panel.parameters.text()
    kp.preset.activated.emit(kp.preset.findText("laplacian"))
    kp.normalise.click()
    assert "sum to 0" in window.statusBar().currentMessage()


def test_filters_channels_and_groups_from_the_panels(qtbot, window):
    window.open_demo("cs231n")
    kp, pp = window.kernel_panel, window.parameter_panel
    kp.channel_box.setValue(3)
    assert kp.channel_box.isVisible()
    np.testing.assert_array_equal(kp.grid.values, window.session.document.weight[0, 2])
    kp.add_filter.click()
    assert window.session.document.weight.shape[0] == 3 and kp.filter_box.value() == 3
    kp.bias.setValue(-2)
    assert window.session.document.bias.tolist() == [1, 0, -2]
    pp.groups.activated.emit(pp.groups.findText("3"))
    assert (
        window.session.document.settings.groups == 3
        and window.session.document.weight.shape == (3, 1, 3, 3)
    )
    assert "= 3·1·3·3 + 3 = 30" in pp.parameters.text()
    window.session.playhead.run_to_end()
    s = window.session
    np.testing.assert_allclose(
        s.feature_map(),
        conv(s.document.x, s.document.weight, s.document.bias, groups=3, stride=2, padding=1),
    )
    kp.remove_filter.click()
    assert s.document.weight.shape[0] == 2 and s.document.settings.groups == 1


def test_resize_and_fill_the_input(qtbot, window):
    panel = window.parameter_panel
    panel.input_rows.setValue(6)
    panel.input_cols.setValue(5)
    assert window.session.document.x.shape == (1, 6, 5)
    panel.input_preset.activated.emit(panel.input_preset.findText("checkerboard"))
    assert window.session.document.x[0, 0, :3].tolist() == [1, 0, 1]
    assert window.session.playhead.steps == 30


def test_resize_a_volume_in_depth_rows_and_columns(qtbot, window):
    window.open_demo("volume-3d")  # 5 deep, 7×7
    panel = window.parameter_panel
    assert panel.input_depth.isVisible()
    assert (panel.input_depth.value(), panel.input_rows.value()) == (5, 7)
    panel.input_cols.setValue(6)  # the depth and rows stay as they were
    assert window.session.document.x.shape == (1, 5, 7, 6)
    panel.input_depth.setValue(3)
    assert window.session.document.x.shape == (1, 3, 7, 6)
    s = window.session
    np.testing.assert_allclose(
        s.pipeline.stepper.output, conv(s.document.x, s.document.weight, padding=1)
    )
    window.undo_stack.undo()
    assert window.session.document.x.shape == (1, 5, 7, 6)


def test_activation_is_its_own_visible_step(qtbot, window):
    pp = window.parameter_panel
    window.kernel_panel.preset.activated.emit(window.kernel_panel.preset.findText("sobel-x"))
    pp.activation.activated.emit(pp.activation.findText("relu"))
    assert window.session.document.activation == "relu"
    assert "then F.relu" in pp.pytorch.text()
    s = window.session
    negative = int(np.flatnonzero(s.pipeline.stepper.output.reshape(-1) < 0)[0])
    s.playhead.set_position(negative + 1)
    text = window.computation.text()
    raw = s.pipeline.stepper.output.reshape(-1)[negative]
    assert f"relu({fmt(raw)}) = 0" in text
    assert window.feature_map.grid.values.reshape(-1)[negative] == 0
    window.undo_stack.undo()
    assert s.document.activation == "none"


def test_the_kernel_editor_follows_the_stepped_filter(qtbot, window):
    window.open_demo("edges")
    window.session.playhead.set_position(256 + 3)
    assert window.kernel_panel.filter_box.value() == 2
    np.testing.assert_array_equal(
        window.kernel_panel.grid.values, window.session.document.weight[1, 0]
    )
