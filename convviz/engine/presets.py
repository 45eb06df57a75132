"""Named kernels, inputs and demos that the app and the command line share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .digits import digits_network, held_out_digits
from .layers import ActivationLayer, ConvLayer, PoolLayer

_SOBEL_X = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
_PREWITT_X = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]

KERNELS: dict[str, np.ndarray] = {
    name: np.array(values, dtype=np.float64)
    for name, values in {
        "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
        "box-blur": np.full((3, 3), 1 / 9),
        "cross-blur": [[0, 0.2, 0], [0.2, 0.2, 0.2], [0, 0.2, 0]],
        "gaussian": np.outer([1, 2, 1], [1, 2, 1]) / 16,
        "gaussian-5x5": np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256,
        "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
        "vertical-line": [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]],
        "horizontal-line": [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]],
        "vertical-edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
        "horizontal-edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
        "sobel-x": _SOBEL_X,
        "sobel-y": np.transpose(_SOBEL_X),
        "prewitt-x": _PREWITT_X,
        "prewitt-y": np.transpose(_PREWITT_X),
        "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
        "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
        "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    }.items()
}
"""2-D kernels by name; each is a fresh float64 array (copy before editing)."""


def letter_h(rows: int = 16, cols: int = 16) -> np.ndarray:
    """The letter H: bars at columns 3 and 12 over rows 4–11 and a crossbar on row 7 (16×16),
    scaled to other sizes (a grid too small for an H gets what fits of one)."""
    grid = np.zeros((rows, cols))
    top, bottom = round(rows * 4 / 16), max(round(rows * 12 / 16), 1)
    left, right = round(cols * 3 / 16), min(round(cols * 12 / 16), cols - 1)
    grid[top:bottom, left] = 1
    grid[top:bottom, right] = 1
    grid[min(round(rows * 7 / 16), rows - 1), left : right + 1] = 1
    return grid


def impulse(rows: int = 9, cols: int = 9) -> np.ndarray:
    """A single 1 in the centre: the output shows the kernel itself (flipped, for convolution)."""
    grid = np.zeros((rows, cols))
    grid[rows // 2, cols // 2] = 1
    return grid


def checkerboard(rows: int = 8, cols: int = 8) -> np.ndarray:
    """Alternating 0 and 1, starting with 1 at the top-left corner."""
    return ((np.add.outer(np.arange(rows), np.arange(cols)) + 1) % 2).astype(np.float64)


def gradient(rows: int = 8, cols: int = 8) -> np.ndarray:
    """Values rising from 0 at the left to 1 at the right, the same on every row."""
    return np.tile(np.linspace(0, 1, cols), (rows, 1))


def random_integers(rows: int = 8, cols: int = 8, seed: int = 0, low: int = 0, high: int = 9):
    """Whole numbers from ``low`` to ``high`` (inclusive), reproducible for a given ``seed``."""
    return np.random.default_rng(seed).integers(low, high + 1, size=(rows, cols)).astype(np.float64)


INPUTS: dict[str, Callable[..., np.ndarray]] = {
    "letter-h": letter_h,
    "impulse": impulse,
    "checkerboard": checkerboard,
    "gradient": gradient,
    "random": random_integers,
}
"""2-D input makers by name; each takes ``(rows, cols)``."""


@dataclass(frozen=True)
class Demo:
    """An input, its filters and the settings to step them with, under one name."""

    name: str
    title: str
    description: str
    x: np.ndarray
    weight: np.ndarray
    bias: np.ndarray | None = None
    settings: dict = field(default_factory=dict)
    layers: tuple = ()  # more layers after the convolution (``convviz.engine.layers``)


DEMO_INFO: dict[str, tuple[str, str]] = {
    "letter-h": (
        "Letter H, cross-shaped blur",
        "The letter H blurred by a cross of 0.2 weights; 'same' padding keeps it 16×16.",
    ),
    "edges": (
        "Edges of the H",
        "Vertical and horizontal edge kernels find the H's strokes: two feature maps.",
    ),
    "cs231n": (
        "CS231n: 5×5×3 input, two 3×3×3 filters",
        "Three channels, two filters with a bias each, stride 2 and padding 1: a 2×3×3 output.",
    ),
    "signal-1d": (
        "1-D signal, true convolution",
        "numpy.convolve([0, 1, 2, 3, 4], [1, −1, 2]): the kernel is flipped before it slides.",
    ),
    "volume-3d": (
        "3-D volume: a ball blurred by a 3×3×3 box",
        "A 5×7×7 volume holding a ball; a 3×3×3 kernel of ones with padding 1 counts the "
        "ball's cells in each window, a blur in depth, rows and columns (÷ 27: the average).",
    ),
    "heartbeat": (
        "Heartbeat: smooth and sharpen a noisy signal",
        "A noisy heartbeat-like waveform: an averaging kernel smooths it, a difference kernel "
        "finds its sharp beats.",
    ),
    "tiny-cnn": (
        "Tiny CNN: edges → ReLU → max pool → conv → avg pool",
        "Five layers on the letter H: step each one (L for the next layer) and watch the "
        "16×16 input become 4×4; the Layers panel has the summary.",
    ),
    "im2col": (
        "im2col: a 4×4 two-channel input, two 2×2 filters",
        "Small enough to see the whole unfolded matrix: 8 rows (2 channels × 2 × 2 taps), 9 "
        "windows, and W · columns = the two 3×3 maps.",
    ),
    "frequency": (
        "Frequency: a photo-like pattern, blurred and edge-filtered",
        "A 5×5 Gaussian keeps the slow changes (a low-pass) and a Laplacian keeps the fast ones "
        "(a high-pass): compare their spectra in the frequency view.",
    ),
    "frequency-1d": (
        "Frequency: a noisy signal, smoothed and differenced",
        "An average of 5 samples is a low-pass that removes the noise; a difference is a "
        "high-pass that keeps it: see both spectra in the frequency view.",
    ),
    "transposed": (
        "Transposed: a 2×2 map back to 5×5, stride 2",
        "A 3×3 kernel with stride 2 turns 5×5 into the 2×2 map [[1, 2], [3, 4]]; its transposed "
        "convolution stamps the kernel once per cell back onto 5×5, where the stamps overlap.",
    ),
    "output-padding": (
        "output_padding: 5×5 or 6×6 from the same 3×3",
        "With stride 2 and padding 1 a 5×5 and a 6×6 input both give 3×3: the transposed "
        "convolution needs output_padding = 1 to rebuild 6×6.",
    ),
    "backward": (
        "Backward: CS231n's numbers, a random dL/dy",
        "The CS231n convolution passed a random gradient back: each output hands g·W to its "
        "window; the chosen input cell gathers it with the kernel rotated 180°.",
    ),
    "learn-edges": (
        "Learn a kernel: the vertical edges of an H",
        "The kernel starts random; each → takes one gradient-descent step on the squared "
        "error against the H's vertical edges, until the kernel is an edge detector.",
    ),
    "digits": (
        "Digits: a trained CNN reads a handwritten digit",
        "Two convolutions with ReLU and max pooling, then flatten and a linear layer, trained "
        "on handwritten digits: paint on the input (brush, eraser) and watch the ten class "
        "scores change.",
    ),
}
"""Each demo's title and one-sentence description, without building its arrays."""

