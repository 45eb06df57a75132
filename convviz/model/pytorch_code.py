"""The PyTorch code for what the app shows, built from pieces so that the one-line text in the
window and the runnable program (which the tests execute against the engine) cannot drift apart.

Nothing here imports torch: the code is text, for a student to carry into a network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..engine import ACTIVATIONS, ActivationLayer, ConvGeometry, PoolGeometry

F_PAD_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}
"""``nn.Conv*d``'s ``padding_mode`` → ``F.pad``'s ``mode`` (``constant`` pads zeros)."""

ACTIVATION_FUNCTIONS = {
    "relu": "F.relu",
    "leaky_relu": "F.leaky_relu",
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
}
"""The PyTorch function for each of the engine's activations."""

ACTIVATION_DEFAULTS = {
    "relu": {},
    "leaky_relu": {"negative_slope": 0.01},
    "sigmoid": {},
    "tanh": {},
}
"""Each activation's keyword options and PyTorch's default for them (defaults are not shown)."""

ACTIVATION_MODULES = {
    "relu": "nn.ReLU",
    "leaky_relu": "nn.LeakyReLU",
    "sigmoid": "nn.Sigmoid",
    "tanh": "nn.Tanh",
}
"""The ``nn`` module for each of the engine's activations (for an ``nn.Sequential``)."""

POOL_MODULES = {"max": "MaxPool", "avg": "AvgPool"}
"""The module name (before ``1d``/``2d``/``3d``) for each kind of pooling."""

IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F"
"""What ``PyTorchCode.program`` imports."""

_WORD_PADDINGS = ("valid", "same")  # the words nn.Conv*d accepts ('full' it does not)


@dataclass(frozen=True)
class ActivationCall:
    """One activation after the layer: the PyTorch function and its non-default keywords.

    Attributes
    ----------
    function : str
        ``F.relu``, ``F.leaky_relu``, ``torch.sigmoid`` or ``torch.tanh``.
    keywords : str
        ``negative_slope=0.2``, or empty when PyTorch's defaults apply.
    module_name : str
        The same as an ``nn`` module: ``nn.ReLU``, ``nn.LeakyReLU``, ``nn.Sigmoid``, ``nn.Tanh``.
    """

    function: str
    keywords: str = ""
    module_name: str = ""

    def text(self) -> str:
        """How the one-line text names it: ``F.relu``, ``F.leaky_relu(·, negative_slope=0.2)``."""
        return f"{self.function}(·, {self.keywords})" if self.keywords else self.function

    def call(self, name: str) -> str:
        """The call on the variable ``name``: ``F.leaky_relu(y, negative_slope=0.2)``."""
        arguments = f"{name}, {self.keywords}" if self.keywords else name
        return f"{self.function}({arguments})"

    def module(self) -> str:
        """The constructor of the module: ``nn.ReLU()``, ``nn.LeakyReLU(negative_slope=0.2)``."""
        return f"{self.module_name}({self.keywords})"


@dataclass(frozen=True)
class PadCall:
    """Padding done with ``F.pad`` before a module that cannot pad as asked (uneven amounts).

    Attributes
    ----------
    amounts : tuple of int
        In ``F.pad``'s order: the last axis first, ``(before, after)`` for each.
    mode : str
        ``F.pad``'s mode: ``constant`` (zeros), ``reflect``, ``replicate`` or ``circular``.
    """

    amounts: tuple[int, ...]
    mode: str = "constant"

    def arguments(self) -> str:
        """What follows the tensor in the call: ``(1, 2, 1, 2), mode='reflect'``."""
        keyword = "" if self.mode == "constant" else f", mode={self.mode!r}"  # F.pad's default
        return f"({', '.join(map(str, self.amounts))}){keyword}"

    def statement(self, name: str = "x") -> str:
        """The statement padding ``name``: ``x = F.pad(x, (1, 2, 1, 2), mode='reflect')``."""
        return f"{name} = F.pad({name}, {self.arguments()})"


