"""The learn lens: → takes one gradient-descent step, the loss falls monotonically at the
default learning rate until the kernel is the vertical-edge detector, and the learning rate is
an undoable edit kept in projects."""

import numpy as np
from PySide6.QtCore import Qt

from convviz.engine import KERNELS
from convviz.model import Session
from convviz.model.gradient import LEARNING_RATE
from convviz.model.lenses import training_of
from convviz.model.project import parse_project, project_json
from convviz.numbers import fmt

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_loss_falls_monotonically_and_the_kernel_becomes_an_edge_detector():
    s = Session("learn-edges")
    assert s.document.gradient.learning_rate == LEARNING_RATE
    training = training_of(s.document, len(s.walk))
    assert np.all(np.diff(training.losses) < 0)
    assert training.losses[-1] < 1e-5 * training.losses[0]
    np.testing.assert_allclose(training.weights[-1][0, 0], KERNELS["vertical-edge"], atol=0.01)


def test_right_takes_one_step_and_the_rate_is_an_undoable_edit(qtbot, window):
    window.open_demo("learn-edges")
    view = window.lenses.current
    assert window.session.view.lens == "learn"
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    p = view.picture
    assert p.step == 3 and len(p.losses) == 4
    s = window.session
    expected = training_of(s.document, s.playhead.steps)
    np.testing.assert_array_equal(p.kernel, expected.weights[3][0, 0])
    _, y = view.curve.curves[0].getData()
    np.testing.assert_allclose(y, expected.losses[:4])
    assert "Step 3: W ← W − 0.5 · dL/dW" in view.text()
    view.rate.setValue(0.25)
    assert s.document.gradient.learning_rate == 0.25
    assert "W − 0.25 · dL/dW" in view.text()
    kept = parse_project(project_json(s.to_project())).document.gradient
    assert kept.learning_rate == 0.25 and kept.source == "target"
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert s.document.gradient.learning_rate == 0.5 and view.rate.value() == 0.5


def test_too_large_a_rate_is_said_in_words(qtbot, window):
    window.open_demo("learn-edges")
    view = window.lenses.current
    view.rate.setValue(5.0)
    window.session.playhead.set_position(6)
    assert "too large" in view.text()


def test_the_caption_and_the_counter_count_descent_steps(qtbot, window):
    window.open_demo("learn-edges")
    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    s = window.session
    losses = training_of(s.document, s.playhead.steps).losses
    caption = window.caption.text()
    assert caption.startswith(f"descent step 2 of {s.playhead.steps}: W ← W − 0.5 · dL/dW")
    assert f"L = {fmt(losses[2], 4)}" in caption and "window" not in caption
    assert window.transport.position.text() == f"descent step 2 of {s.playhead.steps}"
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)  # the sliding window: windows again
    assert window.caption.text().startswith("step 2 of") and "window" in window.caption.text()


def test_another_target_is_chosen_in_the_window_and_learned(qtbot, window):
    window.open_demo("learn-edges")
    view = window.lenses.current
    controls = view.controls
    assert controls.target.currentData() == "kernel:vertical-edge"
    controls.target.activated.emit(controls.target.findData("kernel:horizontal-edge"))
    s = window.session
    training = training_of(s.document, s.playhead.steps)
    assert np.all(np.diff(training.losses) < 0)
    np.testing.assert_allclose(training.weights[-1][0, 0], KERNELS["horizontal-edge"], atol=0.05)
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert view.picture.step == s.playhead.steps
    np.testing.assert_array_equal(view.picture.kernel, training.weights[-1][0, 0])
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert controls.target.currentData() == "kernel:vertical-edge"


def test_while_learning_the_map_is_the_learned_kernels_and_no_window_slides(qtbot, window):
    window.open_demo("learn-edges")
    s = window.session
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    weight = training_of(s.document, 5).weights[5]
    expected = torch_free_map(s, weight)
    maps = window.feature_map
    np.testing.assert_allclose(maps.grid.values[: expected.shape[0], : expected.shape[1]], expected)
    assert "after 5 descent steps" in maps.title.text()
    assert maps.current_rect() is None  # no newest cell: every cell is the learned kernel's
    assert window.input_view.window_rects() == []
    # Back on the sliding window, the map and the window are the kernel's own again.
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert "descent" not in maps.title.text() and window.input_view.window_rects()


def torch_free_map(s, weight):
    """The first map of ``weight`` over the demo's input, by SciPy (a cross-correlation with
    the demo's zero padding), as the checks elsewhere compute it."""
    from scipy.signal import correlate2d

    x = s.document.x[0]
    return correlate2d(x, weight[0, 0], mode="same") + s.document.bias[0] * s.document.use_bias


def test_keep_this_kernel_puts_the_learned_one_in_the_kernel_panel_undoably(qtbot, window):
    window.open_demo("learn-edges")
    s = window.session
    view = window.lenses.current
    assert not view.keep.isEnabled()  # nothing learned yet
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    learned = training_of(s.document, 4).weights[4]
    before = s.document.weight.copy()
    qtbot.mouseClick(view.keep, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(s.document.weight, learned)
    assert s.playhead.position == 0 and view.picture.step == 0
    np.testing.assert_array_equal(view.picture.kernel, learned[0, 0])
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    np.testing.assert_array_equal(s.document.weight, before)


def test_a_gradient_of_thousandths_is_written_in_thousandths(qtbot, window):
    # learn-edges after 40 steps: dL/dW's −0.0003 beside 0.003 had written the whole grid's
    # digits 5 px tall; as 1000 · dL/dW, they read −0.3 and 3.
    window.open_demo("learn-edges")
    window.resize(1366, 768)
    window.session.playhead.set_position(40)
    view = window.lenses.view("learn")
    qtbot.waitUntil(lambda: view.picture is not None and view.picture.step == 40)
    grads = view.grads
    grad = view.picture.grad
    assert np.abs(grad).max() < 0.01
    (title,) = grads.title_texts()
    factor, name = title.split(" · ")
    assert name == "dL/dW" and factor in ("100", "1000", "10000")
    np.testing.assert_allclose(grads.values / float(factor), grad)
    in_view = grads.box.viewRect()
    assert grads.labels.drawn_px(grads.cell_px(), in_view) >= 9  # digits a class can read
