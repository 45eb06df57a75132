"""conv with flip=True is true convolution: it equals numpy.convolve and scipy.signal."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage, signal

from convviz.engine import conv


def test_textbook_numpy_convolve():
    assert np.array_equal(np.convolve([1, 2, 3], [4, 5, 6]), [4, 13, 28, 27, 18])
    out = conv([[1, 2, 3]], [[[4, 5, 6]]], padding="full", flip=True)
    assert out.tolist() == [[4, 13, 28, 27, 18]]


def test_signal_demo_numbers():
    out = conv([[0, 1, 2, 3, 4]], [[[1, -1, 2]]], padding="full", flip=True)[0]
    assert out.tolist() == np.convolve([0, 1, 2, 3, 4], [1, -1, 2]).tolist()


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 20),
    k=st.integers(1, 8),
    mode=st.sampled_from(["full", "same", "valid"]),
    seed=st.integers(0, 10_000),
)
def test_1d_matches_numpy_convolve(n, k, mode, seed):
    rng = np.random.default_rng(seed)
    a, v = rng.normal(size=n), rng.normal(size=k)
    if mode != "full" and k > n:
        return  # numpy swaps the two; convviz keeps the signal the signal
    ours = conv(a[None], v[None, None], padding=mode, flip=True)[0]
    np.testing.assert_allclose(ours, np.convolve(a, v, mode=mode), rtol=1e-9, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kshape=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    mode=st.sampled_from(["full", "same", "valid"]),
    flip=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_2d_matches_scipy_signal(shape, kshape, mode, flip, seed):
    rng = np.random.default_rng(seed)
    a, k = rng.normal(size=shape), rng.normal(size=kshape)
    if mode != "full" and (kshape[0] > shape[0] or kshape[1] > shape[1]):
        return
    reference = (signal.convolve2d if flip else signal.correlate2d)(a, k, mode=mode)
    if not flip and mode == "same":
        # correlate2d centres even kernels the other way; PyTorch's split is the contract here.
        return
    ours = conv(a[None], k[None, None], padding=mode, flip=flip)[0]
    np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("mode", "scipy_mode"), [("reflect", "mirror"), ("replicate", "nearest"), ("circular", "wrap")]
)
def test_odd_kernel_same_padding_modes_match_ndimage(mode, scipy_mode):
    rng = np.random.default_rng(1)
    a, k = rng.normal(size=(9, 11)), rng.normal(size=(3, 5))
    ours = conv(a[None], k[None, None], padding="same", padding_mode=mode)[0]
    np.testing.assert_allclose(
        ours, ndimage.correlate(a, k, mode=scipy_mode), rtol=1e-9, atol=1e-12
    )


def test_nan_and_inf_propagate_without_warnings():
    x = np.zeros((1, 5, 5))
    x[0, 2, 2] = np.nan
    x[0, 0, 0] = np.inf
    out = conv(x, np.ones((1, 1, 3, 3)), padding=1)
    assert np.isnan(out[0, 2, 2]) and np.isnan(out[0, 1, 1])
    assert np.isinf(out[0, 0, 0])
    assert out[0, 4, 4] == 0
    zero_weight = conv(x, np.zeros((1, 1, 1, 1)))
    assert np.isnan(zero_weight[0, 0, 0])  # inf × 0 is NaN, as IEEE says
