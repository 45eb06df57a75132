"""The backward lens in the window, driven by keys: Ctrl+7 shows it, → hands one output's
gradient back, the check by finite difference agrees, and dL/dy's choice is an undoable edit."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.qt.gestures import click_cell, type_into_cell

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier, times=1):
    for _ in range(times):
        qtbot.keyClick(window, key, modifier)


def test_ctrl_7_shows_the_backward_pass_and_right_hands_back_one_output(qtbot, window):
    window.open_demo("cs231n")
    press(qtbot, window, Qt.Key.Key_7, CTRL)
    view = window.lenses.current
    assert window.session.view.lens == "backward" and view is window.lenses.views["backward"]
    press(qtbot, window, Qt.Key.Key_Right, times=4)
    before = view.picture
    press(qtbot, window, Qt.Key.Key_Right)
    after = view.picture
    step = window.session.current
    np.testing.assert_allclose(
        after.grad_weight - before.grad_weight, step.values[:9].reshape(3, 3)
    )
    r, c, _, _ = view.grid.marked_rect("cell")
    assert (r, c) == step.out_index
    # The finite difference written beside the analytic value agrees with it.
    assert after.numeric == pytest.approx(after.analytic, abs=1e-6)
    assert f"= {after.lines[3].split('= ')[1].split(' ')[0]}" in view.text() and "✓" in view.text()


def test_clicking_an_input_cell_gathers_its_gradient(qtbot, window):
    window.open_demo("cs231n")
    window.set_lens("backward")
    press(qtbot, window, Qt.Key.Key_End)
    window.session.view.set(chosen_cell=(1, (0, 3)))
    view = window.lenses.current
    p = view.picture
    assert p.chosen == (1, (0, 3)) and "dL/dx(0, 3)" in view.text()
    assert p.analytic == pytest.approx(p.full_input[1, 0, 3])
    assert view.grid.marked_rect("chosen") is not None


def test_the_choice_of_dl_dy_is_undone_with_ctrl_z(qtbot, window):
    window.open_demo("cs231n")
    window.set_lens("backward")
    view = window.lenses.current
    view.source.activated.emit(view.source.findData("random"))
    assert window.session.document.gradient.source == "random"
    assert "random (seed 0)" in view.text()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.session.document.gradient.source == "ones"
    assert view.source.currentData() == "ones" and "dL/dy = 1 everywhere" in view.text()


def test_typing_into_dl_dy_chooses_the_gradient_and_ctrl_z_takes_it_back(qtbot, window):
    window.open_demo("cs231n")
    window.set_lens("backward")
    view = window.lenses.current
    grid = view.grid
    r0, c0, rows, cols = grid.editable_areas[0]
    assert grid.blocks[0].title.startswith("dL/dy") and (rows, cols) == (3, 3)
    type_into_cell(qtbot, grid, r0 + 1, c0 + 2, "2.5")
    choice = window.session.document.gradient
    assert choice.source == "edited" and choice.grad[view.picture.filter, 1, 2] == 2.5
    assert view.picture.grad_loss[1, 2] == 2.5 and "as typed in" in view.text()
    assert view.source.currentData() == "edited"
    # A word is refused at the cell, and nothing changes.
    type_into_cell(qtbot, grid, r0, c0, "2x")
    assert window.session.document.gradient.same_as(choice)
    press(qtbot, window, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.session.document.gradient.is_default


def test_a_target_is_chosen_and_typed_into(qtbot, window):
    window.open_demo("cs231n")
    window.set_lens("backward")
    view = window.lenses.current
    view.source.activated.emit(view.source.findData("target"))
    controls = view.controls
    assert controls.target.isVisible() and controls.target.currentData() == "shifted"
    controls.target.activated.emit(controls.target.findData("now"))
    y = window.session.pipeline.map_outputs[-1]
    np.testing.assert_array_equal(window.session.document.gradient.target, y)
    assert view.picture.loss.value == 0  # the map is its own target
    grid = view.grid
    assert grid.blocks[0].title == "target"
    r0, c0, _, _ = grid.editable_areas[0]
    type_into_cell(qtbot, grid, r0, c0, "10")
    f = view.picture.filter
    target = window.session.document.gradient.target
    assert target[f, 0, 0] == 10 and controls.target.currentData() == "custom"
    assert view.picture.loss.value == pytest.approx((y[f, 0, 0] - 10) ** 2 / y.size)


def test_a_max_pooling_layer_hands_each_gradient_to_its_winner(qtbot, window):
    window.open_demo("tiny-cnn")
    press(qtbot, window, Qt.Key.Key_L)  # the next layer: max pooling
    assert window.session.stage.kind == "max"
    press(qtbot, window, Qt.Key.Key_7, CTRL)
    view = window.lenses.current
    assert view.unavailable.isHidden() and view.picture is not None
    press(qtbot, window, Qt.Key.Key_Right, times=3)
    step = window.session.current
    winner = tuple(int(v) for v in step.taps[int(np.argmax(step.values))][1:])
    assert view.picture.window == (winner,)
    assert "won its window" in view.text() and "The loss is measured on the last map" in (
        view.text()
    )
    assert view.picture.grad_weight is None and not view.gather.isVisible()
    assert [b.title for b in view.grid.blocks][:2] == ["dL/dy 1 (loss)", "dL/dz 1"]


def test_clicking_a_weight_of_dl_dw_checks_it_by_a_finite_difference(qtbot, window):
    window.open_demo("backward")
    window.set_lens("backward")
    view = window.lenses.current
    _, w_col = view._weights_at
    click_cell(qtbot, view.grid, 0, w_col + 2)
    p = view.picture
    assert p.weight_tap[2:] == (0, 2)
    assert p.weight_check.agrees and "w(0, 2)" in view.text()
    assert view.grid.marked_rect("checked")[:2] == (0, w_col + 2)


def test_running_gradients_say_so_far_until_every_output_handed_back(qtbot, window):
    window.open_demo("backward")
    window.set_lens("backward")
    view = window.lenses.current
    window.session.playhead.set_position(3)
    assert "dL/dW so far" in view.grid.title_texts()
    window.session.playhead.run_to_end()
    assert "dL/dW" in view.grid.title_texts() and "dL/dW so far" not in view.grid.title_texts()
