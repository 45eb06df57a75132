"""The backward lens in the window, driven by keys: Ctrl+7 shows it, → hands one output's
gradient back, the check by finite difference agrees, and dL/dy's choice is an undoable edit."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

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
