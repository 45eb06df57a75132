"""The NumPy script: ``np.pad`` with the padding's mode, then a window sliding over the padded
input, one output cell at a time, as the window steps it; NumPy alone, nothing to install."""

from __future__ import annotations

from ...engine import ActivationLayer, FlattenLayer
from .arrays import ArrayPlacer
from .stack import HeadLayer, Stack, StackLayer, filters_words

IMPORTS = ("import numpy as np",)

NUMPY_PAD_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}
"""A convolution's ``padding_mode`` → ``np.pad``'s ``mode``."""

WINDOW = '''
def window(cell, kernel, stride, dilation):
    """The slices of the padded input under the window that computes output cell `cell`:
    it starts stride·i cells in along each axis, and its taps lie dilation cells apart."""
    return tuple(
        slice(i * s, i * s + d * (k - 1) + 1, d)
        for i, k, s, d in zip(cell, kernel, stride, dilation)
    )


def output_size(size, kernel, stride, dilation):
    """How many window positions fit along each axis: floor((n − d·(k − 1) − 1) / s) + 1."""
    return tuple(
        (n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(size, kernel, stride, dilation)
    )
'''.strip("\n")

CORRELATE = '''
def correlate(x, weight, stride, dilation, groups=1):
    """Cross-correlation, as PyTorch's conv1d/2d/3d: output cell [f, *cell] is the sum of the
    window's cells times filter f, over every channel the filter sees (x is padded already).
    With groups, filter f sees only its group's channels."""
    filters, channels, *kernel = weight.shape
    size = output_size(x.shape[1:], kernel, stride, dilation)
    y = np.empty((filters, *size))
    for f in range(filters):
        group = f // (filters // groups)
        seen = x[group * channels : (group + 1) * channels]
        for cell in np.ndindex(*size):
            taps = seen[(slice(None), *window(cell, kernel, stride, dilation))]
            y[(f, *cell)] = np.sum(taps * weight[f])
    return y
'''.strip("\n")

MAX_POOL = '''
def max_pool(x, kernel, stride, dilation):
    """The largest cell of each window, channel by channel (x is padded with −inf, which
    never wins)."""
    size = output_size(x.shape[1:], kernel, stride, dilation)
    y = np.empty((len(x), *size))
    for cell in np.ndindex(*size):
        taps = x[(slice(None), *window(cell, kernel, stride, dilation))]
        y[(slice(None), *cell)] = taps.reshape(len(x), -1).max(axis=1)
    return y
'''.strip("\n")

AVG_POOL = '''
def avg_pool(x, counted, kernel, stride):
    """The mean of each window, channel by channel: the sum of its cells (x is padded with
    zeros) divided by how many of them count (counted holds 1 where a cell counts, else 0)."""
    dilation = (1,) * len(kernel)
    size = output_size(x.shape[1:], kernel, stride, dilation)
    y = np.empty((len(x), *size))
    for cell in np.ndindex(*size):
        where = window(cell, kernel, stride, dilation)
        total = x[(slice(None), *where)].reshape(len(x), -1).sum(axis=1)
        y[(slice(None), *cell)] = total / counted[where].sum()
    return y
'''.strip("\n")

ACTIVATIONS = {
    "relu": "np.maximum(y, 0)",
    "leaky_relu": "np.where(y >= 0, y, y * {negative_slope!r})",
    "sigmoid": "1 / (1 + np.exp(-y))",
    "tanh": "np.tanh(y)",
}
"""Each activation as NumPy, on ``y``."""

_DEFAULT_OPTIONS = {"leaky_relu": {"negative_slope": 0.01}}


def numpy_imports(stack: Stack) -> tuple[str, ...]:
    """What the script imports: NumPy alone."""
    return IMPORTS


def numpy_definitions(stack: Stack) -> list[str]:
    """The functions the script defines: only those its layers use."""
    kinds = {layer.kind for layer in stack.layers}
    uses = (("conv", CORRELATE), ("max", MAX_POOL), ("avg", AVG_POOL))
    return [WINDOW, *(text for kind, text in uses if kind in kinds)]


def _pairs(pads) -> str:
    """``[(0, 0), (1, 2), (1, 2)]``: nothing on the channel axis, then each spatial axis."""
    return "[" + ", ".join(f"({b}, {a})" for b, a in ((0, 0), *pads)) + "]"


