"""Lenses: other drawings of the same document and playhead (the unfolded matrix, the
convolution matrix, the frequency view, separable kernels, three methods compared).

Each lens is computed here, free of Qt, from the stage being stepped and the step shown; the
window only draws what these functions return.
"""

from importlib import import_module

from .catalogue import DEMO_LENSES, LENS_KEYS, LENS_TITLES, LENSES, LensUnavailable, lens_name

_LOADED_ON_USE = {
    "BackwardPicture": "backward",
    "backward_picture": "backward",
    "FrequencyPicture": "frequency",
    "frequency_picture": "frequency",
    "LearnPicture": "learn",
    "learn_caption": "learn",
    "learn_picture": "learn",
    "learned_maps": "learn",
    "learned_weights": "learn",
    "can_learn": "learn",
    "training_of": "learn",
    "MatrixPicture": "matrix",
    "matrix_picture": "matrix",
    "MethodRow": "methods",
    "three_ways": "methods",
    "SeparablePicture": "separable",
    "separable_picture": "separable",
    "TransposedPicture": "transposed",
    "transposed_picture": "transposed",
    "UnfoldedPicture": "unfolded",
    "unfolded_picture": "unfolded",
}
"""Each lens's computation, by the module that holds it: imported when first asked for (the
window starts on the sliding window, and most sessions open a lens or two at most)."""


def __getattr__(name: str):
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    "can_learn",
    "frequency_picture",
    "learn_caption",
    "learn_picture",
    "learned_maps",
    "learned_weights",
    "lens_name",
    "matrix_picture",
    "separable_picture",
    "three_ways",
    "training_of",
    "transposed_picture",
    "unfolded_picture",
]