DEMOS: tuple[str, ...] = tuple(DEMO_INFO)
"""Demo names, the default (``letter-h``) first."""


def _letter_h_demo():
    return letter_h()[None], KERNELS["cross-blur"][None, None].copy(), None, {"padding": "same"}


def _edges_demo():
    weight = np.stack([KERNELS["vertical-edge"], KERNELS["horizontal-edge"]])[:, None]
    return letter_h()[None], weight, None, {"padding": "same"}


def _cs231n_demo():
    rng = np.random.default_rng(231)
    x = rng.integers(0, 3, size=(3, 5, 5)).astype(np.float64)
    weight = rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(np.float64)
    return x, weight, np.array([1.0, 0.0]), {"stride": 2, "padding": 1}


def _signal_demo():
    x = np.arange(5, dtype=np.float64)[None]
    return x, np.array([[[1.0, -1.0, 2.0]]]), None, {"padding": "full", "flip": True}


def heartbeat(samples: int = 120, seed: int = 7) -> np.ndarray:
    """A heartbeat-like waveform: a sharp spike with a small wave after it, every 30 samples,
    on a slow wander, with a little noise (reproducible for a given ``seed``)."""
    t = np.arange(samples, dtype=np.float64)
    phase = t % 30
    beat = 3.0 * np.exp(-((phase - 8) ** 2) / 1.5) - 0.6 * np.exp(-((phase - 11) ** 2) / 2)
    wave = 0.8 * np.exp(-((phase - 19) ** 2) / 8)
    wander = 0.3 * np.sin(2 * np.pi * t / samples)
    noise = np.random.default_rng(seed).normal(0, 0.15, samples)
    return np.round(beat + wave + wander + noise, 2)


