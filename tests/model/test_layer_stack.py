"""The layer stack after the session's convolution."""

import numpy as np
import torch
import torch.nn.functional as F

from convviz.model import History, Session
from convviz.model.layer_stack import LayerStack


def test_stack_summary_and_shapes_follow_the_session():
    s = Session("cs231n")
    History(s)
    stack = LayerStack(s)
    seen = []
    stack.changed.connect(lambda: seen.append(1))
    stack.add_activation("relu")
    stack.add_pool("max", 2)
    rows, total = stack.summary()
    assert [r.output_shape for r in rows] == [(2, 3, 3), (2, 3, 3), (2, 1, 1)]
    assert total == 2 * 27 + 2
    expected = F.max_pool2d(torch.relu(torch.from_numpy(s.stepper.output)), 2).numpy()
    np.testing.assert_allclose(stack.outputs()[-1], expected)
    s.change_settings("stride", stride=(1, 1))  # the session changes: the stack follows
    assert stack.summary()[0][0].output_shape == (2, 5, 5)
    assert len(seen) >= 3


def test_receptive_field_and_problems():
    s = Session("letter-h")
    stack = LayerStack(s)
    stack.add_pool("max", 2)
    stack.add_conv(filters=2, size=3, seed=0)
    # 'same' 3×3 conv, 2×2 pool, 3×3 conv with padding 1: cell (2, 2) of layer 3
    assert stack.receptive_field(3, (2, 2)) == ((1, 8), (1, 8))
    stack.add_pool("avg", 9)
    assert "layer 4" in stack.problem and stack.summary() == ([], 0)
    stack.remove_last()
    assert stack.problem is None
