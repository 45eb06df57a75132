"""The transposed lens in the window: scatter and gather step together with the same numbers,
the stamps per cell make the stride's checkerboard, and output_padding is said in words."""

import numpy as np
import torch
import torch.nn.functional as F
from PySide6.QtCore import Qt

from convviz.engine import conv_matrix

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_8_scatter_and_gather_agree_with_pytorch_and_m_transposed(qtbot, window):
    window.open_demo("transposed")
    view = window.lenses.current
    assert window.session.view.lens == "transposed"
    d = window.session.document
    y = window.session.stage.stepper.output
    np.testing.assert_array_equal(y, [[[1, 2], [3, 4]]])
    expected = F.conv_transpose2d(torch.tensor(y[None]), torch.tensor(d.weight), stride=2)[
        0
    ].numpy()
    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    p = view.picture
    np.testing.assert_allclose(p.output, expected)
    m = conv_matrix(d.x.shape, d.weight, stride=2)
    np.testing.assert_allclose(p.output.ravel(), m.T @ y.ravel())
    # After two stamps the scatter holds the first two cells' stamps.
    w = d.weight[0, 0]
    partial = np.zeros((5, 5))
    partial[0:3, 0:3] += 1 * w
    partial[0:3, 2:5] += 2 * w
    np.testing.assert_allclose(p.scattered, partial)
    # The gather at the chosen cell gives the whole output's number there.
    window.session.view.set(chosen_cell=(0, (2, 2)))
    p = view.picture
    assert float((p.gather_values * p.gather_weights).sum()) == expected[0, 2, 2]
    np.testing.assert_array_equal(p.gather_weights, w[::-1, ::-1])
    np.testing.assert_array_equal(p.counts, np.outer([1, 1, 2, 1, 1], [1, 1, 2, 1, 1]))
    text = view.text()
    assert "INPUT cell (0, 1) = 2 stamps" in text and "checkerboard" in text and "Mᵀ" in text
    qtbot.keyClick(window, Qt.Key.Key_8, CTRL)
    assert window.lenses.current is view


def test_the_output_padding_demo_says_which_input_size_is_rebuilt(qtbot, window):
    window.open_demo("output-padding")
    view = window.lenses.current
    d = window.session.document
    y = window.session.stage.stepper.output
    expected = F.conv_transpose2d(
        torch.tensor(y[None]), torch.tensor(d.weight), stride=2, padding=1, output_padding=1
    )[0].numpy()
    np.testing.assert_allclose(view.picture.output, expected, atol=1e-12)
    assert "inputs of 5 to 6 cells all give 3, and output_padding = 1 picks 6" in view.text()
