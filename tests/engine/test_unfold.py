"""unfold and fold equal torch.nn.functional.unfold/fold in 2-D, and a brute-force loop over
windows and taps in 1-D, 2-D and 3-D with every padding form and mode."""

import itertools
import tracemalloc

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convviz.engine import conv_geometry
from convviz.engine.unfold import fold, unfold

MODES = ["zeros", "reflect", "replicate", "circular"]
_TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate"}
_TORCH_MODE["circular"] = "circular"


def _ints(draw, nd, low, high):
    """One int for every axis, or one int per axis."""
    per_axis = st.lists(st.integers(low, high), min_size=nd, max_size=nd)
    return draw(st.one_of(st.integers(low, high), per_axis))


@st.composite
def window_cases(draw, torch_2d=False):
    nd = 2 if torch_2d else draw(st.sampled_from([1, 2, 3]))
    size = [draw(st.integers(1, {1: 12, 2: 8, 3: 5}[nd])) for _ in range(nd)]
    kernel = [draw(st.integers(1, 4)) for _ in range(nd)]
    if torch_2d:  # what torch's unfold and fold accept: symmetric zero padding
        padding = _ints(draw, nd, 0, 3)
    else:
        kind = draw(st.sampled_from(["int", "axis", "pairs", "valid", "same", "full"]))
        padding = {
            "int": lambda: draw(st.integers(0, 3)),
            "axis": lambda: [draw(st.integers(0, 3)) for _ in range(nd)],
            "pairs": lambda: [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in size],
        }.get(kind, lambda: kind)()
    channels = draw(st.integers(1, 3))
    batch = draw(st.sampled_from([None, 1, 2]))
    x_shape = ([batch] if batch else []) + [channels, *size]
    x = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).uniform(-10, 10, x_shape)
    kw = {
        "stride": _ints(draw, nd, 1, 3),
        "padding": padding,
        "dilation": _ints(draw, nd, 1, 3),
    }
    if not torch_2d:
        kw["padding_mode"] = draw(st.sampled_from(MODES))
    try:
        geometry = conv_geometry(x.shape, (1, channels, *kernel), **kw)
    except ValueError:
        assume(False)
    return x, kernel, kw, geometry


def _torch_padded(x: np.ndarray, geometry) -> np.ndarray:
    """One sample ``(C, *S)`` padded by ``torch.nn.functional.pad``."""
    pads = [v for pair in reversed(geometry.pads) for v in pair]
    return F.pad(torch.tensor(x)[None], pads, mode=_TORCH_MODE[geometry.padding_mode])[0].numpy()


def brute_unfold(x: np.ndarray, geometry) -> np.ndarray:
    """Columns of one sample by looping over channels, taps (rows) and windows (columns)."""
    padded = _torch_padded(x, geometry)
    rows = []
    for c in range(x.shape[0]):
        for tap in itertools.product(*map(range, geometry.kernel)):
            row = []
            for o in itertools.product(*map(range, geometry.out)):
                spot = [
                    oi * s + ti * d
                    for oi, ti, s, d in zip(o, tap, geometry.stride, geometry.dilation, strict=True)
                ]
                row.append(padded[(c, *spot)])
            rows.append(row)
    return np.array(rows)


def brute_fold(columns: np.ndarray, geometry) -> np.ndarray:
    """One sample's columns added back cell by cell, then the padding cut off."""
    taps = list(itertools.product(*map(range, geometry.kernel)))
    outs = list(itertools.product(*map(range, geometry.out)))
    padded = np.zeros((geometry.channels, *geometry.padded_size))
    for c, (t, tap), (w, o) in itertools.product(
        range(geometry.channels), enumerate(taps), enumerate(outs)
    ):
        spot = [
            oi * s + ti * d
            for oi, ti, s, d in zip(o, tap, geometry.stride, geometry.dilation, strict=True)
        ]
        padded[(c, *spot)] += columns[c * len(taps) + t, w]
    inside = [slice(b, b + n) for (b, _), n in zip(geometry.pads, geometry.size, strict=True)]
    return padded[(slice(None), *inside)]


def _batch(a: np.ndarray, batched: bool) -> np.ndarray:
    return a if batched else a[None]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(window_cases(torch_2d=True), st.booleans())
def test_unfold_matches_pytorch_2d(case, one_int):
    x, kernel, kw, _ = case
    kernel_size = kernel[0] if one_int else tuple(kernel)
    assume(not one_int or kernel[0] == kernel[1])
    ours = unfold(x, kernel_size, **kw)
    theirs = F.unfold(torch.tensor(x), kernel_size, **kw).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(window_cases(torch_2d=True), st.integers(0, 2**32 - 1))
