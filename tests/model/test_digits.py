"""The digits demo: the shipped network reads its shipped test digits as the training script
said, its class scores are a softmax, and projects keep flatten and linear layers."""

import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from convviz.engine import ConvLayer, FlattenLayer, LinearLayer, run_stack
from convviz.engine.digits import held_out_digits
from convviz.io.weights import read_weights
from convviz.model import ProjectError, Session, load_project, save_project
from convviz.model.from_torch import project_from_torch
from convviz.model.pipeline import Pipeline
from convviz.model.project import project_json

FIXTURE = Path(__file__).parent.parent / "fixtures" / "projects" / "digits.convviz"


def _network(session: Session) -> list:
    return list(session.pipeline.layers)


def test_the_demo_classifies_every_shipped_test_digit_as_the_training_script_did():
    held_out = held_out_digits()
    assert len(held_out.x) == 360 and held_out.x.shape[1:] == (1, 16, 16)
    layers = _network(Session("digits"))
    predictions = np.array([int(np.argmax(run_stack(x, layers)[-1])) for x in held_out.x])
    np.testing.assert_array_equal(predictions, held_out.predictions)
    accuracy = float(np.mean(predictions == held_out.labels))
    assert accuracy == held_out.accuracy
    assert accuracy > 0.95  # what the README reports (98.33 % when this was written)


def test_the_demo_is_the_network_pytorch_computes_from_the_shipped_safetensors():
    arrays = read_weights(files("convviz").joinpath("data", "digits.safetensors"))
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(128, 10),
    ).double()
    with torch.no_grad():
        for index, name in {0: "conv1", 3: "conv2", 7: "linear"}.items():
            model[index].weight.copy_(torch.from_numpy(arrays[f"{name}.weight"]))
            model[index].bias.copy_(torch.from_numpy(arrays[f"{name}.bias"]))
    s = Session("digits")
    with torch.no_grad():
        logits = model(torch.from_numpy(np.array(s.document.x))[None])[0]
    # float32 in the .safetensors file, float64 in the demo: the same hundredths
    np.testing.assert_allclose(s.pipeline.outputs[-1], logits.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        s.pipeline.class_scores, torch.softmax(logits, -1).numpy(), rtol=1e-5, atol=1e-6
    )


def test_the_pipeline_steps_the_maps_and_scores_the_classes():
    s = Session("digits")
    p = s.pipeline
    assert p.stage_titles() == [
        "layer 1: conv 4 × 3×3",
        "layer 3: max pool 2×2",
        "layer 4: conv 8 × 3×3",
        "layer 6: max pool 2×2",
    ]
    assert p.head_start == 6 and [o.shape for o in p.map_outputs][-1] == (8, 4, 4)
    assert p.stage(3).final.shape == (8, 4, 4)  # the last stage ends where the head begins
    rows, total = p.summary()
    assert [(r.layer, r.output_shape) for r in rows[-2:]] == [
        ("flatten", (128,)),
        ("linear 128 → 10", (10,)),
    ]
    assert total == 1626
    scores = p.class_scores
    assert scores.shape == (10,) and scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) == held_out_digits().labels[held_out_digits().demo_index]
    assert p.receptive_field(7, (0,)) is None  # a flattened number reads every cell
    assert p.receptive_field(6, (0, 0)) == ((-3, 6), (-3, 6))
    assert Session("tiny-cnn").pipeline.class_scores is None


def test_painting_the_input_changes_the_scores_and_one_undo_restores_them():
    s = Session("digits")
    before = s.pipeline.class_scores.copy()
    s.edits.edit_cells("input", 0, 0, 0, np.ones((16, 8)))
    assert not np.allclose(s.pipeline.class_scores, before)
    s.history.undo()
    np.testing.assert_array_equal(s.pipeline.class_scores, before)


