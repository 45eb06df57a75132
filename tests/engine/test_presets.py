"""Presets and demos are the data the app and CLI share."""

import numpy as np
import pytest

from convviz.engine import DEMOS, KERNELS, Stepper, conv, demo, kernel, make_input


def test_letter_h_layout():
    h = make_input("letter-h", 16, 16)
    assert h.shape == (16, 16)
    assert np.flatnonzero(h[5]).tolist() == [3, 12]
    assert np.flatnonzero(h[7]).tolist() == list(range(3, 13))
    assert np.flatnonzero(h[:, 3]).tolist() == list(range(4, 12))
    assert h.sum() == 2 * 8 + 8


def test_demos_step_to_their_promised_shapes():
    assert DEMOS[0] == "letter-h"
    shapes = {
        "letter-h": (1, 16, 16),
        "edges": (2, 16, 16),
        "cs231n": (2, 3, 3),
        "signal-1d": (1, 7),
        "heartbeat": (2, 120),
        "volume-3d": (1, 5, 7, 7),
        "tiny-cnn": (2, 16, 16),  # its first layer; the stack ends at 1×4×4
        "im2col": (2, 3, 3),
        "frequency": (2, 32, 32),
        "frequency-1d": (2, 96),
        "transposed": (1, 2, 2),
        "output-padding": (1, 3, 3),
        "backward": (2, 3, 3),
        "learn-edges": (1, 16, 16),
        "digits": (4, 16, 16),  # its first layer; the stack ends in 10 class scores
    }
    for name in DEMOS:
        d = demo(name)
        out = conv(d.x, d.weight, d.bias, **d.settings)
        assert out.shape == shapes[name]
        assert len(Stepper(d.x, d.weight, d.bias, **d.settings)) == out.size


def test_cross_blur_weights_and_presets_are_fresh_copies():
    k = kernel("cross-blur")
    assert k.sum() == pytest.approx(1.0)
    k[0, 0] = 99
    assert KERNELS["cross-blur"][0, 0] == 0
    assert kernel("sobel-y").tolist() == np.transpose(KERNELS["sobel-x"]).tolist()


def test_random_is_reproducible_and_unknown_names_are_explained():
    assert np.array_equal(make_input("random", 4, 5, seed=3), make_input("random", 4, 5, seed=3))
    with pytest.raises(ValueError, match="choose one of"):
        kernel("blurry")
    with pytest.raises(ValueError, match="choose one of"):
        demo("nope")


@pytest.mark.parametrize("name", ["letter-h", "impulse", "checkerboard", "gradient", "random"])
def test_every_input_preset_fills_the_smallest_grids(name):
    for rows in range(1, 6):
        for cols in range(1, 6):
            grid = make_input(name, rows, cols)
            assert grid.shape == (rows, cols) and np.isfinite(grid).all()
    assert make_input("letter-h", 1, 2).any()  # what fits of an H, not nothing
