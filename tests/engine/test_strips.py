"""One channel meeting one 1-D/2-D filter: strips of outputs as matrix products with the kernel
laid out as a banded matrix. The same numbers as PyTorch, exact zeros where the sum is zero."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.engine import conv, conv_geometry, strips
from convviz.engine.strips import correlate_strips, kernel_matrix

from .reference import torch_conv

MODES = ["zeros", "reflect", "replicate", "circular"]


def test_kernel_matrix_holds_the_kernel_on_its_diagonals():
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = kernel_matrix(w, stride=1, dilation=1, strip=3)
    # Output u of a strip meets input cells u and u+1 of each kernel row's run of 4 cells.
    run = np.array([[1, 0, 0], [2, 1, 0], [0, 2, 1], [0, 0, 2]], dtype=float)
    np.testing.assert_array_equal(m[:4], run)
    np.testing.assert_array_equal(m[4:], np.array([[3, 0, 0], [4, 3, 0], [0, 4, 3], [0, 0, 4]]))


def test_kernel_matrix_spreads_taps_by_stride_and_dilation():
    w = np.array([[5.0, 7.0]])
    m = kernel_matrix(w, stride=2, dilation=3, strip=2)
    # Run of 2·1 + 3·1 + 1 = 6 cells; output u meets cells 2u and 2u + 3.
    expected = np.zeros((6, 2))
    expected[[0, 3], 0] = [5, 7]
    expected[[2, 5], 1] = [5, 7]
    np.testing.assert_array_equal(m, expected)


@pytest.fixture
def tiny_bands(monkeypatch):
    """Bands of a few rows, column blocks and several BLAS calls even on small inputs."""
    monkeypatch.setattr(strips, "_BAND", 300)
    monkeypatch.setattr(strips, "_CALL", 2000)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(1, 40),
    cols=st.integers(1, 70),
    kh=st.integers(1, 6),
    kw=st.integers(1, 9),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 10_000),
)
def test_strips_match_pytorch(rows, cols, kh, kw, stride, dilation, dtype, seed):
    extent = [d * (k - 1) + 1 for k, d in zip((kh, kw), dilation, strict=True)]
    if extent[0] > rows or extent[1] > cols:
        return
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(rows, cols)), rng.normal(size=(kh, kw))
    expected = torch_conv(x[None], w[None, None], stride=stride, dilation=dilation)[0]
    out = np.empty(expected.shape, dtype=dtype)
    correlate_strips(x.astype(dtype), w.astype(dtype), stride, dilation, out)
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(out, expected, rtol=tolerance, atol=tolerance * 10)


@pytest.mark.usefixtures("tiny_bands")
@pytest.mark.parametrize(
    ("shape", "kernel", "kw"),
    [
        ((1, 37, 53), (1, 1, 5, 7), {}),
        ((1, 37, 53), (1, 1, 3, 3), {"stride": (2, 3), "padding": 4}),
        ((1, 40, 40), (1, 1, 4, 2), {"dilation": (3, 5), "padding": "same"}),
        ((1, 3000), (1, 1, 31), {"stride": 2, "padding_mode": "reflect", "padding": 15}),
        ((2, 29, 31), (2, 1, 3, 5), {"groups": 2, "flip": True, "padding": "full"}),
    ],
)
def test_bands_blocks_and_calls_match_pytorch(shape, kernel, kw):
    rng = np.random.default_rng(sum(shape))
    x, w, b = rng.normal(size=shape), rng.normal(size=kernel), rng.normal(size=kernel[0])
    np.testing.assert_allclose(conv(x, w, b, **kw), torch_conv(x, w, b, **kw), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(
    nd=st.sampled_from([1, 2]),
    size=st.integers(5, 40),
    k=st.integers(2, 7),
    groups=st.integers(1, 3),
    padding=st.sampled_from([0, 1, "same", "full"]),
    mode=st.sampled_from(MODES),
    flip=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_one_channel_per_filter_matches_pytorch(nd, size, k, groups, padding, mode, flip, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, 10, (groups, *(size,) * nd))
    w = rng.uniform(-3, 3, (groups, 1, *(k,) * nd))
    kw = {"groups": groups, "padding": padding, "padding_mode": mode, "flip": flip}
    try:
        conv_geometry(x.shape, w.shape, **kw)
    except ValueError:  # the kernel does not fit, or the padding is too wide for its mode
        return
    np.testing.assert_allclose(conv(x, w, **kw), torch_conv(x, w, **kw), rtol=1e-9, atol=1e-9)


def test_sums_of_whole_numbers_are_exact_and_zeros_read_zero():
    # A photo's 0–255 values meeting whole-number weights: every partial sum is exact, so the
    # map equals the exact integer map (no noise), and a flat patch under Sobel reads 0.
    rng = np.random.default_rng(0)
    photo = rng.integers(0, 256, size=(1, 300, 310))
    photo[0, :100, :100] = 128
    for k in (3, 7, 15):
        w = rng.integers(-4, 5, size=(1, 1, k, k))
        exact = np.zeros((300 - k + 1, 310 - k + 1), dtype=np.int64)
        for a in range(k):
            for b in range(k):
                exact += w[0, 0, a, b] * photo[0, a : a + exact.shape[0], b : b + exact.shape[1]]
        out = conv(photo.astype(float), w.astype(float))[0]
        np.testing.assert_array_equal(out, exact)
    sobel = np.array([[[[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]]])
    assert (conv(photo.astype(float), sobel)[0, :98, :98] == 0).all()
    zeros = np.zeros((1, 100, 100))
    zeros[0, 50:, 50:] = rng.normal(size=(50, 50))
    out = conv(zeros, rng.normal(size=(1, 1, 15, 15)))
    assert (out[0, :36, :] == 0).all() and (out[0, :, :36] == 0).all()


def test_huge_finite_numbers_and_non_finite_ones_match_pytorch():
    # Numbers past 1e154 overflow the finiteness check and take the tap-by-tap path; an inf or
    # a NaN must spread exactly as IEEE arithmetic spreads it, zero weights included.
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(1, 30, 40)), rng.normal(size=(1, 1, 3, 5))
    w[0, 0, 1] = 0.0
    for value in (1e200, np.inf, -np.inf, np.nan):
        y = x.copy()
        y[0, 10, 10] = value
        ours, theirs = conv(y, w, padding=1), torch_conv(y, w, padding=1)
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
