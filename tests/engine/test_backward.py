"""conv_backward gives the gradients torch.autograd gives for the same convolution, for every
padding and padding mode: gradients flow back through reflected, replicated and wrapped cells."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convviz.engine import conv, conv_geometry, output_shape
from convviz.engine.backward import (
    conv_backward,
    fold_padding_gradient,
    input_gradient_geometry,
    padded_input_gradient,
)
from convviz.engine.transpose import gather_input, transposed_kernel

MODES = ["zeros", "reflect", "replicate", "circular"]
TORCH_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}
TORCH = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """PyTorch on one thread: for arrays this small, handing work to threads costs more."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def torch_gradients(x, weight, grad_output, **settings):
    """dL/dx, dL/dW and dL/db from torch.autograd: F.pad with the mode, then conv*d."""
    geometry = conv_geometry(x.shape, weight.shape, **settings)
    nd = geometry.nd
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(weight, requires_grad=True)
    bt = torch.zeros(weight.shape[0], dtype=torch.float64, requires_grad=True)
    batched = x.ndim == nd + 2
    inputs = xt if batched else xt[None]
    pads = [v for pair in reversed(geometry.pads) for v in pair]
    if any(pads):
        inputs = F.pad(inputs, pads, mode=TORCH_MODE[geometry.padding_mode])
    kernel = torch.flip(wt, dims=list(range(2, nd + 2))) if geometry.flip else wt
    out = TORCH[nd](
        inputs,
        kernel,
        bt,
        stride=geometry.stride,
        dilation=geometry.dilation,
        groups=geometry.groups,
    )
    g = torch.tensor(grad_output)
    out.backward(g if batched else g[None])
    return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


@st.composite
def backward_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    size = [draw(st.integers(1, {1: 10, 2: 7, 3: 4}[nd])) for _ in range(nd)]
    kernel = [draw(st.integers(1, 3)) for _ in range(nd)]
    groups = draw(st.integers(1, 3))
    cpg, fpg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kind = draw(st.sampled_from(["int", "axis", "pairs", "valid", "same", "full"]))
    if kind == "int":
        padding = draw(st.integers(0, 3))
    elif kind == "axis":
        padding = [draw(st.integers(0, 3)) for _ in range(nd)]
    elif kind == "pairs":
        padding = [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)]
    else:
        padding = kind
    per_axis = st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=nd, max_size=nd))
    batch = draw(st.sampled_from([None, 1, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-10, 10, ([batch] if batch else []) + [groups * cpg, *size])
    weight = rng.uniform(-3, 3, (groups * fpg, cpg, *kernel))
    kw = {
        "stride": draw(per_axis),
        "padding": padding,
        "dilation": draw(per_axis),
        "groups": groups,
        "padding_mode": draw(st.sampled_from(MODES)),
        "flip": draw(st.booleans()),
    }
    return x, weight, rng.uniform(-2, 2, 3**nd * 16), kw


def _valid(x, weight, kw):
    try:
        conv_geometry(x.shape, weight.shape, **kw)
    except ValueError:
        return False
    return True


def _grad_output(x, weight, pool, kw):
    shape = output_shape(x.shape, weight.shape, **kw)
    return np.resize(pool, shape)  # random numbers, repeated if the output is larger


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(backward_cases())
def test_matches_torch_autograd_float64(case):
    x, weight, pool, kw = case
    assume(_valid(x, weight, kw))
    grad_output = _grad_output(x, weight, pool, kw)
    ours = conv_backward(x, weight, grad_output, **kw)
    theirs = torch_gradients(x, weight, grad_output, **kw)
    for name, a, b in zip(("grad_input", "grad_weight", "grad_bias"), ours, theirs, strict=True):
        assert a.dtype == np.float64, name
        assert a.shape == b.shape, name
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=name)


@settings(max_examples=40, deadline=None)
@given(backward_cases())
def test_float32_in_float32_out(case):
    x, weight, pool, kw = case
    assume(_valid(x, weight, kw))
    grad_output = _grad_output(x, weight, pool, kw)
    ours = conv_backward(
        x.astype(np.float32), weight.astype(np.float32), grad_output.astype(np.float32), **kw
    )
    theirs = torch_gradients(x, weight, grad_output, **kw)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-3)