def test_a_project_keeps_flatten_and_linear_layers(tmp_path):
    s = Session("digits")
    path = save_project(tmp_path / "digits.convviz", s.to_project())
    raw = json.loads(path.read_text())
    assert [entry["type"] for entry in raw["layers"][-2:]] == ["flatten", "linear"]
    t = Session()
    t.open_project(load_project(path))
    assert isinstance(t.document.layers[-2], FlattenLayer)
    linear = t.document.layers[-1]
    assert isinstance(linear, LinearLayer) and linear.weight.shape == (10, 128)
    np.testing.assert_array_equal(t.pipeline.class_scores, s.pipeline.class_scores)


def test_the_digits_fixture_opens_and_reads_its_digit():
    """A project saved by this version: later versions must keep opening it."""
    t = Session()
    t.open_project(load_project(FIXTURE))
    assert [v.name for v in t.pipeline.layers[-2:]] == ["flatten", "linear 128 → 10"]
    np.testing.assert_array_equal(t.pipeline.class_scores, Session("digits").pipeline.class_scores)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda layers: layers[-1].update(bias=[1, 2]), "entry 7: a linear layer with 10 outputs"),
        (lambda layers: layers[-1].update(weight=[1, 2]), r"entry 7: a linear layer's weight"),
        (lambda layers: layers[-1].pop("weight"), "entry 7: field 'weight' is missing"),
        (lambda layers: layers[-2].update(type="reshape"), "entry 6 needs a 'type' of conv"),
    ],
)
def test_hand_edited_head_layers_are_named(tmp_path, change, words):
    raw = json.loads(project_json(Session("digits").to_project()))
    change(raw["layers"])
    path = tmp_path / "edited.convviz"
    path.write_text(json.dumps(raw))
    with pytest.raises(ProjectError, match=words):
        load_project(path)


def test_a_linear_layer_that_does_not_fit_is_a_stack_problem_in_words():
    s = Session("digits")
    layers = list(s.document.layers)
    layers[-1] = LinearLayer(np.ones((10, 100)))
    p = Pipeline.of(s.document.replace(layers=tuple(layers)))
    assert p.stack_problem == (
        "layer 8 (linear 100 → 10): a linear layer of 100 inputs got 128 numbers; "
        "its weight needs 128 columns"
    )
    assert p.class_scores is None and len(p.stage_starts) == 4


def test_no_convolution_or_pooling_after_the_head_and_the_head_can_be_removed():
    s = Session("digits")
    with pytest.raises(ValueError, match="a pooling reads maps, and this stack has already"):
        s.edits.add_pool("max", 2)
    with pytest.raises(ValueError, match="a convolution reads maps"):
        s.edits.add_layer(ConvLayer(np.ones((1, 10, 1, 1))))
    s.edits.add_activation("sigmoid")  # an activation after the linear layer is fine
    assert s.pipeline.class_scores is None  # the stack no longer ends in a linear layer
    s.edits.remove_last_layer()
    s.edits.remove_last_layer()
    s.edits.remove_last_layer()
    assert s.pipeline.head_start == len(s.pipeline.layers) == 6
    s.edits.add_pool("max", 2)
    assert s.pipeline.stage_titles()[-1] == "layer 7: max pool 2×2"


def test_a_pytorch_classifier_opens_with_its_flatten_and_linear_layers():
    torch.manual_seed(3)
    net = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * 3 * 3, 4)
    ).double()
    x = torch.rand(1, 1, 8, 8, dtype=torch.float64)
    p = Pipeline.of(project_from_torch(net, x).document)
    with torch.no_grad():
        expected = net(x)[0]
    np.testing.assert_allclose(p.outputs[-1], expected.numpy(), rtol=1e-12)
    np.testing.assert_allclose(p.class_scores, torch.softmax(expected, -1).numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"layer 1 \(Flatten\) flattens other axes"):
        project_from_torch(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Flatten(0)), x)


