"""The backward pass through a whole stack against torch.autograd: convolutions (every padding
mode), activations, max and average pooling, flatten and linear layers."""

import numpy as np
import pytest
import torch
import torch.nn as nn

from convviz.engine import (
    ActivationLayer,
    ConvLayer,
    FlattenLayer,
    LinearLayer,
    PoolLayer,
    run_stack,
    stack_backward,
)

ACTIVATIONS = {
    "relu": (nn.ReLU, {}),
    "leaky_relu": (lambda: nn.LeakyReLU(0.2), {"negative_slope": 0.2}),
    "sigmoid": (nn.Sigmoid, {}),
    "tanh": (nn.Tanh, {}),
}


def random_stack(rng):
    """A random stack of our layers and the same one as torch modules."""
    channels = 2
    ours, theirs = [], []
    w1 = rng.normal(size=(3, channels, 3, 3))
    b1 = rng.normal(size=3)
    mode = ["zeros", "reflect", "replicate", "circular"][rng.integers(4)]
    ours.append(ConvLayer(w1, b1, {"padding": 1, "padding_mode": mode}))
    conv = nn.Conv2d(channels, 3, 3, padding=1, padding_mode=mode).double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(w1))
        conv.bias.copy_(torch.from_numpy(b1))
    theirs.append(conv)
    name = list(ACTIVATIONS)[rng.integers(4)]
    module, options = ACTIVATIONS[name]
    ours.append(ActivationLayer(name, options))
    theirs.append(module())
    if rng.random() < 0.5:
        ours.append(PoolLayer("max", (2, 2)))
        theirs.append(nn.MaxPool2d(2))
    else:
        ours.append(PoolLayer("avg", (3, 3), (2, 2), 1, count_include_pad=False))
        theirs.append(nn.AvgPool2d(3, 2, 1, count_include_pad=False))
    w2 = rng.normal(size=(2, 3, 2, 2))
    ours.append(ConvLayer(w2, None, {"stride": 1}))
    conv2 = nn.Conv2d(3, 2, 2, bias=False).double()
    with torch.no_grad():
        conv2.weight.copy_(torch.from_numpy(w2))
    theirs.append(conv2)
    return ours, theirs, channels


@pytest.mark.parametrize("seed", range(8))
def test_stack_gradients_are_autograds(seed):
    rng = np.random.default_rng(seed)
    ours, theirs, channels = random_stack(rng)
    x = rng.normal(size=(channels, 8, 9))
    last = run_stack(x, ours)[-1]
    flat = last.size
    w3 = rng.normal(size=(4, flat))
    b3 = rng.normal(size=4)
    ours += [FlattenLayer(), LinearLayer(w3, b3)]
    linear = nn.Linear(flat, 4).double()
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(w3))
        linear.bias.copy_(torch.from_numpy(b3))
    model = nn.Sequential(*theirs, nn.Flatten(0), linear)
    grad_out = rng.normal(size=4)

    xt = torch.from_numpy(x.copy()).requires_grad_(True)
    yt = model(xt[None])
    yt = yt.reshape(-1)
    (yt * torch.from_numpy(grad_out)).sum().backward()

    grad_input, grads = stack_backward(x, ours, grad_out)
    np.testing.assert_allclose(grad_input, xt.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(grads[0][0], theirs[0].weight.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(grads[0][1], theirs[0].bias.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(grads[3][0], theirs[3].weight.grad.numpy(), rtol=1e-9, atol=1e-10)
    assert grads[3][1] is None and grads[1] is None and grads[2] is None
    np.testing.assert_allclose(grads[5][0], linear.weight.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(grads[5][1], linear.bias.grad.numpy(), rtol=1e-9, atol=1e-10)


def test_max_pooling_routes_each_gradient_to_its_winner_and_average_spreads_it():
    x = np.array([[[1.0, 5.0], [2.0, 3.0]]])
    g, _ = stack_backward(x, [PoolLayer("max", (2, 2))], np.array([[[7.0]]]))
    np.testing.assert_array_equal(g, [[[0.0, 7.0], [0.0, 0.0]]])
    g, _ = stack_backward(x, [PoolLayer("avg", (2, 2))], np.array([[[8.0]]]))
    np.testing.assert_array_equal(g, [[[2.0, 2.0], [2.0, 2.0]]])


def test_a_gradient_of_the_wrong_shape_is_refused_in_words():
    with pytest.raises(ValueError, match="the output's shape"):
        stack_backward(np.ones((1, 4, 4)), [PoolLayer("max", (2, 2))], np.ones((1, 3, 3)))
