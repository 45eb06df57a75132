"""conv agrees with torch.nn.functional.conv1d/2d/3d for random shapes and settings."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convviz.engine import conv, conv_geometry, output_shape

from .reference import torch_conv

MODES = ["zeros", "reflect", "replicate", "circular"]


@st.composite
def conv_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    max_size = {1: 12, 2: 9, 3: 5}[nd]
    size = [draw(st.integers(1, max_size)) for _ in range(nd)]
    kernel = [draw(st.integers(1, 4)) for _ in range(nd)]
    groups = draw(st.integers(1, 3))
    cpg, fpg = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["int", "axis", "pairs", "valid", "same", "full"]))
    if kind == "int":
        padding = draw(st.integers(0, 3))
    elif kind == "axis":
        padding = [draw(st.integers(0, 3)) for _ in range(nd)]
    elif kind == "pairs":
        padding = [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)]
    else:
        padding = kind
    stride = draw(
        st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=nd, max_size=nd))
    )
    dilation = draw(
        st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=nd, max_size=nd))
    )
    batch = draw(st.sampled_from([None, 1, 2]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    channels = groups * cpg
    x_shape = ([batch] if batch else []) + [channels, *size]
    x = rng.uniform(-10, 10, x_shape)
    weight = rng.uniform(-3, 3, (groups * fpg, cpg, *kernel))
    bias = rng.uniform(-5, 5, groups * fpg) if draw(st.booleans()) else None
    return (
        x,
        weight,
        bias,
        {
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "groups": groups,
            "padding_mode": draw(st.sampled_from(MODES)),
            "flip": draw(st.booleans()),
        },
    )


def _valid(x, weight, kw):
    try:
        conv_geometry(x.shape, weight.shape, **kw)
    except ValueError:
        return False
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_cases())
def test_matches_pytorch_float64(case):
    x, weight, bias, kw = case
    assume(_valid(x, weight, kw))
    ours = conv(x, weight, bias, **kw)
    theirs = torch_conv(x, weight, bias, **kw)
    assert ours.dtype == np.float64
    assert ours.shape == theirs.shape == output_shape(x.shape, weight.shape, **kw)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_float32_in_float32_out(case):
    x, weight, bias, kw = case
    assume(_valid(x, weight, kw))
    ours = conv(x.astype(np.float32), weight.astype(np.float32), bias, **kw)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, torch_conv(x, weight, bias, **kw), rtol=1e-4, atol=1e-3)


def test_integers_become_float64():
    x = np.arange(16).reshape(1, 4, 4)
    w = np.ones((1, 1, 2, 2), dtype=np.int32)
    out = conv(x, w)
    assert out.dtype == np.float64
    assert out[0, 0, 0] == 0 + 1 + 4 + 5


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_pytorch_same_padding_string_agrees_for_stride_one():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(2, 7, 6)), rng.normal(size=(3, 2, 4, 3))
    theirs = F.conv2d(torch.tensor(x)[None], torch.tensor(w), padding="same")[0].numpy()
    np.testing.assert_allclose(conv(x, w, padding="same"), theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_depthwise_groups_equal_channels(nd):
    rng = np.random.default_rng(nd)
    x = rng.normal(size=(4, *([5] * nd)))
    w = rng.normal(size=(8, 1, *([3] * nd)))
    np.testing.assert_allclose(
        conv(x, w, groups=4, padding=1),
        torch_conv(x, w, groups=4, padding=1),
        rtol=1e-9,
        atol=1e-12,
    )


def test_large_multichannel_map_uses_several_bands():
    rng = np.random.default_rng(7)
    x, w, b = rng.normal(size=(3, 150, 130)), rng.normal(size=(5, 3, 3, 3)), rng.normal(size=5)
    np.testing.assert_allclose(
        conv(x, w, b, padding=1, stride=(1, 2)),
        torch_conv(x, w, b, padding=1, stride=(1, 2)),
        rtol=1e-9,
        atol=1e-10,
    )


@pytest.mark.parametrize(
    ("shape", "kernel", "kw"),
    [
        ((1, 40, 40), (1, 1, 3, 3), {}),  # whole map in one tensor product
        ((1, 70, 60), (1, 1, 7, 7), {"dilation": (1, 2)}),  # kernel row by kernel row
        ((1, 300, 200), (1, 1, 3, 5), {"stride": (2, 1), "padding": (1, 2)}),  # bands, tap by tap
        ((2, 200, 150), (4, 2, 3, 3), {"padding": "same"}),  # bands, matrix product
        ((2, 30, 20, 20), (2, 2, 3, 3, 3), {"padding": 1}),  # 3-D, bands over depth
        ((3, 5000), (2, 3, 9), {"stride": 3}),  # 1-D, long
    ],
)
def test_each_strategy_matches_pytorch(shape, kernel, kw):
    rng = np.random.default_rng(sum(shape))
    x, w = rng.normal(size=shape), rng.normal(size=kernel)
    np.testing.assert_allclose(conv(x, w, **kw), torch_conv(x, w, **kw), rtol=1e-9, atol=1e-10)
    x[(0,) * len(shape)] = np.inf  # non-finite input: tap by tap, IEEE arithmetic
    ours, theirs = conv(x, w, **kw), torch_conv(x, w, **kw)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-10)
