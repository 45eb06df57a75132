"""conv's three ways to the same map: direct sums, unfold (im2col and one matrix product per
group) and fft (the convolution theorem) agree to within rounding of each cell's products."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from convviz.engine import conv

from .reference import torch_conv
from .test_conv_matrix import conv_cases

BIGGER = (16, 9, 5)


def _magnitudes(x, weight, bias, kw):
    """Each output cell's sum of |weight·value| over its window, plus |bias|: padding copies
    values, so it commutes with taking magnitudes."""
    return conv(np.abs(x), np.abs(weight), None if bias is None else np.abs(bias), **kw)


def _check_bound(ours, direct, x, weight, bias, kw, floor=0.0):
    bound = 1e-9 * _magnitudes(x, weight, bias, kw) + floor
    excess = np.abs(ours - direct) - bound
    assert (excess <= 0).all(), f"off by {excess.max():.3g} more than the bound allows"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(conv_cases(BIGGER))
def test_unfold_agrees_with_direct_to_1e_9_of_each_cells_products(case):
    x, weight, bias, kw = case
    direct = conv(x, weight, bias, method="direct", **kw)
    ours = conv(x, weight, bias, method="unfold", **kw)
    assert ours.shape == direct.shape and ours.dtype == direct.dtype
    _check_bound(ours, direct, x, weight, bias, kw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(conv_cases(BIGGER))
def test_fft_agrees_with_direct_to_1e_9_of_each_cells_products(case):
    x, weight, bias, kw = case
    direct = conv(x, weight, bias, method="direct", **kw)
    ours = conv(x, weight, bias, method="fft", **kw)
    assert ours.shape == direct.shape and ours.dtype == direct.dtype
    # The transform spreads rounding over the whole map: a cell whose products are all tiny (or
    # all meet zero padding) still carries about 1e-16 of the map's scale, the largest sum a
    # window of this input could reach.
    scale = np.abs(x).max() * np.abs(weight).reshape(len(weight), -1).sum(axis=1).max()
    _check_bound(ours, direct, x, weight, bias, kw, floor=1e-12 * scale)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(conv_cases())
def test_auto_is_direct_bit_for_bit(case):
    x, weight, bias, kw = case
    np.testing.assert_array_equal(
        conv(x, weight, bias, **kw), conv(x, weight, bias, method="direct", **kw)
    )


@pytest.mark.parametrize("method", ["unfold", "fft"])
@pytest.mark.parametrize(
    ("shape", "kernel", "kw"),
    [
        # A dilated kernel wider than the circular input: its taps wrap onto the same cells.
        ((2, 3), (1, 2, 4), {"dilation": 2, "padding": 3, "padding_mode": "circular"}),
        ((1, 4, 5), (2, 1, 3, 3), {"padding": (4, 5), "padding_mode": "circular", "stride": 2}),
        ((2, 3, 40, 30), (6, 1, 5, 3), {"groups": 3, "padding": "same", "flip": True}),
        ((1, 9, 9, 9), (1, 1, 3, 3, 3), {"padding": "full", "padding_mode": "zeros"}),
        ((3, 2000), (2, 3, 31), {"stride": 3, "padding_mode": "reflect", "padding": 15}),
    ],
)
def test_each_method_matches_pytorch(method, shape, kernel, kw):
    rng = np.random.default_rng(len(shape))
    x, w, b = rng.normal(size=shape), rng.normal(size=kernel), rng.normal(size=kernel[0])
    np.testing.assert_allclose(
        conv(x, w, b, method=method, **kw), torch_conv(x, w, b, **kw), rtol=1e-9, atol=1e-10
    )


@pytest.mark.parametrize("method", ["auto", "direct", "unfold", "fft"])
def test_float32_in_float32_out(method):
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(2, 7, 7)).astype(np.float32), rng.normal(size=(3, 2, 3, 3))
    out = conv(x, w.astype(np.float32), padding=1, method=method)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, torch_conv(x, w, padding=1), rtol=1e-4, atol=1e-4)


def test_textbook_numbers_every_way():
    for method in ("auto", "direct", "unfold", "fft"):
        out = conv([[1, 2, 3]], [[[4, 5, 6]]], padding="full", flip=True, method=method)
        np.testing.assert_allclose(out, [[4, 13, 28, 27, 18]], rtol=1e-12)


@pytest.mark.parametrize("method", ["Direct", "im2col", "", None, 1])
def test_an_unknown_method_is_refused_in_words(method):
    with pytest.raises(ValueError) as error:
        conv(np.zeros((1, 5)), np.ones((1, 1, 3)), method=method)
    assert str(error.value) == (f"unknown method {method!r}; use one of auto, direct, unfold, fft")


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_fft_refuses_a_value_that_would_spoil_every_cell(bad):
    x = np.arange(10.0)[None]
    x[0, 3] = bad
    with pytest.raises(ValueError, match="would make every output NaN; use method='direct'"):
        conv(x, np.ones((1, 1, 3)), method="fft")
    with pytest.raises(ValueError, match="an inf or NaN in the input or the weights"):
        conv(np.ones((1, 10)), np.full((1, 1, 3), bad), method="fft")
    assert np.isfinite(conv(x, np.ones((1, 1, 3)), method="direct")[0, 5:]).all()
