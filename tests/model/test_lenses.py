"""The lenses' numbers, against the engine's own functions and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz.engine import conv, conv_matrix, unfold
from convviz.model import Document, Session
from convviz.model.lenses import (
    LensUnavailable,
    frequency_picture,
    lens_name,
    matrix_picture,
    separable_picture,
    three_ways,
    unfolded_picture,
)
from convviz.model.settings import ConvSettings

MODES = ("zeros", "reflect", "replicate", "circular")


def session_on(x, weight, bias=None, steps=0, **settings) -> Session:
    session = Session("letter-h")
    document = Document.from_demo("letter-h").replace(
        x=np.asarray(x, dtype=np.float64),
        weight=np.asarray(weight, dtype=np.float64),
        bias=np.zeros(len(weight)) if bias is None else np.asarray(bias, dtype=np.float64),
        use_bias=bias is not None,
        settings=ConvSettings.from_kwargs(np.ndim(x) - 1, **settings),
        layers=(),
    )
    session.open_document(document)
    session.playhead.set_position(steps)
    return session


def random_session(rng, nd=2, **settings) -> Session:
    channels, filters = 2, 2
    size = tuple(int(n) for n in rng.integers(4, 7, nd))
    kernel = tuple(int(k) for k in rng.integers(1, 4, nd))
    x = rng.normal(size=(channels, *size)).round(2)
    weight = rng.normal(size=(filters, channels // settings.get("groups", 1), *kernel)).round(2)
    steps = int(rng.integers(1, 5))
    return session_on(x, weight, rng.normal(size=filters).round(2), steps=steps, **settings)


@pytest.mark.parametrize("seed", range(6))
def test_unfolded_columns_are_torch_unfold_and_their_product_the_map(seed):
    rng = np.random.default_rng(seed)
    settings = {
        "stride": int(rng.integers(1, 3)),
        "padding": int(rng.integers(0, 2)),
        "dilation": int(rng.integers(1, 3)),
    }
    s = random_session(rng, **settings)
    picture = unfolded_picture(s.stage, s.current, s.playhead.position)
    g = s.stage.stepper.geometry
    expected = F.unfold(
        torch.from_numpy(np.array(s.document.x[None])),
        g.kernel,
        dilation=g.dilation,
        padding=settings["padding"],
        stride=g.stride,
    )[0].numpy()
    shown = slice(picture.first_column, picture.first_column + picture.columns.shape[1])
    np.testing.assert_array_equal(picture.columns, expected[:, shown])
    product = picture.weights @ picture.columns + s.document.bias[:, None]
    maps = conv(s.document.x, s.document.weight, s.document.bias, **settings).reshape(2, -1)
    np.testing.assert_allclose(product, maps[:, shown], rtol=1e-12, atol=1e-12)
    done = ~np.isnan(picture.output)
    assert done.sum() == s.playhead.position  # computed cells only
    np.testing.assert_allclose(picture.output[done], maps[:, shown][done], rtol=0, atol=0)
    # The current step's column and row are the sliding window's own numbers.
    step = s.current
    np.testing.assert_array_equal(picture.columns[:, picture.column], step.values)
    np.testing.assert_array_equal(picture.weights[picture.row], step.weights)


def test_unfolded_with_groups_shows_the_current_filters_group():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 5, 5))
    weight = rng.normal(size=(2, 2, 3, 3))
    s = session_on(x, weight, groups=2, steps=9 + 4)  # filter 2 (group 2), window 5
    picture = unfolded_picture(s.stage, s.current, s.playhead.position)
    assert picture.first_filter == 1 and picture.weights.shape == (1, 18)
    assert picture.tap_names[0] == "channel 3, tap (0, 0)"
    expected = unfold(x[2:], 3)
    np.testing.assert_array_equal(picture.columns, expected)
    assert "groups=2" in picture.shape_text and "group 2" in picture.shape_text


def test_unfolded_excerpt_follows_a_large_input_and_states_the_true_shape():
    x = np.arange(40 * 40, dtype=float).reshape(1, 40, 40)
    s = session_on(x, np.ones((1, 1, 3, 3)), steps=500)
    picture = unfolded_picture(s.stage, s.current, s.playhead.position)
    assert picture.columns.shape == (9, 24)
    assert picture.first_column <= 499 < picture.first_column + 24
    assert picture.first_column + picture.column == 499
    assert "the columns 9 × 1444" in picture.shape_text
    assert "1,444" not in picture.cost_text  # numbers of cells, not windows
    assert "12,996 numbers" in picture.cost_text


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", range(3))
def test_matrix_rows_are_the_engines_conv_matrix(mode, seed):
    rng = np.random.default_rng(seed)
    s = random_session(rng, padding=1, padding_mode=mode, stride=int(rng.integers(1, 3)))
    picture = matrix_picture(s.stage, s.current, s.playhead.position)
    g = s.stage.stepper.geometry
    m = conv_matrix(
        s.document.x.shape, s.document.weight, padding=1, padding_mode=mode, stride=g.stride
    )
    rows = slice(picture.first_row, picture.first_row + picture.entries.shape[0])
    cols = slice(picture.first_column, picture.first_column + picture.entries.shape[1])
    np.testing.assert_allclose(np.nan_to_num(picture.entries), m[rows, cols], atol=1e-12)
    # The current row is the current step, and y = M x + b.
    y = m @ s.document.x.ravel() + np.repeat(s.document.bias, m.shape[0] // 2)
    assert picture.first_row + picture.row == s.current.index
    done = ~np.isnan(picture.y)
    np.testing.assert_allclose(picture.y[done], y[rows][done], atol=1e-12)
    assert set(picture.terms) == set(np.flatnonzero(~np.isnan(picture.entries[picture.row])))
    if mode == "zeros":
        assert not picture.moved.any()


def test_matrix_marks_taps_that_reflect_back_and_writes_the_row_times_x():
    x = np.arange(1.0, 6.0).reshape(1, 5)
    s = session_on(x, [[[1.0, 2.0, 3.0]]], padding=1, padding_mode="reflect", steps=1)
    picture = matrix_picture(s.stage, s.current, s.playhead.position)
    # Output 0 reads x[1] (reflected), x[0], x[1]: weights 1 and 3 add on x[1].
    np.testing.assert_array_equal(picture.entries[0, :2], [2.0, 4.0])
    assert picture.moved[0, 1] and not picture.moved[0, 0]
    assert picture.sentence.startswith("y[1] = row 1 of M · x = 1·2 + 2·4 = 10")


@pytest.mark.parametrize("preset", ["sobel-x", "gaussian", "box-blur"])
def test_a_rank_one_kernel_gives_the_direct_result_in_two_passes(preset):
    from convviz.engine import kernel

    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 7, 8))
    w = kernel(preset)[None, None]
    s = session_on(x, w, padding=1, stride=2, steps=3)
    picture = separable_picture(s.stage, s.current)
    assert picture.rank == 1
    np.testing.assert_allclose(np.outer(picture.column, picture.row), w[0, 0], atol=1e-12)
    expected = conv(x, w, padding=1, stride=2)[0]
    np.testing.assert_allclose(picture.direct, expected, atol=1e-12)
    np.testing.assert_allclose(picture.result, expected, atol=1e-12)
    assert "9 multiplications directly, 3 + 3 = 6 as two passes" in picture.words[1]


def test_a_kernel_that_does_not_separate_shows_its_best_approximation():
    x = np.ones((1, 5, 5))
    w = np.array([[[[1.0, 0, 0], [0, 1, 0], [0, 0, 1]]]])
    s = session_on(x, w, steps=1)
    picture = separable_picture(s.stage, s.current)
    assert picture.rank == 3
    np.testing.assert_allclose(picture.error, w[0, 0] - picture.approximation)
    assert "rank 3" in picture.words[0]


@pytest.mark.parametrize("nd", [1, 2])
@pytest.mark.parametrize("mode", ["zeros", "circular"])
def test_the_fft_route_equals_the_direct_convolution(nd, mode):
    rng = np.random.default_rng(nd)
    s = random_session(rng, nd=nd, padding=1, padding_mode=mode, dilation=2 if nd == 1 else 1)
    picture = frequency_picture(s.stage, s.current)
    assert picture.route == ("circular" if mode == "circular" else "full")
    assert picture.largest_error < 1e-12
    np.testing.assert_allclose(picture.via_fft, picture.direct, atol=1e-12)
    # The current output cell is a cell of the result (the bias comes after).
    step = s.current
    if picture.cell is None:  # a window of padding alone is no cell of the full result
        inside = (step.taps[:, 1:] >= 0) & (step.taps[:, 1:] < s.document.x.shape[1:])
        assert mode == "zeros" and not inside.all(axis=1).any()
        return
    assert picture.direct[picture.cell] + step.bias == pytest.approx(step.output, abs=1e-12)


def test_full_route_matches_scipy_and_names_low_and_high_pass():
    from scipy.signal import correlate2d

    from convviz.engine import kernel

    x = np.random.default_rng(1).normal(size=(1, 6, 6))
    for preset, words in (("box-blur", "low-pass"), ("laplacian", "high-pass")):
        s = session_on(x, kernel(preset)[None, None], steps=1)
        picture = frequency_picture(s.stage, s.current)
        np.testing.assert_allclose(
            picture.direct, correlate2d(x[0], kernel(preset), mode="full"), atol=1e-12
        )
        assert any(words in w for w in picture.words)


def test_three_ways_agree_and_count_their_multiplications():
    s = Session("cs231n")
    rows = three_ways(s.stage, repeats=1)
    assert [r.method for r in rows] == ["direct", "unfold", "fft"]
    assert rows[0].multiplications == 2 * 9 * 27 == rows[1].multiplications
    assert all(r.largest_difference < 1e-12 for r in rows)
    assert rows[1].memory == 27 * 9 * 8


def test_lenses_refuse_a_pooling_and_the_wrong_dimensions_in_words():
    s = Session("tiny-cnn")
    s.set_stage(1)  # the pooling
    assert s.stage.kind != "conv"
    with pytest.raises(LensUnavailable, match="pooling"):
        unfolded_picture(s.stage, s.current, 0)
    s = Session("heartbeat")
    with pytest.raises(LensUnavailable, match="1-D kernel is already a single pass"):
        separable_picture(s.stage, s.current)
    s = Session("volume-3d")
    with pytest.raises(LensUnavailable, match="3-D"):
        frequency_picture(s.stage, s.current)
    assert lens_name(" Unfolded ") == "unfolded"
    with pytest.raises(ValueError, match="the lenses are sliding"):
        lens_name("x-ray")


def test_the_separable_split_is_written_as_a_textbook_writes_it():
    from convviz.engine import kernel

    s = session_on(np.ones((1, 5, 5)), kernel("sobel-x")[None, None], steps=1)
    picture = separable_picture(s.stage, s.current)
    np.testing.assert_allclose(picture.column, [1, 2, 1], atol=1e-12)
    np.testing.assert_allclose(picture.row, [1, 0, -1], atol=1e-12)


def test_the_unfolded_sentence_names_the_output_as_the_caption_does():
    # "column 3 (window 3)" beside the caption's "output row 0, column 2" had read as a
    # mistake: the matrix column counts from 1, the output's position from 0, as captions do.
    from convviz.model.lenses.unfolded import unfolded_picture

    s = Session("im2col")
    s.playhead.set_position(5)
    picture = unfolded_picture(s.stage, s.current, s.playhead.position)
    assert "column 5 (the window of output row 1, column 1)" in picture.sentence
    assert "output row 1, column 1" in s.caption()