@dataclass(frozen=True)
class PyTorchCode:
    """A layer as PyTorch code, in pieces: padding, kernel flip, module, activations.

    Attributes
    ----------
    module : str
        The constructor, e.g. ``nn.Conv2d(1, 1, 3, stride=2)`` or ``nn.MaxPool2d(2, stride=2)``.
    padding : PadCall or None
        The padding done before the module, when the module cannot pad as asked (uneven
        amounts).
    flip_dims : tuple of int
        The axes of the weight that true convolution rotates 180° (empty for
        cross-correlation and pooling).
    parameters : tuple of str
        The module's parameters that ``program`` loads from variables of the same name
        (``weight``, ``bias``); empty for a pooling.
    activations : tuple of ActivationCall
        Applied to the module's output, in order.
    """

    module: str
    padding: PadCall | None = None
    flip_dims: tuple[int, ...] = ()
    parameters: tuple[str, ...] = ()
    activations: tuple[ActivationCall, ...] = ()

    @property
    def pad(self) -> str | None:
        """The statement padding ``x`` before the module, or None:
        ``x = F.pad(x, (1, 2, 1, 2), mode='reflect')``."""
        return self.padding.statement("x") if self.padding else None

    def flipped(self, name: str) -> str:
        """``name`` rotated 180° for true convolution: ``torch.flip(name, dims=[2, 3])``."""
        return f"torch.flip({name}, dims={list(self.flip_dims)})"

    @property
    def flip(self) -> str | None:
        """The statement rotating ``weight`` for true convolution, or None:
        ``weight = torch.flip(weight, dims=[2, 3])``."""
        return f"weight = {self.flipped('weight')}" if self.flip_dims else None

    def statements(self) -> tuple[str, ...]:
        """The statements before the module (padding, then the flip), as they are written."""
        return tuple(s for s in (self.pad, self.flip) if s)

    def line(self) -> str:
        """The one-line text the app shows.

        Examples: ``nn.Conv2d(3, 2, 3, stride=2, padding=1), then F.relu`` or
        ``x = F.pad(x, (1, 2, 1, 2), mode='reflect'); nn.Conv2d(1, 1, 5, stride=2)``.
        """
        text = "; ".join((*self.statements(), self.module))
        return text + "".join(f", then {a.text()}" for a in self.activations)

    def program(self) -> str:
        """A runnable snippet computing the layer, the result left in ``y``.

        It expects ``x``, a batched ``(N, C, *S)`` torch tensor, and (for a convolution)
        ``weight`` and ``bias`` tensors shaped as PyTorch's module holds them; it builds the
        module from the very constructor text of ``line``, in ``x``'s dtype, and loads them.
        """
        to_dtype = ".to(x.dtype)" if self.parameters else ""
        body = []
        if self.flip:
            body += ["# true convolution: the kernel rotated 180°", self.flip]
        body += [f"layer.{name}.copy_({name})" for name in self.parameters]
        if self.pad:
            body.append(self.pad)
        body.append("y = layer(x)")
        body += [f"y = {a.call('y')}" for a in self.activations]
        lines = [IMPORTS, "", f"layer = {self.module}{to_dtype}", "with torch.no_grad():"]
        lines += [f"    {statement}" for statement in body]
        return "\n".join(lines) + "\n"


def _one_or_all(values) -> str:
    """``3`` when every axis has the same value, else the tuple ``(3, 2)``."""
    values = tuple(int(v) for v in values)
    return str(values[0]) if len(set(values)) == 1 else str(values)


def _pytorch_same_pads(geometry: ConvGeometry) -> tuple[tuple[int, int], ...]:
    """What ``padding='same'`` pads in PyTorch: ``d·(k−1)`` cells, the odd one at the end."""
    return tuple(
        (d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2)
        for k, d in zip(geometry.kernel, geometry.dilation, strict=True)
    )


def activation_calls(activations: Iterable[str | ActivationLayer]) -> tuple[ActivationCall, ...]:
    """The PyTorch calls for activations given by name or as the engine's ``ActivationLayer``.

    Raises
    ------
    ValueError
        For an activation or an option PyTorch's function does not have.
    """
    calls = []
    for activation in activations:
        if isinstance(activation, ActivationLayer):
            name, options = activation.function, dict(activation.options)
        else:
            name, options = activation, {}
        if name not in ACTIVATION_FUNCTIONS:
            raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
        defaults = ACTIVATION_DEFAULTS[name]
        unknown = sorted(set(options) - set(defaults))
        if unknown:
            raise ValueError(f"{name} has no option {unknown[0]!r}")
        keywords = ", ".join(
            f"{key}={float(value)!r}"
            for key, value in options.items()
            if float(value) != defaults[key]
        )
        calls.append(ActivationCall(ACTIVATION_FUNCTIONS[name], keywords, ACTIVATION_MODULES[name]))
    return tuple(calls)


