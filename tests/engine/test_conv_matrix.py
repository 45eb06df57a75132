"""The convolution matrix M: M @ x + bias equals conv for every setting and padding mode, and a
1-D true convolution's M is the Toeplitz matrix of scipy.linalg.convolution_matrix."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.linalg import convolution_matrix

from convviz.engine import conv, conv_geometry
from convviz.engine.conv_matrix import conv_matrix

MODES = ["zeros", "reflect", "replicate", "circular"]


@st.composite
def conv_cases(draw, max_sizes=(10, 7, 4)):
    """A valid convolution: input, weight, bias and every setting ``conv`` takes."""
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    size = [draw(st.integers(1, max_sizes[nd - 1])) for _ in range(nd)]
    kernel = [draw(st.integers(1, 4)) for _ in range(nd)]
    groups = draw(st.integers(1, 3))
    cpg, fpg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kind = draw(st.sampled_from(["int", "axis", "pairs", "valid", "same", "full"]))
    padding = {
        "int": lambda: draw(st.integers(0, 3)),
        "axis": lambda: [draw(st.integers(0, 3)) for _ in range(nd)],
        "pairs": lambda: [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)],
    }.get(kind, lambda: kind)()
    per_axis = st.lists(st.integers(1, 3), min_size=nd, max_size=nd)
    batch = draw(st.sampled_from([None, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-10, 10, ([batch] if batch else []) + [groups * cpg, *size])
    weight = rng.uniform(-3, 3, (groups * fpg, cpg, *kernel))
    bias = rng.uniform(-5, 5, groups * fpg) if draw(st.booleans()) else None
    kw = {
        "stride": draw(st.one_of(st.integers(1, 3), per_axis)),
        "padding": padding,
        "dilation": draw(st.one_of(st.integers(1, 3), per_axis)),
        "groups": groups,
        "padding_mode": draw(st.sampled_from(MODES)),
        "flip": draw(st.booleans()),
    }
    try:
        conv_geometry(x.shape, weight.shape, **kw)
    except ValueError:
        assume(False)
    return x, weight, bias, kw


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(conv_cases())
def test_matrix_times_input_plus_bias_is_the_convolution(case):
    x, weight, bias, kw = case
    sample = x if x.ndim == weight.ndim - 1 else x[-1]
    expected = conv(sample, weight, bias, **kw)
    matrix = conv_matrix(sample.shape, weight, **kw)
    positions = expected[0].size
    assert matrix.shape == (expected.size, sample.size)
    ours = matrix @ sample.ravel()
    if bias is not None:
        ours += np.repeat(bias, positions)
    np.testing.assert_allclose(ours, expected.ravel(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@pytest.mark.parametrize(("n", "k"), [(5, 3), (6, 4), (4, 1), (3, 3)])
def test_true_convolution_in_1d_is_scipys_toeplitz_matrix(mode, n, k):
    kernel = np.arange(1.0, k + 1)
    ours = conv_matrix((1, n), kernel[None, None], padding=mode, flip=True)
    np.testing.assert_array_equal(ours, convolution_matrix(kernel, n, mode))


def test_textbook_toeplitz_rows_of_a_cross_correlation():
    m = conv_matrix((1, 5), [[[1.0, 2.0, 3.0]]])
    assert m.tolist() == [[1, 2, 3, 0, 0], [0, 1, 2, 3, 0], [0, 0, 1, 2, 3]]


@pytest.mark.parametrize(
    ("mode", "first_row", "last_row"),
    [
        # x1 x0 x1 x2 x3 x2: the left tap reads x1, so x1 gets 1 + 3
        ("reflect", [2, 4, 0, 0], [0, 0, 4, 2]),
        # x0 x0 x1 x2 x3 x3: the edge cell meets two taps
        ("replicate", [3, 3, 0, 0], [0, 0, 1, 5]),
        # x3 x0 x1 x2 x3 x0: the ends wrap round
        ("circular", [2, 3, 0, 1], [3, 0, 1, 2]),
        ("zeros", [2, 3, 0, 0], [0, 0, 1, 2]),
    ],
)
def test_copied_padding_folds_taps_back_onto_the_cells_it_copies(mode, first_row, last_row):
    m = conv_matrix((1, 4), [[[1.0, 2.0, 3.0]]], padding=1, padding_mode=mode)
    assert m.shape == (4, 4)
    assert m[0].tolist() == first_row
    assert m[-1].tolist() == last_row


def test_groups_make_a_block_diagonal_matrix():
    weight = np.random.default_rng(0).normal(size=(4, 1, 3, 3))
    m = conv_matrix((2, 4, 4), weight, groups=2)
    assert m.shape == (4 * 2 * 2, 2 * 16)
    assert not m[:8, 16:].any() and not m[8:, :16].any()
    assert m[:8, :16].any() and m[8:, 16:].any()


def test_float32_weights_give_a_float32_matrix():
    assert conv_matrix((1, 4, 4), np.ones((1, 1, 2, 2), np.float32)).dtype == np.float32
    assert conv_matrix((1, 4, 4), np.ones((1, 1, 2, 2), int)).dtype == np.float64


def test_a_matrix_past_the_budget_is_refused_before_memory_is_used():
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as error:
            conv_matrix((1, 100, 100), np.ones((1, 1, 3, 3)), padding=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == (
        "the convolution matrix would be 10000×10000 = 100 M cells: convviz works with up to "
        "67 M cells per array; use an input smaller than 100×100, fewer channels or filters, "
        "or a larger stride"
    )
    assert peak < 2**20


def test_a_batched_shape_is_refused_in_words():
    with pytest.raises(ValueError, match=r"acts on one sample: give input_shape as \(channels"):
        conv_matrix((2, 1, 5, 5), np.ones((1, 1, 3, 3)))
