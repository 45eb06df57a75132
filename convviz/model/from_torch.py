"""Projects from PyTorch modules: an ``nn.Conv1d/2d/3d``, or an ``nn.Sequential`` of
convolutions, activations and poolings, as the Document the window steps.

PyTorch is never imported here: a module is recognised by its class (a class of
``torch.nn.modules``, matched by name, so a subclass with a forward of its own is refused) and
asked for its weights and settings.
"""

from __future__ import annotations

import numpy as np

from ..engine import ActivationLayer, ConvLayer, FlattenLayer, LinearLayer, PoolLayer
from .document import Document
from .from_arrays import as_array, checked, example_input, one_example
from .project import Project
from .settings import ConvSettings

SUPPORTED = (
    "nn.Conv1d/2d/3d, or an nn.Sequential of those, nn.ReLU, nn.LeakyReLU, nn.Sigmoid, "
    "nn.Tanh, nn.MaxPool1d/2d/3d and nn.AvgPool1d/2d/3d, then nn.Flatten and nn.Linear"
)
"""What ``project_from_torch`` maps, in words (every refusal names it)."""

ACTIVATION_NAMES = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
DIMENSIONS = {"1d": 1, "2d": 2, "3d": 3}


def is_module(value) -> bool:
    """Whether ``value`` is a ``torch.nn.Module`` (checked without importing PyTorch)."""
    return any(
        c.__name__ == "Module" and c.__module__ == "torch.nn.modules.module"
        for c in type(value).__mro__
    )


def _kind(module) -> str:
    """The class name of a module of ``torch.nn`` itself ("" for anything else)."""
    cls = type(module)
    return cls.__name__ if cls.__module__.startswith("torch.nn.modules.") else ""


def _nd(kind: str) -> int | None:
    """1, 2 or 3 for ``Conv2d``, ``MaxPool3d``...; None for anything else."""
    for prefix in ("Conv", "MaxPool", "AvgPool"):
        if kind.startswith(prefix) and kind[len(prefix) :] in DIMENSIONS:
            return DIMENSIONS[kind[len(prefix) :]]
    return None


def _leaves(module, where: str = ""):
    """``(name, module)`` for each module of a Sequential, nested ones opened, in order."""
    if _kind(module) != "Sequential":
        yield where, module
        return
    for name, child in module.named_children():
        yield from _leaves(child, f"{where}.{name}" if where else name)


def _refusal(name: str, module, why: str = "") -> ValueError:
    what = type(module).__name__
    label = name if name.isdigit() else repr(name)  # nn.Sequential numbers its layers
    where = f"layer {label} ({what})" if name else what
    reason = why or "is not a layer convviz can show"
    return ValueError(f"{where} {reason}; convviz shows {SUPPORTED}")


def _axes(value, nd: int) -> tuple[int, ...]:
    """An int or a tuple of ints, one per axis."""
    if isinstance(value, int):
        return (value,) * nd
    return tuple(int(v) for v in value)


