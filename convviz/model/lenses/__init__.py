"""Lenses: other drawings of the same document and playhead (the unfolded matrix, the
convolution matrix, the frequency view, separable kernels, three methods compared).

Each lens is computed here, free of Qt, from the stage being stepped and the step shown; the
window only draws what these functions return.
"""

from .backward import BackwardPicture, backward_picture
from .catalogue import DEMO_LENSES, LENS_KEYS, LENS_TITLES, LENSES, LensUnavailable, lens_name
from .frequency import FrequencyPicture, frequency_picture
from .learn import LearnPicture, learn_caption, learn_picture, training_of
from .matrix import MatrixPicture, matrix_picture
from .methods import MethodRow, three_ways
from .separable import SeparablePicture, separable_picture
from .transposed import TransposedPicture, transposed_picture
from .unfolded import UnfoldedPicture, unfolded_picture

__all__ = [
    "DEMO_LENSES",
    "LENSES",
    "LENS_KEYS",
    "LENS_TITLES",
    "BackwardPicture",
    "FrequencyPicture",
    "LearnPicture",
    "LensUnavailable",
    "MatrixPicture",
    "MethodRow",
    "SeparablePicture",
    "TransposedPicture",
    "UnfoldedPicture",
    "backward_picture",
    "frequency_picture",
    "learn_caption",
    "learn_picture",
    "lens_name",
    "matrix_picture",
    "separable_picture",
    "three_ways",
    "training_of",
    "transposed_picture",
    "unfolded_picture",
]
