"""conv_transpose agrees with torch.nn.functional.conv_transpose1d/2d/3d, computed as a gather
(zeros inserted, padding, then an ordinary convolution), and explains its output size."""

import tracemalloc

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.engine import Stepper, conv, output_shape
from convviz.engine.transpose import (
    conv_transpose,
    explain_output_size_transpose,
    gather_input,
    output_shape_transpose,
    transpose_geometry,
    transposed_kernel,
)

TORCH = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """PyTorch on one thread: for arrays this small, handing work to threads costs more."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def torch_conv_transpose(x, weight, bias=None, **settings):
    """PyTorch's transposed convolution of a batched or unbatched NumPy input."""
    nd = weight.ndim - 2
    xt = torch.tensor(x)
    batched = xt.ndim == nd + 2
    bt = None if bias is None else torch.tensor(bias)
    out = TORCH[nd](xt if batched else xt[None], torch.tensor(weight), bt, **settings).numpy()
    return out if batched else out[0]


def _per_axis_or_one(draw, values, nd):
    return draw(st.one_of(values, st.lists(values, min_size=nd, max_size=nd).map(tuple)))


@st.composite
def transpose_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    size = [draw(st.integers(1, {1: 8, 2: 5, 3: 3}[nd])) for _ in range(nd)]
    kernel = [draw(st.integers(1, {1: 4, 2: 3, 3: 3}[nd])) for _ in range(nd)]
    groups = draw(st.integers(1, 3))
    cpg, fpg = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    stride = _per_axis_or_one(draw, st.integers(1, 3), nd)
    dilation = _per_axis_or_one(draw, st.integers(1, 3), nd)
    padding = _per_axis_or_one(draw, st.integers(0, 3), nd)
    # Mostly what PyTorch accepts (smaller than the stride or the dilation), sometimes not.
    output_padding = _per_axis_or_one(draw, st.sampled_from([0, 0, 1, 1, 2]), nd)
    batch = draw(st.sampled_from([None, 1, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-10, 10, ([batch] if batch else []) + [groups * cpg, *size])
    weight = rng.uniform(-3, 3, (groups * cpg, fpg, *kernel))
    bias = rng.uniform(-5, 5, groups * fpg) if draw(st.booleans()) else None
    kw = {
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }
    return x, weight, bias, kw


@settings(max_examples=300, deadline=None)
@given(transpose_cases())
def test_matches_pytorch_or_both_refuse(case):
    x, weight, bias, kw = case
    try:
        theirs = torch_conv_transpose(x, weight, bias, **kw)
    except RuntimeError:
        with pytest.raises(ValueError):
            conv_transpose(x, weight, bias, **kw)
        return
    ours = conv_transpose(x, weight, bias, **kw)
    assert ours.dtype == np.float64
    assert ours.shape == theirs.shape == output_shape_transpose(x.shape, weight.shape, **kw)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(transpose_cases())
def test_explanation_gives_the_computed_shape(case):
    x, weight, _, kw = case
    try:
        shape = output_shape_transpose(x.shape, weight.shape, **kw)
    except ValueError:
        return
    lines = explain_output_size_transpose(x.shape, weight.shape, **kw).splitlines()
    nd = weight.ndim - 2
    assert len(lines) == nd + 1
    assert [int(line.rsplit("= ", 1)[1]) for line in lines[:nd]] == list(shape[-nd:])
    for line in lines[:nd]:  # the formula, evaluated, gives the number it claims
        left, right = line.split(": ", 1)[1].rsplit(" = ", 1)
        assert eval(left.replace("−", "-").replace("·", "*")) == int(right)
    filters = f"{shape[-nd - 1]} × " if shape[-nd - 1] > 1 else ""
    assert lines[-1] == f"output: {filters}{'×'.join(map(str, shape[-nd:]))}"


@settings(max_examples=40, deadline=None)
@given(transpose_cases())
def test_float32_in_float32_out(case):
    x, weight, bias, kw = case
    try:
        theirs = torch_conv_transpose(x, weight, bias, **kw)
    except RuntimeError:
        return
    ours = conv_transpose(x.astype(np.float32), weight.astype(np.float32), bias, **kw)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-3)


def test_textbook_each_input_cell_stamps_the_kernel():
    # 1·[1, 1, 1] at 0 and 2·[1, 1, 1] at 2 (stride 2) overlap in one cell.
    assert conv_transpose([[1.0, 2.0]], [[[1, 1, 1]]], stride=2).tolist() == [[1, 1, 3, 2, 2]]
    # padding crops the full output; output_padding adds a cell at the end.
    out = conv_transpose([[1.0, 2.0]], [[[1, 10, 100]]], stride=2, padding=1, output_padding=1)
    assert out.tolist() == [[10, 102, 20, 200]]


def test_gather_inserts_zeros_pads_and_rotates_the_kernel():
    g = transpose_geometry((1, 3), (1, 1, 3), stride=2)
    assert g.stretched == (5,) and g.gather_pads == ((2, 2),)
    assert gather_input([[1, 2, 3]], g).tolist() == [[0, 0, 1, 0, 2, 0, 3, 0, 0]]
    cropped = transpose_geometry((1, 3), (1, 1, 1), stride=2, padding=1)
    assert gather_input([[1, 2, 3]], cropped).tolist() == [[0, 2, 0]]
    w = np.arange(2 * 3 * 2).reshape(2, 3, 2)  # 2 input channels, 3 output channels
    k = transposed_kernel(w)
    assert k.shape == (3, 2, 2)
    assert k[1, 0].tolist() == w[0, 1, ::-1].tolist()
    grouped = transposed_kernel(np.arange(4 * 1 * 3).reshape(4, 1, 3), groups=2)
    assert grouped.shape == (2, 2, 3)
    assert grouped[1, 1].tolist() == [11, 10, 9]  # group 1's second input channel, rotated


@pytest.mark.parametrize(
    "kw",
    [
        {"stride": 2},
        {"stride": (2, 3), "padding": (1, 2), "output_padding": (1, 0), "dilation": (1, 2)},
        {"padding": (3, 1)},  # padding past the kernel: the gather crops the input
    ],
)
def test_a_stepper_walks_the_gather_to_the_same_output(kw):
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=(4, 5, 4)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=6)
    g = transpose_geometry(x.shape, w.shape, groups=2, **kw)
    stepper = Stepper(gather_input(x, g), transposed_kernel(w, 2), b, dilation=g.dilation, groups=2)
    np.testing.assert_allclose(
        stepper.output, conv_transpose(x, w, b, groups=2, **kw), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_transposed_convolution_is_the_adjoint_of_convolution(nd):
    """<conv(x, W), y> = <x, conv_transpose(y, W)>: the matrix of one is the other's transpose."""
    rng = np.random.default_rng(nd)
    x, w = rng.normal(size=(4, *[8] * nd)), rng.normal(size=(6, 2, *[3] * nd))
    kw = {"stride": 2, "padding": 1, "dilation": 2, "groups": 2}
    y = rng.normal(size=output_shape(x.shape, w.shape, **kw))
    back = conv_transpose(y, w, output_padding=1, **kw)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.vdot(conv(x, w, **kw), y), np.vdot(x, back), rtol=1e-10)