def _pytorch_same(kernel, dilation) -> tuple[tuple[int, int], ...]:
    """PyTorch's ``padding='same'`` in cells: the odd cell after (stride 1 only)."""
    totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
    return tuple((t // 2, t - t // 2) for t in totals)


def _conv_settings(module, nd: int, words: bool) -> dict:
    """A convolution's settings by ``conv``'s names; padding as PyTorch's word when ``words``,
    else in cells (what a layer of a stack needs for receptive fields)."""
    kernel = _axes(module.kernel_size, nd)
    dilation = _axes(module.dilation, nd)
    padding = module.padding
    if isinstance(padding, str):
        if not words:
            padding = ((0, 0),) * nd if padding == "valid" else _pytorch_same(kernel, dilation)
    else:
        padding = tuple((p, p) for p in _axes(padding, nd))
    return {
        "stride": _axes(module.stride, nd),
        "padding": padding,
        "dilation": dilation,
        "groups": int(module.groups),
        "padding_mode": str(module.padding_mode),
    }


def _pool(name: str, module, kind: str, nd: int) -> PoolLayer:
    kernel = _axes(module.kernel_size, nd)
    stride = _axes(module.stride, nd) if module.stride is not None else kernel
    padding = _axes(module.padding, nd)
    if kind.startswith("Max"):
        if module.return_indices:
            raise _refusal(name, module, "returns indices as well (return_indices=True)")
        dilation = _axes(module.dilation, nd)
        return PoolLayer("max", kernel, stride, padding, dilation, bool(module.ceil_mode))
    if getattr(module, "divisor_override", None) is not None:
        raise _refusal(name, module, "divides by a number of its own (divisor_override)")
    return PoolLayer(
        "avg", kernel, stride, padding, 1, bool(module.ceil_mode), bool(module.count_include_pad)
    )


def _layer(name: str, module, nd: int):
    """The engine's layer doing what ``module`` does, for layers after the first."""
    kind = _kind(module)
    if kind in ACTIVATION_NAMES:
        options = {}
        if kind == "LeakyReLU":
            options = {"negative_slope": float(module.negative_slope)}
        return ActivationLayer(ACTIVATION_NAMES[kind], options)
    if kind == "Flatten":
        if (module.start_dim, module.end_dim) != (1, -1):
            raise _refusal(name, module, "flattens other axes than nn.Flatten() does")
        return FlattenLayer()
    if kind == "Linear":
        bias = None if module.bias is None else as_array(module.bias, f"{name}'s bias")
        return LinearLayer(as_array(module.weight, f"{name}'s weight"), bias)
    layer_nd = _nd(kind)
    if layer_nd is None:
        raise _refusal(name, module)
    if layer_nd != nd:
        raise _refusal(name, module, f"is {layer_nd}-D in a network whose first layer is {nd}-D")
    if kind.startswith("Conv"):
        bias = None if module.bias is None else as_array(module.bias, f"{name}'s bias")
        weight = as_array(module.weight, f"{name}'s weight")
        return ConvLayer(weight, bias, _conv_settings(module, nd, words=False))
    return _pool(name, module, kind, nd)


def document_from_torch(module, x=None) -> Document:
    """The Document computing what ``module`` computes on ``x``, checked to compute.

    See ``project_from_torch``.
    """
    if not is_module(module):
        raise ValueError(
            f"convviz shows a PyTorch module here, not {type(module).__name__}; it shows "
            f"{SUPPORTED}"
        )
    leaves = list(_leaves(module))
    if not leaves:
        raise ValueError(f"the Sequential is empty; convviz shows {SUPPORTED}")
    name, first = leaves[0]
    kind = _kind(first)
    nd = _nd(kind)
    if nd is None or not kind.startswith("Conv"):
        known = kind in ACTIVATION_NAMES or nd is not None
        why = "comes first; the first layer must be a convolution (nn.Conv1d, 2d or 3d)"
        raise _refusal(name, first, why if known else "")
    layers = tuple(_layer(n, m, nd) for n, m in leaves[1:])
    weight = as_array(first.weight, "the convolution's weight")
    reads = f"{type(first).__name__} reads (channels, {nd} spatial axes)"
    if x is None:
        x = example_input(weight.shape[1] * int(first.groups), nd)
    x = one_example(as_array(x, "the input"), nd, reads)
    use_bias = first.bias is not None
    bias = as_array(first.bias, "the bias") if use_bias else np.zeros(weight.shape[0])
    settings = ConvSettings.from_kwargs(nd, **_conv_settings(first, nd, words=True))
    try:
        return checked(Document(x, weight, bias, use_bias, settings, layers))
    except ValueError as error:
        raise ValueError(f"the network cannot run on this input: {error}") from None


def project_from_torch(module, x=None) -> Project:
    """The project of a PyTorch network on an input: the document the window saves.

    Parameters
    ----------
    module : torch.nn.Module
        An ``nn.Conv1d``, ``nn.Conv2d`` or ``nn.Conv3d`` (its weight, bias, stride, padding,
        dilation, groups and padding mode are read), or an ``nn.Sequential`` that starts with
        one and goes on with convolutions, ``nn.ReLU``, ``nn.LeakyReLU`` (its slope),
        ``nn.Sigmoid``, ``nn.Tanh``, ``nn.MaxPool*d`` and ``nn.AvgPool*d``, then a classifier's
        ``nn.Flatten()`` and ``nn.Linear`` (nested Sequentials are opened). Anything else is
        refused, naming the layer and what is supported.
    x : array_like or tensor, optional
        The input, ``(C, *S)`` or a batch of one ``(1, C, *S)``. None: a made-up input of
        tenths with the channels the first convolution reads.

    Returns
    -------
    Project
        ``.document`` computes what ``module(x)`` computes (``Pipeline.of(document).outputs``);
        ``.save(path)`` writes a ``.convviz`` file the window opens.

    Raises
    ------
    ValueError
        In words: a module that cannot be mapped, or a network that cannot run on ``x``.
    """
    return Project(document_from_torch(module, x))
