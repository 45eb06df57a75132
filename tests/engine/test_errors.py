"""Bad arguments raise ValueError with a sentence a student understands."""

import numpy as np
import pytest

from convviz.engine import conv, explain_output_size, output_shape

X = np.zeros((1, 5, 5))
W = np.zeros((1, 1, 3, 3))


@pytest.mark.parametrize(
    ("x", "w", "kw", "words"),
    [
        (
            X,
            np.zeros((1, 1, 7, 7)),
            {},
            "kernel 7×7 does not fit in the 5×5 input padded by 0; use padding ≥ 1 or a smaller",
        ),
        (X, W, {"dilation": 3}, "with dilation 3×3 it spans 7×7"),
        (np.zeros((1, 5)), np.zeros((1, 1, 7)), {}, "convolution commutes"),
        (X, W, {"stride": 0}, "stride must be at least 1"),
        (X, W, {"dilation": (1, 0)}, "dilation must be at least 1"),
        (X, W, {"stride": (1, 2, 3)}, "one per axis"),
        (X, W, {"padding": -1}, "padding cannot be negative"),
        (X, W, {"padding": "sane"}, "unknown padding 'sane'"),
        (X, W, {"padding_mode": "mirror"}, "unknown padding_mode 'mirror'"),
        (X, W, {"padding": 5, "padding_mode": "reflect"}, "use padding ≤ 4"),
        (X, W, {"padding": 6, "padding_mode": "circular"}, "use padding ≤ 5"),
        (np.zeros((3, 5, 5)), W, {}, "each filter needs 3"),
        (np.zeros((3, 5, 5)), np.zeros((2, 1, 3, 3)), {"groups": 3}, "must divide"),
        (np.zeros((5, 5)), W, {}, "the ranks do not match"),
        (X, np.zeros((3, 3)), {}, "(filters, channels, *kernel)"),
        (X.astype(complex), W, {}, "real numbers"),
        (np.zeros((1, 0, 5)), W, {}, "the input is empty"),
    ],
)
def test_message_names_the_problem_and_the_fix(x, w, kw, words):
    with pytest.raises(ValueError) as info:
        conv(x, w, **kw)
    assert words in str(info.value)


def test_wrong_bias_length():
    with pytest.raises(ValueError, match="one number per filter"):
        conv(X, W, bias=[1.0, 2.0])


def test_output_shape_and_explanation_with_numbers_plugged_in():
    kw = {"stride": 2, "padding": 1}
    assert output_shape((3, 5, 5), (2, 3, 3, 3), **kw) == (2, 3, 3)
    assert output_shape((4, 3, 5, 5), (2, 3, 3, 3), **kw) == (4, 2, 3, 3)
    text = explain_output_size((3, 5, 5), (2, 3, 3, 3), **kw)
    assert "floor((5 + 1 + 1 − 1·(3−1) − 1) / 2) + 1 = 3" in text
    assert text.splitlines()[-1] == "output: 2 × 3×3"


def test_same_padding_splits_the_odd_cell_as_pytorch_or_numpy():
    from convviz.engine import conv_geometry

    assert conv_geometry((1, 6), (1, 1, 4), padding="same").pads == ((1, 2),)
    assert conv_geometry((1, 6), (1, 1, 4), padding="same", flip=True).pads == ((2, 1),)
    strided = conv_geometry((1, 7, 7), (1, 1, 3, 3), padding="same", stride=2)
    assert strided.out == (4, 4) and strided.pads == ((1, 1), (1, 1))
    assert conv_geometry((1, 5), (1, 1, 3), padding="full", dilation=2).pads == ((4, 4),)
