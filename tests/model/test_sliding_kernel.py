"""The textbook picture's numbers, against numpy.convolve and torch.nn.functional.conv1d."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convviz.engine import Stepper, demo
from convviz.model.sliding_kernel import kernel_index_text, sliding_kernel, value_ranges

from ..engine.reference import torch_conv

TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate"}
TORCH_MODE["circular"] = "circular"


def pictures(walk, step):
    """One picture per input channel the step reads."""
    return [sliding_kernel(walk, step, c) for c in dict.fromkeys(step.taps[:, 0].tolist())]


def test_numpy_convolve_full_is_the_textbook_formula():
    x, h = np.array([0.0, 1, 2, 3, 4]), np.array([1.0, -1, 2])
    walk = Stepper(x[None], h[None, None], padding="full", flip=True)
    expected = np.convolve(x, h)  # [0, 1, 1, 3, 5, 4, 8]
    for step in walk:
        p = sliding_kernel(walk, step)
        n = p.n
        assert p.symbol == "h[n−k]" and p.plugged == ("h[−k]" if n == 0 else f"h[{n}−k]")
        assert p.legend == "h[n−k], the kernel flipped"
        # h[n−k] is drawn at k: the kernel flipped and shifted to n, as the textbook says
        np.testing.assert_array_equal(p.weights, h[n - p.taps])
        np.testing.assert_array_equal(p.kernel_index, n - p.taps)
        inside = ~p.padding[p.taps - p.k[0]]
        np.testing.assert_array_equal(p.x[p.taps - p.k[0]][inside], x[p.taps[inside]])
        assert p.output == pytest.approx(expected[n]) == pytest.approx(p.products.sum())
    assert walk[3].taps[:, 1].tolist() == [1, 2, 3]  # y[3] reads x[1], x[2], x[3]


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_every_numpy_mode_sums_to_numpy_convolve(mode):
    rng = np.random.default_rng(3)
    x, h = rng.normal(size=11), rng.normal(size=5)
    walk = Stepper(x[None], h[None, None], padding=mode, flip=True)
    expected = np.convolve(x, h, mode)
    got = [sliding_kernel(walk, step).output for step in walk]
    np.testing.assert_allclose(got, expected)
    sums = [sliding_kernel(walk, step).channel_sum for step in walk]
    np.testing.assert_allclose(sums, expected)


@pytest.mark.parametrize(
    ("flip", "stride", "pad", "dilation", "taps", "symbol", "plugged"),
    [
        (True, 1, 0, 1, 3, "h[n+2−k]", "h[7−k]"),  # 'valid': h[0] sits 2 cells past n
        (True, 1, 2, 1, 5, "h[n+2−k]", "h[7−k]"),  # heartbeat's 'same'
        (True, 1, 2, 1, 3, "h[n−k]", "h[5−k]"),  # 'full'
        (True, 2, 1, 1, 3, "h[2n+1−k]", "h[11−k]"),
        (True, 1, 0, 2, 3, "h[(n+4−k)/2]", "h[(9−k)/2]"),
        (False, 1, 0, 1, 3, "w[k−n]", "w[k−5]"),
        (False, 1, 2, 1, 5, "w[k−n+2]", "w[k−3]"),
        (False, 2, 1, 3, 3, "w[(k−2n+1)/3]", "w[(k−9)/3]"),
        (False, 1, 7, 1, 3, "w[k−n+7]", "w[k+2]"),
    ],
)
def test_the_index_is_written_with_the_settings(flip, stride, pad, dilation, taps, symbol, plugged):
    assert kernel_index_text(flip, stride, pad, dilation, taps) == symbol
    assert kernel_index_text(flip, stride, pad, dilation, taps, n=5) == plugged


def test_the_index_text_says_where_each_entry_sits():
    """Plug k into the written index: it gives the kernel entry the picture puts there."""
    rng = np.random.default_rng(0)
    for flip in (True, False):
        for stride, pad, dilation in [(1, 0, 1), (2, 1, 1), (1, 3, 2), (3, 2, 3)]:
            walk = Stepper(
                rng.normal(size=(1, 14)),
                rng.normal(size=(1, 1, 3)),
                stride=stride,
                padding=pad,
                dilation=dilation,
                flip=flip,
            )
            for step in walk:
                p = sliding_kernel(walk, step)
                expression = p.plugged[2:-1].replace("−", "-")
                for k, m in zip(p.taps, p.kernel_index, strict=True):
                    assert eval(expression, {"k": int(k)}) == m  # our own text, k a number


@st.composite
def cases(draw):
    channels = draw(st.integers(1, 3))
    groups = draw(st.sampled_from([g for g in (1, channels) if channels % g == 0]))
    length = draw(st.integers(4, 16))
    taps = draw(st.integers(1, 4))
    mode = draw(st.sampled_from(list(TORCH_MODE)))
    most = length - 1 if mode == "reflect" else length
    padding = draw(
        st.one_of(
            st.sampled_from(["valid", "same", "full"]),
            st.integers(0, min(3, most)),
            st.tuples(st.integers(0, min(3, most)), st.integers(0, min(3, most))),
        )
    )
    stride = 1 if padding == "same" else draw(st.integers(1, 3))
    dilation = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    flip = draw(st.booleans())
    bias = draw(st.booleans())
    return channels, groups, length, taps, mode, padding, stride, dilation, seed, flip, bias


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_random_signals_agree_with_pytorch(case):
    channels, groups, length, taps, mode, padding, stride, dilation, seed, flip, bias = case
    rng = np.random.default_rng(seed)
    filters = groups * 2
    x = rng.normal(size=(channels, length))
    weight = rng.normal(size=(filters, channels // groups, taps))
    b = rng.normal(size=filters) if bias else None
    options = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    try:
        walk = Stepper(x, weight, b, flip=flip, **options)
    except ValueError:
        return  # an impossible setting (e.g. the kernel longer than the padded signal)
    expected = torch_conv(x, weight, b, flip=flip, **options)
    (before, after) = walk.geometry.pads[0]
    torch_padded = F.pad(torch.tensor(x)[None], (before, after), mode=TORCH_MODE[mode])[0].numpy()
    per_group = channels // groups
    for step in walk:
        f, n = step.filter, step.out_index[0]
        total = 0.0
        for p in pictures(walk, step):
            # x[k] is what torch pads with, the padding marked where k leaves the signal
            np.testing.assert_allclose(p.x, torch_padded[p.channel])
            assert p.padding.tolist() == [not 0 <= k < length for k in p.k]
            # the kernel's entries sit dilation apart and move by the stride
            assert np.all(np.diff(p.taps) == dilation)
            assert p.taps[0] == n * stride - before
            h = weight[f, p.channel % per_group]
            entries = h[p.kernel_index]
            np.testing.assert_array_equal(p.weights, entries)
            if flip:  # the kernel flipped: its last entry comes first
                assert p.kernel_index.tolist() == list(range(taps))[::-1]
            np.testing.assert_allclose(p.products, p.x[p.taps - p.k[0]] * entries)
            total += p.channel_sum
            assert p.channel_sum + p.others + p.bias == pytest.approx(p.output)
        total += 0.0 if b is None else b[f]
        assert total == pytest.approx(expected[f, n], abs=1e-9)
        assert p.output == pytest.approx(expected[f, n], abs=1e-9)


def test_the_sum_in_words():
    walk = Stepper(np.arange(5.0)[None], np.array([[[1.0, -1, 2]]]), padding="full", flip=True)
    p = sliding_kernel(walk, walk[3])
    assert p.sum_text() == "y[3] = Σₖ x[k]·h[3−k] = 3"
    assert p.sum_text(revealed=False) == "y[3] = Σₖ x[k]·h[3−k] = ?"
    assert p.sum_text(activations=("relu",), shown=3.0) == "y[3] = Σₖ x[k]·h[3−k] = 3 → relu → 3"
    walk = Stepper(np.ones((2, 4)), np.ones((1, 2, 2)), np.array([0.5]), flip=False)
    p = sliding_kernel(walk, walk[0], channel=1)
    assert p.channel == 1 and p.others == 2.0
    assert p.sum_text() == "y[0] = Σₖ x[k]·w[k] + other channels + bias = 2 + 2 + 0.5 = 4.5"


def test_a_channel_the_step_does_not_read_falls_back_to_its_first():
    walk = Stepper(np.ones((4, 6)), np.ones((4, 1, 3)), groups=4)
    step = walk[walk.index_of(2, (0,))]
    assert sliding_kernel(walk, step, channel=0).channel == 2


def test_heartbeat_says_how_its_same_padding_moves_the_kernel():
    d = demo("heartbeat")
    walk = Stepper(d.x, d.weight, d.bias, **d.settings)
    p = sliding_kernel(walk, walk[10])
    assert p.legend == "w[k−n+2], the kernel as is (cross-correlation)"
    assert p.plugged == "w[k−8]" and p.taps.tolist() == [8, 9, 10, 11, 12]
    assert p.padding.sum() == 4 and p.k[0] == -2


def test_only_one_d():
    d = demo("letter-h")
    walk = Stepper(d.x, d.weight, **d.settings)
    with pytest.raises(ValueError, match="1-D signals, not 2-D"):
        sliding_kernel(walk, walk[0])


def test_the_axes_hold_every_step_of_a_filter():
    d = demo("heartbeat")
    walk = Stepper(d.x, d.weight, d.bias, **d.settings)
    x_range, kernel_range, product_range = value_ranges(walk, 1, 0)
    assert kernel_range == (-1.0, 1.0)
    assert x_range == (float(d.x.min()), float(d.x.max()))
    steps = [walk[i] for i in range(walk.index_of(1, (0,)), len(walk))]
    products = np.concatenate([s.products for s in steps])
    assert product_range == (products.min(), products.max())


def test_the_sum_on_two_lines():
    walk = Stepper(np.arange(5.0)[None], np.array([[[1.0, -1, 2]]]), padding="full", flip=True)
    assert sliding_kernel(walk, walk[3]).sum_lines() == ("y[3] = Σₖ x[k]·h[3−k]", "= 3")