def conv_code(
    geometry: ConvGeometry,
    padding,
    has_bias: bool,
    activations: Iterable[str | ActivationLayer] = (),
) -> PyTorchCode:
    """The ``nn.Conv*d`` computing this convolution, then its activations.

    Parameters
    ----------
    geometry : ConvGeometry
        The resolved convolution (``convviz.engine.conv_geometry``).
    padding : str, int, sequence or None
        The padding as the user asked for it. The words ``'valid'`` and ``'same'`` are shown
        as such where PyTorch computes the same pads (``'same'`` needs stride 1, and PyTorch puts
        an odd cell at the end, which a true convolution does not); otherwise, and for
        ``'full'``, numbers are shown. None means: numbers.
    has_bias : bool
        Whether the layer adds a bias (``bias=False`` otherwise).
    activations : iterable of str or ActivationLayer
        Applied after the convolution, in order.

    Returns
    -------
    PyTorchCode
        Equal pads go to the module (``padding=1``, ``padding=(1, 2)``); uneven ones to an
        ``F.pad`` statement with the matching mode before it.
    """
    nd = geometry.nd
    word = padding.lower() if isinstance(padding, str) else None
    args = [str(geometry.channels), str(geometry.filters), _one_or_all(geometry.kernel)]
    if any(s != 1 for s in geometry.stride):
        args.append(f"stride={_one_or_all(geometry.stride)}")
    pad_call = None
    pads = geometry.pads
    if word == "valid" or (
        word == "same"
        and all(s == 1 for s in geometry.stride)
        and pads == _pytorch_same_pads(geometry)
    ):
        args.append(f"padding={word!r}")
        padded_by_module = word == "same" and any(b or a for b, a in pads)
    elif all(b == a for b, a in pads):
        padded_by_module = any(b for b, _ in pads)
        if padded_by_module:
            args.append(f"padding={_one_or_all(b for b, _ in pads)}")
    else:
        padded_by_module = False
        flat = tuple(v for pair in reversed(pads) for v in pair)
        pad_call = PadCall(flat, F_PAD_MODES[geometry.padding_mode])
    if any(d != 1 for d in geometry.dilation):
        args.append(f"dilation={_one_or_all(geometry.dilation)}")
    if geometry.groups != 1:
        args.append(f"groups={geometry.groups}")
    if not has_bias:
        args.append("bias=False")
    if padded_by_module and geometry.padding_mode != "zeros":
        args.append(f"padding_mode={geometry.padding_mode!r}")
    return PyTorchCode(
        module=f"nn.Conv{nd}d({', '.join(args)})",
        padding=pad_call,
        flip_dims=tuple(range(2, 2 + nd)) if geometry.flip else (),
        parameters=("weight", "bias") if has_bias else ("weight",),
        activations=activation_calls(activations),
    )


def pool_code(
    geometry: PoolGeometry,
    kind: str | None = None,
    activations: Iterable[str | ActivationLayer] = (),
) -> PyTorchCode:
    """The ``nn.MaxPool*d`` or ``nn.AvgPool*d`` computing this pooling, then its activations.

    Parameters
    ----------
    geometry : PoolGeometry
        The resolved pooling (``convviz.engine.pool_geometry``).
    kind : {"max", "avg"}, optional
        The pooling; defaults to ``geometry.kind`` and must agree with it.
    activations : iterable of str or ActivationLayer
        Applied after the pooling, in order.

    Returns
    -------
    PyTorchCode
        The stride is always shown (PyTorch's default is the window size); padding, dilation
        (max only), ``ceil_mode`` and ``count_include_pad`` (avg only) where not the default.

    Raises
    ------
    ValueError
        For an unknown kind, one that disagrees with the geometry, or average pooling with
        dilation (PyTorch's has none).
    """
    kind = geometry.kind if kind is None else kind
    if kind not in POOL_MODULES or kind != geometry.kind:
        raise ValueError(
            f"pooling kind {kind!r} does not match the geometry's {geometry.kind!r}; "
            "use 'max' or 'avg'"
        )
    args = [_one_or_all(geometry.kernel), f"stride={_one_or_all(geometry.stride)}"]
    if any(geometry.padding):
        args.append(f"padding={_one_or_all(geometry.padding)}")
    if any(d != 1 for d in geometry.dilation):
        if kind == "avg":
            raise ValueError("average pooling has no dilation in PyTorch")
        args.append(f"dilation={_one_or_all(geometry.dilation)}")
    if geometry.ceil_mode:
        args.append("ceil_mode=True")
    if kind == "avg" and not geometry.count_include_pad:
        args.append("count_include_pad=False")
    return PyTorchCode(
        module=f"nn.{POOL_MODULES[kind]}{geometry.nd}d({', '.join(args)})",
        activations=activation_calls(activations),
    )
