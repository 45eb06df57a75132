"""The Stepper explains every output cell, and each step adds up to the map's value."""

import numpy as np
import pytest
from hypothesis import assume, given, settings

from convviz.engine import Stepper, conv, demo

from .test_conv_against_pytorch import _valid, conv_cases


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_every_step_sums_to_its_map_cell(case):
    x, weight, bias, kw = case
    if x.ndim == weight.ndim:
        x = x[0]
    assume(_valid(x, weight, kw))
    stepper = Stepper(x, weight, bias, **kw)
    full = conv(x, weight, bias, **kw)
    assert len(stepper) == full.size
    np.testing.assert_allclose(stepper.output, full, rtol=1e-12, atol=1e-12)
    for step in stepper:
        assert step.filter * stepper.positions <= step.index
        np.testing.assert_array_equal(step.products, step.values * step.weights)
        assert step.output == pytest.approx(step.products.sum() + step.bias)
        assert step.output == pytest.approx(
            full[(step.filter, *step.out_index)], rel=1e-9, abs=1e-9
        )


def test_step_order_is_filter_by_filter_then_row_major():
    d = demo("cs231n")
    stepper = Stepper(d.x, d.weight, d.bias, **d.settings)
    assert len(stepper) == 18
    order = [(s.filter, s.out_index) for s in stepper]
    assert order[:4] == [(0, (0, 0)), (0, (0, 1)), (0, (0, 2)), (0, (1, 0))]
    assert order[9] == (1, (0, 0))
    assert stepper.index_of(1, (2, 1)) == 16


def test_taps_are_in_the_unpadded_frame_and_padding_reads_zero():
    stepper = Stepper(np.arange(1, 10.0).reshape(1, 3, 3), np.ones((1, 1, 3, 3)), padding=1)
    first = stepper[0]
    assert first.window_origin == (-1, -1)
    assert first.taps[:, 1:].tolist() == [[r, c] for r in (-1, 0, 1) for c in (-1, 0, 1)]
    assert first.values.tolist() == [0, 0, 0, 0, 1, 2, 0, 4, 5]
    assert first.output == 12


def test_flip_shows_the_rotated_kernel_meeting_the_window():
    w = np.arange(9.0).reshape(1, 1, 3, 3)
    step = Stepper(np.ones((1, 3, 3)), w, flip=True)[0]
    assert step.weights.tolist() == list(range(8, -1, -1))


def test_dilation_spreads_the_taps():
    step = Stepper(np.zeros((1, 7, 7)), np.ones((1, 1, 3, 3)), dilation=2)[0]
    assert sorted({tuple(t) for t in step.taps[:, 1:]}) == [
        (r, c) for r in (0, 2, 4) for c in (0, 2, 4)
    ]


def test_reflect_padding_values_under_the_window():
    x = np.array([[1.0, 2, 3, 4]])
    step = Stepper(x, np.ones((1, 1, 3)), padding=2, padding_mode="reflect")[0]
    assert step.taps[:, 1].tolist() == [-2, -1, 0]
    assert step.values.tolist() == [3, 2, 1]


def test_partial_is_nan_after_the_first_i_steps():
    d = demo("edges")
    stepper = Stepper(d.x, d.weight, **d.settings)
    part = stepper.partial(300)
    assert np.isfinite(part[0]).all()
    assert np.isfinite(part[1].reshape(-1)[:44]).all()
    assert np.isnan(part[1].reshape(-1)[44:]).all()
    assert np.isnan(stepper.partial(0)).all()
    np.testing.assert_array_equal(stepper.partial(len(stepper)), stepper.output)


def test_random_access_and_negative_index():
    stepper = Stepper(np.ones((1, 4, 4)), np.ones((1, 1, 2, 2)))
    assert stepper[-1].out_index == (2, 2)
    with pytest.raises(IndexError, match="out of range"):
        stepper[9]


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize(
    ("stride", "dilation", "padding"), [(1, 1, 1), (2, 1, 2), (2, 2, 3), (3, 1, "same")]
)
def test_outputs_using_a_cell_matches_the_taps(mode, stride, dilation, padding):
    x = np.random.default_rng(0).normal(size=(1, 7, 6))
    stepper = Stepper(
        x,
        np.ones((2, 1, 3, 2)),
        stride=stride,
        dilation=dilation,
        padding=padding,
        padding_mode=mode,
    )
    source = [
        np.asarray(_sources(n, b, a, mode))
        for n, (b, a) in zip(stepper.geometry.size, stepper.geometry.pads, strict=True)
    ]
    for cell in [(0, 0), (3, 2), (6, 5)]:
        expected = np.zeros(stepper.output.shape, dtype=bool)
        for step in stepper:
            rows = source[0][step.taps[:, 1] + stepper.geometry.pads[0][0]]
            cols = source[1][step.taps[:, 2] + stepper.geometry.pads[1][0]]
            if np.any((rows == cell[0]) & (cols == cell[1])):
                expected[(step.filter, *step.out_index)] = True
        np.testing.assert_array_equal(stepper.outputs_using(0, cell), expected)


def _sources(n, before, after, mode):
    padded = np.pad(
        np.arange(n),
        (before, after),
        mode={"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}[
            mode
        ],
        **({"constant_values": -1} if mode == "zeros" else {}),
    )
    return padded


def test_batched_input_is_refused_with_advice():
    with pytest.raises(ValueError, match="one sample at a time"):
        Stepper(np.ones((2, 1, 4, 4)), np.ones((1, 1, 3, 3)))
