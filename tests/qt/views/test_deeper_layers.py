"""Stepping a deeper layer of the stack in the main views, as a lecturer would."""

import numpy as np
import torch
import torch.nn.functional as F
from PySide6.QtCore import QPoint, Qt

from ..gestures import click_cell


def _add(qtbot, panel, label, **numbers):
    panel.choose(label, **numbers)
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)


def _layers_panel(qtbot, window):
    """The Layers tab, clicked open."""
    window.layers_dock.raise_()
    qtbot.waitUntil(window.layers_panel.isVisible)
    return window.layers_panel


def _click_row(qtbot, table, row, double=False):
    centre = table.visualItemRect(table.item(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if double:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_step_a_max_pooling_then_the_next_convolution(qtbot, window):
    s = window.session
    panel = _layers_panel(qtbot, window)
    _add(qtbot, panel, "ReLU")
    _add(qtbot, panel, "max pooling", size=3, stride=2, padding=1)
    _add(qtbot, panel, "convolution", filters=2, size=3, padding=1)
    assert panel.table.rowCount() == 4
    assert window.transport.layer_action.isVisible()  # the layer box appears with a stack

    _click_row(qtbot, panel.table, 2, double=True)  # "3. max pool 3×3"
    assert s.stage_index == 1 and s.playhead.position == 0
    assert window.transport.layer.currentText() == "layer 3: max pool 3×3"
    assert panel.table.item(2, 0).text().startswith("▶")
    qtbot.keyClick(window, Qt.Key.Key_Right)
    # The first window sits on the corner: padding (−∞) on two sides, never the maximum.
    text = window.computation.text()
    relu = torch.relu(torch.tensor(s.pipeline.stepper.output))[None]
    expected = F.max_pool2d(relu, 3, 2, 1)[0].numpy()
    assert f"= {expected[0, 0, 0]:g}" in text.replace("−", "-") and "max(−∞, −∞, −∞" in text
    assert "−∞ so it never wins" in window.input_view.title.text()
    np.testing.assert_array_equal(s.final_map(), expected)
    assert "layer 3: max pool 3×3, step 1 of 64" in window.caption.text()

    click_cell(qtbot, window.feature_map.grid, 2, 5)  # jump to output row 2, column 5
    step = s.current
    assert step.out_index == (2, 5) and step.output == expected[0, 2, 5]
    rows, cols = {int(v) for v in step.taps[:, 1]}, {int(v) for v in step.taps[:, 2]}
    assert rows == {3, 4, 5} and cols == {9, 10, 11}  # the 3×3 window at stride 2, padding 1
    winner = step.taps[np.argmax(step.values)]  # the kept cell is filled on the input grid
    centre = window.input_view.winner.path().boundingRect().center()
    assert (round(centre.y()), round(centre.x())) == (int(winner[1]), int(winner[2]))
    assert step.values.max() == step.output
    assert window.kernel_panel.title.text().startswith("Layer 3: max pool 3×3 has no weights")
    stage_text = window.parameter_panel.stage_text.text()
    assert "rows:\nfloor((16 + 2·1 − 1·(3−1) − 1) / 2) + 1 = 8" in stage_text
    assert "PyTorch: nn.MaxPool2d(3, stride=2, padding=1)" in stage_text

    qtbot.keyClick(window, Qt.Key.Key_L)  # on to the convolution after it
    assert s.stage_index == 2 and s.walk.geometry.filters == 2
    weight = torch.tensor(s.document.layers[2].weight)
    np.testing.assert_allclose(
        s.final_map(),
        F.conv2d(torch.tensor(expected)[None], weight, padding=1)[0].numpy(),
        rtol=1e-12,
        atol=1e-12,
    )
    assert "Kernel of layer 4" in window.kernel_panel.title.text()
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert s.playhead.finished and np.isfinite(window.feature_map.grid.values).sum() == 2 * 64

    # the input grid of a deeper layer is computed: typing there is refused, in words
    click_cell(qtbot, window.input_view.grid, 0, 0)
    assert not window.input_view.grid.editable
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert s.stage_index == 0 and window.input_view.grid.editable


def test_undo_removes_a_layer_being_stepped(qtbot, window):
    s = window.session
    panel = _layers_panel(qtbot, window)
    _add(qtbot, panel, "average pooling")
    window.step_layer(1)
    assert s.stage.kind == "avg"
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert "/ 4 = " in window.computation.text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert s.document.layers == () and s.stage_index == 0
    assert not window.transport.layer_action.isVisible()
    assert window.feature_map.title.text().startswith("Feature map")


def test_a_pooling_that_can_never_work_is_refused_in_words(qtbot, window):
    panel = _layers_panel(qtbot, window)
    _add(qtbot, panel, "max pooling", size=2, padding=2)
    assert window.session.document.layers == ()
    assert "more than half" in window.statusBar().currentMessage()


def test_change_a_layer_from_the_table(qtbot, window):
    s = window.session
    panel = _layers_panel(qtbot, window)
    _add(qtbot, panel, "max pooling")  # 2×2, stride 2
    _add(qtbot, panel, "convolution", filters=3)
    weight = s.document.layers[1].weight
    table = panel.table
    _click_row(qtbot, table, 1)
    assert panel.kind.currentText() == "max pooling" and panel.size.value() == 2
    panel.size.setValue(3)
    panel.stride.setValue(1)
    panel.padding.setValue(1)
    qtbot.mouseClick(panel.buttons["apply"], Qt.MouseButton.LeftButton)
    assert s.document.layers[0].kernel_size == (3, 3) and s.document.layers[0].stride == (1, 1)
    assert table.item(1, 1).text() == "1×16×16"  # 3×3 max pooling, stride 1, padding 1
    assert s.document.layers[1].weight is weight  # the convolution after it is untouched
    np.testing.assert_allclose(
        s.pipeline.outputs[1][0],
        F.max_pool2d(torch.tensor(s.pipeline.stepper.output)[None], 3, 1, 1)[0, 0].numpy(),
    )
    _click_row(qtbot, table, 2)
    assert panel.kind.currentText() == "convolution" and panel.filters.value() == 3
    panel.stride.setValue(2)  # only the stride: the weights stay
    qtbot.mouseClick(panel.buttons["apply"], Qt.MouseButton.LeftButton)
    assert s.document.layers[1].weight is weight and s.document.layers[1].settings["stride"] == 2
    assert table.item(2, 1).text() == "3×8×8"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert (
        s.document.layers[0].kernel_size == (2, 2) and s.document.layers[1].settings["stride"] == 1
    )


def test_predict_a_pooled_cell_before_it_is_revealed(qtbot, window):
    window.open_demo("tiny-cnn")
    window.step_layer(1)  # the max pooling
    qtbot.keyClick(window, Qt.Key.Key_P)
    window.session.playhead.set_position(34)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # shows the window, hides the answer
    text = window.computation.text()
    assert window.session.playhead.waiting and "max(2, 0, 3, 0) = ?" in text
    assert window.input_view.winner.path().isEmpty()  # the winner would give it away
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert "max(2, 0, 3, 0) = 3" in window.computation.text()
    assert not window.input_view.winner.path().isEmpty()


def test_pytorch_pooling_options_from_the_form(qtbot, window):
    s = window.session
    panel = _layers_panel(qtbot, window)
    panel.choose("average pooling", size=3, stride=2, padding=1)
    for box in (panel.ceil_mode, panel.count_include_pad):  # click on the tick box itself
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    layer = s.document.layers[0]
    assert layer.ceil_mode and not layer.count_include_pad
    expected = F.avg_pool2d(
        torch.tensor(s.pipeline.stepper.output)[None],
        3,
        2,
        1,
        ceil_mode=True,
        count_include_pad=False,
    )[0]
    np.testing.assert_allclose(s.pipeline.outputs[-1], expected.numpy(), rtol=1e-12)
    window.step_layer(1)
    assert "count_include_pad=False" in window.parameter_panel.stage_text.text()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # the corner window: padding is not counted
    assert "/ 4 = " in window.computation.text()
