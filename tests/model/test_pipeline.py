"""The pipeline: the layers after the first convolution, their outputs, stages and summary."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz.model import Session


def test_stack_summary_and_shapes_follow_the_session():
    s = Session("cs231n")
    seen = []
    s.document_changed.connect(lambda: seen.append(1))
    s.edits.add_activation("relu")
    s.edits.add_pool("max", 2)
    rows, total = s.pipeline.summary()
    assert [r.output_shape for r in rows] == [(2, 3, 3), (2, 3, 3), (2, 1, 1)]
    assert total == 2 * 27 + 2
    expected = F.max_pool2d(torch.relu(torch.tensor(s.pipeline.stepper.output)), 2).numpy()
    np.testing.assert_allclose(s.pipeline.outputs[-1], expected)
    s.edits.change_settings("stride", stride=(1, 1))  # the document changes: a new pipeline
    assert s.pipeline.summary()[0][0].output_shape == (2, 5, 5)
    assert len(seen) == 3  # one event per edit


def test_receptive_field_and_problems():
    s = Session("letter-h")
    s.edits.add_pool("max", 2)
    s.edits.add_conv(filters=2, size=3, seed=0)
    # 'same' 3×3 conv, 2×2 pool, 3×3 conv with padding 1: cell (2, 2) of layer 3
    assert s.pipeline.receptive_field(3, (2, 2)) == ((1, 8), (1, 8))
    s.edits.add_pool("avg", 9)
    assert "layer 4" in s.pipeline.stack_problem
    rows, total = s.pipeline.summary()  # the layers that still run stay in the table
    assert [r.output_shape for r in rows] == [(1, 16, 16), (1, 8, 8), (2, 8, 8)]
    assert total == 9 + 2 * 9 + 2
    s.edits.remove_last_layer()
    assert s.pipeline.stack_problem is None


def _tiny_cnn(session):
    """conv (the session's) → ReLU → max pool 2 → conv 2 filters → avg pool 2."""
    session.edits.add_activation("relu")
    session.edits.add_pool("max", 2)
    session.edits.add_conv(filters=2, size=3, seed=1)
    session.edits.add_pool("avg", 2)


def _torch_outputs(session):
    x = torch.tensor(session.document.x)[None]
    out = []
    for layer in session.pipeline.layers:
        name = type(layer).__name__
        if name == "ConvLayer":
            w = torch.tensor(layer.weight)
            b = None if layer.bias is None else torch.tensor(layer.bias)
            pads = layer.settings.get("padding", 0)
            if not isinstance(pads, int):
                pads = tuple(b for b, _ in pads)
            x = F.conv2d(x, w, b, stride=layer.settings.get("stride", 1), padding=pads)
        elif name == "PoolLayer":
            pool = F.max_pool2d if layer.kind == "max" else F.avg_pool2d
            x = pool(x, layer.kernel_size)
        else:
            x = torch.relu(x)
        out.append(x[0].numpy())
    return out


def test_every_layer_steps_and_each_cell_agrees_with_pytorch():
    s = Session("letter-h")
    _tiny_cnn(s)
    assert s.pipeline.stage_titles() == [
        "layer 1: conv 1 × 3×3",
        "layer 3: max pool 2×2",
        "layer 4: conv 2 × 3×3",
        "layer 5: avg pool 2×2",
    ]
    expected = _torch_outputs(s)
    ends = [2, 3, 4, 5]  # the last layer of each stage (1-based)
    for index, end in enumerate(ends):
        s.set_stage(index)
        assert s.playhead.position == 0 and s.stage.index == index
        np.testing.assert_allclose(s.final_map(), expected[end - 1], rtol=1e-12, atol=1e-12)
        walk = s.walk
        for i in range(0, len(walk), 7):
            step = walk[i]
            value = s.activated(np.array(step.output))
            assert value == pytest.approx(expected[end - 1][(step.filter, *step.out_index)])
    s.set_stage(1)
    s.playhead.step_forward(3)
    assert "layer 3: max pool 2×2, step 3 of 64" in s.caption()
    partial = s.feature_map()
    assert np.isnan(partial).sum() == partial.size - 3
    s.set_stage(0)
    assert "layer 1: conv 1 × 3×3" in s.caption()


def test_deeper_layers_follow_edits_and_undo():
    s = Session("letter-h")
    history = s.history
    _tiny_cnn(s)
    s.set_stage(2)  # the second convolution
    s.playhead.run_to_end()
    with pytest.raises(ValueError, match="Step layer 1 to edit the input"):
        s.edits.edit_cells("input", 0, 3, 3, [[9.0]])  # layer 4 reads a computed grid
    x = s.document.x.copy()
    x[0, 3, 3] = 9.0
    s.edits.change("Fill", x=x)  # a whole-input change (a fill, an import) still reaches it
    np.testing.assert_allclose(s.final_map(), _torch_outputs(s)[3], rtol=1e-12, atol=1e-12)
    assert s.stage_index == 2 and s.playhead.finished  # still stepping it, still finished
    s.edits.edit_cells("kernel", (1, 0), 0, 0, [[5.0]])  # layer 4's weights are editable here
    assert s.document.layers[2].weight[1, 0, 0, 0] == 5.0 and s.document.weight[0, 0, 0, 0] != 5.0
    np.testing.assert_allclose(s.final_map(), _torch_outputs(s)[3], rtol=1e-12, atol=1e-12)
    history.undo()
    assert s.document.layers[2].weight[1, 0, 0, 0] != 5.0
    history.undo()  # the input
    history.undo()  # the last pooling
    assert len(s.document.layers) == 3 and s.stage_index == 2
    history.undo()  # the second convolution: its stage is gone, the last one is shown
    assert len(s.pipeline.stage_starts) == 2 and s.stage_index == 1
    history.redo()
    assert len(s.document.layers) == 3


def test_a_stack_that_stops_fitting_keeps_its_last_picture():
    s = Session("letter-h")
    _tiny_cnn(s)
    s.set_stage(3)
    # 16×16 padded by 1, stride 4: 4×4 → max pool 2×2 → conv → avg pool 2: 1×1
    s.edits.change_settings("stride", stride=(4, 4), padding=((1, 1), (1, 1)))
    assert s.stage_problem is None
    before = s.final_map().copy()
    assert before.shape == (2, 1, 1)
    np.testing.assert_allclose(before, _torch_outputs(s)[-1], rtol=1e-12, atol=1e-12)
    s.edits.change_settings("stride", stride=(8, 8))  # 2×2 → max pool → 1×1: avg pool 2 cannot
    assert s.stage_index == 3 and "layer 5" in s.stage_problem
    np.testing.assert_array_equal(s.final_map(), before)  # the last picture stays
    assert s.problem is None  # the document computes: only a later layer does not fit
    with pytest.raises(ValueError, match="layer 5"):
        s.pipeline.stage(3)


def test_layers_and_the_stepped_layer_round_trip(tmp_path):
    from convviz.model import load_project, save_project

    s = Session("cs231n")
    s.edits.add_activation("relu")
    s.edits.add_conv(filters=3, size=1, seed=4)
    s.edits.add_pool("max", 3)
    s.set_stage(2)
    s.playhead.step_forward(2)
    path = save_project(tmp_path / "stack.convviz", s.to_project())
    t = Session()
    t.open_project(load_project(path))
    assert [layer.name for layer in t.document.layers] == [v.name for v in s.document.layers]
    np.testing.assert_array_equal(t.document.layers[1].weight, s.document.layers[1].weight)
    assert (t.stage_index, t.playhead.position) == (2, 2)
    np.testing.assert_array_equal(t.final_map(), s.final_map())


def test_a_convolution_too_slow_to_recompute_is_refused_in_words():
    s = Session("letter-h")
    s.edits.resize_input((512, 512))
    with pytest.raises(ValueError, match="too slow to recompute"):
        s.edits.add_conv(filters=64, size=15)
    assert s.document.layers == ()
    s.edits.add_conv(filters=4, size=3, seed=0)  # a usual one is fine
    assert len(s.document.layers) == 1


def test_a_deeper_convolutions_bias_is_edited_while_it_is_stepped():
    s = Session("letter-h")
    history = s.history
    s.edits.add_conv(filters=2, size=3, seed=0)
    s.set_stage(1)
    s.edits.set_bias(1, 0.5)
    assert s.document.layers[0].bias.tolist() == [0, 0.5] and not s.document.use_bias
    step = s.walk[s.walk.index_of(1, (0, 0))]
    assert step.bias == 0.5 and step.output == pytest.approx(step.products.sum() + 0.5)
    history.undo()
    assert s.document.layers[0].bias.tolist() == [0, 0]


def test_the_next_convolution_follows_when_layer_1_gains_or_loses_a_filter():
    s = Session("tiny-cnn")  # 2 filters → ReLU → max pool → conv reading 2 channels
    history = s.history
    before = s.pipeline.outputs[-1].copy()
    old = s.document.layers[2].weight.copy()
    s.edits.add_filter()
    assert s.pipeline.stack_problem is None and s.document.layers[2].weight.shape[1] == 3
    np.testing.assert_array_equal(s.document.layers[2].weight[:, :2], old)
    assert not s.document.layers[2].weight[:, 2].any()  # the new map is read with zeros at first
    np.testing.assert_allclose(s.pipeline.outputs[-1], before)  # so nothing after it changes
    s.edits.remove_filter(0)
    np.testing.assert_array_equal(s.document.layers[2].weight[:, 0], old[:, 1])
    history.undo()
    history.undo()
    np.testing.assert_array_equal(s.document.layers[2].weight, old)


def test_a_pooling_has_no_kernel_cells_to_edit():
    s = Session("tiny-cnn")
    s.set_stage(1)  # the max pooling
    with pytest.raises(ValueError, match="a pooling has no weights to edit"):
        s.edits.edit_cells("kernel", (0, 0), 0, 0, [[5.0]])
    assert s.document.weight[0, 0, 0, 0] != 5.0
