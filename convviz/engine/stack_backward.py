"""The backward pass through a whole stack: each layer hands ``dL/d(its output)`` back as
``dL/d(its input)``, and the layers with weights keep ``dL/dW`` and ``dL/db`` on the way.

A convolution passes the gradient back through ``conv_backward``; an activation multiplies it by
its slope at the input it saw (ReLU lets it through where that input was positive); max pooling
routes each output's gradient to the cell that won its window; average pooling spreads it over
the cells it counted; flatten puts it back into the maps' shape; a linear layer multiplies it by
its weights transposed. The same numbers ``torch.autograd`` gives for the same stack.
"""

from __future__ import annotations

import numpy as np

from .backward import conv_backward
from .dense import FlattenLayer, LinearLayer
from .layers import ActivationLayer, ConvLayer, PoolLayer, run_stack
from .pooling import PoolStepper

CONV_KEYWORDS = ("stride", "padding", "dilation", "groups", "padding_mode", "flip")


def activation_slope(layer: ActivationLayer, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The activation's derivative at each cell, from its input ``before`` and output
    ``after`` (at 0 ReLU's slope is 0 and leaky ReLU's its ``negative_slope``, as in PyTorch)."""
    name = layer.function
    if name == "relu":
        return (before > 0).astype(np.float64)
    if name == "leaky_relu":
        return np.where(before > 0, 1.0, layer.options.get("negative_slope", 0.01))
    if name == "sigmoid":
        return after * (1.0 - after)
    if name == "tanh":
        return 1.0 - after**2
    raise ValueError(f"no derivative known for the activation {name!r}")


def pool_backward(x: np.ndarray, layer: PoolLayer, grad: np.ndarray) -> np.ndarray:
    """``dL/dx`` of a pooling of ``x`` given ``dL/dout``: max pooling routes each output's
    gradient to its window's winning cell, average pooling spreads it over the counted cells
    (padding takes none)."""
    walk = PoolStepper(
        x,
        layer.kind,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        layer.dilation if layer.kind == "max" else 1,
        layer.ceil_mode,
        layer.count_include_pad,
    )
    flat = grad.reshape(-1)
    result = np.zeros_like(x, dtype=np.float64)
    size = np.array(x.shape[1:])
    for index in range(len(walk)):
        step = walk[index]
        coords = step.taps[:, 1:]
        inside = np.all((coords >= 0) & (coords < size), axis=1) & (step.weights > 0)
        for tap, weight in zip(step.taps[inside], step.weights[inside], strict=True):
            result[tuple(tap)] += flat[index] * weight
    return result


def stack_backward(x, layers, grad_output) -> tuple[np.ndarray, list]:
    """The gradients of a stack's output with respect to its input and to each layer's
    weights, given ``dL/d(output)``.

    Parameters
    ----------
    x : array_like
        One sample, ``(C, *S)``.
    layers : sequence
        ``ConvLayer``, ``ActivationLayer``, ``PoolLayer``, ``FlattenLayer``, ``LinearLayer``.
    grad_output : array_like
        ``dL/d(last output)``, the shape of the last layer's output.

    Returns
    -------
    grad_input : numpy.ndarray
        ``dL/dx``, the shape of ``x``.
    grads : list
        One entry per layer: ``(dL/dW, dL/db)`` for a convolution or a linear layer (``dL/db``
        None when the layer has no bias), None for the others.

    Raises
    ------
    ValueError
        For a stack that cannot run on ``x`` or a gradient of the wrong shape, in words.
    """
    x = np.asarray(x, dtype=np.float64)
    outputs = run_stack(x, layers)
    g = np.asarray(grad_output, dtype=np.float64)
    last = outputs[-1] if outputs else x
    if g.shape != last.shape:
        raise ValueError(f"the gradient must have the output's shape {last.shape}, got {g.shape}")
    grads: list = [None] * len(layers)
    for i in reversed(range(len(layers))):
        layer, before = layers[i], (x if i == 0 else outputs[i - 1])
        if isinstance(layer, ConvLayer):
            settings = {k: v for k, v in layer.settings.items() if k in CONV_KEYWORDS}
            g, grad_weight, grad_bias = conv_backward(before, layer.weight, g, **settings)
            grads[i] = (grad_weight, grad_bias if layer.bias is not None else None)
        elif isinstance(layer, ActivationLayer):
            g = g * activation_slope(layer, before, outputs[i])
        elif isinstance(layer, PoolLayer):
            g = pool_backward(before, layer, g)
        elif isinstance(layer, FlattenLayer):
            g = g.reshape(before.shape)
        elif isinstance(layer, LinearLayer):
            grads[i] = (np.outer(g, before), g.copy() if layer.bias is not None else None)
            g = layer.weight.T @ g
        else:
            raise ValueError(f"layer {i + 1} ({type(layer).__name__}) has no backward pass")
    return g, grads
