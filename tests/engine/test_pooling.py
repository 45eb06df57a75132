"""max_pool and avg_pool agree with PyTorch; the pooling stepper explains every cell."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from convviz.engine import PoolStepper, avg_pool, max_pool, pool_geometry

MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


@st.composite
def pool_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    size = [draw(st.integers(1, {1: 14, 2: 9, 3: 6}[nd])) for _ in range(nd)]
    kernel = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    batch = draw(st.sampled_from([None, 2]))
    channels = draw(st.integers(1, 3))
    shape = ([batch] if batch else []) + [channels, *size]
    x = np.random.default_rng(draw(st.integers(0, 9999))).normal(size=shape)
    return x, kernel, stride, padding, dilation, draw(st.booleans()), draw(st.booleans())


def _fits(x, kind, kernel, stride, padding, dilation, ceil_mode, count_include_pad):
    try:
        pool_geometry(
            x.shape,
            kernel,
            stride,
            padding,
            dilation,
            ceil_mode,
            count_include_pad,
            kind,
            len(kernel),
        )
    except ValueError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(pool_cases())
def test_max_pool_matches_pytorch(case):
    x, kernel, stride, padding, dilation, ceil_mode, _ = case
    assume(_fits(x, "max", kernel, stride, padding, dilation, ceil_mode, True))
    theirs = MAX[len(kernel)](
        torch.tensor(x), kernel, stride, padding, dilation, ceil_mode=ceil_mode
    ).numpy()
    ours = max_pool(x, kernel, stride, padding, dilation, ceil_mode)
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=200, deadline=None)
@given(pool_cases())
def test_avg_pool_matches_pytorch(case):
    x, kernel, stride, padding, _, ceil_mode, include = case
    assume(_fits(x, "avg", kernel, stride, padding, (1,) * len(kernel), ceil_mode, include))
    theirs = AVG[len(kernel)](
        torch.tensor(x), kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=include
    ).numpy()
    ours = avg_pool(x, kernel, stride, padding, ceil_mode, include)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def _unbatched(case, kind):
    """A case for one sample (the stepper walks one); average pooling has no dilation."""
    x, kernel, stride, padding, dilation, ceil_mode, include = case
    if x.ndim == len(kernel) + 2:
        x = x[0]
    if kind == "avg":
        dilation = 1
    return x, kernel, stride, padding, dilation, ceil_mode, include


def _stepper(case, kind) -> PoolStepper:
    """The pooling stepper for a case (examples that do not fit are skipped)."""
    x, kernel, stride, padding, dilation, ceil_mode, include = _unbatched(case, kind)
    assume(_fits(x, kind, kernel, stride, padding, dilation, ceil_mode, include))
    return PoolStepper(x, kind, kernel, stride, padding, dilation, ceil_mode, include)


@settings(max_examples=80, deadline=None)
@given(pool_cases(), st.sampled_from(["max", "avg"]))
def test_stepper_steps_sum_to_the_map(case, kind):
    stepper = _stepper(case, kind)
    x, kernel, stride, padding, dilation, ceil_mode, include = _unbatched(case, kind)
    expected = (
        max_pool(x, kernel, stride, padding, dilation, ceil_mode)
        if kind == "max"
        else avg_pool(x, kernel, stride, padding, ceil_mode, include)
    )
    assert len(stepper) == expected.size
    for step in stepper:
        assert step.output == expected[(step.filter, *step.out_index)]
        assert step.products.sum() == pytest.approx(step.output, rel=1e-12, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(pool_cases(), st.sampled_from(["max", "avg"]))
def test_stepper_answers_what_the_views_ask(case, kind):
    """index_of, partial, outputs_using and the unused cells agree with walking every step."""
    stepper = _stepper(case, kind)
    g = stepper.geometry
    assert g.padded_size == stepper.padded.shape[1:]
    reached = [np.zeros(n, dtype=bool) for n in g.padded_size]
    users = {}
    for step in stepper:
        assert stepper.index_of(step.filter, step.out_index) == step.index
        assert set(step.taps[:, 0]) == {step.filter}  # a pooling reads its own channel only
        for axis in range(g.nd):
            reached[axis][step.taps[:, axis + 1] + g.pads[axis][0]] = True
        for tap in step.taps:
            users.setdefault(tuple(int(v) for v in tap), set()).add((step.filter, *step.out_index))
    for axis in range(g.nd):  # the unused cells are exactly the far cells never reached
        last = int(np.flatnonzero(reached[axis]).max())
        assert g.unused[axis] == g.padded_size[axis] - 1 - last
    for cell, expected in list(users.items())[:6]:
        channel, coord = cell[0], cell[1:]
        if all(0 <= c < n for c, n in zip(coord, g.size, strict=True)):
            mask = stepper.outputs_using(channel, coord)
            assert {tuple(int(v) for v in i) for i in np.argwhere(mask)} == expected
    half = len(stepper) // 2
    partial = stepper.partial(half)
    flat = partial.reshape(-1)
    np.testing.assert_array_equal(flat[:half], stepper.output.reshape(-1)[:half])
    assert np.isnan(flat[half:]).all()


def test_max_step_marks_the_winning_tap():
    x = np.array([[[1.0, 5, 2], [0, 3, 4]]])
    step = PoolStepper(x, "max", (2, 2), stride=1)[0]
    assert step.values.tolist() == [1, 5, 0, 3]
    assert step.weights.tolist() == [0, 1, 0, 0] and step.output == 5


def test_avg_step_divides_by_the_counted_cells():
    x = np.ones((1, 3, 3))
    step = PoolStepper(x, "avg", (2, 2), stride=2, padding=1, count_include_pad=False)[0]
    assert step.weights.tolist() == [0, 0, 0, 1]
    assert step.output == 1


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: max_pool(np.ones((1, 4, 4)), 3, padding=2), "more than half"),
        (lambda: avg_pool(np.ones((1, 2, 2)), 3), "does not fit"),
        (lambda: max_pool(np.ones((1, 4, 4)), 2, stride=0), "stride must be at least 1"),
        (lambda: PoolStepper(np.ones((1, 4)), "avg", 2, dilation=2), "no dilation"),
    ],
)
def test_pooling_errors(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_activations_match_pytorch(name):
    from convviz.engine import activate

    x = np.concatenate([np.linspace(-50, 50, 201), [0.0, -0.0, 1e-9, -1e3, 1e3]])
    reference = {
        "relu": torch.relu,
        "leaky_relu": F.leaky_relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
    }[name](torch.tensor(x)).numpy()
    np.testing.assert_allclose(activate(name, x), reference, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="choose one of"):
        activate("softplus", x)
