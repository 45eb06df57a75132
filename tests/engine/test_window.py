"""What convolution and pooling share: the window's view and taps, padding, and the numbers."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.engine import (
    PoolStepper,
    Stepper,
    activate,
    avg_pool,
    conv,
    max_pool,
    pad,
    pool_geometry,
    source_index,
)
from convviz.engine.window import tap_offsets, window_view

MODES = ["zeros", "reflect", "replicate", "circular"]


@st.composite
def window_cases(draw, dimensions=(1, 2, 3)):
    """An input with one or two leading axes, C- or Fortran-ordered, and a window that fits."""
    nd = draw(st.sampled_from(dimensions))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    size = tuple(
        draw(st.integers(d * (k - 1) + 1, d * (k - 1) + 5))
        for k, d in zip(kernel, dilation, strict=True)
    )
    lead = draw(st.sampled_from([(2,), (2, 3)]))
    rng = np.random.default_rng(draw(st.integers(0, 9999)))
    x = rng.normal(size=(*lead, *size))
    if draw(st.booleans()):  # not C-contiguous: the view takes its slower way
        x = np.asfortranarray(x)
    geometry = pool_geometry(x.shape[-nd - 1 :], kernel, stride, 0, dilation, nd=nd)
    return x, geometry


@settings(max_examples=150, deadline=None)
@given(window_cases())
def test_window_view_holds_what_a_loop_over_windows_and_taps_reads(case):
    x, g = case
    view = window_view(x, g)
    lead = x.shape[: x.ndim - g.nd]
    assert view.shape == (*lead, *g.out, *g.kernel)
    assert not view.flags.writeable
    offsets = tap_offsets(g)
    for out_index in itertools.product(*map(range, g.out)):
        for t, tap in enumerate(itertools.product(*map(range, g.kernel))):
            spread = tuple(i * d for i, d in zip(tap, g.dilation, strict=True))
            assert tuple(offsets[t]) == spread
            cell = tuple(o * s + i for o, s, i in zip(out_index, g.stride, spread, strict=True))
            np.testing.assert_array_equal(view[(..., *out_index, *tap)], x[(..., *cell)])


@settings(max_examples=60, deadline=None)
@given(window_cases(dimensions=(2,)))
def test_window_view_in_two_dimensions_matches_torch_unfold(case):
    x, g = case
    rows, cols = x.shape[-2:]
    flat = np.ascontiguousarray(x).reshape(-1, 1, rows, cols)
    theirs = F.unfold(torch.tensor(flat), g.kernel, dilation=g.dilation, stride=g.stride).numpy()
    view = window_view(x, g).reshape(-1, *g.out, *g.kernel)
    ours = view.transpose(0, 3, 4, 1, 2).reshape(theirs.shape)
    np.testing.assert_array_equal(ours, theirs)


@st.composite
def pad_cases(draw):
    nd = draw(st.sampled_from([1, 2, 3]))
    size = tuple(draw(st.integers(1, 5)) for _ in range(nd))
    mode = draw(st.sampled_from([*MODES, "constant"]))
    limit = {"reflect": lambda n: n - 1, "circular": lambda n: n}.get(mode, lambda n: 3)
    pads = tuple((draw(st.integers(0, limit(n))), draw(st.integers(0, limit(n)))) for n in size)
    value = draw(st.sampled_from([0.0, 2.5, -np.inf]))
    x = np.random.default_rng(draw(st.integers(0, 9999))).normal(size=(2, *size))
    return x, pads, mode, value


@settings(max_examples=150, deadline=None)
@given(pad_cases())
def test_pad_matches_torch_and_source_index_names_each_copied_cell(case):
    x, pads, mode, value = case
    padded = pad(x, pads, mode, value)
    torch_mode = "constant" if mode == "zeros" else mode
    keywords = {"value": 0.0 if mode == "zeros" else value} if torch_mode == "constant" else {}
    flat = [v for pair in reversed(pads) for v in pair]
    theirs = F.pad(torch.tensor(x), flat, mode=torch_mode, **keywords).numpy()
    np.testing.assert_array_equal(padded, theirs)
    sources = [source_index(n, b, a, mode) for n, (b, a) in zip(x.shape[1:], pads, strict=True)]
    for cell in itertools.product(*map(range, padded.shape[1:])):
        source = tuple(int(s[c]) for s, c in zip(sources, cell, strict=True))
        expected = value if mode == "constant" else 0.0
        if min(source) >= 0:
            expected = x[(slice(None), *source)]
        np.testing.assert_array_equal(padded[(slice(None), *cell)], np.broadcast_to(expected, 2))


def test_pooling_pads_with_a_constant_and_has_no_padding_mode():
    x = np.arange(1.0, 10.0).reshape(1, 3, 3)
    geometry = pool_geometry(x.shape, 2, 2, 1, ceil_mode=True)
    assert not hasattr(geometry, "padding_mode")
    assert geometry.pads == ((1, 1), (1, 1))
    assert np.isneginf(PoolStepper(x, "max", 2, 2, 1).padded[0, 0]).all()
    assert (PoolStepper(x, "avg", 2, 2, 1).padded[0, :, 0] == 0).all()
    # A padded cell copies no input cell, so only the windows over the cell itself use it.
    mask = PoolStepper(x, "max", 2, 2, 1).outputs_using(0, (0, 0))
    assert np.argwhere(mask).tolist() == [[0, 0, 0]]


BAD_ARRAYS = [
    (np.ones((1, 3, 3), dtype=complex), "convviz computes with real numbers"),
    (np.full((1, 3, 3), "a"), "expected numbers, got an array of <U1 (text or objects?)"),
    (np.full((1, 3, 3), None, dtype=object), "expected numbers, got an array of object"),
]


@pytest.mark.parametrize(("x", "words"), BAD_ARRAYS)
@pytest.mark.parametrize(
    "call",
    [
        lambda x: conv(x, np.ones((1, 1, 2, 2))),
        lambda x: Stepper(x, np.ones((1, 1, 2, 2))),
        lambda x: max_pool(x, 2),
        lambda x: avg_pool(x, 2),
        lambda x: PoolStepper(x, "max", 2),
        lambda x: activate("relu", x),
    ],
    ids=["conv", "Stepper", "max_pool", "avg_pool", "PoolStepper", "activate"],
)
def test_every_computation_refuses_what_is_not_real_numbers_in_the_same_words(call, x, words):
    with pytest.raises(ValueError) as info:
        call(x)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.int64, np.float64),
        (bool, np.float64),
    ],
)
def test_pooling_and_activations_compute_in_float32_or_float64_like_torch(dtype, expected):
    x = (np.arange(32) % 7 - 3).reshape(2, 4, 4).astype(dtype)
    reference = torch.tensor(x.astype(np.float64))
    for ours, theirs in [
        (max_pool(x, 2), F.max_pool2d(reference, 2)),
        (avg_pool(x, 2, padding=1), F.avg_pool2d(reference, 2, padding=1)),
        (PoolStepper(x, "avg", 2).output, F.avg_pool2d(reference, 2)),
        (activate("sigmoid", x), torch.sigmoid(reference)),
    ]:
        assert ours.dtype == expected
        np.testing.assert_allclose(
            ours, theirs.numpy(), rtol=1e-6 if expected == np.float32 else 1e-12
        )
