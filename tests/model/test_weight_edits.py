"""Weights from a file into the document's convolutions: one undoable edit, or a refusal in
words naming the array."""

import numpy as np
import pytest

from convviz.engine import conv
from convviz.model import Pipeline, Session
from convviz.model.weight_edits import (
    conv_slots,
    matching_bias,
    single_weight,
    weights_fields,
    weights_for,
)


@pytest.fixture
def session():
    return Session("tiny-cnn")  # conv 2 × 1 × 3×3, relu, max pool, conv 1 × 2 × 3×3, avg pool


def state(first_filters=2):
    rng = np.random.default_rng(3)
    return {
        "0.weight": rng.standard_normal((first_filters, 1, 3, 3)),
        "0.bias": rng.standard_normal(first_filters),
        "3.weight": rng.standard_normal((1, first_filters, 3, 3)),
        "3.bias": rng.standard_normal(1),
        "steps": np.array(7.0),
    }


def test_the_convolutions_weights_can_go_to(session):
    slots = conv_slots(session.document)
    assert [(s.number, s.slot, s.weight_shape) for s in slots] == [
        (1, None, (2, 1, 3, 3)),
        (4, 2, (1, 2, 3, 3)),
    ]
    assert slots[1].title == "layer 4: conv 1 × 2 × 3×3"
    assert weights_for(session.document, state()) == ["0.weight", "3.weight"]
    assert matching_bias("0.weight", state()) == "0.bias"
    assert matching_bias("conv.weight_v", {"conv.bias_v": 1}) == "conv.bias_v"
    assert matching_bias("steps", state()) is None


def test_every_layer_at_once_is_one_undoable_edit(session):
    arrays = state()
    before = session.document
    session.edits.load_weights(arrays, {1: ("0.weight", "0.bias"), 4: ("3.weight", None)})
    d = session.document
    np.testing.assert_array_equal(d.weight, arrays["0.weight"])
    np.testing.assert_array_equal(d.bias, arrays["0.bias"])
    assert d.use_bias
    assert d.layers[2].bias is None
    np.testing.assert_array_equal(d.layers[2].weight, arrays["3.weight"])
    first = conv(d.x, arrays["0.weight"], arrays["0.bias"], padding="same")
    assert np.allclose(Pipeline.of(d).outputs[0], first)
    session.history.undo()
    after = session.document
    assert not after.use_bias and after.layers[2].weight is before.layers[2].weight
    np.testing.assert_array_equal(after.weight, before.weight)


def test_layer_one_may_change_its_filters_and_the_next_convolution_follows(session):
    arrays = state(first_filters=3)
    session.edits.load_weights(arrays, {1: ("0.weight", "0.bias")})
    d = session.document
    assert d.weight.shape == (3, 1, 3, 3) and d.layers[2].weight.shape == (1, 3, 3, 3)
    session.edits.load_weights(arrays, {4: ("3.weight", "3.bias")})
    np.testing.assert_array_equal(session.document.layers[2].bias, arrays["3.bias"])


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({1: ("steps", None)}, "'steps' is a single number; the weights of layer 1 need 4 axes"),
        ({1: ("0.weight", "3.bias")}, "'3.bias' is 1; the bias of layer 1 needs one number per"),
        ({1: ("3.weight", None)}, "layer 1 reads 1 channel"),
        ({2: ("0.weight", None)}, "layer 2 has no weights; weights go to layers 1, 4"),
        ({1: ("nothing", None)}, "there is no array 'nothing'"),
        ({4: ("0.weight", None)}, "do not fit the network: layer 4"),
        ({1: ("nan.weight", None)}, "'nan.weight' holds NaN or infinite numbers"),
    ],
)
def test_what_does_not_fit_is_refused_naming_the_array(session, choices, message):
    arrays = {**state(), "nan.weight": np.full((2, 1, 3, 3), np.nan)}
    before = session.document
    with pytest.raises(ValueError, match=message):
        session.edits.load_weights(arrays, choices)
    assert session.document is before


def test_the_single_weight_of_a_file_or_a_list_of_them():
    d = Session("letter-h").document
    assert single_weight(d, {"w": np.ones((1, 1, 3, 3)), "b": np.ones(1)}, "k.npz") == "w"
    with pytest.raises(
        ValueError, match=r"k\.npz holds 2 arrays .* \(0\.weight, 3\.weight\); name"
    ):
        single_weight(d, state(), "k.npz")
    with pytest.raises(ValueError, match=r"holds no array of 4 axes .* it holds b 3"):
        single_weight(d, {"b": np.ones(3)}, "k.npz")


def test_nothing_chosen_changes_nothing(session):
    assert weights_fields(session.document, state(), {}) == {}
    before = session.document
    session.edits.load_weights(state(), {})
    assert session.document is before


def test_a_classifiers_linear_layer_takes_weights_too():
    from convviz.engine import LinearLayer
    from convviz.model import Session
    from convviz.model.weight_edits import conv_slots, weights_fields

    session = Session("digits")
    document = session.document
    linear = next(s for s in conv_slots(document) if s.kind == "linear")
    outputs, inputs = linear.weight_shape
    assert linear.title == f"layer {linear.number}: linear {inputs} → {outputs}"
    rng = np.random.default_rng(3)
    arrays = {"fc.weight": rng.normal(size=(outputs, inputs)), "fc.bias": rng.normal(size=outputs)}
    fields = weights_fields(document, arrays, {linear.number: ("fc.weight", "fc.bias")})
    layer = fields["layers"][linear.slot]
    assert isinstance(layer, LinearLayer)
    np.testing.assert_array_equal(layer.weight, arrays["fc.weight"])
    np.testing.assert_array_equal(layer.bias, arrays["fc.bias"])
    wrong = {"fc.weight": np.ones((outputs, inputs + 1))}
    with pytest.raises(ValueError, match=rf"needs \(outputs, {inputs}\)"):
        weights_fields(document, wrong, {linear.number: ("fc.weight", None)})