def _heartbeat_demo():
    weight = np.array([[[0.2, 0.2, 0.2, 0.2, 0.2]], [[0.0, 0.0, 1.0, -1.0, 0.0]]])
    return heartbeat()[None], weight, None, {"padding": "same"}


def ball(depth: int = 5, rows: int = 7, cols: int = 7) -> np.ndarray:
    """A volume holding 1 inside a ball in the middle and 0 outside."""
    z, y, x = np.mgrid[0:depth, 0:rows, 0:cols]
    centre = (np.array([depth, rows, cols]) - 1) / 2
    distance = (z - centre[0]) ** 2 + (y - centre[1]) ** 2 + (x - centre[2]) ** 2
    return (distance <= (min(depth, rows, cols) / 2) ** 2).astype(np.float64)


def _volume_demo():
    # Ones, not 1/27: whole-number counts stay readable in small cells (0.037 had been 6 px).
    weight = np.ones((1, 1, 3, 3, 3))
    return ball()[None], weight, None, {"padding": 1}


def _tiny_cnn_demo():
    x, weight, _, _ = _edges_demo()
    combine = np.stack([KERNELS["cross-blur"], KERNELS["cross-blur"]])[None]
    layers = (
        ActivationLayer("relu"),
        PoolLayer("max", (2, 2)),
        ConvLayer(combine, None, {"padding": 1}),
        PoolLayer("avg", (2, 2)),
    )
    return x, weight, None, {"padding": 1}, layers


def _im2col_demo():
    x = np.array(
        [
            [[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 2], [1, 0, 1, 3]],
            [[0, 1, 1, 2], [2, 0, 1, 0], [1, 3, 2, 1], [0, 1, 0, 1]],
        ],
        dtype=np.float64,
    )
    weight = np.array(
        [[[[1, 0], [0, -1]], [[0, 1], [1, 0]]], [[[1, 1], [1, 1]], [[-1, 0], [0, 2]]]],
        dtype=np.float64,
    )
    return x, weight, None, {}


def photo_like(rows: int = 32, cols: int = 32, seed: int = 5) -> np.ndarray:
    """A small picture with the parts a photo has: a bright gradient sky, a disc (a sun), a
    dark wavy horizon, fine stripes (texture) and a little noise (reproducible)."""
    y, x = np.mgrid[0:rows, 0:cols] / max(rows, cols)
    sky = 0.7 - 0.4 * y
    sun = 0.5 * (((x - 0.7) ** 2 + (y - 0.3) ** 2) < 0.015)
    ground = -0.5 * (y > 0.62 + 0.06 * np.sin(9 * x))
    stripes = 0.12 * np.sin(2 * np.pi * 6 * x) * (y > 0.62)
    noise = np.random.default_rng(seed).normal(0, 0.04, (rows, cols))
    return np.round(sky + sun + ground + stripes + noise, 2)