def test_textbook_one_dimensional_gradients():
    # out = [1·1 + 2·1, 2·1 + 3·1]; every output cell's gradient is 1.
    grad_input, grad_weight, grad_bias = conv_backward([[1.0, 2, 3]], [[[1.0, 1]]], [[1.0, 1]])
    assert grad_input.tolist() == [[1, 2, 1]]  # the middle cell feeds both outputs
    assert grad_weight.tolist() == [[[3, 5]]]  # each tap met 1 + 2, then 2 + 3
    assert grad_bias.tolist() == [2]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("zeros", [1, 1, 1]),  # the padded zeros are nobody's copy
        ("reflect", [1, 3, 1]),  # x1 x0 x1 x2 x1: the middle cell is read three times
        ("replicate", [2, 1, 2]),  # x0 x0 x1 x2 x2
        ("circular", [2, 1, 2]),  # x2 x0 x1 x2 x0
    ],
)
def test_padding_hands_its_gradient_to_the_cells_it_copies(mode, expected):
    ones = np.ones((1, 5))
    grad_input, _, _ = conv_backward(
        np.zeros((1, 3)), [[[1.0]]], ones, padding=1, padding_mode=mode
    )
    assert grad_input.tolist() == [expected]


def test_flip_rotates_the_weight_gradient_back():
    x, w = np.array([[1.0, 2, 3, 4]]), np.array([[[1.0, 2, 3]]])
    _, correlated, _ = conv_backward(x, w, [[1.0, 10]])
    _, convolved, _ = conv_backward(x, w[..., ::-1], [[1.0, 10]], flip=True)
    assert correlated.tolist() == [[[21, 32, 43]]]
    assert convolved.tolist() == [[[43, 32, 21]]]


def test_input_gradient_is_the_gather_of_the_stretched_output_gradient():
    """What the app shows for dL/dx: G with zeros inserted, padded, and the rotated kernel."""
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(2, 9, 8)), rng.normal(size=(4, 1, 3, 2))
    kw = {"stride": (2, 3), "padding": 1, "dilation": (1, 2), "groups": 2}
    geometry = conv_geometry(x.shape, w.shape, **kw)
    g = rng.normal(size=output_shape(x.shape, w.shape, **kw))
    transpose = input_gradient_geometry(geometry)
    assert transpose.out == geometry.padded_size
    gathered = conv(gather_input(g, transpose), transposed_kernel(w, 2), dilation=(1, 2), groups=2)
    np.testing.assert_allclose(gathered, padded_input_gradient(g[None], w, geometry)[0])
    crop = (slice(None), slice(1, -1), slice(1, -1))
    np.testing.assert_allclose(conv_backward(x, w, g, **kw)[0], gathered[crop], rtol=1e-12)
    np.testing.assert_array_equal(fold_padding_gradient(gathered, geometry), gathered[crop])


@pytest.mark.parametrize(
    ("grad_output", "words"),
    [
        (np.zeros((1, 3, 3)), "grad_output must have the shape of the convolution's output, "),
        (np.zeros((2, 1, 3, 3)), "output, 1×4×4, got 2×1×3×3"),
        (np.float64(1), "got a single number"),
    ],
)
def test_grad_output_of_the_wrong_shape_is_refused_in_words(grad_output, words):
    with pytest.raises(ValueError) as info:
        conv_backward(np.zeros((1, 5, 5)), np.zeros((1, 1, 2, 2)), grad_output)
    assert words in str(info.value)


def test_bad_settings_get_the_convolution_messages():
    with pytest.raises(ValueError, match="use padding ≤ 2"):
        conv_backward(
            np.zeros((1, 3)),
            np.zeros((1, 1, 1)),
            np.zeros((1, 9)),
            padding=3,
            padding_mode="reflect",
        )
