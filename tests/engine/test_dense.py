"""Flatten, linear and softmax equal torch.nn.Flatten, torch.nn.Linear and torch.softmax."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from convviz.engine import (
    ActivationLayer,
    ConvLayer,
    FlattenLayer,
    LinearLayer,
    PoolLayer,
    run_stack,
    softmax,
    summary,
)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
)
def test_flatten_is_torch_flatten_of_one_sample(seed, shape):
    x = np.random.default_rng(seed).normal(size=shape)
    theirs = nn.Flatten()(torch.from_numpy(x)[None])[0].numpy()
    ours = FlattenLayer()(x)
    assert ours.shape == theirs.shape == (x.size,)
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    inputs=st.integers(1, 40),
    outputs=st.integers(1, 12),
    bias=st.booleans(),
)
def test_linear_is_torch_linear(seed, inputs, outputs, bias):
    rng = np.random.default_rng(seed)
    module = nn.Linear(inputs, outputs, bias=bias).double()
    weight = rng.normal(size=(outputs, inputs))
    b = rng.normal(size=outputs) if bias else None
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(weight))
        if bias:
            module.bias.copy_(torch.from_numpy(b))
    x = rng.normal(size=inputs)
    with torch.no_grad():
        theirs = module(torch.from_numpy(x)[None])[0].numpy()
    layer = LinearLayer(weight, b)
    np.testing.assert_allclose(layer(x), theirs, rtol=1e-12, atol=1e-12)
    assert layer.parameters() == sum(p.numel() for p in module.parameters())


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 12),
    scale=st.sampled_from([1.0, 30.0, 1000.0]),
)
def test_softmax_is_torch_softmax_and_never_overflows(seed, size, scale):
    z = np.random.default_rng(seed).normal(size=size) * scale
    ours = softmax(z)
    theirs = torch.softmax(torch.from_numpy(z), dim=-1).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-300)
    assert np.all(np.isfinite(ours)) and ours.sum() == pytest.approx(1.0)


def test_a_classifier_stack_matches_torch_sequential_with_its_summary():
    rng = np.random.default_rng(15)
    w1, b1 = rng.normal(size=(4, 1, 3, 3)), rng.normal(size=4)
    w2, b2 = rng.normal(size=(8, 4, 3, 3)), rng.normal(size=8)
    w3, b3 = rng.normal(size=(10, 8 * 4 * 4)), rng.normal(size=10)
    layers = [
        ConvLayer(w1, b1, {"padding": 1}),
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        ConvLayer(w2, b2, {"padding": 1}),
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        FlattenLayer(),
        LinearLayer(w3, b3),
    ]
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
        for index, (w, b) in {0: (w1, b1), 3: (w2, b2), 7: (w3, b3)}.items():
            model[index].weight.copy_(torch.from_numpy(w))
            model[index].bias.copy_(torch.from_numpy(b))
    x = rng.normal(size=(1, 16, 16))
    ours = run_stack(x, layers)
    with torch.no_grad():
        theirs = model(torch.from_numpy(x)[None])[0]
    np.testing.assert_allclose(ours[-1], theirs.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(softmax(ours[-1]), torch.softmax(theirs, -1).numpy(), atol=1e-12)
    rows, total = summary(x, layers, ours)
    assert [(r.layer, r.output_shape, r.parameters) for r in rows[-2:]] == [
        ("flatten", (128,), 0),
        ("linear 128 → 10", (10,), 1290),
    ]
    assert total == sum(p.numel() for p in model.parameters())


def test_shapes_that_do_not_fit_are_refused_in_words():
    with pytest.raises(ValueError, match=r"linear layer reads a vector.*flatten them first"):
        LinearLayer(np.ones((2, 3)))(np.ones((3, 1)))
    with pytest.raises(ValueError, match="linear layer of 3 inputs got 4 numbers"):
        LinearLayer(np.ones((2, 3)))(np.ones(4))
    with pytest.raises(ValueError, match=r"weight is \(outputs, inputs\)"):
        LinearLayer(np.ones(3))
    with pytest.raises(ValueError, match="needs 2 biases"):
        LinearLayer(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match="layer 2 \\(linear 5 → 2\\)"):
        run_stack(np.ones((1, 2, 2)), [FlattenLayer(), LinearLayer(np.ones((2, 5)))])
    with pytest.raises(ValueError, match="no window"):
        FlattenLayer().window(2)