def test_a_stroke_paints_live_and_is_one_undoable_edit():
    s = Session("digits")
    assert s.playhead.position == s.playhead.steps == 4 * 16 * 16  # its maps show at once
    s.edits.edit_cells("input", 0, 0, 0, np.zeros((16, 16)))  # a blank grid to draw on
    blank, scores = s.document, s.pipeline.class_scores.copy()
    changes = []
    s.document_changed.connect(lambda: changes.append(s.document))
    stroke = s.edits.stroke(0, "brush")
    stroke.paint_to(3, 4)
    stroke.paint_to(3, 11)  # a fast drag: every cell on the way is painted
    assert len(changes) == 2 and len(s.history.done) == 1  # live, but nothing kept yet
    painted = s.document.x[0]
    assert painted[3, 4:12].tolist() == [1.0] * 8  # the brush's core
    assert 0 < painted[4, 8] < 1 and painted[5, 8] == 0  # its soft edge, then nothing
    assert np.all(painted == np.round(painted, 2))
    stroke.paint_to(3, 11)  # no new cell: no redraw
    assert len(changes) == 2
    stroke.finish()
    assert len(s.history.done) == 2 and s.history.done[-1][0].text == "Paint 3×10 cells"
    np.testing.assert_array_equal(s.document.x[0], painted)
    assert not np.array_equal(s.pipeline.class_scores, scores)
    s.history.undo()
    assert s.document is blank
    np.testing.assert_array_equal(s.pipeline.class_scores, scores)
    s.history.redo()
    np.testing.assert_array_equal(s.document.x[0], painted)
    eraser = s.edits.stroke(0, "eraser")
    eraser.paint_to(3, 8)
    eraser.finish()
    assert s.document.x[0, 3, 8] == 0 and s.document.x[0, 3, 4] == 1
    assert s.history.done[-1][0].text.startswith("Erase")


def test_an_empty_or_cancelled_stroke_leaves_no_edit_and_a_deeper_layer_cannot_be_painted():
    s = Session("digits")
    before = s.document
    stroke = s.edits.stroke(0, "eraser")
    stroke.paint_to(15, 15)  # the corner and the cells around it are 0 already
    stroke.finish()
    assert s.document is before and not s.history.done
    stroke = s.edits.stroke(0, "brush")
    stroke.paint_to(8, 8)
    stroke.cancel()
    assert s.document is before and not s.history.done
    s.set_stage(1)
    with pytest.raises(ValueError, match="what layer 3: max pool 2×2 reads: step layer 1"):
        s.edits.stroke(0, "brush")


def test_a_stroke_on_a_photo_sums_again_only_what_its_dabs_reach():
    from convviz.engine import Stepper
    from convviz.model.strokes import brush_coverage

    s = Session("letter-h")
    x = np.random.default_rng(3).integers(0, 9, size=(1, 300, 300)).astype(float) / 10
    s.edits.change("a photo", x=x)
    stroke = s.edits.stroke(0, "brush")
    path = [(150, 40), (152, 60), (170, 61.5)]
    for point in path:
        stroke.paint_to(*point)
        assert s.pipeline.cell_change is not None  # not the whole picture computed again
    # What the stroke left is what the brush over the whole picture leaves.
    from convviz.model.strokes import dabs_between

    dabs = [path[0], *dabs_between(path[0], path[1]), *dabs_between(path[1], path[2])]
    coverage = brush_coverage(x.shape[1:], dabs)
    expected = np.round(x[0] + (1.0 - x[0]) * coverage, 2)
    expected[coverage == 0] = x[0][coverage == 0]
    np.testing.assert_array_equal(s.document.x[0], expected)
    d = s.document
    whole = Stepper(d.x, d.weight, d.bias if d.use_bias else None, **d.settings.as_kwargs())
    np.testing.assert_allclose(s.pipeline.stepper.output, whole.output, rtol=1e-12, atol=1e-12)
    edits = len(s.history.done)
    stroke.finish()
    assert len(s.history.done) == edits + 1  # the whole stroke: one edit
    np.testing.assert_array_equal(s.document.x[0], expected)
    s.history.undo()
    np.testing.assert_array_equal(s.document.x, x)
