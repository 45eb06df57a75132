"""A Document from plain arrays and ``conv``'s keywords: what ``convviz.show(x, weight)`` opens.

The arrays may be NumPy arrays, nested lists, or PyTorch tensors (read without importing
PyTorch: a tensor is asked for its numbers).
"""

from __future__ import annotations

import numpy as np

from ..engine import size_text
from .document import Document
from .pipeline import Pipeline
from .settings import ConvSettings

CONV_KEYWORDS = ("stride", "padding", "dilation", "groups", "padding_mode", "flip")
"""The settings ``document_from_arrays`` takes, by ``conv``'s (and PyTorch's) names."""

EXAMPLE_SIDE = {1: 32, 2: 16, 3: 8}  # cells per axis of a made-up input: quick to step


def is_tensor(value) -> bool:
    """Whether ``value`` is a PyTorch tensor (checked without importing PyTorch)."""
    return any(c.__name__ == "Tensor" and c.__module__ == "torch" for c in type(value).__mro__)


def as_array(value, name: str) -> np.ndarray:
    """``value`` (an array, a nested list, a number, a PyTorch tensor) as float64 numbers;
    ValueError naming it (``name``: "the input", "the weights"...) otherwise."""
    if is_tensor(value):
        value = value.detach().to("cpu").double().numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be numbers (a NumPy array, a list of lists, a tensor), not "
            f"{type(value).__name__}"
        ) from None
    return array


def one_example(x: np.ndarray, nd: int, reads: str) -> np.ndarray:
    """``x`` as ``(C, *S)`` for an ``nd``-D convolution: a ``(1, C, *S)`` batch of one loses its
    batch axis, a bare ``S`` grid gains a channel axis. ``reads`` says what the layer reads,
    for the message when ``x`` fits none of these."""
    if x.ndim == nd + 2:
        if x.shape[0] != 1:
            raise ValueError(
                f"the input is a batch of {x.shape[0]} examples; convviz shows one at a time: "
                "give x[0] (or x[:1])"
            )
        return x[0]
    if x.ndim == nd + 1:
        return x
    if x.ndim == nd:
        return x[None]
    raise ValueError(f"{reads}; the input has shape {x.shape}")


def example_input(channels: int, nd: int, seed: int = 0) -> np.ndarray:
    """A made-up input ``(channels, *S)`` of tenths from −1 to 1, for a network shown without
    one (16×16 cells in 2-D, 32 in 1-D, 8×8×8 in 3-D)."""
    rng = np.random.default_rng(seed)
    return rng.integers(-10, 11, size=(channels, *(EXAMPLE_SIDE[nd],) * nd)) / 10


def checked(document: Document) -> Document:
    """``document`` if its first convolution and every layer after it can be computed;
    ValueError (the engine's words) otherwise."""
    pipeline = Pipeline.of(document)
    if pipeline.problem:
        raise ValueError(pipeline.problem)
    if pipeline.stack_problem:
        raise ValueError(pipeline.stack_problem)
    return document


def document_from_arrays(x, weight=None, bias=None, **settings) -> Document:
    """The Document of ``conv(x, weight, bias, **settings)``, checked to compute.

    Parameters
    ----------
    x : array_like or tensor
        The input: ``(C, *S)`` with 1 to 3 spatial axes, a batch of one ``(1, C, *S)``, or a
        bare grid ``S`` (one channel). Without weights, a 1-D array is a signal and a 2-D array
        a grid, as when a file is imported.
    weight : array_like or tensor, optional
        ``(F, C // groups, *K)`` as for ``conv``; or a plain 1-D or 2-D kernel ``K``, applied to
        each channel of the input on its own (``groups = C``), as an image editor blurs each
        colour. None: an averaging kernel of 3 cells per axis with ``padding="same"``.
    bias : array_like or tensor, optional
        One number per filter (then the bias is on).
    **settings
        ``stride``, ``padding``, ``dilation``, ``groups``, ``padding_mode`` and ``flip``, as
        ``conv`` takes them. ``groups`` defaults to what the weights' channels imply.

    Returns
    -------
    Document
        Checked: its convolution can be computed (ValueError in words otherwise).
    """
    unknown = sorted(set(settings) - set(CONV_KEYWORDS))
    if unknown:
        raise ValueError(
            f"unknown setting {unknown[0]!r}; the settings are {', '.join(CONV_KEYWORDS)}"
        )
    x = as_array(x, "the input")
    if weight is None:  # as a file is imported: 1-D a signal, 2-D a grid, more: channels first
        if x.ndim in (1, 2):
            x = x[None]
        if x.ndim not in (2, 3, 4):
            raise ValueError(f"an input has 1 to 3 spatial axes; this one has shape {x.shape}")
        nd = x.ndim - 1
        weight = np.full((1, x.shape[0], *(3,) * nd), 1 / 3**nd)
        settings = {"padding": "same", **settings}
    else:
        weight = as_array(weight, "the weights")
        if weight.ndim in (1, 2):  # a plain kernel: each channel on its own
            nd = weight.ndim
            x = one_example(x, nd, f"a {nd}-D kernel reads a {nd}-D input (channels first)")
            channels = x.shape[0]
            if settings.get("groups", channels) != channels:
                raise ValueError(
                    f"a plain kernel {size_text(weight.shape)} is applied to each of the "
                    f"{channels} channels on its own (groups={channels}); give weights "
                    "(filters, channels // groups, ...) for other groups"
                )
            weight = np.broadcast_to(weight, (channels, 1, *weight.shape)).copy()
        else:
            nd = weight.ndim - 2
            if nd not in (1, 2, 3):
                raise ValueError(
                    f"the weights have shape {weight.shape}: give (filters, channels, ...) with "
                    "1 to 3 kernel axes, or a plain 1-D or 2-D kernel"
                )
            x = one_example(x, nd, f"weights {weight.shape} read (channels, {nd} spatial axes)")
        if "groups" not in settings and weight.shape[1] and x.shape[0] % weight.shape[1] == 0:
            settings["groups"] = x.shape[0] // weight.shape[1]
    use_bias = bias is not None
    bias = np.zeros(weight.shape[0]) if bias is None else as_array(bias, "the bias").reshape(-1)
    if bias.shape != (weight.shape[0],):
        raise ValueError(
            f"the bias needs one number per filter ({weight.shape[0]}), it has {bias.size}"
        )
    document = Document(x, weight, bias, use_bias, ConvSettings.from_kwargs(nd, **settings))
    return checked(document)