X = np.zeros((2, 4, 4))
W = np.zeros((2, 3, 3, 3))


@pytest.mark.parametrize(
    ("x", "w", "kw", "words"),
    [
        (
            X,
            W,
            {"stride": 2, "output_padding": 2},
            "output_padding 2 must be smaller than the stride (2) or the dilation (1): it only "
            "adds the cells at the end that the stride skipped; use output_padding ≤ 1",
        ),
        (X, W, {"output_padding": 1}, "smaller than the stride (1) or the dilation (1)"),
        (X, W, {"dilation": 3, "output_padding": 3}, "use output_padding ≤ 2"),
        (
            np.zeros((3, 4, 4)),
            W,
            {},
            "its first axis (2) must match the input's 3 channel(s)",
        ),
        (np.zeros((3, 4, 4)), np.zeros((3, 1, 3, 3)), {"groups": 2}, "groups=2 must divide"),
        (X, W, {"padding": "same"}, "it has no 'same', 'valid' or 'full'"),
        (X, W, {"padding": -1}, "padding cannot be negative"),
        (X, W, {"output_padding": (1, 0, 0)}, "one per axis"),
        (X, W, {"stride": 0}, "stride must be at least 1"),
        (X, W, {"padding": 1.5}, "padding must be one whole number or 2 of them"),
        (X, W, {"padding": (1, True)}, "padding must be a whole number, got True"),
        (
            np.zeros((2, 1, 1)),
            np.zeros((2, 1, 1, 1)),
            {"padding": (0, 1)},
            "padding 1 crops away the whole output along the columns: "
            "(1 − 1)·1 − 2·1 + 1·(1−1) + 0 + 1 = -1; use padding ≤ 0",
        ),
        (np.zeros((4, 4)), W, {}, "the ranks do not match"),
        (X, np.zeros((2, 3)), {}, "(input channels, filters // groups, *kernel)"),
        (np.zeros((2, 0, 4)), W, {}, "the input is empty"),
        (X.astype(complex), W, {}, "real numbers"),
    ],
)
def test_message_names_the_problem_and_the_fix(x, w, kw, words):
    with pytest.raises(ValueError) as info:
        conv_transpose(x, w, **kw)
    assert words in str(info.value)


def test_output_padding_may_pass_the_stride_when_the_dilation_is_larger():
    out = conv_transpose(np.ones((1, 1)), np.ones((1, 1, 1)), output_padding=2, dilation=3)
    assert out.tolist() == [[1, 0, 0]]  # as PyTorch: the added cells get no input


def test_wrong_bias_length():
    with pytest.raises(ValueError, match="one number per filter"):
        conv_transpose(X, W, bias=[1.0, 2.0])


def test_output_shape_and_explanation_with_numbers_plugged_in():
    kw = {"stride": 2, "padding": 1, "output_padding": 1}
    assert output_shape_transpose((2, 4, 4), (2, 3, 3, 3), **kw) == (3, 8, 8)
    assert output_shape_transpose((5, 2, 4, 4), (2, 3, 3, 3), **kw) == (5, 3, 8, 8)
    text = explain_output_size_transpose((2, 4, 5), (2, 3, 3, 3), dilation=(1, 2), **kw)
    assert text.splitlines() == [
        "rows: (4 − 1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 8",
        "columns: (5 − 1)·2 − 2·1 + 2·(3−1) + 1 + 1 = 12",
        "output: 3 × 8×12",
    ]
    assert explain_output_size_transpose((1, 3), (1, 1, 2)).splitlines()[-1] == "output: 4"


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kw", "words"),
    [
        ((1, 64, 64), (1, 1, 3, 3), {"stride": 5000}, "an output of 1×315003×315003"),
        ((1, 2, 2), (1, 1, 3, 3), {"dilation": 10**5, "padding": 10**5}, "smaller dilation"),
        ((3, 1, 64, 64), (1, 2, 3, 3), {"stride": 60}, "output of 3×2×3783×3783"),
    ],
)
def test_a_size_past_the_budget_is_refused_before_memory_is_used(x_shape, w_shape, kw, words):
    x, w = np.zeros(x_shape), np.zeros(w_shape)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="convviz works with up to 67 M cells") as error:
            conv_transpose(x, w, **kw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert words in str(error.value)
    assert peak < 100 * 2**20