def test_fold_matches_pytorch_2d(case, seed):
    x, kernel, kw, geometry = case
    batch = x.shape[:-3]
    columns = np.random.default_rng(seed).normal(
        size=(*batch, geometry.channels * np.prod(kernel), np.prod(geometry.out))
    )
    ours = fold(columns, geometry.size, tuple(kernel), **kw)
    theirs = F.fold(torch.tensor(columns), geometry.size, tuple(kernel), **kw).numpy()
    assert ours.shape == theirs.shape == x.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(window_cases())
def test_unfold_matches_brute_force_in_1d_2d_3d(case):
    x, kernel, kw, geometry = case
    ours = unfold(x, tuple(kernel), **kw)
    batched = x.ndim == len(kernel) + 2
    expected = np.stack([brute_unfold(sample, geometry) for sample in _batch(x, batched)])
    taps, windows = geometry.channels * np.prod(kernel), np.prod(geometry.out)
    assert ours.shape == (*x.shape[:batched], taps, windows)
    np.testing.assert_array_equal(_batch(ours, batched), expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(window_cases(), st.integers(0, 2**32 - 1))
def test_fold_matches_brute_force_in_1d_2d_3d(case, seed):
    x, kernel, kw, geometry = case
    kw.pop("padding_mode")
    batched = x.ndim == len(kernel) + 2
    columns = np.random.default_rng(seed).normal(
        size=(*x.shape[:batched], geometry.channels * np.prod(kernel), np.prod(geometry.out))
    )
    ours = fold(columns, geometry.size, tuple(kernel), **kw)
    expected = np.stack([brute_fold(c, geometry) for c in _batch(columns, batched)])
    assert ours.shape == x.shape
    np.testing.assert_allclose(_batch(ours, batched), expected, rtol=1e-12, atol=1e-12)


def test_textbook_im2col_of_a_3x3_input():
    x = np.arange(1, 10).reshape(1, 3, 3)
    assert unfold(x, 2).tolist() == [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]
    # Every cell comes back once for each window that read it: the centre 4 times.
    assert fold(unfold(x, 2), 3, 2).tolist() == [[[1, 4, 3], [8, 20, 12], [7, 16, 9]]]


def test_one_kernel_size_means_2d_unless_the_array_says_otherwise():
    assert unfold(np.zeros((2, 5)), 3).shape == (6, 3)  # (C, L): 1-D
    assert unfold(np.zeros((2, 5, 4)), 3).shape == (18, 6)  # (C, H, W): 2-D, as PyTorch
    assert unfold(np.zeros((1, 2, 5, 4)), 3).shape == (1, 18, 6)  # (N, C, H, W)
    assert unfold(np.zeros((1, 2, 4, 4, 4)), 3).shape == (1, 54, 8)  # (N, C, D, H, W)
    assert unfold(np.zeros((3, 2, 5)), (3,)).shape == (3, 6, 3)  # batched 1-D: say so
    assert fold(np.zeros((3, 3)), 5, (3,)).shape == (1, 5)
    assert fold(np.zeros((1, 4)), 2, 1).shape == (1, 2, 2)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: unfold(np.zeros((1, 2, 2, 2, 2, 2)), 2), "with 6 axes"),
        (lambda: unfold(np.zeros((1, 5, 5)), 0), "kernel_size must be one whole number ≥ 1"),
        (lambda: unfold(np.zeros((1, 5, 5)), (2, 2, 2, 2)), "one per spatial axis (1 to 3)"),
        (lambda: unfold(np.zeros((1, 5, 5)), 2.5), "kernel_size must be a whole number"),
        (lambda: unfold(np.zeros((1, 5, 5)), 7), "kernel 7×7 does not fit"),
        (lambda: unfold(np.zeros((1, 5, 5)), 3, padding_mode="mirror"), "unknown padding_mode"),
        (lambda: fold(np.zeros((10, 4)), 3, 2), "10 rows, which do not split"),
        (
            lambda: fold(np.zeros((4, 5)), 3, 2),
            "a window of 2×2 over an input of 3×3 stops at 2×2 = 4 places with these settings, "
            "but the columns hold 5 windows",
        ),
        (lambda: fold(np.zeros(4), 3, 2), "got shape (4,)"),
        (lambda: fold(np.zeros((4, 4)), (3, 3), (2, 2, 2)), "kernel_size must be one whole"),
    ],
)
def test_bad_arguments_are_refused_in_words(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert words in str(error.value)


def test_columns_past_the_budget_are_refused_before_memory_is_used():
    x = np.zeros((1, 2000, 2000))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as error:
            unfold(x, 5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == (
        "the unfolded columns would be 25×3984016 = 100 M cells: convviz works with up to "
        "67 M cells per array; use a smaller input, a smaller kernel or a larger stride"
    )
    assert peak < 10 * 2**20