def _conv_lines(layer: StackLayer, arrays: ArrayPlacer) -> list[str]:
    g, n = layer.geometry, layer.number
    lines = [
        f"# {filters_words(layer)}",
        f"weight{n} = {arrays.expression(f'weight{n}', layer.weight)}",
    ]
    if layer.bias is not None:
        lines.append(f"bias{n} = {arrays.expression(f'bias{n}', layer.bias)}")
    kernel = f"weight{n}"
    if g.flip:
        axes = tuple(range(2, 2 + g.nd))
        lines.append(
            f"kernel{n} = np.flip(weight{n}, axis={axes})  # true convolution: rotated 180°"
        )
        kernel = f"kernel{n}"
    if any(b or a for b, a in g.pads):
        mode = NUMPY_PAD_MODES[g.padding_mode]
        lines.append(
            f'y = np.pad(y, {_pairs(g.pads)}, mode="{mode}")  # padding_mode {g.padding_mode}'
        )
    groups = f", groups={g.groups}" if g.groups != 1 else ""
    lines.append(f"y = correlate(y, {kernel}, stride={g.stride}, dilation={g.dilation}{groups})")
    if layer.bias is not None:
        lines.append(f"y = y + bias{n}.reshape({(-1,) + (1,) * g.nd})  # one bias per filter")
    return lines


def _pool_lines(layer: StackLayer) -> list[str]:
    g = layer.geometry
    lines = []
    if any(b or a for b, a in g.pads):
        fill = "-np.inf" if layer.kind == "max" else "0.0"
        if any(g.overflow):
            lines.append("# ceil_mode: the last window reaches past the padding; pad that too")
        lines.append(f"y = np.pad(y, {_pairs(g.pads)}, constant_values={fill})")
    if layer.kind == "max":
        lines.append(f"y = max_pool(y, {g.kernel}, stride={g.stride}, dilation={g.dilation})")
        return lines
    # The cells that count toward a window's divisor: the input, and its padding when
    # count_include_pad; never the cells past the padding that ceil_mode's last window reaches.
    if g.count_include_pad:
        region = tuple(n + 2 * p for n, p in zip(g.size, g.padding, strict=True))
        around = [(0, o) for o in g.overflow]
    else:
        region = g.size
        around = [(p, p + o) for p, o in zip(g.padding, g.overflow, strict=True)]
    if any(b or a for b, a in around):
        pairs = "[" + ", ".join(f"({b}, {a})" for b, a in around) + "]"
        lines.append(f"counted = np.pad(np.ones({region}), {pairs})")
    else:
        lines.append(f"counted = np.ones({region})")
    lines.append(f"y = avg_pool(y, counted, {g.kernel}, stride={g.stride})")
    return lines


def numpy_body(stack: Stack, arrays: ArrayPlacer) -> list[str]:
    """The statements after the input is built: every layer in turn, the result in ``y``."""
    lines = ["", "y = x"]
    for layer in stack.layers:
        lines += ["", f"# {layer.description()}"]
        lines += _conv_lines(layer, arrays) if layer.kind == "conv" else _pool_lines(layer)
        lines += [_activation_line(activation) for activation in layer.activations]
    for layer in stack.head:
        lines += ["", f"# {layer.description()}", *_head_lines(layer, arrays)]
    return lines


def _activation_line(activation: ActivationLayer) -> str:
    options = {**_DEFAULT_OPTIONS.get(activation.function, {}), **activation.options}
    options = {key: float(value) for key, value in options.items()}
    return f"y = {ACTIVATIONS[activation.function].format(**options)}  # {activation.function}"


def _head_lines(layer: HeadLayer, arrays: ArrayPlacer) -> list[str]:
    """Flatten as a reshape, a linear layer as a matrix times the vector, plus its bias."""
    n, engine_layer = layer.number, layer.layer
    if isinstance(engine_layer, FlattenLayer):
        return ["y = y.reshape(-1)"]
    if isinstance(engine_layer, ActivationLayer):
        return [_activation_line(engine_layer)]
    lines = [
        "# weight: (outputs, inputs)",
        f"weight{n} = {arrays.expression(f'weight{n}', engine_layer.weight)}",
    ]
    if engine_layer.bias is None:
        return [*lines, f"y = weight{n} @ y"]
    lines.append(f"bias{n} = {arrays.expression(f'bias{n}', engine_layer.bias)}")
    return [*lines, f"y = weight{n} @ y + bias{n}"]
