"""separate splits a 2-D kernel into 1-D (column, row) pairs: one pair for the separable
presets, and pairs whose outer products always sum back to the kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.engine import KERNELS, conv, kernel, make_input
from convviz.engine.separable import separate

RANKS = {
    "identity": 1,
    "box-blur": 1,
    "cross-blur": 2,
    "gaussian": 1,
    "gaussian-5x5": 1,
    "sharpen": 2,
    "vertical-line": 1,
    "horizontal-line": 1,
    "vertical-edge": 1,
    "horizontal-edge": 1,
    "sobel-x": 1,
    "sobel-y": 1,
    "prewitt-x": 1,
    "prewitt-y": 1,
    "laplacian": 2,
    "emboss": 3,
    "outline": 2,
}


def _sum_of_outers(pairs, shape):
    return sum((np.outer(c, r) for c, r in pairs), np.zeros(shape))


@pytest.mark.parametrize("name", list(KERNELS))
def test_every_preset_has_its_rank_and_rebuilds(name):
    k = kernel(name)
    rank, pairs = separate(k)
    assert rank == len(pairs) == RANKS[name]
    np.testing.assert_allclose(_sum_of_outers(pairs, k.shape), k, atol=1e-12)


def test_textbook_factors_of_the_separable_presets():
    (_, [(column, row)]) = separate(kernel("sobel-x"))
    scale = column[0]  # any split c·[1, 2, 1] ⊗ [1, 0, −1] / c
    np.testing.assert_allclose(column, scale * np.array([1, 2, 1]), rtol=1e-12)
    np.testing.assert_allclose(row, np.array([1, 0, -1]) / scale, rtol=1e-12, atol=1e-15)
    (_, [(column, row)]) = separate(kernel("gaussian"))
    np.testing.assert_allclose(column, [0.25, 0.5, 0.25], rtol=1e-12)
    np.testing.assert_allclose(row, [0.25, 0.5, 0.25], rtol=1e-12)
    (_, [(column, _)]) = separate(kernel("sobel-y"))  # column ∝ [1, 0, −1]: a tie, first wins
    assert column[0] > 0 > column[2]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(1, 7),
    cols=st.integers(1, 7),
    terms=st.integers(0, 7),
    scale=st.sampled_from([1e-6, 1.0, 1e6]),
    seed=st.integers(0, 2**32 - 1),
)
def test_pairs_rebuild_a_kernel_of_known_rank(rows, cols, terms, scale, seed):
    rng = np.random.default_rng(seed)
    k = scale * sum(
        (np.outer(rng.normal(size=rows), rng.normal(size=cols)) for _ in range(terms)),
        np.zeros((rows, cols)),
    )
    rank, pairs = separate(k)
    assert rank == min(terms, rows, cols)
    np.testing.assert_allclose(_sum_of_outers(pairs, k.shape), k, atol=1e-12 * scale * (1 + terms))
    singular = np.linalg.svd(k, compute_uv=False)
    for (column, row), s in zip(pairs, singular, strict=False):
        assert column[np.argmax(np.abs(column))] > 0
        # The singular value is split evenly: both halves have length √s.
        np.testing.assert_allclose(
            [np.linalg.norm(column), np.linalg.norm(row)], np.sqrt(s), rtol=1e-9
        )


def test_two_1d_passes_equal_the_2d_convolution_for_a_rank_1_kernel():
    x = make_input("letter-h", 16, 16)[None]
    k = kernel("gaussian-5x5")
    (_, [(column, row)]) = separate(k)
    for kw in ({"padding": "same"}, {"padding": 2, "padding_mode": "reflect", "flip": True}):
        pads = conv(x, k[None, None], **kw)
        down = conv(x, column[None, None, :, None], **{**kw, "padding": ((2, 2), (0, 0))})
        across = conv(down, row[None, None, None, :], **{**kw, "padding": ((0, 0), (2, 2))})
        np.testing.assert_allclose(across, pads, rtol=1e-12, atol=1e-14)


def test_all_zeros_needs_no_pairs_and_tol_sets_the_rank():
    assert separate(np.zeros((3, 3))) == (0, [])
    nearly = np.outer([1, 2, 3], [1, 1, 1]) + 1e-9 * np.eye(3)
    assert separate(nearly)[0] == 3
    assert separate(nearly, tol=1e-6)[0] == 1


@pytest.mark.parametrize(
    ("k", "kw", "words"),
    [
        (np.ones(3), {}, "separate takes a 2-D kernel (rows, columns), got shape (3,)"),
        (np.ones((1, 3, 3)), {}, "got shape (1, 3, 3)"),
        (np.full((2, 2), np.nan), {}, "holds an inf or NaN"),
        (np.ones((2, 2)), {"tol": -1}, "tol must be 0 or more"),
    ],
)
def test_bad_kernels_are_refused_in_words(k, kw, words):
    with pytest.raises(ValueError) as error:
        separate(k, **kw)
    assert words in str(error.value)