def _frequency_demo():
    weight = np.stack([KERNELS["gaussian-5x5"], np.pad(KERNELS["laplacian"], 1)])[:, None]
    return photo_like()[None], weight, None, {"padding": "same"}


def _frequency_1d_demo():
    t = np.arange(96, dtype=np.float64)
    noise = np.random.default_rng(11).normal(0, 0.25, t.size)
    x = np.round(np.sin(2 * np.pi * t / 48) + noise, 2)[None]
    weight = np.array([[[0.2, 0.2, 0.2, 0.2, 0.2]], [[0.0, 0.0, 1.0, -1.0, 0.0]]])
    return x, weight, None, {"padding": "same"}


def _transposed_demo():
    x = np.zeros((1, 5, 5))
    x[0, 1::2, 1::2] = [[1, 2], [3, 4]]  # each alone in one window: the map is [[1, 2], [3, 4]]
    weight = np.array([[[[1.0, 2, 1], [0, 1, 0], [-1, -2, -1]]]])
    return x, weight, None, {"stride": 2}


def _output_padding_demo():
    return (
        letter_h(6, 6)[None],
        # A plus of ones, not cross-blur's 0.2s: whole numbers stay readable in the small
        # cells of the transposed lens (0.04 had been written at 7 px in presentation mode).
        np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.float64)[None, None],
        None,
        {
            "stride": 2,
            "padding": 1,
        },
    )


def _learn_edges_demo():
    weight = np.round(np.random.default_rng(14).uniform(-0.5, 0.5, (1, 1, 3, 3)), 2)
    return letter_h()[None], weight, None, {"padding": "same"}


def _digits_demo():
    first, layers = digits_network()
    held_out = held_out_digits()
    x = held_out.x[held_out.demo_index].copy()
    return x, first.weight, first.bias, dict(first.settings), layers


_BUILDERS: dict[str, Callable[[], tuple]] = {
    "letter-h": _letter_h_demo,
    "edges": _edges_demo,
    "cs231n": _cs231n_demo,
    "signal-1d": _signal_demo,
    "heartbeat": _heartbeat_demo,
    "volume-3d": _volume_demo,
    "tiny-cnn": _tiny_cnn_demo,
    "im2col": _im2col_demo,
    "frequency": _frequency_demo,
    "frequency-1d": _frequency_1d_demo,
    "transposed": _transposed_demo,
    "output-padding": _output_padding_demo,
    "backward": _cs231n_demo,
    "learn-edges": _learn_edges_demo,
    "digits": _digits_demo,
}


def demo(name: str) -> Demo:
    """A fresh copy of the demo called ``name``."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown demo {name!r}; choose one of {', '.join(DEMOS)}")
    x, weight, bias, settings, *layers = _BUILDERS[name]()
    title, description = DEMO_INFO[name]
    return Demo(name, title, description, x, weight, bias, settings, *layers)


def kernel(name: str) -> np.ndarray:
    """A fresh copy of the preset kernel called ``name``."""
    if name not in KERNELS:
        raise ValueError(f"unknown kernel preset {name!r}; choose one of {', '.join(KERNELS)}")
    return KERNELS[name].copy()


def make_input(name: str, rows: int, cols: int, **options) -> np.ndarray:
    """A fresh ``rows × cols`` input from the preset called ``name``."""
    if name not in INPUTS:
        raise ValueError(f"unknown input preset {name!r}; choose one of {', '.join(INPUTS)}")
    if rows < 1 or cols < 1:
        raise ValueError(f"an input needs at least 1×1 cells, got {rows}×{cols}")
    return INPUTS[name](rows, cols, **options)
