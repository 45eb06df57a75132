"""Layer stacks run like torch.nn.Sequential; summaries and receptive fields are right."""

import numpy as np
import pytest
import torch
from torch import nn

from convviz.engine.layers import (
    ActivationLayer,
    ConvLayer,
    PoolLayer,
    receptive_field,
    run_stack,
    summary,
)


def _stack(rng):
    w1, b1 = rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    w2 = rng.normal(size=(6, 4, 5, 5))
    layers = [
        ConvLayer(w1, b1, {"padding": 1}),
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        ConvLayer(w2, None, {"stride": 2, "dilation": 2, "padding": 2}),
        ActivationLayer("leaky_relu", {"negative_slope": 0.1}),
        PoolLayer("avg", (3, 3), (2, 2), (1, 1), ceil_mode=True, count_include_pad=False),
    ]
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 5, stride=2, dilation=2, padding=2, bias=False),
        nn.LeakyReLU(0.1),
        nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
    ).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(w1))
        model[0].bias.copy_(torch.tensor(b1))
        model[3].weight.copy_(torch.tensor(w2))
    return layers, model


def test_stack_matches_torch_sequential():
    rng = np.random.default_rng(5)
    layers, model = _stack(rng)
    x = rng.normal(size=(3, 37, 41))
    ours = run_stack(x, layers)
    with torch.no_grad():
        theirs = model(torch.tensor(x)[None])[0].numpy()
    np.testing.assert_allclose(ours[-1], theirs, rtol=1e-9, atol=1e-12)
    rows, total = summary(x, layers)
    assert [r.output_shape for r in rows] == [o.shape for o in ours]
    assert [r.parameters for r in rows] == [4 * 27 + 4, 0, 0, 6 * 4 * 25, 0, 0]
    assert total == sum(p.numel() for p in model.parameters())


def test_receptive_field_is_exactly_the_cells_that_matter():
    rng = np.random.default_rng(6)
    layers, _ = _stack(rng)
    x = rng.normal(size=(3, 37, 41))
    out = run_stack(x, layers)
    depth, cell = 4, (2, 3)  # the second convolution's output
    (r0, r1), (c0, c1) = receptive_field(layers, depth, cell)
    changed = x.copy()
    changed[:, :, :] += 1000.0
    changed[:, max(r0, 0) : r1 + 1, max(c0, 0) : c1 + 1] = x[
        :, max(r0, 0) : r1 + 1, max(c0, 0) : c1 + 1
    ]
    assert run_stack(changed, layers)[depth - 1][(slice(None), *cell)] == pytest.approx(
        out[depth - 1][(slice(None), *cell)]
    )
    # and each edge of the range matters: changing a cell just inside moves the output
    edge = x.copy()
    edge[:, max(r0, 0), max(c0, 0)] += 5.0
    assert not np.allclose(
        run_stack(edge, layers)[depth - 1][(slice(None), *cell)],
        out[depth - 1][(slice(None), *cell)],
    )


def test_a_bad_layer_is_named():
    layers = [ConvLayer(np.ones((1, 1, 3, 3))), PoolLayer("max", (9, 9))]
    with pytest.raises(ValueError, match=r"layer 2 \(max pool 9×9\)"):
        run_stack(np.ones((1, 6, 6)), layers)
